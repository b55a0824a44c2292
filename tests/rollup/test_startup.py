"""sqlite-utils, openpyxl and the signing libraries are loaded only when packets are taken in or made: starting
`liaison` (every command registered) and opening the bureau view's modules do not pay for them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_rollup_modules_load_no_heavy_library_at_start() -> None:
    code = ("import sys; from liaison_app.cli import build_parser; build_parser(); "
            "import liaison_app.rollup.store, liaison_app.rollup.view, liaison_app.rollup.sheets; "
            "print(sorted(m for m in ('sqlite_utils', 'openpyxl', 'reportlab', 'pyhanko') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT,
                       env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"
