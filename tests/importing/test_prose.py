"""Point 7 of issue 10: work plans whose units are assigned inline in the prose, from Word, text and paste; seed
003's body against its table (the table wins, nothing twice; the body alone gives its items)."""

from __future__ import annotations

import datetime as dt

from importing_helpers import SEED_CITY

from liaison_app.importing import import_file, import_text, read_document, read_text, recognise

PLAN = [
    "2024年区“一网通办”工作要点",
    "一、深化政务服务改革",
    "（一）推进“高效办成一件事”",
    "1. 拓展一件事场景",
    "年内新增企业和个人一件事场景各5个，实现线上线下同标准办理。（牵头单位：区政务服务办；配合单位：区市场监管局、区人社局）",
    "2. 优化帮办服务",
    "完善线上帮办，专业人员1分钟响应。（责任单位：区政务服务办、区大数据中心）",
    "（二）提升数据共享水平",
    "3. 推进电子证照应用，扩大亮证场景（牵头：区大数据中心 配合：各委办局；完成时限：2024年9月底）",
    "4. 开展数据质量提升行动。（区大数据中心牵头，区司法局配合）",
    "完成时限：每季度",
    "二、加强组织保障",
    "1. 加强宣传培训。",
    "5. 建立工作例会制度（区政务服务办负责）",
]


def _check(rec):
    [table] = rec.tables
    rows = table.rows
    assert [r.content.split("\n")[0] for r in rows] == [
        "拓展一件事场景", "优化帮办服务", "推进电子证照应用，扩大亮证场景", "开展数据质量提升行动。", "建立工作例会制度"]
    first, second, third, fourth, fifth = rows
    assert first.group == "一、深化政务服务改革 › （一）推进“高效办成一件事”"
    assert "年内新增企业和个人一件事场景各5个" in first.content
    assert first.lead == ("区政务服务办",) and first.cooperating == ("区市场监管局", "区人社局")
    assert second.lead == ("区政务服务办", "区大数据中心") and second.cooperating == ()
    assert third.group == "一、深化政务服务改革 › （二）提升数据共享水平"
    assert third.lead == ("区大数据中心",) and third.cooperating == ("各委办局",)
    assert third.deadline.date == dt.date(2024, 9, 30)
    assert fourth.lead == ("区大数据中心",) and fourth.cooperating == ("区司法局",)
    assert fourth.deadline.text == "每季度"  # 「完成时限：每季度」 on the line after it
    assert fifth.group == "二、加强组织保障" and fifth.lead == ("区政务服务办",)
    # 「1. 加强宣传培训。」 names no unit: not a task, and the user is told.
    assert any("1 个编号条目没有写明" in w for w in rec.warnings)
    assert all(r.lead for r in rows)


def test_plan_from_pasted_text():
    _check(recognise(read_text("\n".join(PLAN)), year=2024))


def test_plan_from_a_text_file_in_gbk(tmp_path):
    path = tmp_path / "工作要点.txt"
    path.write_bytes("\r\n\r\n".join(PLAN).encode("gb18030"))
    _check(recognise(read_document(path), year=2024))


def test_plan_from_word(tmp_path):
    import docx

    document = docx.Document()
    for line in PLAN:
        document.add_paragraph(line)
    document.save(tmp_path / "工作要点.docx")
    _check(recognise(read_document(tmp_path / "工作要点.docx"), year=2024))


def test_seed_003_table_wins_over_its_body(workspace):
    full = recognise(read_document(SEED_CITY))
    assert [(t.kind, len(t.rows)) for t in full.tables] == [("tasks", 49), ("items", 18)]
    assert not full.warnings
    report = import_file(workspace, SEED_CITY)
    assert report.counts == {"tasks": 49, "items": 18}


def test_seed_003_body_alone_gives_its_items(workspace):
    text = SEED_CITY.read_text(encoding="utf-8")
    body = text[: text.index("附表：2023")]
    rec = recognise(read_text(body))
    [table] = rec.tables
    assert len(table.rows) == 15 and table.origin == "正文"
    first = table.rows[0]
    assert first.content.startswith("深入推进主题集成服务\n围绕企业个人“全生命周期”")
    assert first.lead == ("许可处",) and first.cooperating == ("科信处", "大数据中心")
    # A paragraph broken in the middle of a sentence is joined back.
    assert "实现智能匹配、自动送达的服务方式" in table.rows[1].content
    assert table.rows[-1].lead == ("宣传处",) and table.rows[-1].cooperating == ("办公室", "许可处", "各相关部门")
    report = import_text(workspace, body, name="工作要点正文.txt")
    assert report.counts == {"tasks": 15}
