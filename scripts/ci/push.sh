#!/usr/bin/env bash
# Push HEAD to a branch of the repository the workflow runs for, with the job's token.
#   FORGE_TOKEN=… scripts/ci/push.sh BRANCH
# The token reaches git through the environment (an HTTP header, as actions/checkout sends it), never
# through the command line or .git/config, so no later step and no file in the workspace holds it.
# A branch that moved meanwhile is not overwritten: the push fails and the next run starts over.
set -euo pipefail
branch="${1:?usage: push.sh BRANCH}"
: "${FORGE_TOKEN:?}"
auth="$(printf 'x-access-token:%s' "$FORGE_TOKEN" | base64 | tr -d '\n')"
GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.extraheader GIT_CONFIG_VALUE_0="AUTHORIZATION: basic $auth" \
  git push --quiet origin "HEAD:refs/heads/$branch"
echo "pushed $(git rev-parse --short HEAD) to $branch"
