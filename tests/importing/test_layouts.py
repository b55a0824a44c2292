"""Issue 10's layouts, each from a fixture the test writes: merged headers, the header words bureaus write, lead
and 责任单位 side by side, unit cells written as sentences, deadlines outside their column, section rows and two
levels of groups."""

from __future__ import annotations

import datetime as dt

import pytest

from liaison_app.errors import ImportFailed
from liaison_app.importing import read_document, read_text, recognise, split_units


def _xlsx(path, rows, merges=()):
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    for ref in merges:
        wb.active.merge_cells(ref)
    wb.save(path)
    return path


def _docx(path, header, rows, *, span_header: int | None = None):
    """A Word table; with ``span_header`` the header cell at that column spans it and the next (gridSpan)."""
    import docx

    document = docx.Document()
    document.add_paragraph("2024年重点工作任务分工")
    table = document.add_table(rows=len(rows) + 1, cols=len(header) + (1 if span_header is not None else 0))
    cols = list(header)
    if span_header is not None:
        cols.insert(span_header + 1, "")
    for c, text in enumerate(cols):
        table.cell(0, c).text = text
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    if span_header is not None:
        table.cell(0, span_header).merge(table.cell(0, span_header + 1))
        table.cell(0, span_header).text = header[span_header]
    document.save(path)
    return path


# ----- 1. a header merged across two columns ---------------------------------------------------------------------
def test_merged_header_over_number_and_text_columns(tmp_path):
    rows = [["工作任务", "具体要求", None, "责任单位", "完成时限"],
            ["优化营商环境", 1, "推进“高效办成一件事”，年内新增10个场景", "办公室", "12月底前"],
            [None, 2, "深化电子证照应用，扩大亮证场景", "法制科", "9月底"]]
    path = _xlsx(tmp_path / "merged.xlsx", rows, merges=["B1:C1", "A2:A3"])
    [table] = recognise(read_document(path), year=2024).tables
    first, second = table.rows
    assert (first.seq, first.content) == ("1", "推进“高效办成一件事”，年内新增10个场景")
    assert (second.seq, second.content, second.group) == ("2", "深化电子证照应用，扩大亮证场景", "优化营商环境")
    assert table.roles[:3] == ("group", "seq", "content")
    assert not any("含义重复" in w for w in table.warnings)


def test_word_header_with_grid_span(tmp_path):
    path = _docx(tmp_path / "span.docx", ["具体要求", "牵头单位"],
                 [["1", "完善数据共享目录，推进数源工程", "科信处"], ["2", "开展好差评整改", "许可处"]],
                 span_header=0)
    [table] = recognise(read_document(path)).tables
    assert [(r.seq, r.content, r.lead) for r in table.rows] == [
        ("1", "完善数据共享目录，推进数源工程", ("科信处",)), ("2", "开展好差评整改", ("许可处",))]


# ----- 2. header words ---------------------------------------------------------------------------------------------
def test_header_words_bureaus_write():
    text = ("序号\t主要任务\t具体举措\t责任主体\t分管领导\t1-10月推进情况\n"
            "1\t数字政府建设\t推进“一网通办”平台迭代升级\t科信处牵头，许可处配合\t张副局长\t已完成需求调研\n")
    [table] = recognise(read_text(text), year=2024).tables
    [row] = table.rows
    assert row.group == "数字政府建设" and row.content == "推进“一网通办”平台迭代升级"
    assert row.lead == ("科信处",) and row.cooperating == ("许可处",)
    # The leader is a person, not a unit; the progress column is a note: both kept with the row's cells.
    assert "张副局长" not in row.lead + row.cooperating
    assert dict(row.cells)["分管领导"] == "张副局长" and dict(row.cells)["1-10月推进情况"] == "已完成需求调研"
    assert table.roles[4:] == ("note", "note")


@pytest.mark.parametrize("content_header", ["全年目标任务", "目标任务", "工作任务", "重点任务", "工作措施"])
def test_single_text_column_under_any_task_word(content_header):
    text = f"序号\t{content_header}\t责任\n单位\n1\t完成政务服务事项标准化梳理\t法制科\n"
    text = f"序号\t{content_header}\t\"责任\n单位\"\n1\t完成政务服务事项标准化梳理\t法制科\n"
    [table] = recognise(read_text(text)).tables
    [row] = table.rows
    assert row.content == "完成政务服务事项标准化梳理" and row.lead == ("法制科",)


def test_longest_text_column_is_the_content_when_no_header_says_so():
    text = ("序号\t工作部署\t责任单位\t完成时间\n"
            "1\t梳理高频事项清单并制定办事指南\t办公室\t6月底前\n"
            "2\t组织窗口人员业务培训\t法制科\t9月底\n")
    rec = recognise(read_text(text), year=2024)
    [table] = rec.tables
    assert [r.content for r in table.rows] == ["梳理高频事项清单并制定办事指南", "组织窗口人员业务培训"]
    assert any("文字最长的「工作部署」列" in w for w in rec.warnings)


def test_refusal_names_the_missing_role_and_shows_headers_on_one_line():
    with pytest.raises(ImportFailed) as info:
        recognise(read_text("姓名\t电话\t科室\n张三\t123\t法制科\n李四\t456\t办公室\n"))
    message = str(info.value)
    assert "缺少“任务内容”和“牵头部门”列" in message
    assert "姓名｜电话｜科室" in message and "\n" not in message
    with pytest.raises(ImportFailed, match="缺少“任务内容”列.*看到的表头是：序号｜责任单位"):
        recognise(read_text("序号\t责任单位\n1\t法制科\n2\t办公室\n"))


# ----- 3. 牵头单位 and 责任单位 side by side ------------------------------------------------------------------------
def test_item_table_keeps_both_unit_columns():
    text = "序号\t事项名称\t事项分类\t牵头单位\t责任处室\n1\t对迁移树木的许可\t许可\t许可处\t科信处\n"
    rec = recognise(read_text(text))
    [table] = rec.tables
    assert table.kind == "items" and table.rows[0].lead == ("许可处",) and table.rows[0].cooperating == ("科信处",)
    assert not any("含义重复" in w for w in rec.warnings)


def test_lead_and_responsible_columns_side_by_side():
    text = ("序号\t任务内容\t牵头单位\t责任单位\n"
            "1\t推进跨省通办\t办公室\t法制科、办公室、土壤科\n"
            "2\t深化好差评\t许可处\t\n")
    rec = recognise(read_text(text))
    [table] = rec.tables
    first, second = table.rows
    assert first.lead == ("办公室",) and first.cooperating == ("法制科", "土壤科")
    assert second.lead == ("许可处",) and second.cooperating == ()
    assert not any("含义重复" in w for w in rec.warnings)


# ----- 4. unit cells written as sentences --------------------------------------------------------------------------
@pytest.mark.parametrize(("cell", "lead", "coop", "unmarked"), [
    ("法制科、水气科负责落实", (), (), ("法制科", "水气科")),
    ("办公室牵头，法制科等政府各有关部门负责落实", ("办公室",), ("法制科", "政府各有关部门"), ()),
    ("由法制科负责", (), (), ("法制科",)),
    ("办公室会同法制科", ("办公室",), ("法制科",), ()),
    ("办公室会同法制科负责落实", ("办公室",), ("法制科",), ()),
    ("办公室（牵头）", ("办公室",), (), ()),
    ("各区政府、法制科", (), (), ("各区政府", "法制科")),
    ("法制科参与", (), ("法制科",), ()),
])
def test_unit_sentences(cell, lead, coop, unmarked):
    split = split_units(cell)
    assert (split.lead, split.cooperating, split.unmarked) == (lead, coop, unmarked)
    assert not any(name.endswith(("负责落实", "负责", "落实")) for name in lead + coop + unmarked)


def test_sentence_cells_in_a_table_give_roles_and_collectives():
    from liaison_app.units import is_collective

    text = ("序号\t任务内容\t责任单位\n"
            "1\t推进跨省通办\t办公室牵头，法制科等政府各有关部门负责落实\n"
            "2\t优化办事指南\t法制科、水气科负责落实\n")
    first, second = recognise(read_text(text)).tables[0].rows
    assert first.lead == ("办公室",) and first.cooperating == ("法制科", "政府各有关部门")
    assert is_collective("政府各有关部门")
    assert second.lead == ("法制科", "水气科")


# ----- 5. a deadline outside the deadline column -------------------------------------------------------------------
def test_deadline_from_note_or_end_of_content():
    text = ("序号\t任务内容\t牵头部门\t时间节点\t备注\n"
            "1\t制定实施方案\t办公室\t\t11月底前完成\n"
            "2\t推进电子证照扩大应用，于6月底前完成\t法制科\t\t\n"
            "3\t开展培训\t法制科\t9月底\t10月底前完成评估\n"
            "4\t完善制度，6月份召开会议部署\t法制科\t\t\n")
    rows = recognise(read_text(text), year=2024).tables[0].rows
    assert rows[0].deadline.date == dt.date(2024, 11, 30) and "摘自备注" in rows[0].deadline.text
    assert rows[1].deadline.date == dt.date(2024, 6, 30) and "摘自任务内容" in rows[1].deadline.text
    assert rows[1].content == "推进电子证照扩大应用，于6月底前完成"  # the content keeps its words
    assert rows[2].deadline.text == "9月底"  # the column wins
    assert rows[3].deadline.date is None  # a month in the middle of a sentence is not a deadline


def test_deadline_from_content_without_a_deadline_column():
    text = "序号\t任务内容\t牵头部门\n1\t完成数据目录编制，确保年底前完成\t科信处\n"
    [row] = recognise(read_text(text), year=2024).tables[0].rows
    assert row.deadline.date == dt.date(2024, 12, 31) and row.deadline.text.endswith("（摘自任务内容）")


# ----- 6. section rows and two levels of groups ---------------------------------------------------------------------
def test_section_rows_and_two_group_columns(tmp_path):
    rows = [["序号", "任务类别", "工作事项", "具体任务", "牵头单位"],
            ["一、年底前专项工作任务", None, None, None, None],
            [1, "营商环境", "一件事", "推进高效办成一件事", "办公室"],
            [2, None, "电子证照", "扩大电子证照应用", "法制科"],
            ["二、常态化工作", None, None, None, None],
            [3, "数据治理", "数源工程", "完善数据目录", "科信处"]]
    path = _xlsx(tmp_path / "sections.xlsx", rows, merges=["A2:E2", "A5:E5", "B3:B4"])
    [table] = recognise(read_document(path)).tables
    groups = [r.group for r in table.rows]
    assert groups == ["一、年底前专项工作任务 › 营商环境 › 一件事", "一、年底前专项工作任务 › 营商环境 › 电子证照",
                      "二、常态化工作 › 数据治理 › 数源工程"]
    assert not any("分节标题" in w for w in table.warnings)


def test_chinese_numbered_headings_nest():
    text = ("序号\t任务内容\t牵头部门\t配合部门\n"
            "一、优化营商环境\t\t\t\n"
            "（一）推进一件事\t\t\t\n"
            "1\t梳理事项\t办公室\t法制科\n"
            "（二）电子证照\t\t\t\n"
            "2\t扩大应用\t法制科\t\n"
            "二、数据治理\t\t\t\n"
            "3\t完善目录\t科信处\t\n")
    rows = recognise(read_text(text)).tables[0].rows
    assert [r.group for r in rows] == ["一、优化营商环境 › （一）推进一件事", "一、优化营商环境 › （二）电子证照",
                                       "二、数据治理"]


def test_merged_header_copied_out_of_word_loses_its_span():
    text = ("工作任务\t具体要求\t\t牵头单位\n"
            "优化营商环境\t1\t推进高效办成一件事\t办公室\n"
            "\t2\t深化电子证照应用\t法制科\n")
    rows = recognise(read_text(text)).tables[0].rows
    assert [(r.seq, r.content) for r in rows] == [("1", "推进高效办成一件事"), ("2", "深化电子证照应用")]


# ----- 9 and 10. a success that is not one; column roles on the command line ---------------------------------------
NUMBERS_AS_CONTENT = ("序号\t任务内容\t说明\t牵头单位\n"
                      "1\t1\t推进高效办成一件事\t办公室\n"
                      "2\t2\t深化电子证照应用\t法制科\n"
                      "3\t3\t开展好差评整改\t\n")


def test_numbers_as_task_text_and_empty_unit_column_are_doubted():
    rec = recognise(read_text(NUMBERS_AS_CONTENT))
    [doubt] = rec.doubts
    assert "3 条任务中有 3 条" in doubt and "只是一个数字" in doubt
    empty_units = recognise(read_text("序号\t任务内容\t牵头单位\n1\t做甲\t\n2\t做乙\t\n3\t做丙\t办公室\n"))
    assert any("没有牵头部门" in d for d in empty_units.doubts)
    assert not recognise(read_text(NUMBERS_AS_CONTENT), column_roles={0: {2: "content"}}).doubts


def test_cli_warns_before_the_summary_and_takes_column_roles(cli, workspace_dir, tmp_path):
    path = tmp_path / "任务 表.txt"
    path.write_text(NUMBERS_AS_CONTENT, encoding="utf-8")
    proc = cli("import", path, workspace=workspace_dir)
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("警告：") and "只是一个数字" in lines[0]
    fixed = tmp_path / "任务 表2.txt"
    fixed.write_text(NUMBERS_AS_CONTENT.replace("开展好差评整改", "开展好差评整改工作"), encoding="utf-8")
    proc = cli("import", fixed, "--column", "3=content", "--column", "4=牵头部门", "--json",
               workspace=workspace_dir)
    assert proc.returncode == 0, proc.stderr
    import json

    out = json.loads(proc.stdout)
    assert out["doubts"] == []
    assert [r["content"] for r in out["tables"][0]["rows"]] == ["推进高效办成一件事", "深化电子证照应用",
                                                              "开展好差评整改工作"]
    bad = cli("import", fixed, "--column", "3=正文", workspace=workspace_dir)
    assert bad.returncode == 2 and "不认识的含义「正文」" in bad.stderr


def test_json_into_head_ends_quietly(workspace_dir):
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from importing_helpers import SEED_CITY

    if shutil.which("head") is None:
        pytest.skip("no head command here")
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONIOENCODING="utf-8", LIAISON_WORKSPACE=str(workspace_dir))
    command = f'"{sys.executable}" -m liaison_app import "{SEED_CITY}" --json | head -n 2'
    proc = subprocess.run(command, shell=True, capture_output=True, text=True, encoding="utf-8",
                          env=env, cwd=root, timeout=120)
    assert len(proc.stdout.splitlines()) == 2
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr, proc.stderr


def test_word_section_row_spanning_the_table(tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=4, cols=4)
    for c, text in enumerate(("序号", "任务内容", "牵头单位", "时间节点")):
        table.cell(0, c).text = text
    section = table.cell(1, 0).merge(table.cell(1, 3))
    section.text = "一、年底前专项工作任务"
    for r, row in ((2, ("1", "推进高效办成一件事", "办公室", "11月底前")), (3, ("2", "扩大电子证照应用", "法制科", ""))):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(tmp_path / "分节.docx")
    rows = recognise(read_document(tmp_path / "分节.docx"), year=2024).tables[0].rows
    assert [(r.seq, r.group) for r in rows] == [("1", "一、年底前专项工作任务"), ("2", "一、年底前专项工作任务")]
    assert rows[0].deadline.date == dt.date(2024, 11, 30) and rows[1].deadline.text == ""
