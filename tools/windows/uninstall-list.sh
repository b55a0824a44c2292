#!/usr/bin/env bash
# uninstall-list.sh BUNDLE_DIR OUT.nsh: the uninstaller's list for tools/windows/installer.nsi — a Delete line for
# every file of the build and an RMDir line for every folder, deepest first, so that the uninstaller removes exactly
# what the installer put there and nothing else (used by build.sh and by the windows-latest workflow).
set -euo pipefail
bundle="$1" out="$2"
if ( cd "$bundle" && find . -name '*"*' -o -name '*`*' | grep -q . ); then
  echo "uninstall-list: a file name in $bundle holds a quote, which an NSIS string cannot name" >&2
  exit 1
fi
# NSIS strings: \ separates folders, $ is written $$.
{
  ( cd "$bundle" && find . -type f | LC_ALL=C sort ) | sed 's|^\./||; s|/|\\|g; s|\$|$$|g' \
    | while IFS= read -r f; do printf 'Delete "$INSTDIR\\%s"\n' "$f"; done
  ( cd "$bundle" && find . -mindepth 1 -type d | LC_ALL=C sort -r ) | sed 's|^\./||; s|/|\\|g; s|\$|$$|g' \
    | while IFS= read -r d; do printf 'RMDir "$INSTDIR\\%s"\n' "$d"; done
} > "$out"
[ -s "$out" ] || { echo "uninstall-list: $bundle is empty" >&2; exit 1; }
