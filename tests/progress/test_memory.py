"""A big file attaches with flat memory: hashing and copying stream through a fixed buffer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from liaison_app.workspace import Workspace

from .helpers import Factory

REPO = Path(__file__).resolve().parents[2]
SIZE = 200 * 1024 * 1024

CHILD = """
    import json, os, sys
    from liaison_app import evidence
    from liaison_app.workspace import Workspace

    from tests.peak_memory import peak_rss_bytes as peak_rss

    ws = Workspace.open(sys.argv[1])
    before = peak_rss()
    ev = evidence.attach(ws, sys.argv[2], links=[("task", int(sys.argv[3]))])
    after = peak_rss()
    print(json.dumps({"before": before, "after": after, "size": ev.size, "sha256": ev.sha256}))
"""


@pytest.mark.slow
def test_200_mb_file_attaches_with_flat_memory(workspace_dir, tmp_path):
    with Workspace.open(workspace_dir) as ws:
        task_id = Factory(ws).task("视频佐证")
    big = tmp_path / "现场视频.mp4"
    import hashlib

    digest = hashlib.sha256()
    block = os.urandom(1 << 20)
    with open(big, "wb") as fh:
        for i in range(SIZE >> 20):
            chunk = i.to_bytes(8, "little") + block[8:]
            digest.update(chunk)
            fh.write(chunk)

    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(CHILD), str(workspace_dir), str(big), str(task_id)],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=300, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["size"] == SIZE and result["sha256"] == digest.hexdigest()
    # The interpreter itself needs a few tens of MB; the file must add next to nothing to that.
    print(f"peak RSS {result['after'] / 2**20:.1f} MiB (before attach {result['before'] / 2**20:.1f} MiB)")
    assert result["after"] < SIZE / 4, result
    assert result["after"] - result["before"] < 16 * 1024 * 1024, result
