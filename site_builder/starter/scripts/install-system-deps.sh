#!/usr/bin/env bash
# Install the Debian packages the tests need, when they are missing. Called by `make setup`.
# Usage: scripts/install-system-deps.sh PACKAGE[:COMMAND] ...
#   PACKAGE is installed when COMMAND (default: PACKAGE) is not on PATH, or, for packages
#   without a command, when dpkg does not know it.
set -euo pipefail
missing=()
for spec in "$@"; do
    package="${spec%%:*}"
    command="${spec#*:}"
    if [[ "$spec" == *:* ]]; then
        command -v "$command" >/dev/null 2>&1 && continue
    else
        dpkg -s "$package" >/dev/null 2>&1 && continue
    fi
    missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "Please install: ${missing[*]} (no apt-get on this machine)" >&2
    exit 1
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "Installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
