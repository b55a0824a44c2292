"""The evidence vault: attach, dedupe, awkward names, unreadable sources, full disk, unlink/link, check and clean."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from liaison_app import evidence
from liaison_app.checks import run_checks
from liaison_app.errors import Cancelled, NotFound, VaultError
from liaison_app.workspace import Workspace

from .helpers import write_file

REPO = Path(__file__).resolve().parents[2]


def vault_files(ws: Workspace) -> list[Path]:
    return sorted(p for p in ws.vault_dir.rglob("*") if p.is_file())


def assert_nothing_written(ws: Workspace) -> None:
    assert vault_files(ws) == []
    assert ws.conn.execute("SELECT count(*) FROM evidence").fetchone()[0] == 0
    assert ws.conn.execute("SELECT count(*) FROM evidence_links").fetchone()[0] == 0


def test_attach_stores_the_file_under_its_hash_and_records_it(workspace, make, tmp_path):
    tid = make.task("召开协调会")
    src = write_file(tmp_path / "会议纪要.pdf", b"%PDF-1.4 minutes " * 1000)
    os.utime(src, (0, dt.datetime(2023, 5, 8, 10, 0).timestamp()))

    ev = evidence.attach(workspace, src, links=[("task", tid)], note="5月协调会")

    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    assert ev.sha256 == sha and ev.size == src.stat().st_size
    assert ev.original_name == "会议纪要.pdf"
    assert ev.media_type == "application/pdf"
    assert ev.evidence_date == dt.date(2023, 5, 8)
    assert ev.note == "5月协调会"
    assert ev.links == (("task", tid),)
    stored = evidence.vault_path(workspace, sha)
    assert stored == workspace.vault_dir / sha[:2] / sha
    assert stored.read_bytes() == src.read_bytes()
    assert vault_files(workspace) == [stored], "no temporary file or marker is left behind"
    [row] = [r for r in workspace.audit_rows(f"evidence:{ev.id}")]
    assert row.action == "evidence.attach" and row.detail["links"] == [f"task:{tid}"]
    assert evidence.list_evidence(workspace, target_kind="task", target_id=tid) == [ev]


def test_same_content_is_stored_once(workspace, make, tmp_path):
    t1, t2 = make.task("任务一"), make.task("任务二")
    a = write_file(tmp_path / "a" / "照片.jpg", b"\xff\xd8 same bytes" * 5000)
    b = write_file(tmp_path / "b" / "另一个名字.jpg", a.read_bytes())

    first = evidence.attach(workspace, a, links=[("task", t1)])
    again = evidence.attach(workspace, a, links=[("task", t1)])
    other_task = evidence.attach(workspace, a, links=[("task", t2)])
    renamed = evidence.attach(workspace, b, links=[("task", t2)])

    assert again.id == first.id, "attaching the same file to the same task again changes nothing"
    assert other_task.id == first.id and other_task.links == (("task", t1), ("task", t2))
    assert renamed.id != first.id and renamed.sha256 == first.sha256
    assert len(vault_files(workspace)) == 1
    assert evidence.check_vault(workspace) == []


DEVICE = pytest.mark.skipif(os.name == "nt", reason="on Windows CON, AUX, NUL, COM1 and LPT9 are devices: no user "
                            "has such a file to attach (the names stay safe in packets, tested on Linux)")


@pytest.mark.parametrize("name", [
    "2023年“一网通办”工作推进会会议纪要（第3次）.docx",
    *(pytest.param(n, marks=DEVICE) for n in ("CON", "aux.txt", "NUL.pdf", "com1.jpg", "LPT9")),
    "整改报告 " + "很" * 60 + ".pdf",
    "evidence-" + "x" * 220 + ".png",
    "trailing dot. ",
])
def test_awkward_names_are_kept_as_names_only(workspace, make, tmp_path, name):
    tid = make.task("任务")
    src = write_file(tmp_path / name, f"content of {name}")
    ev = evidence.attach(workspace, src, links=[("task", tid)])
    assert evidence.get_evidence(workspace, ev.id).original_name == name
    stored = evidence.vault_path(workspace, ev.sha256)
    assert stored.name == ev.sha256 and stored.read_text(encoding="utf-8") == f"content of {name}"
    if name.endswith(".docx"):
        assert ev.media_type.endswith("wordprocessingml.document")


def test_a_directory_or_missing_file_is_refused_plainly(workspace, make, tmp_path):
    tid = make.task("任务")
    (tmp_path / "folder").mkdir()
    with pytest.raises(VaultError, match="文件夹"):
        evidence.attach(workspace, tmp_path / "folder", links=[("task", tid)])
    with pytest.raises(VaultError, match="找不到文件"):
        evidence.attach(workspace, tmp_path / "nope.pdf", links=[("task", tid)])
    assert_nothing_written(workspace)


def test_unknown_link_target_is_refused_before_copying(workspace, tmp_path):
    src = write_file(tmp_path / "x.txt", "x")
    with pytest.raises(NotFound, match="任务"):
        evidence.attach(workspace, src, links=[("task", 42)])
    assert_nothing_written(workspace)


def test_a_file_changed_mid_copy_leaves_nothing(workspace, make, tmp_path):
    tid = make.task("任务")
    src = write_file(tmp_path / "video.mp4", os.urandom(3 * evidence.CHUNK_SIZE + 17))

    def shrink_it(done: int, total: int | None, message: str) -> None:
        if done == evidence.CHUNK_SIZE:
            with open(src, "r+b") as fh:
                fh.truncate(evidence.CHUNK_SIZE * 2)

    with pytest.raises(VaultError, match="复制过程中"):
        evidence.attach(workspace, src, links=[("task", tid)], progress=shrink_it)
    assert_nothing_written(workspace)


def test_cancel_mid_copy_leaves_nothing(workspace, make, tmp_path):
    tid = make.task("任务")
    small = write_file(tmp_path / "small.txt", "first file, copied completely")
    big = write_file(tmp_path / "big.bin", os.urandom(3 * evidence.CHUNK_SIZE))

    def cancel(done: int, total: int | None, message: str) -> None:
        if message == "big.bin" and done > evidence.CHUNK_SIZE:
            raise Cancelled("已取消。")

    with pytest.raises(Cancelled):
        evidence.attach_many(workspace, [small, big], links=[("task", tid)], progress=cancel)
    assert_nothing_written(workspace)


def _run_child(code: str, *, preexec=None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120, preexec_fn=preexec)


CHILD_ATTACH = """
    import json, os, sys
    from liaison_app import evidence
    from liaison_app.errors import VaultError
    from liaison_app.workspace import Workspace
    ws = Workspace.open(sys.argv[1] if len(sys.argv) > 1 else {ws!r})
    {setup}
    try:
        evidence.attach(ws, {src!r}, links=[("task", {tid})])
        print(json.dumps({{"ok": True}}))
    except VaultError as exc:
        print(json.dumps({{"ok": False, "error": str(exc)}}, ensure_ascii=False))
"""


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes and setuid; Windows' equivalent is the next test "
                    "(a file another program holds open)")
def test_permission_denied_is_a_plain_error(workspace_dir, tmp_path):
    with Workspace.open(workspace_dir) as ws:
        from .helpers import Factory

        tid = Factory(ws).task("任务")
    # The folder is open to all and the file to nobody: the file's own permission is what stops the read.
    shared = Path(tempfile.mkdtemp(prefix="liaison-perm-"))
    shared.chmod(0o755)
    src = write_file(shared / "secret.xlsx", "not for you")
    src.chmod(0)
    # root reads anything: the child drops to an unprivileged user once the workspace is open.
    setup = "os.setgroups([]); os.setgid(65534); os.setuid(65534)" if os.geteuid() == 0 else "pass"
    proc = _run_child(CHILD_ATTACH.format(ws=str(workspace_dir), src=str(src), tid=tid, setup=setup))
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result == {"ok": False, "error": result["error"]} and "没有权限读取" in result["error"]
    with Workspace.open(workspace_dir) as ws:
        assert_nothing_written(ws)
    shutil.rmtree(shared)


@pytest.mark.skipif(os.name == "nt", reason="Windows has no per-process file-size limit to stand in for a full disk "
                    "(a small volume needs administrator rights); the disk-full path is tested on Linux")
def test_full_disk_is_a_plain_error_and_leaves_nothing(workspace_dir, tmp_path):
    with Workspace.open(workspace_dir) as ws:
        from .helpers import Factory

        tid = Factory(ws).task("任务")
    src = write_file(tmp_path / "big.mp4", os.urandom(4 * evidence.CHUNK_SIZE))
    # The kernel refuses writes past this size, as it does on a full disk (EFBIG, like ENOSPC).
    setup = ("import resource; "
             "resource.setrlimit(resource.RLIMIT_FSIZE, (2 * evidence.CHUNK_SIZE, 2 * evidence.CHUNK_SIZE))")
    proc = _run_child(CHILD_ATTACH.format(ws=str(workspace_dir), src=str(src), tid=tid, setup=setup))
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert not result["ok"] and "磁盘空间不足" in result["error"]
    with Workspace.open(workspace_dir) as ws:
        assert_nothing_written(ws)


@pytest.mark.skipif(os.name != "nt", reason="only Windows has share modes that stop another program reading a file")
def test_a_file_locked_by_another_program_is_a_plain_error(workspace_dir, tmp_path):
    """Windows' own "permission denied": a file another program holds open without sharing it (an Excel workbook
    being edited, say) cannot be read; attaching it says so plainly and stores nothing."""
    import ctypes
    from ctypes import wintypes

    with Workspace.open(workspace_dir) as ws:
        from .helpers import Factory

        tid = Factory(ws).task("任务")
    src = write_file(tmp_path / "正在编辑的表格.xlsx", "being edited")
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateFileW.restype = wintypes.HANDLE
    kernel32.CreateFileW.argtypes = [wintypes.LPCWSTR, wintypes.DWORD, wintypes.DWORD, wintypes.LPVOID,
                                     wintypes.DWORD, wintypes.DWORD, wintypes.HANDLE]
    generic_read, no_sharing, open_existing = 0x80000000, 0, 3
    handle = kernel32.CreateFileW(str(src), generic_read, no_sharing, None, open_existing, 0, None)
    try:
        proc = _run_child(CHILD_ATTACH.format(ws=str(workspace_dir), src=str(src), tid=tid, setup="pass"))
    finally:
        kernel32.CloseHandle(handle)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert not result["ok"] and "正在编辑的表格.xlsx" in result["error"], result
    with Workspace.open(workspace_dir) as ws:
        assert_nothing_written(ws)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="a small tmpfs to fill needs Linux and root")
def test_really_full_disk_enospc(workspace, make, tmp_path):
    tid = make.task("任务")
    src = write_file(tmp_path / "big.mp4", os.urandom(3 * evidence.CHUNK_SIZE))
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(workspace.vault_dir)],
                           capture_output=True)
    if mount.returncode != 0:
        pytest.skip("this machine does not allow mounting tmpfs")
    try:
        with pytest.raises(VaultError, match="磁盘空间不足"):
            evidence.attach(workspace, src, links=[("task", tid)])
        assert_nothing_written(workspace)
    finally:
        subprocess.run(["umount", str(workspace.vault_dir)], check=True)


def test_attach_many_is_all_or_nothing(workspace, make, tmp_path):
    tid = make.task("任务")
    good = write_file(tmp_path / "good.txt", "good")
    with pytest.raises(VaultError):
        evidence.attach_many(workspace, [good, tmp_path / "missing.txt"], links=[("task", tid)])
    assert_nothing_written(workspace)
    seen: list[tuple[int, int | None]] = []
    items = evidence.attach_many(workspace, [good, write_file(tmp_path / "b.txt", "bb")], links=[("task", tid)],
                                 progress=lambda d, t, m: seen.append((d, t)))
    assert [e.original_name for e in items] == ["good.txt", "b.txt"]
    assert seen[-1] == (6, 6), "progress counts bytes of all files"


def test_unlink_keeps_the_file_until_clean_up_and_link_undoes_it(workspace, make, tmp_path):
    tid = make.task("任务")
    ev = evidence.attach(workspace, write_file(tmp_path / "照片.png", "png"), links=[("task", tid)])
    stored = evidence.vault_path(workspace, ev.sha256)

    assert evidence.unlink(workspace, ev.id, "task", tid).links == ()
    assert evidence.list_evidence(workspace, target_kind="task", target_id=tid) == []
    assert stored.exists() and evidence.check_vault(workspace) == []
    with pytest.raises(NotFound):
        evidence.unlink(workspace, ev.id, "task", tid)

    assert evidence.link(workspace, ev.id, "task", tid).links == (("task", tid),)
    actions = [r.action for r in workspace.audit_rows(f"evidence:{ev.id}")]
    assert actions == ["evidence.link", "evidence.unlink", "evidence.attach"]

    assert evidence.clean_unreferenced(workspace) == []
    evidence.unlink(workspace, ev.id, "task", tid)
    removed = evidence.clean_unreferenced(workspace)
    assert any("照片.png" in r for r in removed) and not stored.exists()
    with pytest.raises(NotFound):
        evidence.get_evidence(workspace, ev.id)
    assert run_checks(workspace).ok


def test_shared_file_stays_while_another_record_uses_it(workspace, make, tmp_path):
    tid = make.task("任务")
    a = evidence.attach(workspace, write_file(tmp_path / "a.txt", "same"), links=[("task", tid)])
    b = evidence.attach(workspace, write_file(tmp_path / "b.txt", "same"), links=[("task", tid)])
    evidence.unlink(workspace, a.id, "task", tid)
    evidence.clean_unreferenced(workspace)
    assert evidence.vault_path(workspace, b.sha256).exists()
    assert [e.id for e in evidence.list_evidence(workspace)] == [b.id]


def test_check_reports_tampered_missing_and_orphaned_files_by_name(workspace_dir, tmp_path, cli):
    with Workspace.open(workspace_dir) as ws:
        from .helpers import Factory

        tid = Factory(ws).task("任务")
        kept = evidence.attach(ws, write_file(tmp_path / "考核自评表.xlsx", "scores"), links=[("task", tid)])
        gone = evidence.attach(ws, write_file(tmp_path / "现场照片.jpg", "photo"), links=[("task", tid)])
    assert cli("check", workspace=workspace_dir).returncode == 0

    tampered = workspace_dir / "vault" / kept.sha256[:2] / kept.sha256
    tampered.write_bytes(b"scores, edited afterwards")
    (workspace_dir / "vault" / gone.sha256[:2] / gone.sha256).unlink()
    orphan = hashlib.sha256(b"orphan").hexdigest()
    write_file(workspace_dir / "vault" / orphan[:2] / orphan, b"orphan")

    result = cli("check", workspace=workspace_dir)
    assert result.returncode == 1
    assert "考核自评表.xlsx" in result.stdout and "损坏" in result.stdout
    assert "现场照片.jpg" in result.stdout and "缺失" in result.stdout
    assert f"vault/{orphan[:2]}/{orphan}" in result.stdout and "未登记" in result.stdout
    data = json.loads(cli("check", "--json", workspace=workspace_dir).stdout)
    assert len(data["sections"]["证据库"]) == 3 and data["ok"] is False


def test_check_cleans_temporary_leftovers_and_still_passes(workspace, make, tmp_path):
    tid = make.task("任务")
    ev = evidence.attach(workspace, write_file(tmp_path / "a.txt", "a"), links=[("task", tid)])
    tmp = workspace.vault_dir / "tmp"
    write_file(tmp / "0123456789abcdef.part", b"half a file")
    # A file renamed into place whose row never committed, as a crash right after the rename leaves it.
    lost = hashlib.sha256(b"lost").hexdigest()
    write_file(workspace.vault_dir / lost[:2] / lost, b"lost")
    write_file(tmp / f"{lost}.0011223344556677.pending", b"")
    # A marker for a file that did get its row (crash after commit, before the marker was removed).
    write_file(tmp / f"{ev.sha256}.8899aabbccddeeff.pending", b"")

    dirty = evidence.vault_report(workspace, clean_temp=False)
    assert len(dirty.problems) == 2 and dirty.cleaned == ()
    assert (workspace.vault_dir / lost[:2] / lost).exists(), "nothing is removed when not cleaning"

    report = run_checks(workspace)
    assert report.ok, report.problems
    assert any(".part" in n for n in report.notes) and any(lost in n for n in report.notes)
    assert list(tmp.iterdir()) == []
    assert not (workspace.vault_dir / lost[:2] / lost).exists()
    assert evidence.vault_path(workspace, ev.sha256).exists()
    assert evidence.check_vault(workspace) == []
