"""What a period (a year, a quarter or a month) covers: the one rule the packet, the window, the command line, the
demo and the rollup all use.

- The *documents* of a period are the workspace's current (not superseded) documents of the period's year; they are
  the period's 依据.
- The *tasks* and *indicators* are those of these documents that fall to the unit (as the task list decides).
- A task's *state* is the one it had at the period's end (or today, while the period runs): 已完成 only when it was
  completed by then, otherwise the state the history recorded by then, else 未开始; 不涉及 holds for the whole year.
- The *evidence* is what is linked to those tasks and indicators (or to the period's reports) and dated in the period.
- The *reports* are the monthly reports of the period's months; only finalised ones count, drafts are named apart.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Final, Literal

from . import catalog
from .errors import InputError
from .model import CaseReport, CaseStatus, Evidence, Indicator, Source, Status
from .workspace import Workspace

__all__ = [
    "Period",
    "TaskState",
    "PeriodScope",
    "source_year",
    "document_years",
    "period_sources",
    "tasks_in_period",
    "indicators_in_period",
    "state_at",
    "in_period",
    "period_reports",
    "scope",
]

_QUARTER_NAMES: Final = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
_YEAR_IN_NUMBER: Final = re.compile(r"[〔\[［(（【]\s*((?:19|20)\d\d)\s*[〕\]］)）】]")
_YEAR_IN_TITLE: Final = re.compile(r"((?:19|20)\d\d)\s*年")


@dataclass(frozen=True)
class Period:
    """The time a packet (or a view) reports on."""

    kind: Literal["year", "quarter", "month"]
    year: int
    number: int | None = None
    """The quarter (1–4) or month (1–12); None for a year."""

    @classmethod
    def parse(cls, text: str) -> Period:
        """``YYYY``, ``YYYY-Qn`` or ``YYYY-MM``."""
        value = str(text).strip().upper()
        if m := re.fullmatch(r"(\d{4})", value):
            return cls("year", int(m.group(1)))
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            return cls("quarter", int(m.group(1)), int(m.group(2)))
        if (m := re.fullmatch(r"(\d{4})-(\d{1,2})", value)) and 1 <= int(m.group(2)) <= 12:
            return cls("month", int(m.group(1)), int(m.group(2)))
        raise InputError(f"期间 {text!r} 应写成 YYYY（全年）、YYYY-Qn（季度，如 2023-Q2）或 YYYY-MM（月份，如 2023-05）。")

    @property
    def months(self) -> tuple[int, ...]:
        if self.kind == "year":
            return tuple(range(1, 13))
        assert self.number is not None
        if self.kind == "quarter":
            return tuple(range(3 * self.number - 2, 3 * self.number + 1))
        return (self.number,)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.months[0], 1)

    @property
    def end(self) -> dt.date:
        last = self.months[-1]
        following = dt.date(self.year + 1, 1, 1) if last == 12 else dt.date(self.year, last + 1, 1)
        return following - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        """How people write it: 2023年, 2023年第二季度, 2023年5月."""
        if self.kind == "year":
            return f"{self.year}年"
        if self.kind == "quarter":
            assert self.number is not None
            return f"{self.year}年{_QUARTER_NAMES[self.number]}"
        return f"{self.year}年{self.number}月"

    @property
    def slug(self) -> str:
        """For file names and the command line: 2023, 2023-Q2, 2023-05."""
        if self.kind == "year":
            return str(self.year)
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-{self.number:02d}"

    def month_keys(self) -> tuple[str, ...]:
        return tuple(f"{self.year:04d}-{m:02d}" for m in self.months)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def as_of(self, today: dt.date) -> dt.date:
        """The day states are reported at: the period's end, or ``today`` while the period is still running."""
        return min(self.end, today)


@dataclass(frozen=True)
class TaskState:
    """A task's state at a day, as a packet for a period reports it."""

    status: Status
    completed_on: dt.date | None
    note: str


def source_year(source: Source) -> int | None:
    """The year a document is for: as imported (``--year`` or the document's own words), else the year in its
    文号 (沪松环〔2023〕14号) or title (2023年…), else its date."""
    if source.year:
        return int(source.year)
    if source.doc_number and (m := _YEAR_IN_NUMBER.search(source.doc_number)):
        return int(m.group(1))
    if source.title and (m := _YEAR_IN_TITLE.search(source.title)):
        return int(m.group(1))
    if source.doc_date:
        return source.doc_date.year
    return None


def _current_sources(ws: Workspace) -> list[Source]:
    return catalog.list_sources(ws, include_superseded=False)


def document_years(ws: Workspace) -> list[int]:
    """The years the workspace has documents for, newest first (what a year selector offers)."""
    return sorted({y for s in _current_sources(ws) if (y := source_year(s)) is not None}, reverse=True)


def period_sources(ws: Workspace, period: Period) -> list[Source]:
    """The documents a period covers (its 依据): the current documents of the period's year, oldest first."""
    return [s for s in _current_sources(ws) if source_year(s) == period.year]


def tasks_in_period(ws: Workspace, period: Period | str, *, department: str | None = None) -> list[catalog.TaskRow]:
    """The unit's tasks (default: the workspace's own unit) that a period covers, in table order, with their
    current status: the tasks of the period's documents. The window's year selector and the packet both use it."""
    if isinstance(period, str):
        period = Period.parse(period)
    ids = {s.id for s in period_sources(ws, period)}
    return [r for r in catalog.list_tasks(ws, department=department or ws.department)
            if r.task.source_id in ids]


def indicators_in_period(ws: Workspace, period: Period, *, department: str) -> list[Indicator]:
    """The unit's indicators of the period's documents."""
    ids = {s.id for s in period_sources(ws, period)}
    return [i for i in catalog.list_indicators(ws, department=department) if i.source_id in ids]


def _history(ws: Workspace, department: str, day: dt.date) -> dict[int, TaskState]:
    """task id -> the last state recorded for the unit on or before ``day`` (from the audit log)."""
    out: dict[int, TaskState] = {}
    rows = ws.conn.execute(
        "SELECT target, at, detail FROM audit_log WHERE action = 'progress.set' AND target LIKE 'task:%' "
        "AND substr(at, 1, 10) <= ? ORDER BY id", (day.isoformat(),))
    for target, _at, detail_text in rows:
        detail = json.loads(detail_text or "{}")
        new = detail.get("new")
        if detail.get("department") != department or not isinstance(new, dict):
            continue
        try:
            task_id = int(str(target).split(":", 1)[1])
            status = Status(str(new.get("status")))
            done_on = dt.date.fromisoformat(new["completed_on"]) if new.get("completed_on") else None
        except (ValueError, KeyError, IndexError):
            continue
        out[task_id] = TaskState(status, done_on, str(new.get("note") or ""))
    return out


def state_at(ws: Workspace, task_ids: list[int], *, department: str, day: dt.date,
             today: dt.date | None = None) -> dict[int, TaskState]:
    """Each task's state at ``day``: its current state when ``day`` is today or later; else 已完成 only when it
    was completed on or before ``day``, 不涉及 as it is now, otherwise what the history recorded by ``day``
    (a task recorded done only later was, at best, in progress), else 未开始."""
    from . import progress

    current = progress.progress_map(ws, "task", department=department)
    today = today or dt.date.today()
    out: dict[int, TaskState] = {}
    history: dict[int, TaskState] | None = None
    for tid in task_ids:
        p = current.get(tid)
        if p is None:
            out[tid] = TaskState(Status.TODO, None, "")
            continue
        if day >= today or p.status is Status.NA or (
                p.status is Status.DONE and p.completed_on is not None and p.completed_on <= day):
            out[tid] = TaskState(p.status, p.completed_on, p.note)
            continue
        if history is None:
            history = _history(ws, department, day)
        old = history.get(tid)
        if old is None:
            out[tid] = TaskState(Status.TODO, None, p.note)
        elif old.status is Status.DONE and (old.completed_on is None or old.completed_on > day):
            out[tid] = TaskState(Status.DOING, None, p.note)
        else:
            out[tid] = TaskState(old.status, old.completed_on, p.note)
    return out


def in_period(ev: Evidence, period: Period) -> bool:
    """Whether an evidence file belongs to a period: its date (or, without one, the day it was added) is in it."""
    when = ev.evidence_date or dt.date.fromisoformat(ev.added_at[:10])
    return period.contains(when)


def period_reports(ws: Workspace, period: Period, *, department: str) -> tuple[list[CaseReport], list[CaseReport]]:
    """(finalised, drafts): the unit's monthly reports of the period's months."""
    from . import cases

    months = set(period.month_keys())
    reports = [c for c in cases.list_cases(ws, department=department, year=period.year) if c.month in months]
    return ([c for c in reports if c.status is CaseStatus.FINAL],
            [c for c in reports if c.status is not CaseStatus.FINAL])


@dataclass(frozen=True)
class PeriodScope:
    """Everything a period covers for one unit (without the evidence, which the packet gathers)."""

    period: Period
    department: str
    as_of: dt.date
    sources: tuple[Source, ...]
    tasks: tuple[catalog.TaskRow, ...]
    states: dict[int, TaskState]
    indicators: tuple[Indicator, ...]
    reports: tuple[CaseReport, ...]
    """Finalised reports of the period's months."""
    drafts: tuple[CaseReport, ...]
    """Reports of the period's months still in draft: not reported, named apart."""

    @property
    def done_in_period(self) -> tuple[int, ...]:
        """Ids of the tasks completed within the period."""
        return tuple(t for t, s in self.states.items()
                     if s.status is Status.DONE and s.completed_on and self.period.contains(s.completed_on))


def scope(ws: Workspace, period: Period | str, *, department: str | None = None,
          today: dt.date | None = None) -> PeriodScope:
    """What ``period`` covers for the unit (default: the workspace's own), with task states at the period's end."""
    from .progress import resolve_department

    if isinstance(period, str):
        period = Period.parse(period)
    dept = resolve_department(ws, department)
    today = today or dt.date.today()
    as_of = period.as_of(today)
    rows = tasks_in_period(ws, period, department=dept)
    states = state_at(ws, [r.task.id for r in rows], department=dept, day=as_of, today=today)
    finals, drafts = period_reports(ws, period, department=dept)
    return PeriodScope(
        period=period, department=dept, as_of=as_of, sources=tuple(period_sources(ws, period)), tasks=tuple(rows),
        states=states, indicators=tuple(indicators_in_period(ws, period, department=dept)),
        reports=tuple(finals), drafts=tuple(drafts),
    )
