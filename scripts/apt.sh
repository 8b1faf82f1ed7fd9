# Debian packages for the set-up scripts (sourced by setup.sh and pg.sh, not run on its own).
# apt_install PKG...  installs with apt-get as root (or sudo), updating the package lists once per run.
# Another apt (unattended-upgrades, a second terminal) holding the lock is waited for, with a message,
# up to LEARN_APT_WAIT seconds (default 300), instead of failing the whole set-up.

LEARN_APT_UPDATED="${LEARN_APT_UPDATED:-}"

# apt_retry CMD...: run an apt-get command, waiting while another process holds apt's lock.
apt_retry() {
  local waited=0 limit="${LEARN_APT_WAIT:-300}" pause="${LEARN_APT_PAUSE:-5}" log rc
  log=$(mktemp)
  while true; do
    rc=0
    "$@" 2>"$log" || rc=$?
    if [ "$rc" = 0 ]; then rm -f "$log"; return 0; fi
    if ! grep -qiE "could not get lock|unable to acquire|is another process using it" "$log"; then
      cat "$log" >&2; rm -f "$log"; return "$rc"
    fi
    if [ "$waited" -ge "$limit" ]; then
      echo "setup: apt is still locked by another process after ${waited} s; try again when it has finished" >&2
      rm -f "$log"; return "$rc"
    fi
    [ "$waited" = 0 ] && echo "setup: another program is using apt (its lock is held); waiting up to ${limit} s…" >&2
    sleep "$pause"
    waited=$((waited + pause))
  done
}

# apt_install PKG...: install Debian packages (root, or through sudo); nothing is asked when none are given.
apt_install() {
  [ "$#" -gt 0 ] || return 0
  local run=()
  if [ "$(id -u)" != 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "setup: please install these Debian packages: $*" >&2
      return 0
    fi
    run=(sudo)
  fi
  echo "setup: apt-get install $*" >&2
  if [ -z "$LEARN_APT_UPDATED" ]; then
    apt_retry "${run[@]}" apt-get update -qq >/dev/null || return
    LEARN_APT_UPDATED=1
  fi
  apt_retry "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
