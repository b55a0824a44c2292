"""Queries the desktop window needs: evidence counts per task, a task's history, a viewing copy of a vault file."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest

from liaison_app import evidence, progress
from liaison_app.errors import VaultError

from .helpers import write_file


def test_evidence_counts_per_task(workspace, make, tmp_path):
    a, b, c = make.task("甲"), make.task("乙"), make.task("丙")
    one = write_file(tmp_path / "纪要.pdf", b"minutes")
    two = write_file(tmp_path / "截图.png", b"screenshot")
    evidence.attach_many(workspace, [one, two], links=[("task", a)])
    ev = evidence.attach(workspace, one, links=[("task", b)])  # the same file again: one record, a second link
    assert evidence.evidence_counts(workspace, "task") == {a: 2, b: 1}
    evidence.unlink(workspace, ev.id, "task", a)
    assert evidence.evidence_counts(workspace, "task") == {a: 1, b: 1}
    assert c not in evidence.evidence_counts(workspace, "task")
    assert evidence.evidence_counts(workspace, "indicator") == {}


def test_history_of_a_task_has_its_status_changes_and_its_evidence_newest_first(workspace, make, tmp_path):
    tid = make.task("召开协调会")
    other = make.task("编制清单")
    progress.set_status(workspace, "task", tid, "doing")
    ev = evidence.attach(workspace, write_file(tmp_path / "纪要.pdf", b"minutes"), links=[("task", tid)])
    progress.set_status(workspace, "task", other, "done")
    evidence.link(workspace, ev.id, "task", other)
    evidence.unlink(workspace, ev.id, "task", tid)
    progress.set_status(workspace, "task", tid, "done", department="执法大队")

    rows = progress.history(workspace, "task", tid)

    assert [r.action for r in rows] == ["progress.set", "evidence.unlink", "evidence.attach", "progress.set"]
    assert rows[0].detail["department"] == "执法大队" and rows[0].detail["new"]["status"] == "done"
    assert rows[1].detail["name"] == "纪要.pdf"
    assert rows[3].detail["old"] is None and rows[3].detail["new"]["status"] == "doing"
    assert [r.action for r in progress.history(workspace, "task", other)] == ["evidence.link", "progress.set"]


def test_history_does_not_confuse_task_12_with_task_1(workspace, make, tmp_path):
    ids = [make.task(f"任务{n}") for n in range(12)]
    first, twelfth = ids[0], ids[11]
    assert (first, twelfth) == (1, 12)
    evidence.attach(workspace, write_file(tmp_path / "a.txt", b"a"), links=[("task", twelfth)])
    assert progress.history(workspace, "task", first) == []
    assert len(progress.history(workspace, "task", twelfth)) == 1


def test_copy_out_gives_a_read_only_copy_under_the_original_name(workspace, make, tmp_path):
    tid = make.task("召开协调会")
    ev = evidence.attach(workspace, write_file(tmp_path / "src" / "会议纪要.pdf", b"%PDF minutes"),
                         links=[("task", tid)])
    seen: list[int] = []

    copy = evidence.copy_out(workspace, ev.id, tmp_path / "view", progress=lambda done, total, msg: seen.append(done))

    assert copy.name == "会议纪要.pdf" and copy.read_bytes() == b"%PDF minutes"
    assert copy.parent.name == ev.sha256[:16]
    assert not os.stat(copy).st_mode & stat.S_IWUSR
    assert seen and seen[-1] == ev.size
    assert evidence.copy_out(workspace, ev.id, tmp_path / "view") == copy
    assert sorted(p.name for p in copy.parent.iterdir()) == ["会议纪要.pdf"], "no partial copy left behind"


def test_copy_out_refuses_a_damaged_or_missing_vault_file(workspace, make, tmp_path):
    tid = make.task("召开协调会")
    ev = evidence.attach(workspace, write_file(tmp_path / "纪要.pdf", b"original"), links=[("task", tid)])
    stored = evidence.vault_path(workspace, ev.sha256)
    stored.write_bytes(b"tampered")
    assert hashlib.sha256(stored.read_bytes()).hexdigest() != ev.sha256

    with pytest.raises(VaultError, match="已损坏"):
        evidence.copy_out(workspace, ev.id, tmp_path / "view")
    assert not any(p.is_file() for p in (tmp_path / "view").rglob("*"))

    stored.unlink()
    with pytest.raises(VaultError, match="缺失"):
        evidence.copy_out(workspace, ev.id, tmp_path / "view")
