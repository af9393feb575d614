#!/usr/bin/env bash
# Installs the system packages the course needs that npm cannot provide, on
# Debian or Ubuntu: bubblewrap for the function runner's sandbox, Python 3 for
# its python3.11 runtime, and (unless
# called with --runtime-only, as `npm start` does) Chromium for the end-to-end
# tests. Does nothing when they are already present.
set -euo pipefail

missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
# The python3.11 runtime runs learners' handlers with the system's Python 3.
[ -x /usr/bin/python3.11 ] || [ -x /usr/bin/python3 ] || missing+=(python3)
if [ "${1:-}" != "--runtime-only" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: ${missing[*]} missing and this is not a Debian/Ubuntu machine; install them with your package manager." >&2
  echo "setup-system: the end-to-end tests fall back to Playwright's own browser where /usr/bin/chromium is absent." >&2
  exit 0
fi

sudo=''
if [ "$(id -u)" -ne 0 ]; then
  sudo='sudo'
fi
echo "setup-system: installing ${missing[*]} from the distribution's packages"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
