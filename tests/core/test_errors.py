"""Errors the user can act on are one plain sentence, chosen by what SQLite or the OS reports (its code, not its
English text): a full disk, a damaged database, a read-only workspace, a lock file that cannot be opened."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from liaison_app.checks import run_checks
from liaison_app.errors import LiaisonError, WorkspaceError, WorkspaceReadOnly
from liaison_app.workspace import DB_NAME, LOCK_NAME, Workspace


def test_a_full_database_inside_a_transaction_is_a_plain_error_and_nothing_changes(workspace):
    before = workspace.counts()["audit_log"]
    pages = workspace.conn.execute("PRAGMA page_count").fetchone()[0]
    workspace.conn.execute(f"PRAGMA max_page_count = {pages}")  # as if the disk had just filled up
    with pytest.raises(WorkspaceError, match="磁盘已满") as err:
        workspace.set_setting("note", "很长的备注" * 20_000)
    assert "数据没有被改动" in str(err.value)
    assert workspace.counts()["audit_log"] == before
    assert workspace.get_setting("note") is None


def test_a_damaged_page_read_inside_a_transaction_is_a_plain_error(workspace_dir):
    with Workspace.open(workspace_dir) as ws:
        with ws.transaction():
            ws.conn.execute("CREATE TABLE filler(x)")
            ws.conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,) for _ in range(2000)])
        ws.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root_page = ws.conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'filler'").fetchone()[0]
        page_size = ws.conn.execute("PRAGMA page_size").fetchone()[0]
    with open(workspace_dir / DB_NAME, "r+b") as fh:  # scribble over the table's root page
        fh.seek((root_page - 1) * page_size)
        fh.write(b"\xff" * page_size)
    with Workspace.open(workspace_dir) as ws, pytest.raises(WorkspaceError, match="已损坏"):
        with ws.transaction():
            ws.conn.execute("SELECT count(*), max(x) FROM filler").fetchone()


def test_a_lock_file_that_is_a_folder_is_a_plain_error(workspace_dir, cli):
    lock = workspace_dir / LOCK_NAME
    lock.unlink(missing_ok=True)
    lock.mkdir()
    with pytest.raises(WorkspaceError, match="锁文件"):
        Workspace.open(workspace_dir)
    r = cli("--workspace", workspace_dir, "init", "--liaison", "李四")
    assert r.returncode == 2 and "锁文件" in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_a_garbage_lock_holder_is_not_repeated(workspace_dir, cli):
    (workspace_dir / LOCK_NAME).write_bytes(b"\x1b[31m\xff\xfe garbage")
    with Workspace.open(workspace_dir) as ws:
        assert ws.department == "法制科"


def test_a_garbage_audit_head_is_a_problem_not_a_traceback(workspace_dir, cli):
    con = sqlite3.connect(workspace_dir / DB_NAME)
    con.execute("UPDATE settings SET value = 'abc:\x1b[2Kgarbage' WHERE key = 'audit_head'")
    con.commit()
    con.close()
    r = cli("--workspace", workspace_dir, "check")
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "audit_head" in r.stdout and "\x1b" not in r.stdout


def test_settings_stored_as_numbers_or_bytes_are_read_as_text(workspace_dir, cli):
    con = sqlite3.connect(workspace_dir / DB_NAME)
    con.execute("UPDATE settings SET value = ? WHERE key = 'department'", ("法制科".encode(),))
    con.execute("UPDATE settings SET value = 42 WHERE key = 'liaison'")
    con.commit()
    con.close()
    with Workspace.open(workspace_dir) as ws:
        assert ws.department == "法制科" and ws.liaison == "42"
    r = cli("--workspace", workspace_dir, "tasks")
    assert r.returncode == 0, r.stderr


def _read_only(folder: Path) -> list[str] | None:
    """A prefix that runs a command with ``folder`` mounted read-only in a private mount namespace (as root), or
    None where that cannot be done."""
    if os.name == "nt" or shutil.which("unshare") is None:
        return None
    probe = subprocess.run(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            f"mount --bind '{folder}' '{folder}' && mount -o remount,bind,ro '{folder}'",
        ],
        capture_output=True,
    )
    if probe.returncode != 0:
        return None
    return [
        "unshare",
        "-m",
        "sh",
        "-c",
        f"mount --bind '{folder}' '{folder}' && mount -o remount,bind,ro '{folder}' && exec \"$@\"",
        "sh",
    ]


@pytest.mark.skipif(
    os.name == "nt", reason="a read-only folder is made with POSIX permissions or a bind mount"
)
def test_a_read_only_workspace_says_read_only_never_damaged(workspace_dir, cli):
    from tests.conftest import cli_env

    if os.geteuid() != 0:
        for p in [workspace_dir, *workspace_dir.rglob("*")]:
            p.chmod(p.stat().st_mode & ~0o222)
        prefix: list[str] = []
    else:
        found = _read_only(workspace_dir)
        if found is None:
            pytest.skip("cannot make a read-only folder here")
        prefix = found
    import sys

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*prefix, sys.executable, "-m", "liaison_app", "--workspace", str(workspace_dir), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=cli_env(),
        )

    r = run("tasks")
    assert r.returncode == 0 and "损坏" not in r.stdout + r.stderr, r.stderr
    r = run("init", "--liaison", "李四")
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert "只读" in r.stderr and "损坏" not in r.stderr
    code = (
        "import sys; from liaison_app.workspace import Workspace\n"
        "with Workspace.open(sys.argv[1], read_only=True) as ws: print(ws.department)"
    )
    r = subprocess.run(
        [*prefix, sys.executable, "-c", code, str(workspace_dir)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=cli_env(),
    )
    assert r.returncode == 0 and r.stdout.strip() == "法制科", r.stderr
    assert issubclass(WorkspaceReadOnly, LiaisonError)


def test_check_passes_on_a_fresh_workspace(workspace):
    assert run_checks(workspace).ok
