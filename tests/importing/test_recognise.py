"""Reading and recognising the two seed documents, deadlines, unit splitting, and random grids."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liaison_app.errors import ImportFailed
from liaison_app.importing import (
    Document,
    Grid,
    parse_deadline,
    read_text,
    recognise,
    split_units,
)


def _by_seq(table):
    return {row.seq: row for row in table.rows}


def test_district_document_metadata(district):
    doc = district.document
    assert doc.doc_number == "沪松环〔2023〕14号"
    assert doc.issuer == "上海市松江区生态环境局"
    assert doc.doc_date == dt.date(2023, 6, 6)
    assert doc.year == 2023
    assert doc.title.startswith("关于印发《2023年区生态环境局")


def test_district_tasks(district):
    [tasks] = district.of_kind("tasks")
    assert len(tasks.rows) == 27
    assert [r.seq for r in tasks.rows] == [str(n) for n in range(1, 28)]
    rows = _by_seq(tasks)
    # Groups are written on the first row only and carried down, across the repeated headers.
    assert rows["8"].group == "推动“一网通办”改革向纵深发展"
    assert rows["16"].group == "集成创新多元监管方式"
    assert rows["27"].group == "加强组织保障"
    assert rows["9"].lead == ("执法大队", "监测站")
    assert rows["1"].lead == ("办公室",) and rows["1"].cooperating == ("各相关科室",)
    assert rows["3"].cooperating == ()
    assert rows["13"].cooperating == ("执法大队",)
    assert rows["9"].cells[3] == ("牵头部门", "执法大队、监测站")


def test_district_indicators(district):
    [table] = district.of_kind("indicators")
    rows = table.rows
    assert len(rows) == 26
    first = rows[0]
    assert (first.category, first.category_score, first.level1, first.level1_score) == ("基础工作", 20, "组织领导", 10)
    # "政务服务 标准化便利化" after the page break is the same group as "政务服务标准化便利化".
    level1s = list(dict.fromkeys(r.level1 for r in rows))
    assert level1s == ["组织领导", "宣传工作", "政务服务标准化便利化", "政务服务智能化集约化", "数据汇聚运用"]
    by_name = {r.level2: r for r in rows}
    licence = by_name["电子证照管理及应用"]
    assert "同步制发" in licence.explanation and "社会化场景" in licence.explanation
    assert licence.departments == ("各科室、单位",)
    na = by_name["政务服务地图"]
    assert na.not_applicable and na.departments == () and na.score == 2
    # Two merged 20-point blocks: the score sits on the first row, the others share it.
    code = by_name["“随申码”应用"]
    assert code.score == 20 and code.shared_group is not None
    assert {r.level2 for r in rows if r.shared_group == code.shared_group} == {
        "“随申码”应用", "企业专属网页", "电子证照管理及应用", "“区块链+电子材料”应用"}
    assert by_name["企业专属网页"].score is None
    one_thing = by_name["“一件事”"]
    assert one_thing.score == 20 and one_thing.shared_group != code.shared_group
    assert sum(1 for r in rows if r.shared_group == one_thing.shared_group) == 5
    assert not any(r.score == 0 for r in rows)
    total_warnings = [w for w in table.warnings if "数据汇聚运用" in w]
    assert len(total_warnings) == 1
    assert "15 分" in total_warnings[0] and "55 分" in total_warnings[0]
    assert not any("政务服务标准化便利化" in w for w in table.warnings)
    assert any("政务服务地图" in w and "不涉及" in w for w in table.warnings)


def test_city_tasks_and_items(city):
    doc = city.document
    assert doc.doc_number == "沪绿容〔2023〕177号" and doc.year == 2023
    [tasks] = city.of_kind("tasks")
    [items] = city.of_kind("items")
    assert len(tasks.rows) == 49 and len(items.rows) == 18
    rows = _by_seq(tasks)
    assert rows["1"].deadline.text == "9 月底" and rows["1"].deadline.date == dt.date(2023, 9, 30)
    assert rows["3"].deadline.text == "全年" and rows["3"].deadline.date is None
    assert rows["15"].deadline.date == dt.date(2023, 3, 31)
    assert rows["46"].lead == ("法规处", "办公室")
    assert rows["2"].group == rows["1"].group == "（一）提升政务服务线上线下全过程智能化水平"
    assert rows["17"].cooperating == ()
    assert items.rows[0].name == "对植物调运检疫的许可" and items.rows[0].lead == ("林业总站",)
    assert items.rows[-1].seq == "18" and items.rows[-1].category == "其他"
    assert not city.warnings


def test_year_override_moves_deadlines(city):
    again = recognise(city.document, year=2024)
    assert again.of_kind("tasks")[0].rows[0].deadline.date == dt.date(2024, 9, 30)


def test_kind_filter_and_column_override(district):
    only = recognise(district.document, kind="indicators")
    assert [t.kind for t in only.tables] == ["indicators"]
    with pytest.raises(ImportFailed, match="事项清单"):
        recognise(district.document, kind="items")
    # The wizard lets the user say the 配合部门 column is not to be used.
    changed = recognise(district.document, column_roles={0: {4: None}})
    assert all(r.cooperating == () for r in changed.of_kind("tasks")[0].rows)


@pytest.mark.parametrize(("text", "expected"), [
    ("9 月底", dt.date(2023, 9, 30)),
    ("6月底前", dt.date(2023, 6, 30)),
    ("2024年12月", dt.date(2024, 12, 31)),
    ("10月31日前", dt.date(2023, 10, 31)),
    ("三季度", dt.date(2023, 9, 30)),
    ("二季度末", dt.date(2023, 6, 30)),
    ("上半年", dt.date(2023, 6, 30)),
    ("年底前", dt.date(2023, 12, 31)),
    ("6月底前完成方案，12月底前全面推开", dt.date(2023, 12, 31)),
    ("2023-11-15", dt.date(2023, 11, 15)),
    ("全年", None), ("持续推进", None), ("长期坚持", None), ("常态化", None), ("每季度", None),
])
def test_deadlines(text, expected):
    parsed = parse_deadline(text, 2023)
    assert parsed.date == expected and parsed.understood and parsed.text == text


def test_deadline_not_understood_is_reported():
    doc = read_text("序号\t任务内容\t牵头部门\t时间节点\n1\t做一件事\t法制科\t看情况\n", name="t.txt")
    rec = recognise(doc, year=2023)
    assert rec.tables[0].rows[0].deadline.date is None
    assert any("看情况" in w for w in rec.warnings)
    no_year = recognise(read_text("序号\t任务内容\t牵头部门\t时间节点\n1\t做一件事\t法制科\t9月底\n"))
    assert any("--year" in w for w in no_year.warnings)


@pytest.mark.parametrize(("cell", "lead", "coop", "unmarked"), [
    ("许可处 配合：科信处", ("许可处",), ("科信处",), ()),
    ("牵头：许可处 配合：市容处、质监中心", ("许可处",), ("市容处", "质监中心"), ()),
    ("法制科牵头，水气科、土壤科配合", ("法制科",), ("水气科", "土壤科"), ()),
    ("办公室（牵头）、法制科", ("办公室",), (), ("法制科",)),
    ("法制科、水气科、土壤科、环评科", (), (), ("法制科", "水气科", "土壤科", "环评科")),
    ("法规处 办公室", (), (), ("法规处", "办公室")),
    ("管理站(中心)", (), (), ("管理站（中心）",)),
    ("各科室、单位", (), (), ("各科室、单位",)),
    ("无", (), (), ()), ("/", (), (), ()), ("", (), (), ()),
])
def test_split_units(cell, lead, coop, unmarked):
    split = split_units(cell)
    assert (split.lead, split.cooperating, split.unmarked) == (lead, coop, unmarked)


def test_whole_text_without_table_fails_plainly():
    with pytest.raises(ImportFailed, match="没有表格"):
        recognise(read_text("只是一段话，没有表格。\n第二段。"))
    with pytest.raises(ImportFailed, match="看到的表头是：姓名｜电话"):
        recognise(read_text("姓名\t电话\n张三\t123\n李四\t456\n"))


_cell = st.one_of(
    st.sampled_from(["", "", "序号", "任务内容", "牵头部门", "配合部门", "时间节点", "一级指标", "二级指标",
                     "分值", "责任科室", "事项名称", "9 月底", "全年", "20", "不涉及", "基础工作 (20 分)",
                     "法制科、水气科", "牵头：许可处 配合：科信处", "----", "（一）", "1."]),
    st.text(max_size=12),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_cell, min_size=0, max_size=7), min_size=0, max_size=12),
       st.sets(st.tuples(st.integers(0, 11), st.integers(0, 6)), max_size=6),
       st.sampled_from(["auto", "tasks", "indicators", "items"]),
       st.one_of(st.none(), st.integers(1990, 2100)))
def test_random_grids_only_ever_fail_with_import_failed(rows, continued, kind, year):
    width = max((len(r) for r in rows), default=0)
    grid = Grid(rows=tuple(tuple(r + [""] * (width - len(r))) for r in rows), origin="随机表格",
                continued=frozenset(continued))
    doc = Document(file_name="random", sha256="0", title=None, issuer=None, doc_number=None, doc_date=None,
                   year=None, grids=(grid, grid))
    try:
        result = recognise(doc, kind=kind, year=year)
    except ImportFailed:
        return
    assert result.tables and all(t.rows for t in result.tables)
