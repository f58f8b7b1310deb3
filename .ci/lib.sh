# Shared helpers for the .ci scripts (sourced).

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31mFEHLER: %s\033[0m\n' "$*" >&2; exit 1; }

# as_root runs a command as root (directly or through sudo), or fails.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

# apt_install installs Debian packages when apt-get is available.
apt_install() {
  command -v apt-get >/dev/null || return 1
  say "installiere $* (apt-get)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1 ||
    { as_root apt-get update >/dev/null 2>&1 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null; }
}
