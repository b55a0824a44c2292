"""The packet's Excel report: what an inspector sees when opening report.xlsx, read back with openpyxl and, as a
second reader, with nothing but the standard library's zip and XML modules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pytest

from liaison_app import cases, evidence, progress
from liaison_app.errors import Cancelled
from liaison_app.model import Deadline, DueState, Status
from liaison_app.packets.content import PacketContent, SignerInfo, gather
from liaison_app.packets.xlsx import SHEET_NAMES, excel_text, render_xlsx, render_xlsx_bytes

from .conftest import GENERATED_AT, PERIOD, TODAY

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
R_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
FORMULA_LIKE = ('=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)")
TASK_HEADER = ["序号", "任务名称", "任务内容", "角色", "牵头单位", "配合单位", "时限", "截止日期", "状态", "完成日期",
               "期限状态", "备注", "佐证材料（份）", "全部佐证材料（份）", "依据文件"]


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _row_of(ws, column: int, value: object) -> int:
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=column).value == value:
            return r
    raise AssertionError(f"{value!r} not found in column {column} of {ws.title}")


def _task_row(ws, content: PacketContent, task_id: int) -> int:
    """Tasks are written in the content's order, one row each, from row 2."""
    index = next(n for n, t in enumerate(content.tasks) if t.task.id == task_id)
    return index + 2


def _with_deadlines(content: PacketContent) -> tuple[PacketContent, list[int]]:
    """Two open tasks given deadlines as of the fixture's today, one passed and one close (whatever the unit's own
    tasks say), and their indexes in ``content.tasks``."""
    tasks = list(content.tasks)
    open_tasks = [n for n, t in enumerate(tasks) if t.status in (Status.TODO, Status.DOING)][:2]
    dated = (("9 月底", dt.date(2023, 9, 30), DueState.OVERDUE), ("12 月底前", dt.date(2023, 12, 31), DueState.DUE_SOON))
    for n, (text, date, due) in zip(open_tasks, dated, strict=True):
        t = tasks[n]
        tasks[n] = dataclasses.replace(t, task=dataclasses.replace(t.task, deadline=Deadline(text, date)), due=due)
    return dataclasses.replace(content, tasks=tuple(tasks)), open_tasks


def _sheet_xml(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")}


# ----- what a reader sees -------------------------------------------------------------------------------------------
def test_sheets_header_rows_and_a_task_row(packet_content: PacketContent, packet_facts, tmp_path: Path):
    packet_content, (overdue, _soon) = _with_deadlines(packet_content)
    out = tmp_path / "report.xlsx"
    render_xlsx(packet_content, out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == list(SHEET_NAMES) == ["任务清单", "证据清单", "每月案例", "考核指标", "说明"]

    tasks = wb["任务清单"]
    assert [c.value for c in tasks[1]] == TASK_HEADER
    assert tasks.max_row == len(packet_content.tasks) + 1
    assert tasks.freeze_panes == "A2"
    assert tasks.auto_filter.ref == f"A1:O{len(packet_content.tasks) + 1}"

    entry = next(t for t in packet_content.tasks if t.task.id == packet_facts.photo_task_id)
    r = _task_row(tasks, packet_content, entry.task.id)
    row = {h: tasks.cell(row=r, column=c).value for c, h in enumerate(TASK_HEADER, start=1)}
    assert str(row["序号"]) == entry.task.seq
    assert row["任务内容"] == entry.task.content
    assert row["状态"] == "已完成"
    assert row["备注"] == packet_facts.notes[entry.task.id]
    assert row["佐证材料（份）"] == 3  # two photos and the minutes
    assert row["角色"] in ("牵头", "配合")
    assert (row["时限"] or "") == entry.task.deadline.text
    # Dates are real dates, shown as yyyy-mm-dd.
    assert isinstance(row["完成日期"], dt.datetime) and row["完成日期"].date() == entry.completed_on
    assert tasks.cell(row=r, column=10).number_format == "yyyy-mm-dd"
    late = [tasks.cell(row=overdue + 2, column=c).value for c in (7, 8, 11)]
    assert late == ["9 月底", dt.datetime(2023, 9, 30), "已逾期"]
    assert tasks.cell(row=overdue + 2, column=8).number_format == "yyyy-mm-dd"

    ev = wb["证据清单"]
    assert [c.value for c in ev[1]] == ["文件（材料包内）", "原文件名", "关联任务序号", "其他关联", "大小（字节）",
                                        "文件类型", "证据日期", "SHA-256", "说明"]
    assert ev.max_row == len(packet_content.evidence) + 1
    minutes = next(e for e in packet_content.evidence if e.evidence.original_name == packet_facts.minutes_name)
    r = _row_of(ev, 1, minutes.packet_name)
    assert [ev.cell(row=r, column=c).value for c in (2, 3, 5, 6, 8, 9)] == [
        packet_facts.minutes_name, entry.task.seq, minutes.evidence.size, "application/pdf",
        minutes.evidence.sha256, "专题会议现场及纪要"]
    assert ev.cell(row=r, column=7).value == dt.datetime(2023, 6, 15)
    ledger = _row_of(ev, 2, packet_facts.ledger_name)
    assert ev.cell(row=ledger, column=4).value == "考核指标"

    months = wb["每月案例"]
    assert [c.value for c in months[1]][:10] == ["月份", "类型", "标题", "状态", "定稿日期", "背景", "做法", "成效",
                                                 "正文", "附件"]
    assert [months.cell(row=r, column=c).value for r in (2, 3) for c in (1, 2, 4)] == [
        "2023-05", "做法经验", "已定稿", "2023-09", "典型案例", "已定稿"]
    assert months["E3"].value == dt.datetime(2023, 9, 28)
    assert "\n三个工作日内完成整改" in months["I3"].value  # line breaks kept

    ind = wb["考核指标"]
    assert [c.value for c in ind[1]] == ["考核内容", "一级指标", "二级指标", "指标解释", "表中分值", "满分", "自评分",
                                         "状态", "备注", "责任科室"]
    n = len(packet_content.indicators)
    assert ind.auto_filter.ref == f"A1:J{n + 1}"  # the total row stays out of sorting and filtering
    assert ind.cell(row=n + 2, column=1).value == "合计"
    assert ind.cell(row=n + 2, column=7).value == pytest.approx(packet_facts.self_score)
    assert ind.cell(row=n + 2, column=6).value == pytest.approx(round(packet_content.max_score_total, 2))
    scored = _row_of(ind, 7, packet_facts.self_score)
    assert ind.cell(row=scored, column=8).value == "已完成"

    about = {r[0]: r[1] for r in wb["说明"].iter_rows(values_only=True)}
    assert about["单位"] == "上海市松江区生态环境局" and about["科室"] == "法制科" and about["联络员"] == "张三"
    assert about["报告期间"].startswith("2023年")
    assert about["生成时间"] == "2023-12-20 10:30（UTC+08:00）"
    assert about["数据截至"] == dt.datetime(2023, 12, 20)
    assert "未签名" in about["签名人"]
    assert "SHA256SUMS" in about["核验"] and "liaison verify" in about["核验"]

    assert wb.properties.title == "法制科2023年工作材料"
    assert wb.properties.creator == "张三"


def test_layout_widths_wrapping_and_status_colours(packet_content: PacketContent):
    packet_content, (overdue, soon) = _with_deadlines(packet_content)
    wb = _open(render_xlsx_bytes(packet_content))
    tasks = wb["任务清单"]
    width = {h: tasks.column_dimensions[chr(64 + c)].width for c, h in enumerate(TASK_HEADER, start=1)}
    assert width["任务内容"] == 42  # long text is capped and wraps (narrow enough to print at a readable size)
    assert width["序号"] <= 8 and width["角色"] <= 8
    assert 10 <= width["截止日期"] <= 12
    # CJK counts double: "牵头单位" (4 characters) needs more than 4 widths.
    assert width["牵头单位"] >= 10
    assert wb["证据清单"].column_dimensions["H"].width >= 64  # the full SHA-256 on one line
    cell = tasks["C2"]
    assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
    assert tasks["A1"].font.b

    fills = {}
    for r in range(2, tasks.max_row + 1):
        status = tasks.cell(row=r, column=9)
        fills.setdefault(status.value, status.fill.fgColor.rgb)
    assert fills["已完成"].endswith("C6EFCE")
    assert fills["进行中"].endswith("FFEB9C")
    assert fills["未开始"].endswith("EDEDED")
    assert fills["不涉及"].endswith("DDEBF7")
    # Red words for an overdue task, orange for one due soon: the word is there for a black-and-white print.
    late, close = tasks.cell(row=overdue + 2, column=11), tasks.cell(row=soon + 2, column=11)
    assert late.value == "已逾期" and late.font.color.rgb.endswith("C00000") and late.font.b
    assert close.value == "即将到期" and close.font.color.rgb.endswith("C65911")


# ----- formula injection ----------------------------------------------------------------------------------------------
def test_text_that_looks_like_a_formula_stays_text(packet_workspace, packet_facts):
    ws = packet_workspace
    ids = list(packet_facts.task_status)[: len(FORMULA_LIKE)]
    for tid, note in zip(ids, FORMULA_LIKE, strict=True):
        progress.set_status(ws, "task", tid, Status.DONE, note=note, today=TODAY)
    case = cases.add_case(ws, month="2023-11", title="=1+1", body="-3 个工作日", kind="case")
    cases.finalise_case(ws, case.id, on=dt.date(2023, 11, 30))
    content = gather(ws, PERIOD, today=TODAY, generated_at=GENERATED_AT)
    # Leading blanks, a tab and a line break before the formula: set_status trims notes, so go around it.
    sneaky = ("  =2+2", "\t=cmd|' /C calc'!A0", "\r\n@SUM(1)", "\u3000+1")
    edited = list(content.tasks)
    untouched = [n for n, t in enumerate(edited) if t.task.id not in ids][: len(sneaky)]
    for n, note in zip(untouched, sneaky, strict=True):
        edited[n] = dataclasses.replace(edited[n], note=note)
    content = dataclasses.replace(content, tasks=tuple(edited))
    data = render_xlsx_bytes(content)

    for name, xml in _sheet_xml(data).items():
        assert b"<f>" not in xml and b"<f " not in xml, f"{name} holds a formula"
        root = ET.fromstring(xml)
        assert not root.findall(".//m:f", NS)

    wb = _open(data)
    tasks = wb["任务清单"]
    for tid, note in zip(ids, FORMULA_LIKE, strict=True):
        cell = tasks.cell(row=_task_row(tasks, content, tid), column=12)
        assert cell.value == note and cell.data_type == "s"
        assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    for n, note in zip(untouched, sneaky, strict=True):
        cell = tasks.cell(row=n + 2, column=12)
        assert cell.data_type == "s" and cell.quotePrefix
        assert cell.value.strip() == note.strip()
    months = wb["每月案例"]
    r = _row_of(months, 3, "=1+1")
    assert months.cell(row=r, column=3).data_type == "s"
    assert months.cell(row=r, column=9).value == "-3 个工作日"
    # An ordinary note is not marked.
    plain = next(n for n, t in enumerate(content.tasks) if t.note.startswith("已按要求完成"))
    assert not tasks.cell(row=plain + 2, column=12).quotePrefix
    assert case.id


def test_excel_text_rules():
    assert excel_text("=A1") == ("=A1", True)
    assert excel_text(" \t=A1")[1] and excel_text("\u3000-1")[1] and excel_text("\tabc")[1]
    assert excel_text("\rabc")[1] and excel_text("@x")[1] and excel_text("+x")[1]
    assert excel_text("已完成，-2 项待办") == ("已完成，-2 项待办", False)
    assert excel_text("a\x07b\x00c")[0] == "a\ufffdb\ufffdc"
    long, _ = excel_text("字" * 40_000)
    assert len(long) == 32_767 and long.endswith("全文见 report.pdf）")


def test_control_characters_and_very_long_text(packet_content: PacketContent):
    first = dataclasses.replace(packet_content.tasks[0], note="复制来的\x07备注\x1b[0m" + "长" * 40_000)
    content = dataclasses.replace(packet_content, tasks=(first, *packet_content.tasks[1:]))
    wb = _open(render_xlsx_bytes(content))
    note = wb["任务清单"]["L2"].value
    assert note.startswith("复制来的\ufffd备注\ufffd[0m") and len(note) == 32_767


# ----- a second reader: the standard library only ------------------------------------------------------------------
class _StdlibSheet:
    """Cell texts and values of one worksheet, read from the zip with xml.etree (shared or inline strings)."""

    def __init__(self, zf: zipfile.ZipFile, name: str) -> None:
        book = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels}
        sheet_id = next(s.get(R_NS) for s in book.findall("m:sheets/m:sheet", NS) if s.get("name") == name)
        path = target[sheet_id].lstrip("/")
        self.root = ET.fromstring(zf.read(path if path.startswith("xl/") else f"xl/{path}"))
        self.shared: list[str] = []
        if "xl/sharedStrings.xml" in zf.namelist():
            sst = ET.fromstring(zf.read("xl/sharedStrings.xml"))
            self.shared = ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")) for si in sst.findall("m:si", NS)]
        self.cells = {c.get("r"): c for c in self.root.iter(f"{{{NS['m']}}}c")}

    def text(self, ref: str) -> str:
        c = self.cells[ref]
        kind = c.get("t")
        assert c.find("m:f", NS) is None, ref
        if kind == "s":
            return self.shared[int(c.find("m:v", NS).text)]
        assert kind == "inlineStr", (ref, kind)
        return "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t"))

    def texts(self) -> set[str]:
        return {self.text(r) for r, c in self.cells.items() if c.get("t") in ("s", "inlineStr")}


def test_second_reader_sees_the_same_workbook(packet_content: PacketContent, packet_facts):
    packet_content, _ = _with_deadlines(packet_content)
    data = render_xlsx_bytes(packet_content)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        book = ET.fromstring(zf.read("xl/workbook.xml"))
        assert [s.get("name") for s in book.findall("m:sheets/m:sheet", NS)] == list(SHEET_NAMES)
        sheet = _StdlibSheet(zf, "任务清单")
        cases_sheet = _StdlibSheet(zf, "每月案例")
        styles = ET.fromstring(zf.read("xl/styles.xml"))

    texts = sheet.texts()
    entry = next(t for t in packet_content.tasks if t.task.id == packet_facts.photo_task_id)
    for text in ("任务内容", "已完成", "进行中", "未开始", "不涉及", "已逾期", entry.task.content,
                 packet_facts.notes[entry.task.id]):
        assert text in texts, text
    assert "推行告知承诺审批，环评审批时限压缩一半" in cases_sheet.texts()

    assert [sheet.text(f"{col}1") for col in "ABCDEFGHIJKLMNO"] == TASK_HEADER
    r = next(n for n, t in enumerate(packet_content.tasks) if t.task.id == entry.task.id) + 2
    assert sheet.text(f"C{r}") == entry.task.content and sheet.text(f"I{r}") == "已完成"
    # The completion date is a number (Excel's day count) with a yyyy-mm-dd format.
    date_cell = sheet.cells[f"J{r}"]
    assert date_cell.get("t") in (None, "n")
    serial = float(date_cell.find("m:v", NS).text)
    assert dt.date(1899, 12, 30) + dt.timedelta(days=serial) == entry.completed_on
    formats = {f.get("numFmtId"): f.get("formatCode") for f in styles.findall("m:numFmts/m:numFmt", NS)}
    xfs = styles.findall("m:cellXfs/m:xf", NS)
    assert formats.get(xfs[int(date_cell.get("s"))].get("numFmtId")) == "yyyy-mm-dd"
    # Frozen header and filter, as the XML says them.
    pane = sheet.root.find("m:sheetViews/m:sheetView/m:pane", NS)
    assert pane.get("topLeftCell") == "A2" and pane.get("state") == "frozen"
    assert sheet.root.find("m:autoFilter", NS).get("ref") == f"A1:O{len(packet_content.tasks) + 1}"
    assert not sheet.root.findall(".//m:f", NS)


# ----- a file that can be signed ------------------------------------------------------------------------------------
def test_same_content_same_bytes_with_fixed_timestamps(packet_content: PacketContent):
    first = render_xlsx_bytes(packet_content)
    assert render_xlsx_bytes(packet_content) == first
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 12, 20, 10, 30, 0)}
        core = ET.fromstring(zf.read("docProps/core.xml"))
    dc, terms = "{http://purl.org/dc/elements/1.1/}", "{http://purl.org/dc/terms/}"
    # Created and modified: the packet's time, in UTC.
    assert core.find(f"{terms}created").text == core.find(f"{terms}modified").text == "2023-12-20T02:30:00Z"
    assert core.find(f"{dc}title").text == "法制科2023年工作材料" and core.find(f"{dc}creator").text == "张三"
    later = dataclasses.replace(packet_content, generated_at=GENERATED_AT + dt.timedelta(hours=1))
    assert render_xlsx_bytes(later) != first


def test_signer_on_the_about_sheet(packet_content: PacketContent):
    signer = SignerInfo(name="张三", department="法制科", fingerprint_sha256="0123456789abcdef" * 4,
                        not_after=dt.datetime(2026, 12, 31, tzinfo=dt.UTC))
    wb = _open(render_xlsx_bytes(dataclasses.replace(packet_content, signer=signer)))
    about = {r[0]: r[1] for r in wb["说明"].iter_rows(values_only=True)}
    assert about["签名人"] == "张三（法制科）"
    assert about["签名证书 SHA-256 指纹"].replace(" ", "") == ("0123456789ABCDEF" * 4)
    assert re.fullmatch(r"([0-9A-F]{4} ){15}[0-9A-F]{4}", about["签名证书 SHA-256 指纹"])
    assert about["证书有效期至"] == dt.datetime(2026, 12, 31)


def test_empty_sheets_say_so(packet_content: PacketContent):
    bare = dataclasses.replace(packet_content, evidence=(), cases=(), indicators=())
    wb = _open(render_xlsx_bytes(bare))
    assert wb["证据清单"]["A2"].value == "本期材料包没有证据文件。"
    assert wb["每月案例"]["A2"].value == "本期没有月度案例。"
    assert wb["考核指标"]["A2"].value == "本单位没有考核指标。"
    assert wb["证据清单"].auto_filter.ref == "A1:I1"


def test_file_object_and_progress(packet_content: PacketContent):
    calls: list[tuple[int, int | None, str]] = []
    buf = io.BytesIO()
    render_xlsx(packet_content, buf, progress=lambda d, t, m: calls.append((d, t, m)))
    assert buf.getvalue() == render_xlsx_bytes(packet_content)
    assert calls and calls[-1][0] == calls[-1][1]
    assert [d for d, _, _ in calls] == sorted(d for d, _, _ in calls)

    def cancel(done: int, total: int | None, message: str) -> None:
        raise Cancelled("用户取消")

    with pytest.raises(Cancelled):
        render_xlsx_bytes(packet_content, progress=cancel)


def test_evidence_attached_to_a_case_is_listed(packet_workspace, tmp_path: Path):
    photo = tmp_path / "=现场.txt"
    photo.write_text("现场记录", encoding="utf-8")
    case = cases.add_case(packet_workspace, month="2023-10", title="十月做法", body="正文", attachments=[photo])
    cases.finalise_case(packet_workspace, case.id, on=dt.date(2023, 10, 31))
    attached = evidence.list_evidence(packet_workspace, target_kind="case", target_id=case.id)
    content = gather(packet_workspace, PERIOD, today=TODAY, generated_at=GENERATED_AT)
    wb = _open(render_xlsx_bytes(content))
    ev = wb["证据清单"]
    r = _row_of(ev, 2, "=现场.txt")
    assert ev.cell(row=r, column=2).data_type == "s"
    assert ev.cell(row=r, column=4).value == "2023-10 月度案例"
    assert ev.cell(row=r, column=8).value == attached[0].sha256
    months = wb["每月案例"]
    r = _row_of(months, 3, "十月做法")
    assert months.cell(row=r, column=10).value.startswith("evidence/")
