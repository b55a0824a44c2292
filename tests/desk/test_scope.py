"""Whose document, whose unit: a unit name means a unit of the document's issuer; another bureau's document reaches
the workspace's bureau only where it names the bureau itself, and the liaison assigns such a task to a unit."""

from __future__ import annotations

from pathlib import Path

import pytest

from liaison_app import catalog, paths, progress
from liaison_app.catalog import Reach
from liaison_app.errors import InputError
from liaison_app.importing import import_file, import_text
from liaison_app.model import Status
from liaison_app.workspace import Workspace

BUREAU = "上海市松江区生态环境局"
CITY = ("上海市生态环境局文件\n沪环〔2023〕9号\n"
        "序号\t任务内容\t牵头部门\t配合部门\t时间节点\n"
        "1\t建设市级知识库\t办公室\t各相关部门\t3月底前\n"
        "2\t推进区级事项标准化\t法规处\t各区生态环境局\t6月底前\n"
        "3\t数据异议处理\t科信处\t各区、各相关部门\t9月底前\n"
        "4\t林业协同\t许可处\t各区绿化市容局\t9月底前\n"
        "5\t松江试点\t松江区生态环境局\t\t12月底前\n")
DISTRICT = ("上海市松江区生态环境局文件\n沪松环〔2023〕14号\n"
            "序号\t任务内容\t牵头部门\t配合部门\t时间节点\n"
            "1\t梳理行政许可事项\t法制科\t办公室\t6月底前\n"
            "2\t推进电子证照应用\t执法大队\t各相关科室\t9月底前\n")


@pytest.fixture
def bureau_ws(tmp_path: Path):
    with Workspace.open(tmp_path / "ws", create=True) as ws:
        ws.set_setting("department", "办公室")
        ws.set_setting("bureau", BUREAU)
        import_text(ws, CITY, name="市局分工表.txt", year=2023)
        import_text(ws, DISTRICT, name="区局分工表.txt", year=2023)
        yield ws


def _mine(ws: Workspace, unit: str = "办公室") -> dict[str, tuple[str, Reach]]:
    return {r.task.content: (r.role.value, r.reach)
            for r in catalog.list_tasks(ws, department=unit, unassigned=True)}


def test_names_bureau_reads_the_bureau_and_every_district_but_not_another_kind_of_bureau() -> None:
    for name in ("松江区生态环境局", "上海市松江区生态环境局", "各区生态环境局", "区生态环境局", "各区", "各区生态环境部门"):
        assert catalog.names_bureau(name, BUREAU), name
    for name in ("各区绿化市容局", "区绿容局", "相关区林业部门", "办公室", "各相关部门", "闵行区生态环境局"):
        assert not catalog.names_bureau(name, BUREAU), name
    assert catalog.is_own_document("上海市松江区生态环境局", "松江区生态环境局")
    assert not catalog.is_own_document("上海市生态环境局", BUREAU)
    assert catalog.is_own_document("上海市生态环境局", "")  # no bureau set: every document is the bureau's own


def test_another_bureaus_office_is_not_ours_and_its_district_tasks_await_assignment(bureau_ws: Workspace) -> None:
    mine = _mine(bureau_ws)
    # The city's 办公室 (task 1) and its 各相关部门 are not the district's; the district document names 办公室.
    assert mine == {
        "梳理行政许可事项": ("cooperating", Reach.NAMED),
        "推进电子证照应用": ("cooperating", Reach.COLLECTIVE),
        "推进区级事项标准化": ("cooperating", Reach.BUREAU),
        "数据异议处理": ("cooperating", Reach.BUREAU),
        "松江试点": ("lead", Reach.BUREAU),
    }
    # Not assigned yet: only the workspace's own unit sees them, to assign them; they are nobody's task yet.
    assert {r.task.content for r in catalog.list_tasks(bureau_ws, department="法制科", unassigned=True)} == {
        "梳理行政许可事项", "推进电子证照应用"}
    assert {r.task.content for r in catalog.list_tasks(bureau_ws, department="办公室")} == {
        "梳理行政许可事项", "推进电子证照应用"}


def test_assigning_moves_a_bureau_task_to_the_unit_and_back(bureau_ws: Workspace) -> None:
    task = next(r.task for r in catalog.list_tasks(bureau_ws) if r.task.content == "松江试点")
    assert catalog.assign_task(bureau_ws, task.id, "法制科") is None
    assert "松江试点" not in _mine(bureau_ws)
    assert _mine(bureau_ws, "法制科")["松江试点"] == ("lead", Reach.ASSIGNED)
    assert catalog.assign_task(bureau_ws, task.id, None) == "法制科"
    assert _mine(bureau_ws)["松江试点"] == ("lead", Reach.BUREAU)
    assert [r.action for r in bureau_ws.audit_rows(f"task:{task.id}")] == ["task.assign", "task.assign"]
    own_task = next(r.task for r in catalog.list_tasks(bureau_ws) if r.task.content == "梳理行政许可事项")
    with pytest.raises(InputError, match="不需要分派"):
        catalog.assign_task(bureau_ws, own_task.id, "法制科")


def test_the_demo_bureau_office_carries_only_its_own_documents_tasks(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws", create=True) as ws:
        ws.set_setting("department", "办公室")
        ws.set_setting("bureau", BUREAU)
        for table in paths.sample_tables():
            import_file(ws, table)
        numbers = {s.id: s.doc_number for s in catalog.list_sources(ws)}
        rows = catalog.list_tasks(ws, department="办公室", unassigned=True)
        by_doc = {(numbers[r.task.source_id], r.reach) for r in rows}
        # The city greening bureau's 办公室 and 各相关部门 are not the ecology bureau's; its "各区" task is.
        assert by_doc == {("沪松环〔2023〕14号", Reach.NAMED), ("沪松环〔2023〕14号", Reach.COLLECTIVE),
                          ("沪绿容〔2023〕177号", Reach.BUREAU)}
        assert [r.task.seq for r in rows if r.reach is Reach.BUREAU] == ["26"]
        summary = progress.summary(ws, today=__import__("datetime").date(2023, 11, 20))
        # The summary (and the packet) count the unit's tasks; the one awaiting assignment is nobody's yet.
        assert sum(summary.task_status.values()) == len(rows) - 1
        assert summary.task_status[Status.TODO.value] == len(rows) - 1
