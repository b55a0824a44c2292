#!/usr/bin/env bash
# One command sets up everything Liaison Desk needs on a Debian/Ubuntu machine and runs one job.
# Safe to run again: it installs only what is missing.
#
#   bash bootstrap.sh run     the main job: `liaison demo` on the bundled sample tables into demo-output/
#                             (import, progress, evidence, monthly reports, a signed packet, its verification),
#                             then, where there is a display, the desktop window on that workspace
#   bash bootstrap.sh test    the whole test suite (extra arguments go to pytest)
#   bash bootstrap.sh app     the desktop window on your own workspace
#   bash bootstrap.sh build   the PyInstaller one-folder build in dist/LiaisonDesk/, then a smoke test of the
#                             frozen programs (the demo end to end, and a screenshot of the window)
#   bash bootstrap.sh windows-test   the test suite and the demo with the official Windows CPython under Wine, in a
#                             Chinese (cp936) locale; the Windows-made packet is then checked on Linux (tools/windows/)
#   bash bootstrap.sh windows-build  the Windows build (PyInstaller under Wine), its installer (NSIS) and the .deb,
#                             each smoke-tested
set -euo pipefail
cd "$(dirname "$0")"
job="${1:-run}"
shift || true

# The Windows lane and build set themselves up (Wine, the Windows CPython, Windows wheels) and need no .venv.
case "$job" in
  windows-test) exec bash tools/windows/test.sh "$@" ;;
  windows-build) exec bash tools/windows/build.sh "$@" ;;
esac

DEB_PACKAGES=(
  fonts-wqy-microhei poppler-utils openssl ca-certificates
  # what Qt needs, offscreen and on a real X display
  libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libxkbcommon0 libdbus-1-3
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
  libxcb-randr0 libxcb-render-util0 libxcb-image0 libx11-xcb1
)
# The test suite also uses LibreOffice: it converts old .xls/.doc tables in the import tests and prints report.xlsx
# to PDF in the packet tests (the program itself uses it only when a user opens an old format, and says so without).
TEST_DEB_PACKAGES=(libreoffice-calc-nogui libreoffice-writer-nogui)

install_debian_packages() {
  command -v dpkg-query >/dev/null 2>&1 || { echo "bootstrap: not a Debian system; install fonts, poppler-utils and openssl yourself" >&2; return 0; }
  local missing=()
  local wanted=("${DEB_PACKAGES[@]}")
  [ "$job" = test ] && wanted+=("${TEST_DEB_PACKAGES[@]}")
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  python3 -m venv --help >/dev/null 2>&1 || missing+=(python3-venv)
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "bootstrap: please install as root: ${missing[*]}" >&2; return 1; }
    sudo="sudo"
  fi
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

setup_venv() {
  local py=""
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && \
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      py="$candidate"; break
    fi
  done
  [ -n "$py" ] || { echo "bootstrap: Python 3.11 or newer is needed" >&2; exit 2; }
  [ -x .venv/bin/python ] || "$py" -m venv .venv
  # Reinstall only when the dependency list changed.
  local stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    echo "bootstrap: installing Python packages into .venv"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[test]"
    rm -f .venv/.installed-*
    touch "$stamp"
  fi
}

have_display() { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }

install_debian_packages
setup_venv
export PYTHONIOENCODING=utf-8

case "$job" in
  test)
    have_display || export QT_QPA_PLATFORM=offscreen
    exec .venv/bin/python -m pytest "$@"
    ;;
  run)
    out="${LIAISON_DEMO_OUT:-$PWD/demo-output}"
    .venv/bin/liaison demo --out "$out"
    .venv/bin/liaison --workspace "$out/workspace" check
    if have_display; then
      exec .venv/bin/liaison-desk --workspace "$out/workspace" "$@"
    fi
    ;;
  app)
    exec .venv/bin/liaison-desk "$@"
    ;;
  build)
    .venv/bin/python -m pip install -q -e ".[build]"
    .venv/bin/pyinstaller --noconfirm build.spec
    smoke="$(mktemp -d)"
    dist/LiaisonDesk/liaison --version
    dist/LiaisonDesk/liaison demo --out "$smoke/demo"
    QT_QPA_PLATFORM=offscreen dist/LiaisonDesk/liaison-desk --workspace "$smoke/demo/workspace" \
      --screenshot "$smoke/window.png" --view tasks
    test -s "$smoke/window.png"
    echo "build: dist/LiaisonDesk is ready; smoke test passed ($smoke)"
    ;;
  *)
    echo "usage: bash bootstrap.sh run|test|app|build|windows-test|windows-build" >&2; exit 2
    ;;
esac
