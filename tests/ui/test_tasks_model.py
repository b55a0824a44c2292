"""The task table model and its filter proxy, without a window: filters, sorting, deadline windows and lights."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from liaison_app import catalog, evidence, progress
from liaison_app.model import Status
from liaison_app.workspace import Workspace
from ui.icons import DONE_COLOUR, DUE_SOON_COLOUR, OVERDUE_COLOUR
from ui.tasks_model import (
    COL_CONTENT,
    COL_DEADLINE,
    COL_EVIDENCE,
    COL_SEQ,
    COL_STATUS,
    REACH_ALL,
    REACH_COLLECTIVE,
    SORT_ROLE,
    TASK_ID_ROLE,
    WINDOW_MONTH,
    WINDOW_OVERDUE,
    WINDOW_QUARTER,
    TaskFilterProxy,
    TasksModel,
    load_task_records,
)


def make_proxy(ws: Workspace, department: str, today: dt.date, reach: str | None = REACH_ALL) -> TaskFilterProxy:
    """The proxy over the unit's tasks, by default with every relation shown (the filters under test are others)."""
    model = TasksModel(today)
    model.set_rows(load_task_records(ws, department), department=department)
    proxy = TaskFilterProxy(model)
    proxy.setParent(model)  # keeps the model alive as long as the proxy
    if reach is not None:
        proxy.set_reach(reach)
    return proxy


def shown_ids(proxy: TaskFilterProxy) -> list[int]:
    return [proxy.index(row, 0).data(TASK_ID_ROLE) for row in range(proxy.rowCount())]


def test_rows_are_the_units_tasks_in_table_order(qapp, sample_workspace):
    rows = catalog.list_tasks(sample_workspace, department="法制科")
    proxy = make_proxy(sample_workspace, "法制科", dt.date(2023, 7, 1), reach=None)
    # Tasks that name the unit by default; those reached only through 各相关科室 one choice away.
    named = [r.task.id for r in rows if not r.via_collective]
    collective = [r.task.id for r in rows if r.via_collective]
    assert shown_ids(proxy) == named and named and len(collective) > 10
    assert proxy.hidden_collective() == len(collective)
    proxy.set_reach(REACH_ALL)
    assert shown_ids(proxy) == [r.task.id for r in rows]
    proxy.set_reach(REACH_COLLECTIVE)
    assert shown_ids(proxy) == collective


def test_role_filter_for_a_unit_that_leads_some_tasks_and_helps_with_others(qapp, sample_workspace):
    # A unit named as lead unit in some rows and as cooperating unit in others, found in the sample data.
    unit = next(d for d in catalog.list_departments(sample_workspace)
                if any(not r.via_collective for r in catalog.list_tasks(sample_workspace, department=d, role="lead"))
                and any(not r.via_collective
                        for r in catalog.list_tasks(sample_workspace, department=d, role="cooperating")))
    lead = [r.task.id for r in catalog.list_tasks(sample_workspace, department=unit, role="lead")]
    cooperating = [r.task.id for r in catalog.list_tasks(sample_workspace, department=unit, role="cooperating")]
    proxy = make_proxy(sample_workspace, unit, dt.date(2023, 7, 1))

    proxy.set_role("lead")
    assert shown_ids(proxy) == lead
    proxy.set_role("cooperating")
    assert shown_ids(proxy) == cooperating
    proxy.set_role("any")
    assert sorted(shown_ids(proxy)) == sorted(lead + cooperating)


def test_sorting_deadlines_as_dates_and_numbers_as_numbers(qapp, sample_workspace):
    proxy = make_proxy(sample_workspace, catalog.ALL_DEPARTMENTS, dt.date(2023, 7, 1))
    table_order = shown_ids(proxy)

    proxy.sort(COL_DEADLINE, Qt.SortOrder.AscendingOrder)
    dates = [catalog.get_task(sample_workspace, i).deadline.date for i in shown_ids(proxy)]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated) and dated[0] == dt.date(2023, 3, 31)
    assert dates[len(dated):] == [None] * (len(dates) - len(dated)), "undated tasks come last"
    assert dates.index(dt.date(2023, 11, 30)) < dates.index(dt.date(2023, 12, 31)), "not sorted as text"

    proxy.sort(COL_SEQ, Qt.SortOrder.AscendingOrder)
    seqs = [int(proxy.index(row, COL_SEQ).data()) for row in range(proxy.rowCount())]
    assert seqs == sorted(seqs) and seqs.index(9) < seqs.index(10)
    assert proxy.index(0, COL_SEQ).data(SORT_ROLE) == 1

    proxy.sort(COL_SEQ, Qt.SortOrder.DescendingOrder)
    assert int(proxy.index(0, COL_SEQ).data()) == max(seqs)

    proxy.sort(-1)
    assert shown_ids(proxy) == table_order


def expected_window(ws: Workspace, first: dt.date, last: dt.date) -> list[int]:
    return [r.task.id for r in catalog.list_tasks(ws, department=catalog.ALL_DEPARTMENTS)
            if r.task.deadline.date and first <= r.task.deadline.date <= last]


@pytest.mark.parametrize(("today", "window", "first", "last"), [
    (dt.date(2023, 6, 15), WINDOW_MONTH, dt.date(2023, 6, 1), dt.date(2023, 6, 30)),
    (dt.date(2023, 8, 10), WINDOW_QUARTER, dt.date(2023, 7, 1), dt.date(2023, 9, 30)),
    (dt.date(2023, 11, 2), WINDOW_QUARTER, dt.date(2023, 10, 1), dt.date(2023, 12, 31)),
    (dt.date(2023, 6, 15), WINDOW_OVERDUE, dt.date.min, dt.date(2023, 6, 14)),
])
def test_deadline_windows_use_the_date_the_model_is_given(qapp, sample_workspace, today, window, first, last):
    proxy = make_proxy(sample_workspace, catalog.ALL_DEPARTMENTS, today)
    proxy.set_window(window)
    expected = expected_window(sample_workspace, first, last)
    assert expected and shown_ids(proxy) == expected


def test_a_done_task_is_no_longer_overdue_and_a_new_today_moves_the_window(qapp, sample_workspace):
    proxy = make_proxy(sample_workspace, catalog.ALL_DEPARTMENTS, dt.date(2023, 6, 15))
    model: TasksModel = proxy.sourceModel()
    proxy.set_window(WINDOW_OVERDUE)
    first = shown_ids(proxy)[0]

    model.update_task(first, status=Status.DONE, evidence_count=0)
    assert first not in shown_ids(proxy)

    model.set_today(dt.date(2023, 7, 1))
    assert shown_ids(proxy) == [i for i in expected_window(sample_workspace, dt.date.min, dt.date(2023, 6, 30))
                                if i != first]


def test_status_source_and_search_filters(qapp, sample_workspace):
    # 办公室 is named in both documents, so it has tasks in each (法制科 only in the district's).
    ws = sample_workspace
    progress.set_status(ws, "task", 50, "done", department="办公室")
    progress.set_status(ws, "task", 51, "doing", department="办公室")
    proxy = make_proxy(ws, "办公室", dt.date(2023, 7, 1))

    proxy.set_statuses([Status.DONE])
    assert shown_ids(proxy) == [50]
    proxy.set_statuses([Status.TODO, Status.DOING])
    assert 51 in shown_ids(proxy) and 50 not in shown_ids(proxy)
    proxy.set_statuses(None)

    city = next(s for s in catalog.list_sources(ws) if s.doc_number == "沪绿容〔2023〕177号")
    proxy.set_source(city.id)
    assert shown_ids(proxy) and all(catalog.get_task(ws, i).source_id == city.id for i in shown_ids(proxy))
    proxy.set_source(None)

    proxy.set_search("各相关部门")
    assert shown_ids(proxy) and all("各相关部门" in catalog.get_task(ws, i).cooperating for i in shown_ids(proxy))
    proxy.set_search("各相关部门 知识库")  # every word must occur
    narrowed = shown_ids(proxy)
    assert narrowed and all("知识库" in catalog.get_task(ws, i).content for i in narrowed)
    proxy.set_search("177号")  # the document number counts as text of the task
    assert len(shown_ids(proxy)) == len([r for r in catalog.list_tasks(ws, department="办公室")
                                         if r.task.source_id == city.id])
    proxy.clear_filters()  # back to the default relation filter too: the tasks that name the unit
    assert len(shown_ids(proxy)) == len([r for r in catalog.list_tasks(ws, department="办公室")
                                         if not r.via_collective])


def test_deadline_lights_carry_words_and_icons_not_just_colour(qapp, sample_workspace, tmp_path):
    ws = sample_workspace
    progress.set_status(ws, "task", 35, "done", department="办公室")
    proof = tmp_path / "纪要.pdf"
    proof.write_bytes(b"minutes")
    evidence.attach(ws, proof, links=[("task", 35)])
    proxy = make_proxy(ws, "办公室", dt.date(2023, 6, 20))

    def cell(task_id: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = proxy.proxy_row_of(task_id)
        assert row is not None
        return proxy.index(row, column).data(role)

    # Ten calendar days, seven working days: 端午 takes Thursday 22 to Saturday 24 June off, and Sunday 25 June is
    # worked instead (调休).
    assert cell(5, COL_DEADLINE) == "还剩 7 个工作日（6 月底）"
    assert "日历上还有 10 天" in cell(5, COL_DEADLINE, Qt.ItemDataRole.ToolTipRole)
    assert cell(5, COL_DEADLINE, Qt.ItemDataRole.ForegroundRole) == DUE_SOON_COLOUR
    assert cell(5, COL_DEADLINE, Qt.ItemDataRole.DecorationRole) is not None
    assert cell(35, COL_STATUS) == "已完成" and cell(35, COL_EVIDENCE) == "1"
    assert cell(35, COL_DEADLINE, Qt.ItemDataRole.ForegroundRole) == DONE_COLOUR
    assert cell(35, COL_DEADLINE, Qt.ItemDataRole.DecorationRole) is not None
    assert "<p>" in cell(5, COL_CONTENT, Qt.ItemDataRole.ToolTipRole)

    proxy.sourceModel().set_today(dt.date(2023, 7, 12))
    assert cell(5, COL_DEADLINE) == "逾期 12 天（6 月底）"
    assert cell(5, COL_DEADLINE, Qt.ItemDataRole.ForegroundRole) == OVERDUE_COLOUR
    assert cell(50, COL_DEADLINE) == "—" and cell(50, COL_DEADLINE, Qt.ItemDataRole.DecorationRole) is None


def test_a_deadline_past_the_known_holiday_schedule_says_the_count_is_an_estimate(qapp, sample_workspace):
    from liaison_app import workdays
    from liaison_app.importing import import_text
    from ui.tasks_model import schedule_note

    last = workdays.known_years()[1]
    import_text(sample_workspace, "序号\t任务内容\t牵头部门\t时间节点\n1\t下一年初的任务\t法制科\t1月9日前\n",
                name="下一年.txt", year=last + 1)
    proxy = make_proxy(sample_workspace, "法制科", dt.date(last, 12, 31))
    proxy.set_search("下一年初的任务")
    assert proxy.rowCount() == 1
    assert proxy.index(0, COL_DEADLINE).data().startswith("约还剩 ")
    tip = proxy.index(0, COL_DEADLINE).data(Qt.ItemDataRole.ToolTipRole)
    assert f"{last + 1} 年的放假调休安排尚未收入日历" in tip
    assert schedule_note(dt.date(2023, 6, 30), dt.date(2023, 6, 20)) == ""
