"""Domain types in the user's words. Frozen dataclasses; the workspace turns database rows into these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "Role",
    "Status",
    "CaseKind",
    "CaseStatus",
    "DueState",
    "Deadline",
    "Source",
    "Task",
    "Indicator",
    "Item",
    "Progress",
    "Evidence",
    "CaseReport",
    "STATUS_LABELS",
    "ROLE_LABELS",
]


class Role(StrEnum):
    LEAD = "lead"
    """牵头: the unit answers for the task."""
    COOPERATING = "cooperating"
    """配合: the unit helps the lead unit."""


class Status(StrEnum):
    TODO = "todo"
    DOING = "doing"
    DONE = "done"
    NA = "na"


STATUS_LABELS: dict[Status, str] = {
    Status.TODO: "未开始",
    Status.DOING: "进行中",
    Status.DONE: "已完成",
    Status.NA: "不涉及",
}

ROLE_LABELS: dict[Role, str] = {Role.LEAD: "牵头", Role.COOPERATING: "配合"}


class DueState(StrEnum):
    """Derived from deadline, status and today's date; never stored."""

    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TRACK = "on_track"
    NO_DEADLINE = "no_deadline"
    DONE = "done"


class CaseKind(StrEnum):
    PRACTICE = "practice"
    """做法经验"""
    CASE = "case"
    """典型案例"""


class CaseStatus(StrEnum):
    DRAFT = "draft"
    """草稿"""
    FINAL = "final"
    """已定稿"""


@dataclass(frozen=True)
class Deadline:
    text: str
    """The deadline exactly as the table wrote it ("9 月底", "全年")."""
    date: dt.date | None
    """The last day it allows, in the document's year; None for 全年/持续推进 and the like."""


@dataclass(frozen=True)
class Source:
    id: int
    file_name: str
    sha256: str
    title: str | None
    issuer: str | None
    doc_number: str | None
    """文号, such as 沪松环〔2023〕14号."""
    doc_date: dt.date | None
    year: int | None
    imported_at: str


@dataclass(frozen=True)
class Task:
    id: int
    source_id: int | None
    seq: str
    """序号 as written in the table."""
    group: str
    """任务名称 / the group the task belongs to (carried down from merged cells)."""
    content: str
    lead: tuple[str, ...]
    cooperating: tuple[str, ...]
    deadline: Deadline
    archived: bool = False


@dataclass(frozen=True)
class Indicator:
    id: int
    source_id: int | None
    category: str
    """考核内容, without its score."""
    category_score: float | None
    level1: str
    level1_score: float | None
    level2: str
    explanation: str
    score: float | None
    """分值 of this row; None when the row shares the score of a merged block (see shared_group)."""
    shared_group: int | None
    """Rows sharing one merged score have the same group number; the score is on the first row."""
    departments: tuple[str, ...]
    archived: bool = False


@dataclass(frozen=True)
class Item:
    """A row of a service item list (事项清单), such as the 18 items with more than 100 cases a year."""

    id: int
    source_id: int | None
    seq: str
    name: str
    category: str
    lead: tuple[str, ...]
    cooperating: tuple[str, ...]
    archived: bool = False


@dataclass(frozen=True)
class Progress:
    target_kind: str
    """'task', 'indicator' or 'item'."""
    target_id: int
    department: str
    status: Status
    note: str = ""
    completed_on: dt.date | None = None
    self_score: float | None = None
    updated_by: str | None = None
    updated_at: str | None = None


@dataclass(frozen=True)
class Evidence:
    id: int
    sha256: str
    original_name: str
    size: int
    media_type: str
    evidence_date: dt.date | None
    note: str
    added_at: str
    links: tuple[tuple[str, int], ...] = field(default=())
    """(target_kind, target_id) pairs: 'task', 'indicator' or 'case'."""


@dataclass(frozen=True)
class CaseReport:
    id: int
    department: str
    month: str
    """YYYY-MM"""
    kind: CaseKind
    title: str
    background: str
    practice: str
    effect: str
    body: str
    """Free text, for a report not split into 背景/做法/成效."""
    status: CaseStatus
    finalised_on: dt.date | None
    revision: int
    task_ids: tuple[int, ...] = field(default=())
