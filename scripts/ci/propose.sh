#!/usr/bin/env bash
# What a manual workflow (新月份, 发布通报, 更正) changed in the data folder, proposed as a pull request:
#   FORGE_TOKEN=… scripts/ci/propose.sh DATA BRANCH TITLE
# Commits the data folder's changes on BRANCH, validates that commit and compares it with the commit the
# workflow started from (scripts/ci/check.sh), pushes the branch, opens the pull request with the summary
# as its text, and sets the commit status "校验、对比并生成预览" on it: a pull request opened with the
# workflow's token starts no workflow of its own (GitHub, Gitea and Forgejo alike), so the result the
# branch protection asks for comes from here. Writes the pull request's address to the job summary.
# Exit status: the validation's (1 when the data have errors; the pull request is opened all the same,
# marked failed, so the office sees what to fix).
set -euo pipefail
data="${1:?usage: propose.sh DATA BRANCH TITLE}" branch="${2:?}" title="${3:?}"
base="${GITHUB_REF_NAME:-$(git rev-parse --abbrev-ref HEAD)}"
out="${CI_OUT:-ci-out}"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out"

git add --all -- "$data"
if git diff --cached --quiet; then
  echo "数据没有变化：不提交，也不开合并请求。" | tee -a "${GITHUB_STEP_SUMMARY:-/dev/null}"
  exit 0
fi
git switch --quiet -c "$branch"
git -c user.name="${CI_GIT_NAME:-bulletin-ci}" -c user.email="${CI_GIT_EMAIL:-bulletin-ci@users.noreply.invalid}" \
  commit --quiet -m "$title" -m "由工作流「${GITHUB_WORKFLOW:-手动运行}」生成（运行者：${GITHUB_ACTOR:-未知}）。"
status=0
bash "$here/check.sh" "$data" HEAD~1 "$out" || status=$?
bash "$here/push.sh" "$branch"
{
  echo "由工作流「${GITHUB_WORKFLOW:-手动运行}」生成，运行者：${GITHUB_ACTOR:-未知}。核对下面的校验和改动，无误后合并。"
  echo
  cat "$out/summary.md"
} > "$out/pull-request.md"
url="$(python3 "$here/forge.py" pull-request --head "$branch" --base "$base" --title "$title" \
  --body-file "$out/pull-request.md")"
if (( status == 0 )); then state=success words="校验通过"; else state=failure words="数据有错误，见合并请求中的说明"; fi
python3 "$here/forge.py" status --sha "$(git rev-parse HEAD)" --state "$state" --context "校验、对比并生成预览" \
  --description "$words"
echo "合并请求：$url" | tee -a "${GITHUB_STEP_SUMMARY:-/dev/null}"
exit "$status"
