"""The audit log anchored outside itself: every packet's signed manifest records the log's head, the workspace keeps
a copy of each manifest it signed, and `check` holds the log to them, so a log truncated, deleted or rewritten
with a recomputed (unkeyed) chain is caught once a packet has been made."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

from liaison_app.checks import run_checks
from liaison_app.packets.verify import verify_packet
from liaison_app.workspace import DB_NAME, GENESIS_HASH, Workspace, _audit_hash


def _sql(root: Path, *statements: tuple[str, tuple]) -> None:
    con = sqlite3.connect(root / DB_NAME)
    for sql, args in statements:
        con.execute(sql, args)
    con.commit()
    con.close()


def _head_in_packet(packet: Path) -> dict:
    return json.loads(zipfile.ZipFile(packet).read("manifest.json"))["audit_head"]


def _add_rows(root: Path, n: int) -> None:
    with Workspace.open(root) as ws:
        for i in range(n):
            with ws.transaction():
                ws.audit("task.status", f"task:{i}", {"new": "done"})


def test_the_packet_records_the_head_and_the_workspace_keeps_the_signed_manifest(built, built_workspace):
    head = _head_in_packet(built.packet)
    report = verify_packet(built.packet, trusted=[built.identity.certificate])
    assert report.intact and report.manifest["audit_head"] == head
    with Workspace.open(built_workspace) as ws:
        assert (
            ws.conn.execute("SELECT hash FROM audit_log WHERE id = ?", (head["id"],)).fetchone()[0]
            == head["hash"]
        )
        copies = sorted(ws.manifests_dir.glob("*.json"))
        assert len(copies) == 1 and copies[0].with_suffix(".p7s").exists()
        assert copies[0].read_bytes() == zipfile.ZipFile(built.packet).read("manifest.json")
        assert run_checks(ws).ok


def test_truncating_the_log_and_rewinding_its_head_is_caught(built, built_workspace, cli):
    head = _head_in_packet(built.packet)
    _add_rows(built_workspace, 3)
    con = sqlite3.connect(built_workspace / DB_NAME)
    keep_id, keep_hash = con.execute(
        "SELECT id, hash FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT 1", (head["id"],)
    ).fetchone()
    con.close()
    # What a careful editor does: drop the newest rows and point the head at the last row kept.
    _sql(
        built_workspace,
        ("DELETE FROM audit_log WHERE id > ?", (keep_id,)),
        ("UPDATE settings SET value = ? WHERE key = 'audit_head'", (f"{keep_id}:{keep_hash}",)),
    )
    with Workspace.open(built_workspace) as ws:
        assert ws.verify_audit_chain() == [], "the chain alone cannot see it"
    r = cli("--workspace", built_workspace, "check")
    assert r.returncode == 1 and f"找不到第 {head['id']} 条" in r.stdout, r.stdout


def test_deleting_the_whole_log_is_caught(built_workspace, cli):
    _sql(
        built_workspace, ("DELETE FROM audit_log", ()), ("DELETE FROM settings WHERE key = 'audit_head'", ())
    )
    r = cli("--workspace", built_workspace, "check")
    assert r.returncode == 1 and "截断或删除" in r.stdout, r.stdout


def test_editing_a_row_and_recomputing_the_chain_is_caught(built, built_workspace, cli):
    head = _head_in_packet(built.packet)
    con = sqlite3.connect(built_workspace / DB_NAME)
    rows = con.execute("SELECT id, at, actor, action, target, detail FROM audit_log ORDER BY id").fetchall()
    prev = GENESIS_HASH
    for row_id, at, actor, action, target, detail in rows:
        if row_id == 2:
            detail = json.dumps({"forged": True})
        digest = _audit_hash(prev, row_id, at, actor, action, target, detail)
        con.execute(
            "UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE id = ?",
            (detail, prev, digest, row_id),
        )
        prev = digest
    con.execute("UPDATE settings SET value = ? WHERE key = 'audit_head'", (f"{rows[-1][0]}:{prev}",))
    con.commit()
    con.close()
    with Workspace.open(built_workspace) as ws:
        assert ws.verify_audit_chain() == [], "a recomputed chain is self-consistent"
    r = cli("--workspace", built_workspace, "check")
    assert r.returncode == 1 and f"第 {head['id']} 条与材料包" in r.stdout and "改写" in r.stdout, r.stdout


def test_a_changed_or_missing_manifest_copy_is_caught(built_workspace):
    with Workspace.open(built_workspace) as ws:
        [copy] = sorted(ws.manifests_dir.glob("*.json"))
        copy.write_bytes(copy.read_bytes().replace(b'"id": ', b'"id": 1'))
        assert any("不可信" in p for p in run_checks(ws).problems)
        copy.unlink()
        assert any("缺失" in p for p in run_checks(ws).problems)
