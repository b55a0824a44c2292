"""Reading a unit's report.xlsx back into records: the 任务清单, 证据清单, 每月案例 and 考核指标 sheets that
liaison_app.packets.xlsx writes, found by their header names (not by position), so a column added later is harmless.

The workbook is read with the standard library's XML parser, not openpyxl: this is our own packet's plain layout
(values only: no formulas, no merged cells), and openpyxl's cell objects made reading it cost several times what
verifying the whole packet costs. Dates come back as Excel serial numbers; the columns that hold dates say so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final
from xml.etree import ElementTree as ET

from ..errors import InputError
from ..model import ROLE_LABELS, STATUS_LABELS

__all__ = ["ReportRecords", "read_report", "task_key", "indicator_key"]

_STATUS_OF: Final = {label: status.value for status, label in STATUS_LABELS.items()}
_ROLE_OF: Final = {label: role.value for role, label in ROLE_LABELS.items()}

_TASK_HEADERS: Final = {
    "序号": "seq", "任务名称": "group_name", "任务内容": "content", "角色": "role", "牵头单位": "lead_text",
    "配合单位": "cooperating_text", "时限": "deadline_text", "截止日期": "deadline", "状态": "status",
    "完成日期": "completed_on", "期限状态": "due", "备注": "note", "佐证材料（份）": "evidence_count",
    "依据文件": "source",
    # the names packets of version 0.1 wrote, before one glossary named every column
    "证据数": "evidence_count", "来源文件": "source",
}
_EVIDENCE_HEADERS: Final = {
    "文件（材料包内）": "path", "原文件名": "original_name", "关联任务序号": "task_labels", "其他关联": "other_links",
    "大小（字节）": "size", "文件类型": "media_type", "证据日期": "evidence_date", "SHA-256": "sha256", "说明": "note",
}
_CASE_HEADERS: Final = {
    "月份": "month", "类型": "kind", "标题": "title", "状态": "status", "定稿日期": "finalised_on", "背景": "background",
    "做法": "practice", "成效": "effect", "正文": "body",
}
_INDICATOR_HEADERS: Final = {
    "考核内容": "category", "一级指标": "level1", "二级指标": "level2", "表中分值": "score", "满分": "max_score",
    "自评分": "self_score", "状态": "status", "备注": "note", "责任科室": "departments",
    "分值": "score", "可得分": "max_score",  # as packets of version 0.1 named them
}
_REQUIRED: Final = {
    "任务清单": ("seq", "content", "role", "status"),
    "证据清单": ("path", "sha256"),
    "每月案例": ("month", "title"),
    "考核指标": ("level2", "self_score"),
}


@dataclass(frozen=True)
class ReportRecords:
    """The rows of one unit's report, ready for the rollup tables (without packet_id)."""

    tasks: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    cases: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    data_date: str | None
    """数据截至 on the 说明 sheet: the day the unit's statuses and deadlines were judged."""


def task_key(source: str, seq: str, content: str) -> str:
    """The same task in every unit's packet: its document, 序号 and content (blanks ignored)."""
    text = "\x1f".join("".join(part.split()) for part in (source, seq, content))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def indicator_key(category: str, level1: str, level2: str) -> str:
    text = "\x1f".join("".join(part.split()) for part in (category, level1, level2))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


_EPOCH: Final = dt.date(1899, 12, 30)
"""Day 0 of Excel's 1900 date system (as counted after its 1900-02-29 that never was)."""


def _date(value: Any) -> str | None:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return (_EPOCH + dt.timedelta(days=int(value))).isoformat() if 1 <= value < 2958466 else None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _text(value)
    try:
        return dt.date.fromisoformat(text[:10]).isoformat() if text else None
    except ValueError:
        return None


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _rows(sheet: list[tuple[Any, ...]], headers: dict[str, str], name: str) -> Iterator[dict[str, Any]]:
    rows = iter(sheet)
    try:
        head = next(rows)
    except StopIteration:
        head = ()
    columns = {i: headers[_text(h)] for i, h in enumerate(head) if _text(h) in headers}
    missing = [k for k in _REQUIRED[name] if k not in columns.values()]
    if missing:
        raise InputError(f"report.xlsx 的「{name}」表缺少必要的列，不是联络员工作台生成的报表。")
    width = len(head)
    for values in rows:
        if values is None or not any(v not in (None, "") for v in values):
            continue
        filled = [v for v in values[:width] if v not in (None, "")]
        # "本单位没有任务。" and the like: one note in the first cell of an empty table.
        if len(filled) == 1 and values[0] == filled[0] and isinstance(filled[0], str) and filled[0].endswith("。"):
            continue
        yield {key: values[i] if i < len(values) else None for i, key in columns.items()}


_M: Final = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R: Final = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PR: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF: Final = re.compile(r"([A-Z]+)")


def _column(ref: str | None, default: int) -> int:
    m = _CELL_REF.match(ref or "")
    if not m:
        return default
    n = 0
    for ch in m.group(1):
        n = n * 26 + ord(ch) - 64
    return n - 1


def _string(node: ET.Element) -> str:
    """The text of a shared or inline string: its own <t>, or the <t> of each rich-text run (not phonetic hints)."""
    parts = []
    for child in node:
        if child.tag == f"{_M}t":
            parts.append(child.text or "")
        elif child.tag == f"{_M}r":
            t = child.find(f"{_M}t")
            parts.append(t.text or "" if t is not None else "")
    return "".join(parts)


def _sheets(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Every worksheet of the workbook as rows of values (str, float, bool or None)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        workbook = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): str(rel.get("Target") or "") for rel in rels.iter(f"{_PR}Relationship")}
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            shared = [_string(si) for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{_M}si")]
        out: dict[str, list[tuple[Any, ...]]] = {}
        for sheet in workbook.iter(f"{_M}sheet"):
            target = targets.get(sheet.get(f"{_R}id"), "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if path not in names:
                continue
            rows: list[tuple[Any, ...]] = []
            for row in ET.fromstring(z.read(path)).iter(f"{_M}row"):
                number = int(row.get("r") or len(rows) + 1)
                while len(rows) < number - 1:
                    rows.append(())
                values: list[Any] = []
                for c in row.iter(f"{_M}c"):
                    col = _column(c.get("r"), len(values))
                    kind = c.get("t", "n")
                    v = c.find(f"{_M}v")
                    if kind == "inlineStr":
                        node = c.find(f"{_M}is")
                        value: Any = _string(node) if node is not None else ""
                    elif v is None or v.text is None:
                        value = None
                    elif kind == "s":
                        value = shared[int(v.text)]
                    elif kind in ("str", "e"):
                        value = v.text
                    elif kind == "b":
                        value = v.text == "1"
                    else:
                        value = float(v.text)
                    values += [None] * (col - len(values))
                    values.append(value)
                rows.append(tuple(values))
            out[str(sheet.get("name"))] = rows
    return out


def read_report(data: bytes) -> ReportRecords:
    """Parse report.xlsx (its bytes, already checked against the signed manifest)."""
    try:
        wb = _sheets(data)
    except (zipfile.BadZipFile, KeyError, ET.ParseError, ValueError, IndexError) as exc:
        raise InputError(f"report.xlsx 无法读取：{type(exc).__name__}。") from exc
    for name in _REQUIRED:
        if name not in wb:
            raise InputError(f"report.xlsx 中没有「{name}」表，不是联络员工作台生成的报表。")
    tasks = []
    for n, r in enumerate(_rows(wb["任务清单"], _TASK_HEADERS, "任务清单"), start=1):
        seq, content, source = _text(r.get("seq")), _text(r.get("content")), _text(r.get("source"))
        status = _STATUS_OF.get(_text(r.get("status")))
        role = _ROLE_OF.get(_text(r.get("role")))
        if status is None or role is None:
            raise InputError(f"report.xlsx「任务清单」第 {n + 1} 行的状态或角色无法识别。")
        tasks.append({
            "row_no": n, "task_key": task_key(source, seq, content), "source": source, "seq": seq,
            "group_name": _text(r.get("group_name")), "content": content, "role": role,
            "lead_text": _text(r.get("lead_text")), "cooperating_text": _text(r.get("cooperating_text")),
            "deadline_text": _text(r.get("deadline_text")), "deadline": _date(r.get("deadline")),
            "status": status, "completed_on": _date(r.get("completed_on")), "due": _text(r.get("due")),
            "note": _text(r.get("note")), "evidence_count": int(_number(r.get("evidence_count")) or 0),
        })
    evidence = []
    for r in _rows(wb["证据清单"], _EVIDENCE_HEADERS, "证据清单"):
        evidence.append({
            "path": _text(r.get("path")), "original_name": _text(r.get("original_name")),
            "task_labels": _text(r.get("task_labels")), "other_links": _text(r.get("other_links")),
            "size": int(_number(r.get("size")) or 0), "media_type": _text(r.get("media_type")),
            "evidence_date": _date(r.get("evidence_date")), "sha256": _text(r.get("sha256")).lower(),
            "note": _text(r.get("note")),
        })
    cases = []
    for n, r in enumerate(_rows(wb["每月案例"], _CASE_HEADERS, "每月案例"), start=1):
        text = "\n".join(t for t in (_text(r.get(k)) for k in ("background", "practice", "effect", "body")) if t)
        cases.append({"row_no": n, "month": _text(r.get("month")), "kind": _text(r.get("kind")),
                      "title": _text(r.get("title")), "status": _text(r.get("status")),
                      "finalised_on": _date(r.get("finalised_on")), "text": text})
    indicators = []
    for n, r in enumerate(_rows(wb["考核指标"], _INDICATOR_HEADERS, "考核指标"), start=1):
        category, level1, level2 = _text(r.get("category")), _text(r.get("level1")), _text(r.get("level2"))
        if category == "合计" and not level1 and not level2:
            continue  # the total row under the table
        indicators.append({
            "row_no": n, "indicator_key": indicator_key(category, level1, level2), "category": category,
            "level1": level1, "level2": level2, "score": _number(r.get("score")),
            "max_score": _number(r.get("max_score")), "self_score": _number(r.get("self_score")),
            "status": _STATUS_OF.get(_text(r.get("status")), ""), "note": _text(r.get("note")),
            "departments": _text(r.get("departments")),
        })
    data_date = None
    for row in wb.get("说明", []):
        if len(row) >= 2 and row[0] == "数据截至":
            data_date = _date(row[1])
    return ReportRecords(tasks=tasks, evidence=evidence, cases=cases, indicators=indicators, data_date=data_date)
