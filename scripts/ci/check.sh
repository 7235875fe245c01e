#!/usr/bin/env bash
# Validate the data folder and say what changed since BASE: annotations on stdout, a Markdown summary
# for the reviewer (the job summary, and the pull-request comment Gitea < 1.27 needs) in OUT/summary.md.
#   scripts/ci/check.sh DATA BASE OUT
# Exit status: bulletin validate's (1 when the data have errors).
set -uo pipefail
data="${1:?usage: check.sh DATA BASE OUT}" base="${2:?}" out="${3:?}"
bulletin="${BULLETIN:-.venv/bin/bulletin}"
mkdir -p "$out"
rm -f "$out/validate.md"

# annotations on stdout (GitHub shows them beside the files); the findings as a Markdown table into
# validate.md (bulletin writes that table wherever GITHUB_STEP_SUMMARY points)
GITHUB_STEP_SUMMARY="$out/validate.md" "$bulletin" validate --data "$data" --format github
status=$?
# the changed report rows as annotations too (red lights, published months changed without an erratum):
# at most 10 errors and 10 warnings, most important first, as GitHub shows no more per step
"$bulletin" diff "$base" --data "$data" --format github 2> /dev/null || true
"$bulletin" diff "$base" --data "$data" > "$out/diff.md" 2> "$out/diff.err" || {
  echo "对比失败：" > "$out/diff.md"
  sed 's/^/    /' "$out/diff.err" >> "$out/diff.md"
}

{
  case $status in
    0) echo "✅ 校验通过：没有错误。" ;;
    1) echo "❌ 数据有错误，合并前请改正（逐条说明见下）。" ;;
    *) echo "⚠️ 校验没有完成（退出码 $status），请查看运行日志。" ;;
  esac
  echo
  if [[ -s "$out/validate.md" ]]; then cat "$out/validate.md"; echo; fi
  cat "$out/diff.md"
} > "$out/summary.md"
if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then cat "$out/summary.md" >> "$GITHUB_STEP_SUMMARY"; fi
exit "$status"
