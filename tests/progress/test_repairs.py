"""Repairs that repair: re-attaching the original mends a damaged vault copy, and names never act on a terminal."""

from __future__ import annotations

import hashlib
import os

from liaison_app import evidence
from liaison_app.checks import run_checks

from .helpers import write_file


def test_reattaching_the_original_replaces_a_damaged_vault_copy(workspace, make, tmp_path):
    tid = make.task("收集佐证材料")
    src = write_file(tmp_path / "会议纪要.pdf", b"%PDF-1.4 minutes " * 500)
    ev = evidence.attach(workspace, src, links=[("task", tid)])
    stored = evidence.vault_path(workspace, ev.sha256)
    damaged = bytearray(stored.read_bytes())
    damaged[100] ^= 0x01  # one flipped bit, same size
    stored.write_bytes(bytes(damaged))
    assert any("已损坏" in p for p in run_checks(workspace).problems)

    again = evidence.attach(workspace, src, links=[("task", tid)])

    assert again.id == ev.id, "the same record, not a second one"
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == ev.sha256
    assert run_checks(workspace).ok
    actions = [r.action for r in workspace.audit_rows(f"sha256:{ev.sha256}")]
    assert actions == ["evidence.repair"], "the repair is on the record"


def test_reattaching_a_sound_copy_changes_nothing_on_disk(workspace, make, tmp_path):
    tid = make.task("收集佐证材料")
    src = write_file(tmp_path / "照片.jpg", b"\xff\xd8 photo " * 300)
    ev = evidence.attach(workspace, src, links=[("task", tid)])
    stored = evidence.vault_path(workspace, ev.sha256)
    inode = stored.stat().st_ino
    evidence.attach(workspace, src, links=[("task", tid)])
    assert stored.stat().st_ino == inode
    assert workspace.audit_rows(f"sha256:{ev.sha256}") == []


def test_attach_output_escapes_terminal_codes_in_names(workspace_dir, tmp_path, cli):
    from liaison_app.workspace import Workspace

    from .helpers import Factory

    with Workspace.open(workspace_dir) as ws:
        tid = Factory(ws).task("收集佐证材料")
    # Windows allows no control characters in file names, but does allow the right-to-left override.
    name = "a\x1b[2K\x1b[1A核验结果：完好\u202e.txt" if os.name != "nt" else "a\u202e核验结果：完好.txt"
    src = write_file(tmp_path / name, b"evidence")
    r = cli("attach", str(tid), str(src), workspace=workspace_dir)
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout and "\u202e" not in r.stdout
    assert "\\u202e" in r.stdout
    if os.name != "nt":
        assert "\\x1b[2K" in r.stdout
