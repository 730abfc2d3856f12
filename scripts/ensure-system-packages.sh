#!/usr/bin/env bash
# Installs the Debian packages given as arguments that are not installed yet.
#
#   scripts/ensure-system-packages.sh poppler-utils chromium chromium-driver
#
# Nothing to do: prints nothing and exits 0 at once (no apt-get update).
# Otherwise: apt-get update, then a non-interactive install of the missing
# packages only (each step retried once, after a fresh update), then checks that
# every one is installed. Uses sudo when not root. Exits non-zero with a message
# on stderr when something cannot be installed.
set -uo pipefail

log() { printf 'ensure-system-packages: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [ "$#" -eq 0 ]; then
  die "usage: $0 PACKAGE..."
fi

is_installed() {
  # "install ok installed" is the only status of a fully installed package.
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

command -v dpkg-query >/dev/null 2>&1 || die "dpkg-query not found: this script supports Debian/Ubuntu (apt) only"

missing=()
for pkg in "$@"; do
  case "$pkg" in
    -*|'') die "not a package name: '$pkg'" ;;
  esac
  is_installed "$pkg" || missing+=("$pkg")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo -n)
    "${SUDO[@]}" true 2>/dev/null || SUDO=(sudo)
  else
    die "not root and sudo is not installed: cannot install ${missing[*]} (run as root: apt-get install ${missing[*]})"
  fi
fi
command -v apt-get >/dev/null 2>&1 || die "apt-get not found: cannot install ${missing[*]}"

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold -o DPkg::Lock::Timeout=300)

apt_update() { "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 update; }
apt_install() { "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install --no-install-recommends "$@"; }

log "installing ${missing[*]}"
if ! apt_update >&2; then
  log "apt-get update failed, retrying in 5 s"
  sleep 5
  apt_update >&2 || die "apt-get update failed twice; cannot install ${missing[*]}"
fi
if ! apt_install "${missing[@]}" >&2; then
  log "apt-get install failed, refreshing the package lists and retrying"
  sleep 2
  apt_update >&2 || true
  # A previous interrupted install can leave dpkg half-configured.
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive dpkg --configure -a >&2 || true
  apt_install "${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed twice (is every name a Debian package? see 'apt-cache policy NAME')"
fi

still=()
for pkg in "${missing[@]}"; do
  is_installed "$pkg" || still+=("$pkg")
done
[ "${#still[@]}" -eq 0 ] || die "still not installed after apt-get: ${still[*]}"

echo "installed: ${missing[*]}"
