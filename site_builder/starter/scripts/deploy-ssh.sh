#!/usr/bin/env bash
# Publish a built site to a web server over SSH with an atomic switch:
#   $DEPLOY_ROOT/releases/<release>/  receives the files (rsync),
#   $DEPLOY_ROOT/current              is a symlink the web server serves, replaced in one rename.
# Readers see the old site or the new one, never a mixture. The five newest releases are kept.
# Environment: DEPLOY_HOST, DEPLOY_USER, DEPLOY_ROOT, DEPLOY_KEY (private key), DEPLOY_KNOWN_HOSTS, RELEASE.
set -euo pipefail
site="${1:?usage: deploy-ssh.sh SITE_DIR}"
: "${DEPLOY_HOST:?}" "${DEPLOY_USER:?}" "${DEPLOY_ROOT:?}" "${DEPLOY_KEY:?}" "${DEPLOY_KNOWN_HOSTS:?}" "${RELEASE:?}"
[[ -f "$site/index.html" ]] || { echo "no built site in $site" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '%s\n' "$DEPLOY_KEY" > "$work/key"
printf '%s\n' "$DEPLOY_KNOWN_HOSTS" > "$work/known_hosts"
chmod 600 "$work/key"
ssh_cmd=(ssh -i "$work/key" -o UserKnownHostsFile="$work/known_hosts" -o StrictHostKeyChecking=yes)
target="$DEPLOY_USER@$DEPLOY_HOST"
release="$DEPLOY_ROOT/releases/$RELEASE"

"${ssh_cmd[@]}" "$target" "mkdir -p '$release'"
rsync -a --delete -e "${ssh_cmd[*]}" "$site/" "$target:$release/"
"${ssh_cmd[@]}" "$target" "ln -sfn '$release' '$DEPLOY_ROOT/current.new' && mv -Tf '$DEPLOY_ROOT/current.new' '$DEPLOY_ROOT/current' \
  && cd '$DEPLOY_ROOT/releases' && ls -1t | tail -n +6 | xargs -r rm -rf --"
echo "published $RELEASE to $target:$DEPLOY_ROOT/current"
