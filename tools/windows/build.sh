#!/usr/bin/env bash
# `bash bootstrap.sh windows-build`: the Windows program, its installer and the Debian package, each smoke-tested.
#
#  1. PyInstaller (its Windows wheel) run by the official Windows CPython 3.11 under Wine: dist/windows/LiaisonDesk/
#     with liaison-desk.exe (windowed) and liaison.exe (console), the icon, a version resource, and WenQuanYi Micro
#     Hei (from Debian's fonts-wqy-microhei, with its licence) under resources/fonts for the PDF reports.
#  2. makensis (tools/windows/installer.nsi, 64-bit, per user): dist/LiaisonDesk-VERSION-setup.exe.
#  3. The installer under Wine in a fresh prefix (a PC that has never seen the program): silent install, the installed
#     liaison.exe runs `demo` and `verify`, the installed liaison-desk.exe --screenshot writes a PNG that is not blank,
#     installing again (an upgrade) keeps the workspace sound, silent uninstall leaves it in %LOCALAPPDATA%\LiaisonDesk.
#  4. Sizes: the installer at most 80 MB, the installed folder at most 200 MB, or the step fails.
#  5. The Linux bundle (`bash bootstrap.sh build`) and dist/liaison-desk_VERSION_amd64.deb of it, smoke-tested with
#     apt-get install, `liaison demo` + verify, apt-get remove.
#
# (PyInstaller's "could not resolve 'api-ms-win-…'" warnings are filtered: those API sets are part of Windows 10+.)
# The build has a Wine home of its own (LIAISON_WINE_HOME, default ~/.cache/liaison-desk/wine-build): its
# site-packages holds only the program's pinned wheels and PyInstaller, never the test lane's tools.
# LIAISON_BUILD_SKIP=deb skips step 5; LIAISON_BUILD_SKIP=windows skips steps 1-4; LIAISON_BUILD_SKIP=pyinstaller
# reuses dist/windows/LiaisonDesk from the last build (while working on the installer).
set -euo pipefail
export LIAISON_WINE_HOME="${LIAISON_WINE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/liaison-desk/wine-build}"
source "$(dirname "$0")/wine-env.sh"
# The bundled font is what the installed program must find; a configured one would hide a missing bundle.
unset LIAISON_PDF_FONT
# Wine's menu builder would copy the Start-menu shortcut into this machine's own desktop menu: off.
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:+$WINEDLLOVERRIDES;}winemenubuilder.exe=d"

MAX_INSTALLER_MB=80
MAX_INSTALLED_MB=200
FONT_FILE=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
FONT_COPYRIGHT=/usr/share/doc/fonts-wqy-microhei/copyright
skip="${LIAISON_BUILD_SKIP:-}"

cd "$REPO"
started=$(date +%s)
VERSION="$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
VERSION4="$(python3 -c "import re, sys; n = [int(x) for x in re.findall(r'\d+', sys.argv[1])][:4]; \
print('.'.join(map(str, n + [0] * (4 - len(n)))))" "$VERSION")"
INSTALLER="$REPO/dist/LiaisonDesk-$VERSION-setup.exe"
DEB="$REPO/dist/liaison-desk_${VERSION}_amd64.deb"
timings=()

fail() { wl_log "FAILED: $*"; exit 1; }
mib() { python3 -c "import sys; print(f'{int(sys.argv[1]) / 1048576:.1f}')" "$1"; }
step_done() { timings+=("$1 $(( $(date +%s) - $2 )) s"); }

# wl_exe EXE ARGS...: a Windows program under Wine with its output through a pipe (see wl_run); returns its status.
wl_exe() {
  local status
  set +e
  ( wine "$@" </dev/null 2>&1 ) | cat
  status=${PIPESTATUS[0]}
  set -e
  return "$status"
}

# The staged font folder: WenQuanYi Micro Hei and its licence (Apache-2.0 or GPL-3+ with the font exception, both
# allowing redistribution and embedding in PDFs).
stage_fonts() {
  local dir="$REPO/build/fonts"
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$FONT_FILE" "$dir/"
  cp "$FONT_COPYRIGHT" "$dir/wqy-microhei-COPYRIGHT.txt"
  [ -f /usr/share/common-licenses/Apache-2.0 ] && cp /usr/share/common-licenses/Apache-2.0 "$dir/wqy-microhei-LICENSE-Apache-2.0.txt"
  echo "$dir"
}

# ----- 1. the Windows build ----------------------------------------------------------------------------------------
windows_build() {
  local t0
  t0=$(date +%s)
  wl_setup nsis fonts-wqy-microhei poppler-utils
  if [[ "$skip" == *pyinstaller* ]] && [ -f "$REPO/dist/windows/LiaisonDesk/liaison.exe" ]; then
    wl_log "reusing dist/windows/LiaisonDesk (LIAISON_BUILD_SKIP=pyinstaller)"
    return 0
  fi
  wl_packages "$WIN_HERE/requirements.txt" "$WIN_HERE/requirements-build.txt"
  wl_use_checkout
  local fonts
  fonts="$(stage_fonts)"
  rm -rf "$REPO/dist/windows" "$REPO/build/windows"
  mkdir -p "$REPO/build/windows"
  wl_log "PyInstaller under Wine (the official Windows CPython $(wl_run -c 'import sys; print(sys.version.split()[0])' | tr -d '\r'))"
  LIAISON_BUNDLE_FONTS="$(winepath -w "$fonts")" wl_run -m PyInstaller --noconfirm --log-level WARN \
      --distpath "$(winepath -w "$REPO/dist/windows")" --workpath "$(winepath -w "$REPO/build/windows/pyinstaller")" \
      build.spec 2>&1 | { grep -v "could not resolve 'api-ms-win-" || true; } \
    || fail "PyInstaller under Wine"
  local bundle="$REPO/dist/windows/LiaisonDesk"
  [ -f "$bundle/liaison.exe" ] && [ -f "$bundle/liaison-desk.exe" ] || fail "PyInstaller made no liaison.exe / liaison-desk.exe"
  find "$bundle" -name 'wqy-microhei.ttc' -path '*resources*fonts*' | grep -q . || fail "the font is not in the build"
  step_done "windows build (PyInstaller under Wine):" "$t0"
}

# ----- 2. the installer --------------------------------------------------------------------------------------------
installer() {
  local t0
  t0=$(date +%s)
  local bundle="$REPO/dist/windows/LiaisonDesk" list="$REPO/build/windows/installed-files.nsh"
  # The icon and version resource, read back from the programs as Explorer shows them.
  PYTHONIOENCODING=utf-8 wl_run "$(winepath -w "$WIN_HERE/check_exe.py")" "$VERSION" \
    "$(winepath -w "$bundle/liaison-desk.exe")" "$(winepath -w "$bundle/liaison.exe")" || fail "the programs' resources"
  bash "$WIN_HERE/uninstall-list.sh" "$bundle" "$list" || fail "the uninstaller's file list"
  rm -f "$INSTALLER"
  makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DVERSION4="$VERSION4" -DSRCDIR="$bundle" \
    -DFILELIST="$list" -DICON="$REPO/resources/icons/liaison-desk.ico" -DOUTFILE="$INSTALLER" \
    "$WIN_HERE/installer.nsi" || fail "makensis"
  [ -s "$INSTALLER" ] || fail "makensis wrote no installer"
  step_done "installer (makensis):" "$t0"
}

# ----- 3. the installer's smoke test under Wine -----------------------------------------------------------------------
png_is_not_blank() {
  # A real window: the size asked for and many colours (text, icons, table lines), not one flat fill.
  "$REPO/.venv/bin/python" - "$1" <<'EOF'
import sys
from PIL import Image
img = Image.open(sys.argv[1]).convert("RGB")
colours = img.getcolors(1 << 24)
dark = sum(n for n, (r, g, b) in colours if r + g + b < 200)
print(f"screenshot {img.size[0]}x{img.size[1]}, {len(colours)} colours, {dark} dark pixels (text)")
sys.exit(0 if img.size[0] >= 800 and len(colours) >= 50 and dark >= 2000 else 1)
EOF
}

smoke_windows() {
  local t0
  t0=$(date +%s)
  # A fresh prefix: a PC without Python or the program. (It gets the test lane's ProcessPrng shim, a Wine gap.)
  export WINEPREFIX="$WL_HOME/smoke-prefix"
  wineserver -k 2>/dev/null || true
  rm -rf "$WINEPREFIX"
  wl_prefix
  # Wine drops QT_* variables of the Unix environment (so a Linux desktop's Qt settings never reach a Windows
  # program): the smoke test's offscreen platform (no display here) is set in the prefix's own environment instead.
  wine reg add 'HKCU\Environment' /v QT_QPA_PLATFORM /t REG_SZ /d offscreen /f >/dev/null 2>&1
  local local_app
  local_app="$(wine cmd /c 'echo %LOCALAPPDATA%' 2>/dev/null | tr -d '\r')"
  local inst_unix data_unix
  inst_unix="$(winepath -u "$local_app\\Programs\\LiaisonDesk")"
  data_unix="$(winepath -u "$local_app\\LiaisonDesk")"

  # /NODESKTOP: Wine's Desktop folder is the Linux home folder.
  wl_log "installing silently (setup.exe /S /NODESKTOP) into $local_app\\Programs\\LiaisonDesk"
  wl_exe "$INSTALLER" /S /NODESKTOP || fail "the silent install exited non-zero"
  wineserver -w
  [ -f "$inst_unix/liaison.exe" ] && [ -f "$inst_unix/liaison-desk.exe" ] || fail "the installer put no programs in $inst_unix"
  [ -f "$inst_unix/uninstall.exe" ] || fail "no uninstaller"
  wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\LiaisonDesk' /v DisplayVersion 2>/dev/null \
    | tr -d '\r' | grep -q "$VERSION" || fail "no uninstall entry under HKCU"
  find "$WINEPREFIX/drive_c/users" -path '*Start Menu*' -name '联络员工作台.lnk' | grep -q . || fail "no Start-menu shortcut"

  wl_exe "$inst_unix/liaison.exe" --version | tr -d '\r'
  # The workspace in the per-user data folder, where a user's would be, under a name with Chinese and a space.
  local out_win="$local_app\\LiaisonDesk\\演示 输出"
  wl_log "the installed liaison.exe: demo"
  wl_exe "$inst_unix/liaison.exe" demo --out "$out_win" | tr -d '\r' | tail -n 5 || fail "liaison.exe demo"
  local out_unix packet
  out_unix="$(winepath -u "$out_win")"
  packet="$(find "$out_unix/packets" -name '*.zip' | head -n1)"
  [ -n "$packet" ] || fail "the demo made no packet"
  local signer
  signer="$(find "$out_unix" -name demo-signer.pem | head -n1)"
  [ -n "$signer" ] || fail "the demo wrote no demo-signer.pem"
  wl_log "the installed liaison.exe: verify $(basename "$packet")"
  wl_exe "$inst_unix/liaison.exe" verify "$(winepath -w "$packet")" --trust "$(winepath -w "$signer")" \
    --require-trusted | tr -d '\r' | tail -n 3 || fail "liaison.exe verify"
  # The PDF's font is the bundled one (Wine has no 微软雅黑 and LIAISON_PDF_FONT is unset).
  unzip -p "$packet" report.pdf > "$WL_HOME/smoke-report.pdf"
  pdffonts "$WL_HOME/smoke-report.pdf" | grep -qi 'WenQuanYi' || fail "the PDF does not embed the bundled font"

  wl_log "the installed liaison-desk.exe --screenshot"
  local shot="$local_app\\LiaisonDesk\\截图.png"
  wl_exe "$inst_unix/liaison-desk.exe" --workspace "$out_win\\workspace" --screenshot "$shot" --view tasks \
    || fail "liaison-desk.exe --screenshot"
  local shot_unix
  shot_unix="$(winepath -u "$shot")"
  [ -s "$shot_unix" ] || fail "liaison-desk.exe wrote no screenshot"
  png_is_not_blank "$shot_unix" || fail "the screenshot is blank"
  mkdir -p "$REPO/build/windows"
  cp "$shot_unix" "$REPO/build/windows/installed-window.png"

  installed_bytes=$(du -sb "$inst_unix" | cut -f1)

  # An upgrade: the installer run again over this installation (its uninstaller removes the old files first).
  wl_log "installing again over the installation (an upgrade)"
  wl_exe "$INSTALLER" /S /NODESKTOP || fail "the upgrade install exited non-zero"
  wineserver -w
  wl_exe "$inst_unix/liaison.exe" --workspace "$out_win\\workspace" check | tr -d '\r' | tail -n 2 \
    || fail "after the upgrade, liaison.exe check on the workspace"
  wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\LiaisonDesk' /v DisplayVersion >/dev/null 2>&1 \
    || fail "after the upgrade, no uninstall entry"

  wl_log "uninstalling silently"
  wl_exe "$inst_unix/uninstall.exe" /S || fail "the silent uninstall exited non-zero"
  wineserver -w
  [ ! -e "$inst_unix/liaison.exe" ] || fail "the uninstaller left liaison.exe"
  [ ! -e "$inst_unix" ] || fail "the uninstaller left $inst_unix: $(ls "$inst_unix" | head)"
  if wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\LiaisonDesk' >/dev/null 2>&1; then
    fail "the uninstall entry is still there"
  fi
  find "$WINEPREFIX/drive_c/users" -name '联络员工作台.lnk' | grep -q . && fail "a shortcut is still there"
  [ -f "$out_unix/workspace/liaison.sqlite3" ] && [ -f "$packet" ] || fail "the uninstaller touched the workspace in $data_unix"
  wl_log "uninstall left the workspace and the packet in place"
  step_done "installer smoke test under Wine:" "$t0"
  export WINEPREFIX="$WL_HOME/prefix"
}

# ----- 5. the Linux bundle and its .deb ------------------------------------------------------------------------------
deb_package() {
  local t0
  t0=$(date +%s)
  local fonts
  fonts="$(stage_fonts)"
  LIAISON_BUNDLE_FONTS="$fonts" bash "$REPO/bootstrap.sh" build
  local bundle="$REPO/dist/LiaisonDesk" root="$REPO/build/deb/root"
  rm -rf "$REPO/build/deb"
  mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
    "$root/usr/share/icons/hicolor/256x256/apps" "$root/usr/share/doc/liaison-desk"
  cp -a "$bundle" "$root/opt/liaison-desk"
  ln -s /opt/liaison-desk/liaison "$root/usr/bin/liaison"
  ln -s /opt/liaison-desk/liaison-desk "$root/usr/bin/liaison-desk"
  cp "$REPO/resources/icons/liaison-desk.png" "$root/usr/share/icons/hicolor/256x256/apps/liaison-desk.png"
  cat > "$root/usr/share/applications/liaison-desk.desktop" <<EOF
[Desktop Entry]
Type=Application
Name=Liaison Desk
Name[zh_CN]=联络员工作台
GenericName=Liaison workbench
GenericName[zh_CN]=联络员工作台
Comment=Tasks, evidence, monthly reports and signed packets
Comment[zh_CN]=任务清单、佐证材料、月度案例和带签名的材料包
Exec=liaison-desk
Icon=liaison-desk
Terminal=false
Categories=Office;
StartupWMClass=liaison-desk
EOF
  if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$root/usr/share/applications/liaison-desk.desktop" || fail "the desktop entry"
  fi
  printf 'Liaison Desk %s: the program is proprietary; the bundled font WenQuanYi Micro Hei is under\n' "$VERSION" \
    > "$root/usr/share/doc/liaison-desk/copyright"
  printf 'Apache-2.0 or GPL-3+ with the font exception; its notice follows.\n\n' >> "$root/usr/share/doc/liaison-desk/copyright"
  cat "$FONT_COPYRIGHT" >> "$root/usr/share/doc/liaison-desk/copyright"
  # Depends: the Qt runtime libraries bootstrap.sh installs (its DEB_PACKAGES without the tools and the font),
  # and the C library this machine built against.
  local qt_libs
  qt_libs="$(sed -n '/^DEB_PACKAGES=(/,/^)/p' "$REPO/bootstrap.sh" | sed '1d;$d;/^ *#/d' | tr -s ' \n' '\n' \
    | grep -v -e '^$' -e '^fonts-' -e '^poppler-utils$' -e '^openssl$' -e '^ca-certificates$' | paste -sd, | sed 's/,/, /g')"
  local glibc
  glibc="$(dpkg-query -W -f='${Version}' libc6 | sed 's/-.*//')"
  local size_kb
  size_kb=$(du -sk "$root" | cut -f1)
  cat > "$root/DEBIAN/control" <<EOF
Package: liaison-desk
Version: $VERSION
Section: office
Priority: optional
Architecture: amd64
Maintainer: Liaison Desk <liaison-desk@localhost>
Installed-Size: $size_kb
Depends: libc6 (>= $glibc), $qt_libs
Recommends: fonts-wqy-microhei | fonts-noto-cjk, poppler-utils, openssl
Description: Liaison Desk (联络员工作台) for 一网通办 liaisons
 Imports task-allocation and indicator tables, tracks progress and evidence,
 records monthly case reports and produces signed PDF/Excel packets that
 inspectors verify. Works offline. Commands: liaison-desk (the window) and
 liaison (the command line).
EOF
  find "$root" -type d -exec chmod 755 {} +
  find "$root/usr/share" -type f -exec chmod 644 {} +
  rm -f "$DEB"
  dpkg-deb --root-owner-group -Zxz --build "$root" "$DEB" >/dev/null
  step_done "Linux bundle + .deb:" "$t0"
}

smoke_deb() {
  local t0
  t0=$(date +%s)
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  wl_log "apt-get install $(basename "$DEB")"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$DEB" >/dev/null
  local ok=0 tmp
  tmp="$(mktemp -d)"
  (
    set -e
    [ "$(readlink -f /usr/bin/liaison)" = /opt/liaison-desk/liaison ]
    cd "$tmp"
    /usr/bin/liaison --version
    LANG=C.UTF-8 /usr/bin/liaison demo --out "$tmp/演示 输出" | tail -n 3
    packet="$(find "$tmp/演示 输出/packets" -name '*.zip' | head -n1)"
    /usr/bin/liaison verify "$packet" --trust "$(find "$tmp/演示 输出" -name demo-signer.pem | head -n1)" --require-trusted | tail -n 2
    QT_QPA_PLATFORM=offscreen /usr/bin/liaison-desk --workspace "$tmp/演示 输出/workspace" \
      --screenshot "$tmp/window.png" --view tasks
    png_is_not_blank "$tmp/window.png"
  ) || ok=$?
  wl_log "apt-get remove liaison-desk"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq liaison-desk >/dev/null
  [ ! -e /usr/bin/liaison ] && [ ! -e /opt/liaison-desk/liaison ] || fail "apt-get remove left the program"
  [ "$ok" -eq 0 ] || fail "the installed .deb's smoke test (exit $ok)"
  rm -rf "$tmp"
  step_done ".deb smoke test:" "$t0"
}

installed_bytes=0
if [[ "$skip" != *windows* ]]; then
  windows_build
  installer
  smoke_windows
fi
if [[ "$skip" != *deb* ]]; then
  deb_package
  smoke_deb
fi

echo
wl_log "finished in $(( $(date +%s) - started )) s"
for t in "${timings[@]}"; do wl_log "  $t"; done
status=0
if [[ "$skip" != *windows* ]]; then
  installer_bytes=$(stat -c %s "$INSTALLER")
  wl_log "installer        $(mib "$installer_bytes") MB (limit $MAX_INSTALLER_MB)  dist/$(basename "$INSTALLER")"
  wl_log "installed folder $(mib "$installed_bytes") MB (limit $MAX_INSTALLED_MB)"
  if [ "$installer_bytes" -gt $(( MAX_INSTALLER_MB * 1048576 )) ]; then
    wl_log "FAILED: the installer is over $MAX_INSTALLER_MB MB"; status=1
  fi
  if [ "$installed_bytes" -gt $(( MAX_INSTALLED_MB * 1048576 )) ]; then
    wl_log "FAILED: the installed folder is over $MAX_INSTALLED_MB MB"; status=1
  fi
fi
if [[ "$skip" != *deb* ]]; then
  wl_log ".deb             $(mib "$(stat -c %s "$DEB")") MB  dist/$(basename "$DEB")"
  wl_log "Linux bundle     $(mib "$(du -sb "$REPO/dist/LiaisonDesk" | cut -f1)") MB"
fi
exit "$status"
