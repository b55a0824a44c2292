#!/usr/bin/env bash
# The Windows lane (`bash bootstrap.sh windows-test [PYTEST ARGS]`): the test suite, then `liaison demo` and `verify`
# on its packet, with the official Windows CPython 3.11 under Wine in a Chinese locale (cp936); then the packet made
# on "Windows" is checked on Linux with Info-ZIP unzip, sha256sum -c and openssl cms, as a 信创 desktop would.
# Extra arguments go to pytest (e.g. `bash bootstrap.sh windows-test tests/core -x`).
set -euo pipefail
source "$(dirname "$0")/wine-env.sh"

started=$(date +%s)
wl_setup
wl_packages "$WIN_HERE/requirements.txt" "$WIN_HERE/requirements-test.txt"
wl_use_checkout

wl_run -c "import sys, locale, PySide6; print('windows:', sys.version.split()[0], sys.platform, \
'locale', locale.getpreferredencoding(False), 'Qt', PySide6.__version__)"

# The lane's own stdout is a pipe read on Linux: pytest's report in UTF-8. The locale (open()'s default) stays cp936.
# The tests' CLI subprocesses get no such help: they must write UTF-8 to a pipe by themselves.
wl_log "running the test suite under Wine"
suite_status=0
PYTHONIOENCODING=utf-8 wl_run -m pytest -q -p no:cacheprovider -r s "$@" || suite_status=$?

wl_log "running the demo under Wine"
out="$(mktemp -d)/演示 输出"
mkdir -p "$out"
win_out="$(winepath -w "$out")"
demo_status=0
wl_run -m liaison_app demo --out "$win_out" | tee "$out.log" || demo_status=$?
packet="$(find "$out" -name '*.zip' -path '*packets*' | head -n1)"
if [ "$demo_status" -ne 0 ] || [ -z "$packet" ]; then
  wl_log "the demo failed (exit $demo_status)"
  exit 1
fi
wl_run -m liaison_app verify "$(winepath -w "$packet")" --trust "$(winepath -w "$out/packets/demo-signer.pem")" \
  --require-trusted

wl_log "checking the Windows-made packet on Linux (unzip, sha256sum -c, openssl cms)"
check="$(mktemp -d)"
unzip -q "$packet" -d "$check"
( cd "$check" && sha256sum --quiet -c SHA256SUMS )
ls "$check"/evidence | grep -q '[一-龥]' || { wl_log "unzip lost the Chinese member names"; exit 1; }
openssl cms -verify -binary -inform DER -in "$check/manifest.p7s" -content "$check/manifest.json" \
  -CAfile "$out/packets/demo-signer.pem" -out /dev/null
wl_log "packet $(basename "$packet"): unzip, sha256sum -c and openssl cms all pass"

wl_log "lane finished in $(( $(date +%s) - started )) s (suite exit $suite_status)"
exit "$suite_status"
