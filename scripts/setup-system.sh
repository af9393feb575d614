#!/usr/bin/env bash
# Installs the system packages the course needs that npm cannot provide, on
# Debian or Ubuntu: bubblewrap for the function runner's sandbox, Python 3 for
# its python3.11 runtime, and (unless
# called with --runtime-only, as `npm start` does) Chromium for the end-to-end
# tests. Creates the unprivileged account sandboxes run as when the server runs
# as root (course-sandbox; see docs/security.md). Does nothing when all of that
# is already present.
set -euo pipefail

sudo=''
if [ "$(id -u)" -ne 0 ]; then
  sudo='sudo'
fi

# Learner code must never run as host root: a root server starts every sandbox
# as this account, which owns nothing and cannot log in.
sandbox_user=course-sandbox
ensure_sandbox_user() {
  if getent passwd "$sandbox_user" >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "setup-system: not root and no sudo: cannot create the $sandbox_user account (needed only when the server runs as root)." >&2
    return 0
  fi
  echo "setup-system: creating the unprivileged account $sandbox_user for the function runner's sandboxes"
  $sudo useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$sandbox_user"
}

missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
# A root server grants the sandbox account search permission on folders in the way with an ACL.
command -v setfacl >/dev/null 2>&1 || missing+=(acl)
# The python3.11 runtime runs learners' handlers with the system's Python 3.
[ -x /usr/bin/python3.11 ] || [ -x /usr/bin/python3 ] || missing+=(python3)
if [ "${1:-}" != "--runtime-only" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
fi
if [ ${#missing[@]} -eq 0 ]; then
  ensure_sandbox_user
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: ${missing[*]} missing and this is not a Debian/Ubuntu machine; install them with your package manager." >&2
  echo "setup-system: the end-to-end tests fall back to Playwright's own browser where /usr/bin/chromium is absent." >&2
  exit 0
fi

echo "setup-system: installing ${missing[*]} from the distribution's packages"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
ensure_sandbox_user
