"""Which tasks are a unit's: named directly, or through a collective (各相关科室) of the unit's own document."""

from __future__ import annotations

import datetime as dt

from liaison_app import catalog, progress
from liaison_app.importing import import_text

DISTRICT = ("序号\t任务内容\t牵头部门\t配合部门\t时间节点\n"
            "1\t梳理行政许可事项\t法制科\t办公室\t6月底前\n"
            "2\t推进电子证照应用\t办公室\t各相关科室\t9 月底\n")
CITY = ("序号\t任务内容\t牵头部门\t配合部门\t时间节点\n"
        "1\t建设市级知识库\t科信处\t各相关部门\t3月底前\n"
        "2\t完善办事指南\t许可处\t科信处\t年底前\n")


def test_a_collective_reaches_the_units_of_its_own_document_only(workspace) -> None:
    import_text(workspace, DISTRICT, name="区局分工表.txt", year=2023)
    import_text(workspace, CITY, name="市局分工表.txt", year=2023)

    mine = {r.task.content: (r.role.value, r.via_collective) for r in catalog.list_tasks(workspace, department="法制科")}
    assert mine == {"梳理行政许可事项": ("lead", False), "推进电子证照应用": ("cooperating", True)}
    # 科信处 is named in the city document, so its 各相关部门 reach it there, and the district's 各相关科室 do not.
    theirs = {r.task.content for r in catalog.list_tasks(workspace, department="科信处")}
    assert theirs == {"建设市级知识库", "完善办事指南"}
    # A unit no document names cannot be placed: every collective is taken to include it.
    assert {r.task.content for r in catalog.list_tasks(workspace, department="新设科")} == {
        "推进电子证照应用", "建设市级知识库"}


def test_summary_and_reminders_count_the_task_lists_tasks(workspace) -> None:
    import_text(workspace, DISTRICT, name="区局分工表.txt", year=2023)
    import_text(workspace, CITY, name="市局分工表.txt", year=2023)
    today = dt.date(2023, 9, 20)

    listed = catalog.list_tasks(workspace, department="法制科")
    summary = progress.summary(workspace, today=today, department="法制科")
    assert sum(summary.task_status.values()) == len(listed) == 2
    assert [t.content for t in summary.overdue] == ["梳理行政许可事项"]
    assert [t.content for t in summary.due_soon] == ["推进电子证照应用"]
    assert summary.due_soon[0].role == "cooperating"
    reminders = progress.reminders(workspace, today=today, department="法制科")
    assert [t.task_id for t in reminders.overdue] == [t.task_id for t in summary.overdue]
