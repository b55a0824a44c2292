"""Ticking off tasks and indicators: status, notes, dates, self-scores, audit rows, due states and reminders."""

from __future__ import annotations

import datetime as dt

import pytest

from liaison_app import cases, progress
from liaison_app.errors import InputError, NotFound
from liaison_app.model import DueState, Status
from liaison_app.progress import due_state

D = dt.date


def test_status_change_is_stored_with_who_and_when_and_audited(workspace, make):
    tid = make.task("推进“一网通办”事项清单管理", deadline=D(2023, 9, 30))
    assert progress.get_progress(workspace, "task", tid) is None

    p = progress.set_status(workspace, "task", tid, "doing", note="已召开协调会", today=D(2023, 5, 2))
    assert (p.status, p.note, p.completed_on, p.department, p.updated_by) == (
        Status.DOING, "已召开协调会", None, "法制科", "张三")

    p = progress.set_status(workspace, "task", tid, Status.DONE, today=D(2023, 6, 15))
    assert p.status is Status.DONE and p.completed_on == D(2023, 6, 15)
    assert p.note == "已召开协调会", "a note left out is kept"
    assert progress.get_progress(workspace, "task", tid) == p

    rows = [r for r in workspace.audit_rows(f"task:{tid}") if r.action == "progress.set"]
    assert len(rows) == 2
    newest, first = rows
    assert first.detail["old"] is None
    assert first.detail["new"]["status"] == "doing"
    assert newest.detail["old"]["status"] == "doing"
    assert newest.detail["new"] == {"status": "done", "note": "已召开协调会", "completed_on": "2023-06-15",
                                    "self_score": None}
    assert newest.actor == "张三"
    assert workspace.verify_audit_chain() == []


def test_unchanged_status_writes_no_audit_row(workspace, make):
    tid = make.task("任务")
    progress.set_status(workspace, "task", tid, "doing")
    before = len(workspace.audit_rows())
    progress.set_status(workspace, "task", tid, "doing")
    assert len(workspace.audit_rows()) == before


def test_done_keeps_its_date_and_an_explicit_date_wins(workspace, make):
    tid = make.task("任务")
    progress.set_status(workspace, "task", tid, "done", completed_on=D(2023, 3, 1))
    p = progress.set_status(workspace, "task", tid, "done", note="补充备注", today=D(2023, 4, 1))
    assert p.completed_on == D(2023, 3, 1)
    p = progress.set_status(workspace, "task", tid, "doing")
    assert p.completed_on is None


def test_undo_by_setting_the_old_values_back(workspace, make):
    ind = make.indicator("每月提炼1条做法经验", score=4)
    before = progress.set_status(workspace, "indicator", ind, "doing", note="起草中")
    progress.set_status(workspace, "indicator", ind, "done", note="已报送", self_score=3.5, today=D(2023, 7, 1))
    restored = progress.set_status(workspace, "indicator", ind, before.status, note=before.note,
                                   completed_on=before.completed_on, self_score=before.self_score)
    assert (restored.status, restored.note, restored.completed_on, restored.self_score) == (
        Status.DOING, "起草中", None, None)


def test_self_score_is_bounded_by_the_indicator_score_or_its_share(workspace, make):
    plain = make.indicator("门户网站信息公开", score=4)
    first = make.indicator("事项清单", score=6, shared_group=1)
    second = make.indicator("办事指南", shared_group=1)
    third = make.indicator("表单", shared_group=1)
    assert progress.max_self_score(workspace, plain) == 4
    assert progress.max_self_score(workspace, second) == pytest.approx(2)

    assert progress.set_status(workspace, "indicator", plain, "done", self_score=4).self_score == 4
    with pytest.raises(InputError, match="超过"):
        progress.set_status(workspace, "indicator", plain, "done", self_score=4.5)
    with pytest.raises(InputError, match="超过"):
        progress.set_status(workspace, "indicator", first, "done", self_score=3)
    with pytest.raises(InputError):
        progress.set_status(workspace, "indicator", third, "done", self_score=-1)
    assert progress.set_status(workspace, "indicator", third, "done", self_score=2).self_score == 2
    # Leaving the score out keeps it; None clears it.
    assert progress.set_status(workspace, "indicator", third, "doing").self_score == 2
    assert progress.set_status(workspace, "indicator", third, "doing", self_score=None).self_score is None
    tid = make.task("任务")
    with pytest.raises(InputError, match="只有考核指标"):
        progress.set_status(workspace, "task", tid, "done", self_score=1)


def test_unknown_target_status_or_unit(workspace, make):
    with pytest.raises(NotFound, match="999"):
        progress.set_status(workspace, "task", 999, "done")
    tid = make.task("任务")
    with pytest.raises(InputError, match="不认识的状态"):
        progress.set_status(workspace, "task", tid, "finished")
    workspace.conn.execute("DELETE FROM settings WHERE key = 'department'")
    with pytest.raises(InputError, match="本科室"):
        progress.set_status(workspace, "task", tid, "done")
    assert workspace.conn.execute("SELECT count(*) FROM progress").fetchone()[0] == 0


def test_each_unit_has_its_own_progress(workspace, make):
    tid = make.task("联合任务", lead=("法制科",), cooperating=("水气科",))
    progress.set_status(workspace, "task", tid, "done", today=D(2023, 5, 1))
    progress.set_status(workspace, "task", tid, "doing", department="水气科")
    assert progress.progress_map(workspace, "task")[tid].status is Status.DONE
    assert progress.progress_map(workspace, "task", department="水气科")[tid].status is Status.DOING


@pytest.mark.parametrize(("deadline", "status", "expected"), [
    (D(2023, 3, 31), "todo", DueState.OVERDUE),
    (D(2023, 5, 31), "doing", DueState.OVERDUE),
    (D(2023, 7, 1), "todo", DueState.ON_TRACK),
    (D(2023, 7, 1), None, DueState.ON_TRACK),
    (D(2023, 6, 15), "doing", DueState.DUE_SOON),
    (D(2023, 6, 1), "todo", DueState.DUE_SOON),  # the deadline day itself is not yet overdue
    (D(2023, 5, 31), "todo", DueState.OVERDUE),
    (D(2023, 5, 1), "done", DueState.DONE),
    (D(2023, 5, 1), "na", DueState.DONE),
    (None, "todo", DueState.NO_DEADLINE),
    (None, "done", DueState.DONE),
])
def test_due_state_on_fixed_dates(deadline, status, expected):
    # Today is 2023-06-01 and "due soon" means within 14 days (up to 2023-06-15).
    assert due_state(deadline, status, D(2023, 6, 1)) is expected


def test_due_soon_window_is_configurable():
    assert due_state(D(2023, 6, 20), "todo", D(2023, 6, 1)) is DueState.ON_TRACK
    assert due_state(D(2023, 6, 20), "todo", D(2023, 6, 1), soon_days=30) is DueState.DUE_SOON


def test_reminders_and_summary(workspace, make):
    late = make.task("梳理事项清单", deadline=D(2023, 3, 31), seq="1")
    make.task("已完成的老任务", deadline=D(2023, 2, 28), seq="2")
    soon = make.task("完善办事指南", cooperating=("法制科",), lead=("许可科",), deadline=D(2023, 6, 30), seq="3")
    make.task("全年推进", seq="4")
    make.task("别的科室的任务", lead=("水气科",), deadline=D(2023, 1, 31), seq="5")
    make.indicator("每月案例", score=4)
    progress.set_status(workspace, "task", 2, "done", today=D(2023, 2, 20))
    cases.add_case(workspace, month="2023-01", title="一月做法", body="正文")
    c = cases.add_case(workspace, month="2023-03", title="三月案例", body="正文", kind="case")
    cases.finalise_case(workspace, c.id, on=D(2023, 4, 2))

    r = progress.reminders(workspace, today=D(2023, 6, 21))
    assert [t.task_id for t in r.overdue] == [late]
    assert r.overdue[0].days_left == -82
    assert [t.task_id for t in r.due_soon] == [soon]
    assert r.due_soon[0].role == "cooperating"
    # The 21st is after the 20th, so June is due too; January has only a draft.
    assert r.missing_months == ("2023-02", "2023-04", "2023-05", "2023-06")
    assert r.draft_months == ("2023-01",)
    assert progress.reminders(workspace, today=D(2023, 6, 20)).missing_months[-1] == "2023-05"
    assert progress.reminders(workspace, today=D(2023, 6, 10), report_day=5).missing_months[-1] == "2023-06"

    s = progress.summary(workspace, today=D(2023, 6, 21))
    assert s.task_status == {"todo": 3, "doing": 0, "done": 1, "na": 0}
    assert s.due == {"overdue": 1, "due_soon": 1, "on_track": 0, "no_deadline": 1, "done": 1}
    assert s.indicator_status["todo"] == 1
    assert s.as_dict()["overdue"][0]["deadline"] == "2023-03-31"
