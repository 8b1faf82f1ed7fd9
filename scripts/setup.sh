#!/usr/bin/env bash
# Shared set-up for the two README commands: system packages (when root), then a local venv.
# Usage: bash scripts/setup.sh [test|check] — "test" also installs what the test suite needs;
#        "check" only lists the Debian packages still missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/apt.sh
. scripts/apt.sh

# fc-list's whole output is read before matching: `fc-list | grep -q` under pipefail fails when grep
# stops early and fc-list dies of SIGPIPE, which reported the installed font as missing.
has_cjk_font() {
  local families
  families=$(fc-list : family 2>/dev/null || true)
  [[ ${families,,} == *"noto sans cjk"* ]]
}

need_apt=()
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
has_cjk_font || need_apt+=(fonts-noto-cjk)
# Kai (楷体) model characters for the handout's writing grids (learn/handout/pdf.py)
[ -f /usr/share/fonts/truetype/arphic/ukai.ttc ] || need_apt+=(fonts-arphic-ukai)
# stroke order for the writing grids and the quiz's Write mode: npm's hanzi-writer-data, and
# hanzi-writer (the drawing widget), fetched below (npm only when one is missing)
strokes_dir=.venv/share/learn/hanzi-writer-data
writer_dir=.venv/share/learn/hanzi-writer
{ [ -f "$strokes_dir/ARPHICPL.TXT" ] && [ -f "$writer_dir/dist/hanzi-writer.min.js" ]; } \
  || command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if [ "${1:-}" = test ]; then
  [ -x /usr/bin/chromium ] || need_apt+=(chromium)
  # the reverse proxy of `learn quiz --workers N` (tests/quiz/test_quiz_workers.py runs it)
  command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || need_apt+=(haproxy)
  # the store tests also run on a throw-away PostgreSQL (scripts/pg.sh); only root installs it
  if [ "$(id -u)" = 0 ] && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    need_apt+=(postgresql)
  fi
fi
python3 -m venv --help >/dev/null 2>&1 && python3 -c "import ensurepip" 2>/dev/null || need_apt+=(python3-venv)
if [ "${1:-}" = check ]; then            # list what is missing, install nothing
  [ ${#need_apt[@]} -eq 0 ] || printf '%s\n' "${need_apt[@]}"
  exit 0
fi
apt_install "${need_apt[@]}"

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi
extra=""
[ "${1:-}" = test ] && extra="[test]"
.venv/bin/python -m pip install -q -e ".${extra}"

# npm_unpack PACKAGE@VERSION DIR: the npm package unpacked into DIR (via DIR.part, so that an
# interrupted fetch leaves nothing half-made); returns non-zero when npm cannot fetch it.
npm_unpack() {
  local tmp status=0
  tmp=$(mktemp -d)
  if command -v npm >/dev/null 2>&1 && (cd "$tmp" && npm pack --silent "$1" >/dev/null 2>&1); then
    rm -rf "$2.part" "$2" && mkdir -p "$2.part"
    tar xzf "$tmp"/*.tgz -C "$2.part" --strip-components=1
    mv "$2.part" "$2"
  else
    status=1
  fi
  rm -rf "$tmp"
  return "$status"
}

# Make Me a Hanzi stroke data as npm's hanzi-writer-data ships it (Arphic Public License, 47 MB):
# unpacked into the venv, outside git, licence file included; read by learn/handout/strokes.py, never
# downloaded at run time. Without it handouts still build, with a one-line note.
if [ ! -f "$strokes_dir/ARPHICPL.TXT" ]; then
  npm_unpack hanzi-writer-data@2.0.1 "$strokes_dir" \
    || echo "setup: could not fetch hanzi-writer-data with npm; handouts will show no stroke order" >&2
fi
# hanzi-writer (MIT licence, 0.3 MB) for the quiz's Write mode: served by the app from this copy
# (learn/quiz/components.py), never from a CDN. Without it Write mode says so and asks nothing.
if [ ! -f "$writer_dir/dist/hanzi-writer.min.js" ]; then
  npm_unpack hanzi-writer@3.7.3 "$writer_dir" \
    || echo "setup: could not fetch hanzi-writer with npm; the quiz's Write mode will be off" >&2
fi
