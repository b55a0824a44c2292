"""Storing imports in a real workspace: idempotent re-import, revision diff with carried-over progress, aliases,
all-or-nothing on cancel, and the `liaison import/tasks/indicators/units` commands."""

from __future__ import annotations

import json

import pytest
from importing_helpers import SEED_CITY, SEED_DISTRICT

from liaison_app import catalog
from liaison_app.errors import Cancelled
from liaison_app.importing import apply_import, import_file, import_text, plan_import, read_text
from liaison_app.workspace import Workspace, copy_workspace, now_iso


@pytest.fixture(scope="session")
def imported_dir(tmp_path_factory):
    """A workspace (法制科) holding both seed documents, built once and copied per test."""
    root = tmp_path_factory.mktemp("imported") / "ws"
    with Workspace.open(root, create=True) as ws:
        ws.set_setting("department", "法制科")
        import_file(ws, SEED_DISTRICT)
        import_file(ws, SEED_CITY)
    return root


@pytest.fixture
def imported(imported_dir, tmp_path):
    root = tmp_path / "ws"
    copy_workspace(imported_dir, root)
    ws = Workspace.open(root)
    yield ws
    ws.close()


def _snapshot(ws):
    return {t: ws.conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
            for t in ("sources", "tasks", "task_departments", "indicators", "items", "departments", "audit_log")}


def test_both_seeds_stored(imported):
    counts = imported.counts()
    assert (counts["sources"], counts["tasks"], counts["indicators"], counts["items"]) == (2, 76, 26, 18)
    tasks = catalog.list_tasks(imported, department=catalog.ALL_DEPARTMENTS)
    assert len(tasks) == 76
    t46 = next(r.task for r in tasks if r.task.source_id == 2 and r.task.seq == "46")
    assert t46.lead == ("法规处", "办公室")
    t1 = next(r.task for r in tasks if r.task.source_id == 2 and r.task.seq == "1")
    # The built-in alias list makes 市大数据中心 and 大数据中心 one unit.
    assert "大数据中心" in t1.cooperating and "市大数据中心" not in t1.cooperating
    assert t1.deadline.date.isoformat() == "2023-09-30"
    mine = catalog.list_tasks(imported, role="lead")
    assert [r.task.seq for r in mine if not r.via_collective] == ["11", "12", "13"]
    assert all(r.status.value == "todo" for r in mine)
    sources = catalog.list_sources(imported)
    assert [s.doc_number for s in sources] == ["沪松环〔2023〕14号", "沪绿容〔2023〕177号"]
    units = catalog.list_departments(imported)
    assert "法制科" in units and "大数据中心" in units and "市大数据中心" not in units
    assert "各相关科室" not in units
    indicators = catalog.list_indicators(imported, department="土壤科")
    assert any(i.level2 == "跨省通办" for i in indicators)
    assert not imported.verify_audit_chain()


def test_same_file_twice_changes_nothing(imported):
    before = _snapshot(imported)
    report = import_file(imported, SEED_DISTRICT)
    assert report.already_imported and report.source_id is None
    assert report.total("unchanged") == 53
    assert _snapshot(imported) == before


def _revised_city_text() -> str:
    text = SEED_CITY.read_text(encoding="utf-8")
    lines = text.split("\n")
    out = []
    for line in lines:
        cells = line.split("\t")
        if cells[0] == "17" and len(cells) == 6:
            continue  # task 17 dropped from the revised table
        if cells[0] == "1" and len(cells) == 6:
            cells[5] = "10 月底"  # deadline moved
            line = "\t".join(cells)
        if cells[0] == "2" and len(cells) == 6:
            line = line.replace("实时查询到办件所处的办理环节状态信息", "实时查询办件所处的办理环节和状态信息")
        out.append(line)
        if cells[0] == "49" and len(cells) == 6:
            out.append("50\t\t新增一项任务：开展政务服务满意度调查。\t许可处\t办公室\t11 月底")
    return "\n".join(out)


def test_revised_table_shows_diff_and_keeps_progress(imported):
    tasks = {r.task.seq: r.task for r in catalog.list_tasks(imported, department=catalog.ALL_DEPARTMENTS)
             if r.task.source_id == 2}
    kept, dropped = tasks["1"].id, tasks["17"].id
    with imported.transaction():
        for task_id in (kept, dropped):
            imported.conn.execute(
                "INSERT INTO progress(target_kind, target_id, department, status, note, updated_at) "
                "VALUES ('task', ?, '法制科', 'doing', '已开会部署', ?)", (task_id, now_iso()))
        imported.conn.execute("INSERT INTO evidence(id, sha256, original_name, size, added_at) "
                              "VALUES (1, 'ab', '会议纪要.pdf', 3, ?)", (now_iso(),))
        imported.conn.execute("INSERT INTO evidence_links VALUES (1, 'task', ?, ?)", (dropped, now_iso()))
    document = read_text(_revised_city_text(), name="市绿化市容局_任务分工表（修订）.txt")
    plan = plan_import(imported, document)
    task_plan = next(t for t in plan.tables if t.table.kind == "tasks")
    assert task_plan.previous is not None and task_plan.previous[0] == 2
    assert (task_plan.count("new"), task_plan.count("changed"), task_plan.count("removed")) == (1, 2, 1)
    changed = {c.label.split(".")[0]: c for c in task_plan.changes if c.status == "changed"}
    assert changed["1"].changed_fields == ("时间节点", "截止日期")
    assert changed["2"].old_id == tasks["2"].id
    removed = next(c for c in task_plan.changes if c.status == "removed")
    assert removed.old_id == dropped
    report = apply_import(imported, plan)
    assert report.source_id == 3 and report.total("removed") == 1
    after = catalog.get_task(imported, kept)
    assert after.deadline.date.isoformat() == "2023-10-31" and after.source_id == 3
    row = next(r for r in catalog.list_tasks(imported) if r.task.id == kept)
    assert row.status.value == "doing"
    gone = catalog.get_task(imported, dropped)
    assert gone.archived
    assert dropped not in {r.task.id for r in catalog.list_tasks(imported, department=catalog.ALL_DEPARTMENTS)}
    assert imported.conn.execute("SELECT count(*) FROM progress WHERE target_id = ?", (dropped,)).fetchone()[0] == 1
    assert imported.conn.execute("SELECT count(*) FROM evidence_links WHERE target_id = ?",
                                 (dropped,)).fetchone()[0] == 1
    assert [a.action for a in imported.audit_rows(f"task:{dropped}")] == ["task.archive"]
    # The items table did not change; the earlier source is superseded once all its rows moved on.
    assert report.total("unchanged") == 46 + 18
    superseded = imported.conn.execute("SELECT superseded_by FROM sources WHERE id = 2").fetchone()[0]
    assert superseded == 3
    again = import_text(imported, _revised_city_text(), name="again.txt")
    assert again.source_id is None and again.total("unchanged") == 49 + 18
    assert not imported.verify_audit_chain()


def test_cancel_leaves_nothing_behind(workspace):
    before = _snapshot(workspace)

    def cancel(done, total, message):
        if done >= 200:
            raise Cancelled("已取消。")

    plan = plan_import(workspace, read_text(_big_table(600), name="big.txt"))
    with pytest.raises(Cancelled):
        apply_import(workspace, plan, progress=cancel)
    assert _snapshot(workspace) == before


def _big_table(n: int) -> str:
    rows = ["序号\t任务名称\t任务内容\t牵头部门\t配合部门\t时间节点"]
    rows += [f"{i}\t分组{i // 50}\t第 {i} 项任务的内容\t法制科\t水气科、土壤科\t{i % 12 + 1}月底" for i in range(1, n + 1)]
    return "\n".join(rows)


def test_alias_renames_stored_rows(imported):
    renamed = catalog.set_alias(imported, "管理站（中心）", "管理站")
    assert renamed >= 3
    assert "管理站" in catalog.list_departments(imported)
    assert "管理站（中心）" not in catalog.list_departments(imported)
    t27 = next(r.task for r in catalog.list_tasks(imported, department="管理站") if r.task.seq == "27")
    assert t27.cooperating == ("管理站",)
    assert catalog.get_aliases(imported)["管理站（中心）"] == "管理站"


def test_cli_import_tasks_indicators(workspace_dir, cli):
    out = cli("import", SEED_CITY, "--json", workspace=workspace_dir)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["counts"] == {"tasks": 49, "items": 18}
    assert data["doc_number"] == "沪绿容〔2023〕177号"
    out = cli("import", SEED_DISTRICT, workspace=workspace_dir)
    assert out.returncode == 0 and "27 行" in out.stdout and "数据汇聚运用" in out.stdout
    again = cli("import", SEED_DISTRICT, workspace=workspace_dir)
    assert "已经导入过" in again.stdout
    tasks = json.loads(cli("tasks", "--json", workspace=workspace_dir).stdout)
    assert len(tasks) == 76
    t46 = next(t for t in tasks if t["seq"] == "46")
    assert set(t46) >= {"id", "seq", "group", "content", "lead", "cooperating", "deadline_text", "deadline",
                        "status"}
    assert t46["lead"] == ["法规处", "办公室"] and t46["deadline"] == "2023-12-31" and t46["status"] == "todo"
    mine = json.loads(cli("tasks", "--role", "lead", "--json", workspace=workspace_dir).stdout)
    assert {t["seq"] for t in mine} >= {"11", "12", "13"}
    inds = json.loads(cli("indicators", "--json", workspace=workspace_dir).stdout)
    assert len(inds) == 26 and set(inds[0]) >= {"id", "category", "level1", "level2", "explanation", "score",
                                                  "departments"}
    units = json.loads(cli("units", "--json", workspace=workspace_dir).stdout)
    assert units["aliases"] == {"市大数据中心": "大数据中心"}


def test_cli_unusable_input_exits_2(workspace_dir, cli, tmp_path):
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    out = cli("import", empty, workspace=workspace_dir)
    assert out.returncode == 2 and "空的" in out.stderr
    prose = tmp_path / "通知.txt"
    prose.write_text("姓名\t电话\n张三\t123\n", encoding="utf-8")
    out = cli("import", prose, workspace=workspace_dir)
    assert out.returncode == 2 and "姓名｜电话" in out.stderr
