#!/usr/bin/env bash
# Publish a built site to a web server over SSH with an atomic switch, or switch back:
#   deploy-ssh.sh SITE_DIR            upload SITE_DIR as release $RELEASE and serve it
#   deploy-ssh.sh --rollback [NAME]   serve the previous release again (or release NAME)
#   deploy-ssh.sh --list              list the releases on the server, newest last
# On the server, under $DEPLOY_ROOT:
#   releases/<release>/  one folder per published site (rsync)
#   current              the symlink the web server serves, replaced in one rename
#   previous             the symlink to the release served before the last switch (what --rollback serves)
#   releases.log         the releases in the order they were published, newest last
# Readers see the old site or the new one, never a mixture. The five newest releases are kept, and always
# those current and previous point at, so a rollback finds its release. A rollback swaps current and
# previous: a second --rollback undoes the first.
# Environment: DEPLOY_HOST, DEPLOY_USER, DEPLOY_ROOT, DEPLOY_KEY (private key), DEPLOY_KNOWN_HOSTS,
# and RELEASE (the release's name, e.g. the commit) when publishing.
set -euo pipefail
usage="usage: deploy-ssh.sh SITE_DIR | --rollback [RELEASE] | --list"
action=publish name="${RELEASE:-}" site=""
case "${1:?$usage}" in
  --rollback) action=rollback name="${2:-}" ;;
  --list) action=list name="" ;;
  -*) echo "$usage" >&2; exit 2 ;;
  *) site="$1" ;;
esac
: "${DEPLOY_HOST:?}" "${DEPLOY_USER:?}" "${DEPLOY_ROOT:?}" "${DEPLOY_KEY:?}" "${DEPLOY_KNOWN_HOSTS:?}"
if [[ $action == publish ]]; then
  : "${RELEASE:?}"
  [[ -f "$site/index.html" ]] || { echo "no built site in $site" >&2; exit 1; }
fi
if [[ -n "$name" && ! "$name" =~ ^[A-Za-z0-9_][A-Za-z0-9._-]*$ ]]; then
  echo "not a release name: $name" >&2
  exit 2
fi
[[ "$DEPLOY_ROOT" == /* && "$DEPLOY_ROOT" != *"'"* ]] || { echo "DEPLOY_ROOT must be an absolute path" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '%s\n' "$DEPLOY_KEY" > "$work/key"
printf '%s\n' "$DEPLOY_KNOWN_HOSTS" > "$work/known_hosts"
chmod 600 "$work/key"
ssh_cmd=(ssh -i "$work/key" -o UserKnownHostsFile="$work/known_hosts" -o StrictHostKeyChecking=yes)
target="$DEPLOY_USER@$DEPLOY_HOST"

# What runs on the server (read from stdin by bash there): ACTION ROOT [NAME]
read -r -d '' remote <<'REMOTE' || true
set -euo pipefail
action="$1" root="$2" name="${3:-}"
mkdir -p "$root/releases"
cd "$root"
switch() { ln -sfn "$2" "$1.new" && mv -Tf "$1.new" "$1"; }  # point link $1 at $2 in one rename
fail() { echo "$1" >&2; exit 1; }
case "$action" in
  publish)
    new="$root/releases/$name"
    [[ -f "$new/index.html" ]] || fail "release $name was not uploaded"
    old="$(readlink current || true)"
    if [[ "$old" != "$new" ]]; then
      switch current "$new"
      if [[ -n "$old" ]]; then switch previous "$old"; fi
    fi
    echo "$name" >> releases.log
    keep="$( (tac releases.log | awk '!seen[$0]++' | head -n 5; basename "$(readlink current)"; \
      if [[ -L previous ]]; then basename "$(readlink previous)"; fi) | sort -u)"
    for release in releases/*/; do
      release="$(basename "$release")"
      grep -qxF -- "$release" <<<"$keep" || rm -rf -- "releases/$release"
    done
    echo "published $name (previous: ${old##*/})"
    ;;
  rollback)
    now="$(readlink current)" || fail "nothing is published yet"
    if [[ -n "$name" ]]; then
      back="$root/releases/$name"
    else
      back="$(readlink previous)" || fail "no previous release to go back to"
    fi
    [[ -f "$back/index.html" ]] || fail "release ${back##*/} is not on the server"
    if [[ "$back" == "$now" ]]; then echo "${now##*/} is already served"; exit 0; fi
    switch current "$back"
    switch previous "$now"
    echo "rolled back to ${back##*/} (previous: ${now##*/})"
    ;;
  list)
    now="$(readlink current || true)" before="$(readlink previous || true)"
    for release in releases/*/; do
      release="$(basename "$release")"
      mark=""
      if [[ "$root/releases/$release" == "$now" ]]; then mark=" <- current"; fi
      if [[ "$root/releases/$release" == "$before" ]]; then mark=" <- previous"; fi
      printf '%s %s%s\n' "$(grep -nxF -- "$release" releases.log 2>/dev/null | tail -n 1 | cut -d: -f1)" "$release" "$mark"
    done | sort -n | cut -d' ' -f2-
    ;;
esac
REMOTE

on_server() { "${ssh_cmd[@]}" "$target" "bash -s -- $(printf '%q ' "$@")" <<<"$remote"; }

if [[ $action == publish ]]; then
  "${ssh_cmd[@]}" "$target" "mkdir -p '$DEPLOY_ROOT/releases/$name'"
  rsync -a --delete -e "${ssh_cmd[*]}" "$site/" "$target:$DEPLOY_ROOT/releases/$name/"
fi
on_server "$action" "$DEPLOY_ROOT" "$name"
