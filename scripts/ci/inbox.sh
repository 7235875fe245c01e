#!/usr/bin/env bash
# Import the filled Excel forms a pull request put in the inbox folder, and commit what they became.
#   scripts/ci/inbox.sh DATA INBOX OUT
# Every .xlsx directly in INBOX (a folder outside the data folder) is imported with
# `bulletin import --inbox`; the commit holds the report files and datapackage.yaml the import wrote,
# and removes the forms from the branch (they stay in its history). A refused form is removed too: the
# comment (OUT/comment.md) says why, and the district uploads the corrected form again.
# Writes OUT/comment.md (also to the job summary) and OUT/result.json; prints forms=N and
# committed=true|false (and sha=…), also into $GITHUB_OUTPUT when set. Exit 0 when the import ran (even if some forms were refused), else its code.
set -euo pipefail
data="${1:?usage: inbox.sh DATA INBOX OUT}" inbox="${2:?}" out="${3:?}"
bulletin="${BULLETIN:-.venv/bin/bulletin}"
mkdir -p "$out"

say() {
  echo "$1"
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then echo "$1" >> "$GITHUB_OUTPUT"; fi
}

forms=()
while IFS= read -r -d '' form; do forms+=("$form"); done \
  < <(git ls-files -z -- ":(glob,icase)${inbox%/}/*.xlsx")
say "forms=${#forms[@]}"
if (( ${#forms[@]} == 0 )); then
  say "committed=false"
  exit 0
fi

status=0
"$bulletin" import --data "$data" --inbox "$inbox" --result "$out/result.json" --comment "$out/comment.md" \
  || status=$?
if [[ -n "${GITHUB_STEP_SUMMARY:-}" && -s "$out/comment.md" ]]; then cat "$out/comment.md" >> "$GITHUB_STEP_SUMMARY"; fi
if (( status > 1 )); then
  echo "bulletin import could not run (exit $status): nothing committed" >&2
  say "committed=false"
  exit "$status"
fi

git rm -q --force -- "${forms[@]}"
git add --all -- "$data"
names="$(printf '%s\n' "${forms[@]##*/}" | head -n 20 | paste -sd '、' -)"
git -c user.name="${CI_GIT_NAME:-bulletin-ci}" -c user.email="${CI_GIT_EMAIL:-bulletin-ci@users.noreply.invalid}" \
  commit -q -m "导入报表：${names}" -m "由工作流导入 ${inbox%/}/ 中的 ${#forms[@]} 份报表；报表文件已从分支中移除（仍在历史中）。"
say "committed=true"
say "sha=$(git rev-parse HEAD)"
