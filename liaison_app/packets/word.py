"""Word documents, for offices that edit before they submit: one monthly report laid out as offices write them
(title, unit, month, 一、背景 / 二、做法 / 三、成效), and the packet's report as report.docx (python-docx)."""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

from .. import cases as case_api
from .. import glossary as g
from ..errors import InputError
from ..model import CaseReport
from ..workspace import Workspace
from .content import PacketContent

__all__ = ["case_docx_bytes", "write_case_docx", "report_docx_bytes"]

_BODY_FONT: Final = "仿宋"
"""Offices write reports in 仿宋 with 黑体 headings and a 宋体 title; Word substitutes where one is missing."""
_HEADING_FONT: Final = "黑体"
_TITLE_FONT: Final = "宋体"
_SECTIONS: Final = (("一、背景", "background"), ("二、做法", "practice"), ("三、成效", "effect"))


def _font(run: Any, name: str, size: float, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word takes Chinese text's font from eastAsia; without it the run falls back to the Latin font.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _new_document(title: str, author: str, when: dt.datetime | None) -> Any:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = _BODY_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), _BODY_FONT)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, author, author
    if when is not None:
        naive = when.astimezone(dt.UTC).replace(tzinfo=None) if when.tzinfo else when
        props.created = props.modified = naive.replace(microsecond=0)
    return doc


def _title(doc: Any, text: str, size: float = 22) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(12)
    _font(p.add_run(text), _TITLE_FONT, size, bold=True)


def _line(doc: Any, text: str, *, size: float = 16, font: str = _BODY_FONT, bold: bool = False,
          center: bool = False, indent: bool = False) -> Any:
    p = doc.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.line_spacing = Pt(28) if size >= 14 else None
    _font(p.add_run(text), font, size, bold=bold)
    return p


def _paragraphs(text: str) -> Iterable[str]:
    return (part.strip() for part in text.replace("\r\n", "\n").split("\n") if part.strip())


def _month_label(month: str) -> str:
    return f"{month[:4]}年{int(month[5:])}月"


def _case_body(doc: Any, case: CaseReport, *, size: float = 16) -> None:
    filled = [(heading, getattr(case, attr)) for heading, attr in _SECTIONS if getattr(case, attr).strip()]
    for heading, text in filled:
        _line(doc, heading, font=_HEADING_FONT, size=size, indent=True)
        for para in _paragraphs(text):
            _line(doc, para, size=size, indent=True)
    if case.body.strip():
        if filled:
            _line(doc, "四、其他", font=_HEADING_FONT, size=size, indent=True)
        for para in _paragraphs(case.body):
            _line(doc, para, size=size, indent=True)


def case_docx_bytes(case: CaseReport, *, bureau: str, department: str,
                    generated_at: dt.datetime | None = None) -> bytes:
    """One monthly report as a Word document."""
    kind = case_api.KIND_LABELS.get(case.kind, str(case.kind))
    doc = _new_document(case.title, department, generated_at)
    _title(doc, case.title)
    _line(doc, f"{bureau}{department}", center=True, font="楷体")
    _line(doc, f"{_month_label(case.month)}　{kind}（{g.CASE_STATUS_LABELS[case.status]}）", center=True,
          font="楷体", size=14)
    _case_body(doc, case)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def write_case_docx(ws: Workspace, case_id: int, path: str | os.PathLike[str], *,
                    overwrite: bool = False) -> Path:
    """Export a monthly report to ``path`` (.docx); an existing file is kept unless ``overwrite``."""
    case = case_api.get_case(ws, case_id)
    target = Path(path)
    if target.suffix.lower() != ".docx":
        target = target.with_name(target.name + ".docx")
    if target.exists() and not overwrite:
        raise InputError(f"文件 {target} 已存在，未覆盖。", hint="请换一个文件名。")
    data = case_docx_bytes(case, bureau=ws.get_setting("bureau") or "", department=case.department)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb" if not overwrite else "wb") as fh:
            fh.write(data)
    except FileExistsError:
        raise InputError(f"文件 {target} 已存在，未覆盖。", hint="请换一个文件名。") from None
    except OSError as exc:
        raise InputError(f"无法写入 {target}：{exc.strerror or exc}。") from exc
    with ws.transaction():
        ws.audit("case.export", f"case:{case.id}", {"path": str(target), "format": "docx"})
    return target


def _table(doc: Any, header: list[str], rows: list[list[str]], widths_cm: list[float]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for cell, text, width in zip(table.rows[0].cells, header, widths_cm, strict=True):
        cell.width = Cm(width)
        _font(cell.paragraphs[0].add_run(text), _HEADING_FONT, 10.5)
    # Repeat the header row on every page.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    for values in rows:
        row = table.add_row()
        # Row.cells walks the whole table each time (quadratic for a long list); the row's own cells suffice.
        # The body text takes the document's default font and size (set once, not per run).
        for tc, text in zip(row._tr.tc_lst, values, strict=True):
            _Cell(tc, table).paragraphs[0].add_run(text)


def report_docx_bytes(content: PacketContent) -> bytes:
    """The packet's report as an editable Word document: cover lines, the period's tasks, monthly reports,
    indicators, evidence, and the review block."""
    c = content
    doc = _new_document(f"{c.department}{c.period.label}“一网通办”工作材料", c.liaison, c.generated_at)
    doc.styles["Normal"].font.size = Pt(10.5)  # table text; the headings and lines set their own sizes
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.left_margin, section.right_margin = Cm(2.0), Cm(2.0)
    if c.bureau:
        _line(doc, c.bureau, center=True, font=_HEADING_FONT)
    _title(doc, "“一网通办”工作材料")
    _line(doc, f"{c.department}　{c.period.label}", center=True, font="楷体")
    _line(doc, f"联络员：{c.liaison}　　统计截至：{c.today.isoformat()}　　生成时间：{c.generated_at:%Y-%m-%d %H:%M}",
          size=12, center=True)
    if c.sources:
        _line(doc, f"{g.DOCUMENT}：" + "；".join(
            f"{s.title or s.file_name}{'（' + s.doc_number + '）' if s.doc_number else ''}" for s in c.sources), size=12)

    _line(doc, "一、概况", font=_HEADING_FONT)
    counts = c.status_counts
    _line(doc, f"本期依据文件中{c.department}承担任务 {g.count(len(c.tasks), g.TASK)}，其中"
               + "，".join(f"{label} {g.count(counts[s], g.TASK)}" for s, label in g.STATUS_LABELS.items())
               + f"；本期内完成 {g.count(len(c.done_in_period), g.TASK)}；{g.OVERDUE} {g.count(len(c.overdue), g.TASK)}。"
               f"附{g.EVIDENCE} {g.count(len(c.evidence), g.EVIDENCE)}，{g.CASE}已定稿 {g.count(len(c.cases), g.CASE)}。",
          size=12, indent=True)
    for d in c.drafts:
        _line(doc, f"{_month_label(d.month)}《{d.title}》：{g.DRAFT_LEFT_OUT}。", size=12, indent=True)

    _line(doc, "二、任务清单", font=_HEADING_FONT)
    _table(doc, [g.SEQ, "任务内容", g.ROLE, g.DEADLINE, g.STATUS, "完成日期", g.NOTE],
           [[t.task.seq, t.task.content, g.ROLE_LABELS[t.role], t.task.deadline.text or "—",
             g.STATUS_LABELS[t.status], t.completed_on.isoformat() if t.completed_on else "", t.note]
            for t in c.tasks], [1.2, 6.5, 1.2, 2.0, 1.5, 2.2, 3.4])

    _line(doc, "三、月度案例", font=_HEADING_FONT)
    if not c.cases:
        _line(doc, f"{c.period.label}没有已定稿的{g.CASE}。", size=12, indent=True)
    for entry in c.cases:
        case = entry.case
        kind = case_api.KIND_LABELS.get(case.kind, str(case.kind))
        _line(doc, f"{_month_label(case.month)}　{kind}：{case.title}", font=_HEADING_FONT, size=14)
        _case_body(doc, case, size=12)

    _line(doc, "四、考核指标自评", font=_HEADING_FONT)
    _table(doc, ["一级指标", "二级指标", g.MAX_SCORE, g.SELF_SCORE, g.STATUS],
           [[i.indicator.level1, i.indicator.level2, _score(i.max_score), _score(i.self_score),
             g.STATUS_LABELS[i.status]] for i in c.indicators], [3.5, 8.0, 1.8, 1.8, 2.0])
    _line(doc, f"自评合计 {_score(c.self_score_total)} 分，{g.MAX_SCORE} {_score(c.max_score_total)} 分。", size=12)

    _line(doc, f"五、{g.EVIDENCE}", font=_HEADING_FONT)
    _table(doc, [g.SEQ, "材料包内文件", "关联任务", "日期"],
           [[str(n), e.packet_name, "、".join(e.task_seqs) or "—",
             (e.evidence.evidence_date.isoformat() if e.evidence.evidence_date else e.evidence.added_at[:10])]
            for n, e in enumerate(c.evidence, start=1)], [1.2, 9.0, 4.0, 3.0])

    _line(doc, "审核与盖章", font=_HEADING_FONT)
    _table(doc, ["科室负责人审核意见", "签字", "盖章", "日期"], [["", "", "", "　　年　　月　　日"]],
           [6.0, 3.5, 4.0, 4.0])
    doc.tables[-1].rows[1].height = Cm(3.0)
    _line(doc, "本文件为可编辑版本；经电子签名、供核验的是材料包中的 report.pdf。", size=10.5)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _score(value: float | None) -> str:
    return "—" if value is None else f"{round(value, 2):g}"
