"""Back up a workspace into one zip and restore it: every hash checked before anything is replaced, the old
workspace kept, a damaged or doctored backup refused with the file named."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest

from liaison_app import catalog, evidence, paths, progress
from liaison_app.backup import MANIFEST_NAME, backup_workspace, restore_workspace
from liaison_app.errors import InputError, WorkspaceLocked
from liaison_app.importing import import_file
from liaison_app.workspace import Workspace, copy_workspace
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with tables, progress, two evidence files and an identity file; closed."""
    base = tmp_path_factory.mktemp("backup")
    root = base / "工作 区"  # a space and Chinese in the path
    files = base / "files"
    files.mkdir()
    (files / "会议纪要.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 400)
    (files / "现场照片.jpg").write_bytes(b"\xff\xd8\xff" + b"photo" * 5000)
    with Workspace.open(root, create=True) as ws:
        ws.set_setting("department", "法制科")
        for table in paths.sample_tables():
            import_file(ws, table)
        task = catalog.list_tasks(ws, department="法制科")[0].task
        progress.set_status(ws, "task", task.id, "done", note="已完成", today=dt.date(2023, 6, 1))
        evidence.attach_many(ws, [files / "会议纪要.pdf", files / "现场照片.jpg"], links=[("task", task.id)])
    (root / "identity").mkdir()
    (root / "identity" / "张三.p12").write_bytes(b"not a real p12, bytes to carry over")
    return root


def _state(root: Path) -> tuple:
    with Workspace.open(root, read_only=True) as ws:
        rows = ws.conn.execute("SELECT target_id, status, note FROM progress ORDER BY target_id").fetchall()
        ev = sorted((e.original_name, e.sha256) for e in evidence.list_evidence(ws))
        return rows, ev, ws.counts()["tasks"]


def test_backup_then_restore_into_a_new_folder_checks_every_hash(filled: Path, tmp_path: Path) -> None:
    ws_dir = tmp_path / "ws"
    copy_workspace(filled, ws_dir)
    with Workspace.open(ws_dir) as ws:
        result = backup_workspace(ws, tmp_path / "备份" / "法制科 备份.zip")
    assert result.path.is_file() and result.files == 4  # database, two vault files, the identity
    with zipfile.ZipFile(result.path) as z:
        names = set(z.namelist())
        assert {"liaison.sqlite3", MANIFEST_NAME, "identity/张三.p12"} <= names
        vault = [n for n in names if n.startswith("vault/")]
        assert len(vault) == 2 and all(hashlib.sha256(z.read(n)).hexdigest() == n.rsplit("/", 1)[1] for n in vault)

    (tmp_path / "新的 工作区").mkdir()  # an empty folder chosen as the target
    restored = restore_workspace(result.path, tmp_path / "新的 工作区")
    assert restored.previous is None and restored.files == 4
    assert [p.name for p in tmp_path.iterdir() if "恢复前" in p.name] == []
    assert _state(restored.workspace) == _state(ws_dir)
    assert (restored.workspace / "identity" / "张三.p12").read_bytes() == (filled / "identity" / "张三.p12").read_bytes()
    with Workspace.open(restored.workspace) as ws:
        assert ws.check_database() == [] and ws.verify_audit_chain() == []
        assert evidence.check_vault(ws) == []
        assert ws.audit_rows(limit=1)[0].action == "workspace.restore"
    # The command line does the same.
    r = run_cli("backup", tmp_path / "cli.zip", workspace=ws_dir)
    assert r.returncode == 0, r.stderr
    r = run_cli("restore", tmp_path / "cli.zip", "--to", tmp_path / "cli-restored")
    assert r.returncode == 0, r.stderr
    assert "已核对并恢复 4 个文件" in r.stdout
    assert _state(tmp_path / "cli-restored") == _state(ws_dir)


def _doctored(original: Path, out: Path, member_prefix: str) -> Path:
    """A copy of the backup with one byte of one member changed (the manifest left as it was)."""
    with zipfile.ZipFile(original) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith(member_prefix):
                data = data[:-1] + bytes([data[-1] ^ 1])
            dst.writestr(info, data)
    return out


def test_a_changed_file_is_refused_before_anything_is_replaced(filled: Path, tmp_path: Path) -> None:
    ws_dir = tmp_path / "ws"
    copy_workspace(filled, ws_dir)
    with Workspace.open(ws_dir) as ws:
        good = backup_workspace(ws, tmp_path / "good.zip").path
    bad = _doctored(good, tmp_path / "bad.zip", "vault/")
    target = tmp_path / "target"
    copy_workspace(filled, target)
    with Workspace.open(target) as ws:
        progress.set_status(ws, "task", 60, "doing", note="恢复前的工作，不能丢")
    before = _state(target)
    with pytest.raises(InputError, match="SHA-256 不符") as err:
        restore_workspace(bad, target)
    assert "vault/" in str(err.value)
    assert _state(target) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp")] == []
    with pytest.raises(InputError, match="不是有效的 zip"):
        (tmp_path / "not.zip").write_bytes(b"PK\x03\x04 broken")
        restore_workspace(tmp_path / "not.zip", target)

    # A good backup over the same workspace: the old one is moved aside and kept.
    result = restore_workspace(good, target)
    assert result.previous is not None and result.previous.name.startswith("target.恢复前-")
    assert _state(result.previous) == before
    assert _state(target) == _state(ws_dir)


def test_a_workspace_in_use_or_a_folder_with_other_files_is_not_replaced(filled: Path, tmp_path: Path) -> None:
    ws_dir = tmp_path / "ws"
    copy_workspace(filled, ws_dir)
    with Workspace.open(ws_dir) as ws:
        good = backup_workspace(ws, tmp_path / "good.zip").path
        with pytest.raises(WorkspaceLocked):
            restore_workspace(good, ws_dir)
        with pytest.raises(InputError, match="已存在"):
            backup_workspace(ws, good)
        with pytest.raises(InputError, match="不能放在工作区"):
            backup_workspace(ws, ws_dir / "inside.zip")
    other = tmp_path / "documents"
    other.mkdir()
    (other / "工作总结.docx").write_bytes(b"mine")
    with pytest.raises(InputError, match="不是空文件夹"):
        restore_workspace(good, other)
    assert [p.name for p in other.iterdir()] == ["工作总结.docx"]
    r = run_cli("restore", good, "--to", other)
    assert r.returncode == 2 and "不是空文件夹" in r.stderr and "Traceback" not in r.stderr
    shutil.rmtree(other)


def test_the_signed_manifests_and_received_packets_come_back_too(filled: Path, tmp_path: Path) -> None:
    """The copies of signed manifests anchor the audit log, and an office's received packets are its record: a
    restore without them would leave `check` unable to hold the log to its anchors and the 材料汇总 view empty."""
    ws_dir = tmp_path / "ws"
    copy_workspace(filled, ws_dir)
    anchor = ws_dir / "signed-manifests" / "20231120-101010-0123456789abcdef.json"
    anchor.parent.mkdir()
    anchor.write_text('{"audit_head": {"id": 7}}', encoding="utf-8")
    packet = b"PK a unit's packet, kept as received"
    sha = hashlib.sha256(packet).hexdigest()
    received = ws_dir / "received" / sha[:2] / sha
    received.parent.mkdir(parents=True)
    received.write_bytes(packet)
    with Workspace.open(ws_dir) as ws:
        result = backup_workspace(ws, tmp_path / "backup.zip")
    restored = restore_workspace(result.path, tmp_path / "restored")
    assert (restored.workspace / anchor.relative_to(ws_dir)).read_bytes() == anchor.read_bytes()
    assert (restored.workspace / received.relative_to(ws_dir)).read_bytes() == packet
