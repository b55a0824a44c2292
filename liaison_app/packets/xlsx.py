"""The packet's Excel report (report.xlsx): the tasks, evidence, monthly reports and indicators of the PDF as sheets
an inspector can sort and filter. Every text is stored as text, never a formula, and equal content gives equal bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any, Final, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from .. import cases as case_api
from .. import glossary as g
from ..jobs import ProgressFn, report
from ..model import ROLE_LABELS, STATUS_LABELS, DueState, Status
from .content import PacketContent

__all__ = ["SHEET_NAMES", "DUE_LABELS", "render_xlsx", "render_xlsx_bytes", "excel_text"]

SHEET_NAMES: Final = ("任务清单", "证据清单", "每月案例", "考核指标", "说明")

DUE_LABELS: Final = {
    DueState.OVERDUE: "已逾期",
    DueState.DUE_SOON: "即将到期",
    DueState.ON_TRACK: "未到期",
    DueState.NO_DEADLINE: "无固定期限",
    DueState.DONE: "已办结",
}

_DATE_FORMAT: Final = "yyyy-mm-dd"
_HEADER_FILL: Final = PatternFill("solid", fgColor="D9E1F2")
_HEADER_FONT: Final = Font(bold=True)
_HEADER_BORDER: Final = Border(bottom=Side(style="thin", color="8EA9DB"))
_TOTAL_BORDER: Final = Border(top=Side(style="thin", color="808080"))
_WRAP_TOP: Final = Alignment(wrap_text=True, vertical="top")
_HEADER_ALIGN: Final = Alignment(wrap_text=True, vertical="center")
_HASH_FONT: Final = Font(name="Consolas")
_NOTE_FONT: Final = Font(italic=True, color="808080")

# Status cells are coloured (Excel's own 好/适中/中性 palette) and keep their words, so a black-and-white print
# still says everything.
_STATUS_STYLE: Final = {
    "已完成": (PatternFill("solid", fgColor="C6EFCE"), Font(color="006100")),
    "进行中": (PatternFill("solid", fgColor="FFEB9C"), Font(color="9C5700")),
    "未开始": (PatternFill("solid", fgColor="EDEDED"), Font(color="404040")),
    "不涉及": (PatternFill("solid", fgColor="DDEBF7"), Font(color="1F4E78")),
    "已定稿": (PatternFill("solid", fgColor="C6EFCE"), Font(color="006100")),
    "草稿": (PatternFill("solid", fgColor="FFEB9C"), Font(color="9C5700")),
}
_DUE_FONT: Final = {"已逾期": Font(color="C00000", bold=True), "即将到期": Font(color="C65911")}

# Characters XML 1.0 (and so Excel) cannot hold; a pasted note can carry them.
_ILLEGAL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MAX_CELL: Final = 32767
_CUT_NOTE: Final = "……（内容过长，已截断；全文见 report.pdf）"
_FORMULA_LEAD: Final = ("=", "+", "-", "@")

Kind = Literal["text", "long", "date", "int", "score", "hash", "status", "due", "count"]


@dataclass(frozen=True)
class _Col:
    header: str
    kind: Kind = "text"
    cap: int = 24
    """The widest the column may grow (in widths of "0"); long text wraps inside it."""


def excel_text(value: str) -> tuple[str, bool]:
    """The text as a cell may hold it, and whether a spreadsheet would take it for a formula if it were typed in
    (starts with = + - @, also after blanks, or with a tab or line break)."""
    text = _ILLEGAL.sub("\ufffd", value)
    if len(text) > _MAX_CELL:
        text = text[: _MAX_CELL - len(_CUT_NOTE)] + _CUT_NOTE
    risky = text[:1] in ("\t", "\r", "\n") or text.lstrip(" \t\r\n\u3000").startswith(_FORMULA_LEAD)
    return text, risky


def _put(cell: Cell, value: Any) -> None:
    """Write a value; a str is always a string cell (openpyxl would make "=…" a formula)."""
    if isinstance(value, str):
        if not value:
            return
        text, risky = excel_text(value)
        cell.value = text
        cell.data_type = "s"
        if risky:
            # quotePrefix is Excel's own "this is text" mark: the cell stays text even when a user edits it.
            cell.quotePrefix = True
    elif isinstance(value, dt.datetime):
        # Excel has no time zones; the wall-clock time is what the reader expects.
        cell.value = value.replace(tzinfo=None)
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = _DATE_FORMAT
    elif value is not None:
        cell.value = value


def _display_width(value: Any, cap: int = 1000) -> int:
    """Width in widths of "0" (a CJK or full-width character takes about two), measured no further than ``cap``."""
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, float):
        value = f"{value:g}"
    widest = 0
    for line in str(value).split("\n"):
        # Every character is at least one wide, so the first ``cap`` of them decide whether the line reaches it.
        w = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line[:cap])
        if w >= cap:
            return cap
        widest = max(widest, w)
    return widest


def _fill_status(cell: Cell, label: str) -> None:
    style = _STATUS_STYLE.get(label)
    if style:
        cell.fill, cell.font = style


def _write_table(ws: Worksheet, columns: Sequence[_Col], rows: Sequence[Sequence[Any]], *, empty_note: str,
                 total: Sequence[Any] | None = None, progress: ProgressFn | None = None, done: int = 0,
                 grand_total: int | None = None) -> int:
    """A header row (frozen, filtered) and the rows; returns the progress count after the last row."""
    for c, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=c)
        _put(cell, col.header)
        cell.font, cell.fill, cell.border, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_BORDER, _HEADER_ALIGN
    widths = [_display_width(col.header) for col in columns]
    for r, values in enumerate(rows, start=2):
        for c, (col, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = ws.cell(row=r, column=c)
            _put(cell, value)
            cell.alignment = _WRAP_TOP
            if col.kind == "status" and isinstance(value, str):
                _fill_status(cell, value)
            elif col.kind == "due" and isinstance(value, str) and value in _DUE_FONT:
                cell.font = _DUE_FONT[value]
            elif col.kind == "hash":
                cell.font = _HASH_FONT
            elif col.kind == "int":
                cell.number_format = "#,##0"
            if widths[c - 1] < col.cap:
                widths[c - 1] = max(widths[c - 1], _display_width(value, col.cap))
        done += 1
        if done % 50 == 0:
            report(progress, done, grand_total, f"写入表格「{ws.title}」")
    last = len(rows) + 1
    end = get_column_letter(len(columns))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{end}{last}"
    ws.print_title_rows = "1:1"
    _fit_rows(ws, [col.header for col in columns], rows, [
        _HASH_WIDTH if col.kind == "hash" else float(min(max(w + 2, 6), col.cap))
        for col, w in zip(columns, widths, strict=True)])
    if not rows:
        note = ws.cell(row=2, column=1)
        _put(note, empty_note)
        note.font = _NOTE_FONT
    if total is not None and rows:
        # Outside the filter range, so sorting the data never moves the total.
        r = last + 1
        for c, value in enumerate(total, start=1):
            cell = ws.cell(row=r, column=c)
            _put(cell, value)
            cell.font, cell.border, cell.alignment = _HEADER_FONT, _TOTAL_BORDER, _WRAP_TOP
    for c, (col, width) in enumerate(zip(columns, widths, strict=True), start=1):
        if col.kind == "hash":
            size = _HASH_WIDTH
        else:
            size = float(min(max(width + 2, 6), col.cap))
        ws.column_dimensions[get_column_letter(c)].width = size
    _page_setup(ws)
    return done


_HASH_WIDTH: Final = 68.0
_LINE_POINTS: Final = 15.0
"""Height of one wrapped line of 11-point text (Chinese included), in points."""
_MAX_ROW_POINTS: Final = 409.0
"""The tallest row a spreadsheet allows."""


def _lines(value: Any, width: float) -> int:
    """How many lines a wrapped cell of ``width`` (in widths of "0") takes for ``value``."""
    if value is None or value == "":
        return 1
    room = max(width - 1.5, 1.0)
    total = 0
    for line in str(value).split("\n"):
        total += max(1, -(-_display_width(line, 100_000) // int(room)))
    return total


def _fit_rows(ws: Worksheet, header: Sequence[str] | None, rows: Sequence[Sequence[Any]],
              widths: Sequence[float]) -> None:
    """Row heights that hold the wrapped text: spreadsheets do not grow a row written by a program, so without
    them wrapped rows print over each other."""
    for r, values in enumerate([header, *rows] if header is not None else rows, start=1):
        lines = max((_lines(v, w) for v, w in zip(values, widths, strict=False)), default=1)
        if lines > 1:
            ws.row_dimensions[r].height = min(lines * _LINE_POINTS + 3, _MAX_ROW_POINTS)


def _page_setup(ws: Worksheet) -> None:
    """Printed landscape on A4, one page wide, the header row on every page, page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.7, bottom=0.7, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddHeader.left.text = ws.title


def _seq_value(seq: str) -> str | int:
    """A plain number ("12") as a number, so the column sorts 1, 2, … 10; anything else ("（三）", "2.1") as written."""
    if seq.isascii() and seq.isdigit() and str(int(seq)) == seq:
        return int(seq)
    return seq


def _score(value: float | None) -> float | int | None:
    if value is None:
        return None
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def _source_labels(content: PacketContent) -> dict[int, str]:
    return {s.id: s.doc_number or s.title or s.file_name for s in content.sources}


# ----- the sheets ---------------------------------------------------------------------------------------------------
_TASK_COLUMNS: Final = (
    _Col(g.SEQ, "text", 7), _Col("任务名称", "long", 16), _Col("任务内容", "long", 42), _Col(g.ROLE, "text", 6),
    _Col("牵头单位", "long", 12), _Col("配合单位", "long", 14), _Col(g.DEADLINE, "long", 12),
    _Col("截止日期", "date", 11), _Col(g.STATUS, "status", 8), _Col("完成日期", "date", 11),
    _Col("期限状态", "due", 10), _Col(g.NOTE, "long", 26), _Col("佐证材料（份）", "count", 8),
    _Col("全部佐证材料（份）", "count", 10), _Col(g.DOCUMENT, "long", 14),
)


def _task_rows(content: PacketContent) -> list[list[Any]]:
    sources = _source_labels(content)
    rows = []
    for t in content.tasks:
        task = t.task
        due = "—" if t.status is Status.NA else DUE_LABELS[t.due]
        rows.append([
            _seq_value(task.seq), task.group, task.content, ROLE_LABELS[t.role], "、".join(task.lead),
            "、".join(task.cooperating), task.deadline.text, task.deadline.date, STATUS_LABELS[t.status],
            t.completed_on, due, t.note, len(t.evidence), t.evidence_total,
            sources.get(task.source_id, "") if task.source_id is not None else "",
        ])
    return rows


_EVIDENCE_COLUMNS: Final = (
    _Col("文件（材料包内）", "long", 34), _Col("原文件名", "long", 28), _Col("关联任务序号", "long", 14),
    _Col("其他关联", "long", 18), _Col("大小（字节）", "int", 12), _Col("文件类型", "text", 20),
    _Col("证据日期", "date", 11), _Col("SHA-256", "hash"), _Col(g.EVIDENCE_NOTE, "long", 30),
)


def _evidence_rows(content: PacketContent) -> list[list[Any]]:
    in_case: dict[int, list[str]] = {}
    for c in content.cases:
        for a in c.attachments:
            in_case.setdefault(a.evidence.id, []).append(f"{c.case.month} 月度案例")
    rows = []
    for e in content.evidence:
        ev = e.evidence
        other = list(in_case.get(ev.id, []))
        if any(kind == "indicator" for kind, _ in ev.links):
            other.append("考核指标")
        rows.append([e.packet_name, ev.original_name, "、".join(e.task_seqs), "、".join(other), ev.size,
                     ev.media_type, ev.evidence_date, ev.sha256, ev.note])
    return rows


_CASE_COLUMNS: Final = (
    _Col("月份", "text", 9), _Col("类型", "text", 10), _Col("标题", "long", 24), _Col(g.STATUS, "status", 8),
    _Col("定稿日期", "date", 11), _Col("背景", "long", 30), _Col("做法", "long", 36), _Col("成效", "long", 30),
    _Col("正文", "long", 36), _Col("附件", "long", 24), _Col("关联任务序号", "long", 12),
)


def _case_rows(content: PacketContent) -> list[list[Any]]:
    seq_of = {t.task.id: t.task.seq for t in content.tasks}
    rows = []
    for entry in content.cases:
        c = entry.case
        rows.append([
            c.month, case_api.KIND_LABELS[c.kind], c.title, case_api.STATUS_LABELS[c.status], c.finalised_on,
            c.background, c.practice, c.effect, c.body, "\n".join(a.packet_name for a in entry.attachments),
            "、".join(seq_of[t] for t in c.task_ids if t in seq_of),
        ])
    return rows


_INDICATOR_COLUMNS: Final = (
    _Col("考核内容", "long", 20), _Col("一级指标", "long", 24), _Col("二级指标", "long", 30),
    _Col("指标解释", "long", 50), _Col("表中分值", "score", 8), _Col(g.MAX_SCORE, "score", 8),
    _Col(g.SELF_SCORE, "score", 8), _Col(g.STATUS, "status", 8), _Col(g.NOTE, "long", 30),
    _Col("责任科室", "long", 20),
)


def _indicator_rows(content: PacketContent) -> tuple[list[list[Any]], list[Any]]:
    rows = []
    for e in content.indicators:
        i = e.indicator
        rows.append([i.category, i.level1, i.level2, i.explanation, _score(i.score), _score(e.max_score),
                     _score(e.self_score), STATUS_LABELS[e.status], e.note, "、".join(i.departments)])
    # No total of 表中分值: a unit's rows may hold a whole shared block's score or none of it; 满分 adds up.
    total = ["合计", "", "", "", None, _score(content.max_score_total), _score(content.self_score_total), "", "", ""]
    return rows, total


def _grouped(fingerprint: str) -> str:
    return " ".join(fingerprint[i : i + 4] for i in range(0, len(fingerprint), 4)).upper()


def _about_rows(content: PacketContent) -> list[tuple[str, Any]]:
    c = content
    when = c.generated_at
    offset = when.strftime("%z")
    zone = f"（UTC{offset[:3]}:{offset[3:]}）" if offset else ""
    counts = c.status_counts
    tasks = (f"共 {g.count(len(c.tasks), g.TASK)}：" + "，".join(f"{STATUS_LABELS[s]} {g.count(counts[s], g.TASK)}"
                                                           for s in Status)
             + f"；{g.OVERDUE} {g.count(len(c.overdue), g.TASK)}，{g.DUE_SOON} {g.count(len(c.due_soon), g.TASK)}"
             + f"（时限在 {c.soon_days} 天内）；本期内完成 {g.count(len(c.done_in_period), g.TASK)}")
    until = f"{c.today.year:04d}-{c.today.month:02d}"
    missing = [f"{int(k[5:])}月" for k in c.period.month_keys() if k <= until and c.year_grid.get(k) == "missing"]
    case_text = f"本期已定稿 {g.count(len(c.cases), g.CASE)}"
    if c.drafts:
        case_text += (f"；{g.DRAFT_LEFT_OUT} {g.count(len(c.drafts), g.CASE)}："
                      + "、".join(f"{int(d.month[5:])}月《{d.title}》" for d in c.drafts))
    if missing:
        case_text += f"；{g.CASE_MISSING}的月份：{'、'.join(missing)}"
    size = sum(e.evidence.size for e in c.evidence)
    rows: list[tuple[str, Any]] = [
        ("单位", c.bureau), ("科室", c.department), ("联络员", c.liaison),
        ("报告期间", f"{c.period.label}（{c.period.start:%Y-%m-%d} 至 {c.period.end:%Y-%m-%d}）"),
        ("数据截至", c.today), ("生成时间", f"{when:%Y-%m-%d %H:%M}{zone}"),
        ("任务", tasks),
        ("考核指标自评", f"自评 {_score(c.self_score_total) or 0} 分，{g.MAX_SCORE} {_score(c.max_score_total) or 0} 分"),
        (g.CASE, case_text),
        (g.EVIDENCE, f"{g.count(len(c.evidence), g.EVIDENCE)}，共 {size:,} 字节（见“证据清单”，文件在材料包 evidence/ 文件夹中）"),
        (g.DOCUMENT, "\n".join(f"{s.title or s.file_name}{'（' + s.doc_number + '）' if s.doc_number else ''}"
                             for s in c.sources)),
    ]
    if c.signer:
        rows += [("签名人", f"{c.signer.name}（{c.signer.department}）"),
                 ("签名证书 SHA-256 指纹", _grouped(c.signer.fingerprint_sha256))]
        if c.signer.not_after:
            rows.append(("证书有效期至", c.signer.not_after.date()))
    else:
        rows.append(("签名人", "未签名（本表格不是从签名的材料包中取出的）"))
    rows += [
        ("说明", "“佐证材料（份）”是本材料包所附的份数，“全部佐证材料（份）”还包括日期不在本期的。"
                 "状态和期限状态以“数据截至”日期为准（期间已结束的，为期末的状态）。"
                 "“满分”是本科室在该指标可得的最高分，几项共用一个分值时为分摊后的分值；“表中分值”是考核表原文。"),
        ("核验", "本表格是材料包的一部分，与 report.pdf 内容相同。材料包的签名（manifest.p7s）和 SHA256SUMS 都包含"
                 "本文件的 SHA-256，表格被改动后核验就会失败。核验方法：liaison verify 材料包.zip；"
                 "或解压后运行 sha256sum -c SHA256SUMS（Windows：certutil -hashfile report.xlsx SHA256，"
                 "与 SHA256SUMS 中的值比对），详见材料包中的“核验说明.txt”。"),
    ]
    return rows


def _write_about(ws: Worksheet, rows: Sequence[tuple[str, Any]]) -> None:
    for r, (label, value) in enumerate(rows, start=1):
        key = ws.cell(row=r, column=1)
        _put(key, label)
        key.font, key.fill, key.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP_TOP
        cell = ws.cell(row=r, column=2)
        _put(cell, value)
        cell.alignment = _WRAP_TOP
        if label.endswith("指纹"):
            cell.font = _HASH_FONT
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 80
    _fit_rows(ws, None, [list(r) for r in rows], [22, 80])
    _page_setup(ws)
    ws.page_setup.orientation = "portrait"


# ----- the workbook --------------------------------------------------------------------------------------------------
class _StampedZip(zipfile.ZipFile):
    """A zip whose members all carry one timestamp (openpyxl would stamp the current time on each), so the same
    content always gives the same bytes: the file is hashed and signed inside the packet."""

    def __init__(self, file: IO[bytes], when: tuple[int, int, int, int, int, int]) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED)
        self._when = when

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: int | None = None,
                 compresslevel: int | None = None) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(str(zinfo_or_arcname), date_time=self._when)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: Any, arcname: Any = None, compress_type: int | None = None,
              compresslevel: int | None = None) -> None:
        with open(filename, "rb") as fh:
            data = fh.read()
        self.writestr(arcname or os.path.basename(filename), data, compress_type, compresslevel)


def _workbook(content: PacketContent, progress: ProgressFn | None) -> Workbook:
    c = content
    tasks, evidence, cases = _task_rows(c), _evidence_rows(c), _case_rows(c)
    indicators, total = _indicator_rows(c)
    grand = len(tasks) + len(evidence) + len(cases) + len(indicators) + 1
    wb = Workbook()
    sheets = [wb.active] + [wb.create_sheet() for _ in SHEET_NAMES[1:]]
    for ws, name in zip(sheets, SHEET_NAMES, strict=True):
        ws.title = name
    report(progress, 0, grand, "写入表格「任务清单」")
    done = _write_table(sheets[0], _TASK_COLUMNS, tasks, empty_note="本单位没有任务。", progress=progress,
                        grand_total=grand)
    done = _write_table(sheets[1], _EVIDENCE_COLUMNS, evidence, empty_note="本期材料包没有证据文件。",
                        progress=progress, done=done, grand_total=grand)
    done = _write_table(sheets[2], _CASE_COLUMNS, cases, empty_note="本期没有月度案例。", progress=progress,
                        done=done, grand_total=grand)
    _write_table(sheets[3], _INDICATOR_COLUMNS, indicators, empty_note="本单位没有考核指标。", total=total,
                 progress=progress, done=done, grand_total=grand)
    _write_about(sheets[4], _about_rows(c))

    props = wb.properties
    props.title = f"{c.department}{c.period.label}工作材料"
    props.subject = "“一网通办”改革任务完成情况、证据索引、月度案例和考核指标自评"
    props.creator = c.liaison or c.department or "联络员工作台"
    props.lastModifiedBy = props.creator
    props.description = f"{c.bureau}{c.department} {c.period.label}，由联络员工作台生成"
    props.keywords = f"一网通办 {c.department} {c.period.slug}"
    when = _utc_naive(c.generated_at)
    props.created = when
    props.modified = when
    return wb


def _utc_naive(when: dt.datetime) -> dt.datetime:
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when.replace(microsecond=0)


def render_xlsx_bytes(content: PacketContent, *, progress: ProgressFn | None = None) -> bytes:
    """The report as .xlsx bytes (the same bytes for the same content)."""
    wb = _workbook(content, progress)
    local = content.generated_at
    stamp = (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)
    buf = io.BytesIO()
    ExcelWriter(wb, _StampedZip(buf, stamp)).save()
    data = buf.getvalue()
    total = len(content.tasks) + len(content.evidence) + len(content.cases) + len(content.indicators) + 1
    report(progress, total, total, "表格已生成")
    return data


def render_xlsx(content: PacketContent, out: str | os.PathLike[str] | IO[bytes], *,
                progress: ProgressFn | None = None) -> None:
    """Write the report to a path or a binary file object."""
    data = render_xlsx_bytes(content, progress=progress)
    if isinstance(out, (str, os.PathLike)):
        with open(out, "wb") as fh:
            fh.write(data)
    else:
        out.write(data)
