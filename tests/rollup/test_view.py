"""The bureau view's parts a user reads: overdue across units, the task list's filters, a task's notes and evidence
from every unit, monthly reports per unit and month, reminders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from liaison_app.rollup.store import add_packets
from liaison_app.rollup.view import BureauView, bureau_view, filter_tasks, task_evidence
from liaison_app.workspace import Workspace

from .conftest import TODAY, UNITS, RollupFacts, task_label
from .test_intake import _certs


@pytest.fixture
def view(office: Workspace, inbox: Path, rollup_facts: RollupFacts) -> BureauView:
    add_packets(office, [inbox], trust=_certs(rollup_facts))
    return bureau_view(office, "2023", today=TODAY)


def test_overdue_across_units_judged_on_the_office_s_today(office: Workspace, view: BureauView,
                                                          rollup_facts: RollupFacts) -> None:
    late = [(task_label(t.seq, t.content), r.department) for t, r in view.overdue]
    assert late == [(rollup_facts.late_task, "法制科")]
    assert next(u for u in view.units if u.department == "法制科").overdue == 1
    # Before the deadline nothing is overdue.
    assert bureau_view(office, "2023", today=dt.date(2023, 9, 1)).overdue == []


def test_filters_as_in_the_task_list(view: BureauView, rollup_facts: RollupFacts) -> None:
    tasks = list(view.tasks)
    lead_hpk = filter_tasks(tasks, unit="环评科", role="lead")
    # Named as lead, or lead through a collective (各相关科室牵头) as its own packet says.
    assert lead_hpk and all("环评科" in t.lead or any(r.department == "环评科" and r.role == "lead" for r in t.reports)
                            for t in lead_hpk)
    assert {t.seq for t in lead_hpk} >= {"3", "4", "5", "20"}
    coop = filter_tasks(tasks, unit="水气科", role="cooperating")
    assert coop and all(any(r.department == "水气科" and r.role == "cooperating" for r in t.reports) for t in coop)
    todo = filter_tasks(tasks, unit="水气科", status="todo")
    expected = sorted(k for k, s in rollup_facts.units["水气科"].status.items() if s == "todo")
    assert sorted(task_label(t.seq, t.content) for t in todo) == expected
    assert [task_label(t.seq, t.content) for t in filter_tasks(tasks, overdue_only=True)] == [rollup_facts.late_task]
    # Free text searches every unit's notes too: each word must appear.
    hits = filter_tasks(tasks, text="环评科：第 12 项的情况说明")
    assert any(r.note == "环评科：第 12 项的情况说明。" for t in hits for r in t.reports)
    assert all(any(r.department == "环评科" for r in t.reports) for t in hits)
    word = tasks[0].content[:8]
    assert tasks[0] in filter_tasks(tasks, text=word)
    assert filter_tasks(tasks, text="没有这样的任务内容") == []


def test_a_task_opens_with_every_unit_s_notes_and_evidence(office: Workspace, view: BureauView,
                                                          rollup_facts: RollupFacts) -> None:
    shared = max(view.tasks, key=lambda t: len(t.reports))
    assert {r.department for r in shared.reports} == set(UNITS)
    for r in shared.reports:
        assert r.note == rollup_facts.units[r.department].notes[task_label(shared.seq, shared.content)]
    with_evidence = [(t, r) for t in view.tasks for r in t.reports if r.evidence_count]
    assert with_evidence
    for t, r in with_evidence:
        files = task_evidence(office, r, t.seq, t.source)
        assert len(files) == r.evidence_count
        assert all(len(sha) == 64 for _, _, sha, _ in files)


def test_monthly_reports_per_unit_and_month_and_reminders(view: BureauView, rollup_facts: RollupFacts) -> None:
    grid = view.month_grid()
    assert grid["法制科"] == {"2023-05": "已定稿", "2023-06": "已定稿"}
    assert grid["水气科"] == {"2023-05": "已定稿"}
    reminders = {r.department: r.owes for r in view.reminders()}
    assert reminders["办公室"] == ("尚未报送2023年材料包",)
    late = next(o for o in reminders["法制科"] if "逾期" in o)
    assert late.startswith("1 项任务已逾期") and "序号 11" in late
    assert any("月度案例未定稿" in o and "6月" in o for o in reminders["水气科"])
    assert not any("6月" in o for o in reminders["法制科"] if "月度案例" in o)
