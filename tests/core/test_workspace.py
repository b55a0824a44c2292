"""The workspace: creation, reopening, migrations and backups, newer schemas, the writer lock, the audit chain."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from liaison_app import paths
from liaison_app.errors import SchemaTooNew, WorkspaceError, WorkspaceLocked
from liaison_app.workspace import DB_NAME, Workspace, schema_version
from tests.conftest import cli_env, run_cli


def test_fresh_workspace_has_folders_schema_and_wal(tmp_path: Path) -> None:
    root = tmp_path / "new"
    with Workspace.open(root, create=True) as ws:
        assert ws.user_version == schema_version() >= 1
        assert ws.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        ws.set_setting("department", "法制科")
    for sub in ("vault", "packets", "backups"):
        assert (root / sub).is_dir()
    with Workspace.open(root) as ws:
        assert ws.department == "法制科"
        # Creating a database is not a migration of existing data: nothing to back up.
        assert list(ws.backups_dir.iterdir()) == []


def test_opening_a_folder_that_is_not_a_workspace_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="不是联络员工作台的工作区"):
        Workspace.open(tmp_path)


def test_cli_init_and_check_on_a_fresh_folder(tmp_path: Path) -> None:
    ws = tmp_path / "w"
    r = run_cli("--workspace", ws, "init", "--department", "法制科", "--liaison", "李四")
    assert r.returncode == 0, r.stderr
    assert "法制科" in r.stdout
    r = run_cli("--workspace", ws, "check")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "完好" in r.stdout
    # LIAISON_WORKSPACE is the same as --workspace.
    r = run_cli("check", workspace=ws)
    assert r.returncode == 0 and str(ws) in r.stdout


def test_cli_on_a_missing_workspace_exits_2_with_one_sentence(tmp_path: Path) -> None:
    r = run_cli("--workspace", tmp_path / "nowhere", "check")
    assert r.returncode == 2
    assert "liaison init" in r.stderr
    assert "Traceback" not in r.stderr


def _migrations_with_extra(tmp_path: Path, sql: str) -> Path:
    folder = tmp_path / "db"
    shutil.copytree(paths.migrations_dir(), folder)
    (folder / f"{schema_version() + 1:04d}_test_extra.sql").write_text(sql, encoding="utf-8")
    return folder


def test_migration_backs_up_then_applies_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "ws"
    current = schema_version()  # whatever the newest shipped migration is; the test adds the next one
    with Workspace.open(root, create=True) as ws:
        ws.set_setting("liaison", "王五")
        assert ws.user_version == current

    extra = _migrations_with_extra(tmp_path, "CREATE TABLE extra (x INTEGER);\nINSERT INTO extra VALUES (42);\n")
    monkeypatch.setattr(paths, "migrations_dir", lambda: extra)
    with Workspace.open(root) as ws:
        assert ws.user_version == current + 1
        assert ws.conn.execute("SELECT x FROM extra").fetchall() == [(42,)]
    backups = list((root / "backups").iterdir())
    assert len(backups) == 1 and f"v{current}-to-v{current + 1}" in backups[0].name
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == current
    assert old.execute("SELECT value FROM settings WHERE key='liaison'").fetchone()[0] == "王五"
    old.close()

    # Reopening applies nothing again (the INSERT would duplicate the row) and writes no new backup.
    with Workspace.open(root) as ws:
        assert ws.conn.execute("SELECT count(*) FROM extra").fetchone()[0] == 1
    assert len(list((root / "backups").iterdir())) == 1


def test_failed_migration_leaves_the_database_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "ws"
    Workspace.open(root, create=True).close()
    current = schema_version()
    broken = _migrations_with_extra(tmp_path, "CREATE TABLE half (x INTEGER);\nTHIS IS NOT SQL;\n")
    monkeypatch.setattr(paths, "migrations_dir", lambda: broken)
    with pytest.raises(WorkspaceError, match=f"升级到版本 {current + 1}"):
        Workspace.open(root)
    monkeypatch.undo()
    with Workspace.open(root) as ws:
        assert ws.user_version == current
        assert ws.conn.execute("SELECT count(*) FROM sqlite_master WHERE name='half'").fetchone()[0] == 0


def test_newer_database_is_refused_and_not_touched(workspace_dir: Path) -> None:
    db = workspace_dir / DB_NAME
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(SchemaTooNew, match="更新版本"):
        Workspace.open(workspace_dir)
    with pytest.raises(SchemaTooNew):
        Workspace.open(workspace_dir, read_only=True)
    r = run_cli("--workspace", workspace_dir, "check")
    assert r.returncode == 2 and "更新版本" in r.stderr and "Traceback" not in r.stderr
    assert db.read_bytes() == before
    assert list((workspace_dir / "backups").iterdir()) == []


def test_second_writer_in_another_process_is_refused_clearly(workspace: Workspace) -> None:
    r = run_cli("--workspace", workspace.root, "init", "--liaison", "别人")
    assert r.returncode == 2
    assert "正被另一个联络员工作台进程使用" in r.stderr
    assert "database is locked" not in r.stderr and "Traceback" not in r.stderr
    # Read-only opening still works while the writer holds the lock.
    with Workspace.open(workspace.root, read_only=True) as ro:
        assert ro.department == "法制科"


def test_lock_is_released_when_the_holder_is_killed(workspace_dir: Path) -> None:
    code = (
        "import sys, time\n"
        "from liaison_app.workspace import Workspace\n"
        f"ws = Workspace.open({str(workspace_dir)!r})\n"
        "print('open', flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=cli_env())
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "open"
        with pytest.raises(WorkspaceLocked):
            Workspace.open(workspace_dir)
    finally:
        child.kill()
        child.wait()
    with Workspace.open(workspace_dir) as ws:
        assert ws.department == "法制科"


def test_transaction_is_all_or_nothing(workspace: Workspace) -> None:
    with pytest.raises(RuntimeError), workspace.transaction():
        workspace.conn.execute("INSERT INTO departments(name, first_seen) VALUES ('甲科', 'now')")
        workspace.audit("test", "dept:甲科")
        raise RuntimeError("boom")
    assert workspace.conn.execute("SELECT count(*) FROM departments").fetchone()[0] == 0
    assert workspace.verify_audit_chain() == []

    # sqlite-utils writes inside our transaction stay inside it (its own `with conn:` must not commit early).
    with pytest.raises(RuntimeError), workspace.transaction():
        workspace.db["departments"].insert({"name": "乙科", "first_seen": "now"})
        raise RuntimeError("boom")
    assert workspace.conn.execute("SELECT count(*) FROM departments").fetchone()[0] == 0
