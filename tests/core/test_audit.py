"""The audit log is a hash chain: an edited or deleted row is found and named by `liaison check`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from liaison_app.workspace import DB_NAME, Workspace
from tests.conftest import run_cli


def _append(root: Path, n: int) -> None:
    with Workspace.open(root) as ws:
        for i in range(n):
            with ws.transaction():
                ws.audit("task.status", f"task:{i}", {"old": "todo", "new": "done"})


def test_intact_chain_checks_clean(workspace_dir: Path) -> None:
    _append(workspace_dir, 5)
    with Workspace.open(workspace_dir) as ws:
        assert ws.verify_audit_chain() == []
        rows = ws.audit_rows(target="task:3")
        assert len(rows) == 1 and rows[0].detail == {"old": "todo", "new": "done"}
        assert rows[0].actor == "张三"


def test_check_names_an_edited_and_a_deleted_row(workspace_dir: Path) -> None:
    _append(workspace_dir, 8)
    with Workspace.open(workspace_dir) as ws:
        ids = [r.id for r in ws.audit_rows()]
    edited, deleted = sorted(ids)[3], sorted(ids)[6]
    conn = sqlite3.connect(workspace_dir / DB_NAME)
    conn.execute("UPDATE audit_log SET detail = ? WHERE id = ?", ('{"old": "todo", "new": "na"}', edited))
    conn.execute("DELETE FROM audit_log WHERE id = ?", (deleted,))
    conn.commit()
    conn.close()

    r = run_cli("--workspace", workspace_dir, "check")
    assert r.returncode == 1, r.stdout
    assert f"第 {edited} 条" in r.stdout and "被改动" in r.stdout
    assert f"第 {deleted} 条被删除" in r.stdout
    assert "发现" in r.stdout


def test_deleting_the_newest_rows_is_detected(workspace_dir: Path) -> None:
    _append(workspace_dir, 4)
    conn = sqlite3.connect(workspace_dir / DB_NAME)
    last = conn.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    conn.execute("DELETE FROM audit_log WHERE id >= ?", (last - 1,))
    conn.commit()
    conn.close()
    with Workspace.open(workspace_dir) as ws:
        problems = ws.verify_audit_chain()
    assert any("被删除" in p for p in problems), problems
