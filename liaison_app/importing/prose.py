"""Work plans with no table: tasks whose units are assigned inline in the prose.

Many 工作要点 end each item with 「（牵头单位：A；配合单位：B）」, 「（责任单位：A、B）」, 「（牵头：A 配合：B）」 or
「（A牵头，B配合）」, sometimes with 「完成时限：…」. The 「一、」 / 「（一）」 headings become the group path, the numbered
item (its title line and the paragraphs under it) the task's content.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..cell_text import squeeze_cjk
from ..model import Deadline
from ..units import split_units
from .deadlines import parse_deadline
from .recogniser import ParsedTask

__all__ = ["find_prose_tasks", "PROSE_HEADER"]

PROSE_HEADER = ("序号", "任务名称", "任务内容", "牵头部门", "配合部门", "时间节点")
"""The columns a prose task is shown with, as if it had come from a table."""

_ROLE_WORDS = r"(?:牵头|配合|协同|协办|责任|负责|参与|主责)"
# An assignment in brackets at the end of a paragraph (a full stop may follow it).
_ASSIGNMENT = re.compile(rf"[（(](?P<body>[^（）()]{{0,120}}?{_ROLE_WORDS}[^（）()]{{0,160}})[)）]\s*[。.；;]?\s*$")
_DEADLINE_PART = re.compile(r"(?:完成时限|时间节点|完成时间|时限要求|时限|完成期限)\s*[:：]\s*(?P<text>[^；;，,)）]+)")
_RESPONSIBLE = re.compile(r"^\s*(?:责任单位|责任部门|责任处室|责任科室|责任主体|主责单位|主责部门|负责单位|负责部门)\s*[:：]\s*")
_LEVELS = (
    re.compile(r"^[一二三四五六七八九十]+\s*[、.．]\s*"),
    re.compile(r"^[（(]\s*[一二三四五六七八九十]+\s*[)）]\s*"),
)
_ITEM = re.compile(r"^(?:(?P<n>\d{1,3})\s*[.、．]|[（(]\s*(?P<m>\d{1,3})\s*[)）])\s*(?!\d)")
_SENTENCE_END = ("。", "；", "！", "？", "：", ";", "!", "?", ":")
_HEADING_MAX = 40


@dataclass
class _Item:
    number: str
    first_line: int
    title: str = ""
    body: list[str] = field(default_factory=list)

    def text(self) -> str:
        out = ""
        for part in ([self.title] if self.title else []) + self.body:
            if not out:
                out = part
            elif out.endswith(_SENTENCE_END) or part.startswith(("（", "(")) and not out[-1:].isalnum():
                out += "\n" + part
            elif self.title and out == self.title:
                out += "\n" + part  # the item's title line stands on its own
            else:
                out += part  # a paragraph broken in the middle of a sentence (PDF or page layout)
        return out


def has_assignments(paragraphs: Sequence[str]) -> bool:
    return any(_ASSIGNMENT.search(p) for p in paragraphs)


def _split_assignment(body: str, year: int | None) -> tuple[str, str, str]:
    """(lead text, cooperating text, deadline text) of an assignment such as "牵头单位：A；配合单位：B；完成时限：6月底"."""
    deadline = ""
    m = _DEADLINE_PART.search(body)
    if m:
        deadline = m.group("text").strip()
        body = (body[: m.start()] + body[m.end() :]).strip(" ；;，,")
    body = _RESPONSIBLE.sub("", body)
    split = split_units(body)
    lead = split.lead + tuple(u for u in split.unmarked if u not in split.lead)
    coop = tuple(u for u in split.cooperating if u not in lead)
    return "、".join(lead), "、".join(coop), deadline


def find_prose_tasks(paragraphs: Sequence[str], year: int | None) -> tuple[list[ParsedTask], list[str]]:
    """The tasks assigned inline in a document's paragraphs, and what could not be read."""
    tasks: list[ParsedTask] = []
    warnings: list[str] = []
    sections: list[tuple[int, str]] = []
    item: _Item | None = None
    unassigned = 0
    pending_deadline: str | None = None

    def close(assignment: str | None, line_no: int) -> None:
        nonlocal item, unassigned, pending_deadline
        if item is None:
            return
        if assignment is None:
            if item.body or item.title:
                unassigned += 1 if item.number else 0
            item = None
            return
        lead_text, coop_text, deadline_text = _split_assignment(assignment, year)
        deadline_text = deadline_text or pending_deadline or ""
        content = squeeze_cjk(item.text()).strip()
        if content:
            split_lead = tuple(u for u in lead_text.split("、") if u)
            split_coop = tuple(u for u in coop_text.split("、") if u)
            parsed = parse_deadline(deadline_text, year)
            seq = str(len(tasks) + 1)
            group = " › ".join(text for _level, text in sections)
            where = f"正文第 {item.first_line} 段" if item.first_line == line_no else \
                f"正文第 {item.first_line}–{line_no} 段"
            tasks.append(ParsedTask(
                seq=seq, group=group, content=content, lead=split_lead, cooperating=split_coop,
                lead_text=lead_text, cooperating_text=coop_text, deadline=Deadline(deadline_text, parsed.date),
                origin=where,
                cells=tuple(zip(PROSE_HEADER, (item.number or seq, group, content, lead_text, coop_text,
                                               deadline_text), strict=True))))
        item = None
        pending_deadline = None

    for n, raw in enumerate(paragraphs, start=1):
        line = raw.strip()
        if not line:
            continue
        m = _ASSIGNMENT.search(line)
        before = line[: m.start()].strip() if m else line
        deadline_line = _DEADLINE_PART.match(before)
        if deadline_line and not m and (item is not None or tasks):
            text = deadline_line.group("text").strip()
            if item is not None:
                pending_deadline = text
            elif not tasks[-1].deadline.text:
                # 「完成时限：…」 on a line of its own right after an item's assignment belongs to that item.
                last = tasks[-1]
                tasks[-1] = replace(last, deadline=Deadline(text, parse_deadline(text, year).date),
                                    cells=tuple((h, text if h == "时间节点" else v) for h, v in last.cells))
            continue
        level = next((k for k, p in enumerate(_LEVELS) if p.match(before)), None)
        if level is not None and len(before) <= _HEADING_MAX and not m:
            close(None, n)
            while sections and sections[-1][0] >= level:
                sections.pop()
            sections.append((level, squeeze_cjk(before)))
            continue
        numbered = _ITEM.match(before)
        if numbered:
            close(None, n)
            item = _Item(number=numbered.group("n") or numbered.group("m") or "", first_line=n)
            rest = before[numbered.end() :].strip()
            if len(rest) <= _HEADING_MAX and not rest.endswith(_SENTENCE_END) and not m:
                item.title = rest
            elif rest:
                item.body.append(rest)
        elif before:
            if item is None:
                item = _Item(number="", first_line=n)
            item.body.append(before)
        if m:
            if item is None:
                continue
            close(m.group("body"), n)
    close(None, len(paragraphs))
    if unassigned and tasks:
        warnings.append(f"正文中有 {unassigned} 个编号条目没有写明牵头或责任单位，未作为任务导入。")
    return tasks, warnings
