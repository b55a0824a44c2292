"""What a packet reports, gathered once from the workspace: the unit's tasks with status and evidence, the indicator
self-assessment, the monthly reports and the evidence files. The PDF and Excel writers only read this.

A packet covers a period (a year, a quarter or a month). The checklist always lists every task of the unit with its
status as of today; the monthly reports are those of the months in the period; the evidence is what is linked to the
unit's tasks, indicators and reports of the period and dated on or before the period's end (and, for a quarter or
month, not before its start), so a monthly packet does not repeat the whole year's files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal

from .. import cases as case_api
from .. import catalog, evidence, progress
from ..errors import InputError
from ..evidence import safe_file_name
from ..model import CaseReport, DueState, Evidence, Indicator, Role, Source, Status, Task
from ..progress import StatusSummary
from ..workspace import Workspace

__all__ = [
    "Period",
    "EvidenceEntry",
    "TaskEntry",
    "IndicatorEntry",
    "CaseEntry",
    "SignerInfo",
    "PacketContent",
    "gather",
]

_QUARTER_NAMES: Final = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


@dataclass(frozen=True)
class Period:
    """The time a packet reports on."""

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
        if (m := re.fullmatch(r"(\d{4})-Q([1-4])", value)):
            return cls("quarter", int(m.group(1)), int(m.group(2)))
        if (m := re.fullmatch(r"(\d{4})-(\d{1,2})", value)) and 1 <= int(m.group(2)) <= 12:
            return cls("month", int(m.group(1)), int(m.group(2)))
        raise InputError(f"期间 {text!r} 应写成 YYYY（全年）、YYYY-Qn（季度，如 2023-Q2）或 YYYY-MM（月份，如 2023-05）。")

    @property
    def months(self) -> tuple[int, ...]:
        if self.kind == "year":
            return tuple(range(1, 13))
        if self.kind == "quarter":
            assert self.number is not None
            return tuple(range(3 * self.number - 2, 3 * self.number + 1))
        assert self.number is not None
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


@dataclass(frozen=True)
class EvidenceEntry:
    evidence: Evidence
    path: Path
    """The file in the workspace vault (read it from here; it is never changed)."""
    packet_name: str
    """Its path inside the packet, e.g. ``evidence/012_会议纪要.pdf`` (unique within the packet)."""
    task_seqs: tuple[str, ...] = ()
    """序号 of the unit's tasks it is linked to (for the evidence index), prefixed with the document number
    (沪绿容〔2023〕177号-22) when the unit's tasks come from more than one document."""

    @property
    def is_image(self) -> bool:
        return self.evidence.media_type.startswith("image/")


@dataclass(frozen=True)
class TaskEntry:
    task: Task
    role: Role
    """The unit's role: lead wins over cooperating."""
    status: Status
    note: str
    completed_on: dt.date | None
    due: DueState
    evidence: tuple[EvidenceEntry, ...] = ()
    """The evidence of this task that the packet carries."""
    evidence_total: int = 0
    """All evidence linked to the task, including files outside the period."""


@dataclass(frozen=True)
class IndicatorEntry:
    indicator: Indicator
    status: Status
    self_score: float | None
    max_score: float | None
    """The indicator's score, or its share of a merged block (what the self-score may reach)."""
    note: str


@dataclass(frozen=True)
class CaseEntry:
    case: CaseReport
    attachments: tuple[EvidenceEntry, ...] = ()


@dataclass(frozen=True)
class SignerInfo:
    name: str
    department: str
    fingerprint_sha256: str
    """Hex SHA-256 of the signer's certificate (DER), as shown to inspectors for comparison."""
    not_after: dt.datetime | None = None


@dataclass(frozen=True)
class PacketContent:
    bureau: str
    department: str
    liaison: str
    period: Period
    generated_at: dt.datetime
    """Aware local time."""
    today: dt.date
    sources: tuple[Source, ...]
    tasks: tuple[TaskEntry, ...]
    indicators: tuple[IndicatorEntry, ...]
    cases: tuple[CaseEntry, ...]
    year_grid: dict[str, str]
    """"YYYY-MM" -> "final" / "draft" / "missing" for the period's year."""
    summary: StatusSummary
    evidence: tuple[EvidenceEntry, ...]
    """Every evidence file in the packet, in packet order (each once)."""
    signer: SignerInfo | None = None
    soon_days: int = field(default=14)

    @property
    def status_counts(self) -> dict[Status, int]:
        counts = Counter(t.status for t in self.tasks)
        return {s: counts.get(s, 0) for s in Status}

    @property
    def overdue(self) -> tuple[TaskEntry, ...]:
        return tuple(t for t in self.tasks if t.due is DueState.OVERDUE)

    @property
    def due_soon(self) -> tuple[TaskEntry, ...]:
        return tuple(t for t in self.tasks if t.due is DueState.DUE_SOON)

    def group_progress(self) -> list[tuple[str, int, int]]:
        """(task group, tasks closed (done or 不涉及), tasks) in table order, for the progress chart."""
        order: dict[str, list[int]] = {}
        for t in self.tasks:
            counts = order.setdefault(t.task.group or "（未分组）", [0, 0])
            counts[1] += 1
            if t.status in (Status.DONE, Status.NA):
                counts[0] += 1
        return [(g, c[0], c[1]) for g, c in order.items()]

    @property
    def self_score_total(self) -> float:
        return sum(i.self_score or 0.0 for i in self.indicators)

    @property
    def max_score_total(self) -> float:
        return sum(i.max_score or 0.0 for i in self.indicators)


def _packet_names(entries: list[tuple[Evidence, tuple[str, ...]]]) -> list[str]:
    """evidence/<任务序号>_<original name>, collisions resolved with (2), (3)…, case-insensitively."""
    taken: set[str] = set()
    out = []
    for ev, seqs in entries:
        prefix = f"{safe_file_name(seqs[0], limit=40)}_" if seqs else "其他_"
        base = safe_file_name(prefix + ev.original_name)
        stem, dot, ext = base.rpartition(".")
        if not dot:
            stem, ext = base, ""
        candidate, n = base, 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{stem}({n})" + (f".{ext}" if ext else "")
        taken.add(candidate.lower())
        out.append(f"evidence/{candidate}")
    return out


def _task_labels(ws: Workspace, tasks: list[Task]) -> dict[int, str]:
    """task id -> how the packet names the task: its 序号, with the document number in front when the unit's tasks
    come from more than one document (two documents both have a task 22)."""
    if len({t.source_id for t in tasks}) <= 1:
        return {t.id: t.seq or str(t.id) for t in tasks}
    numbers: dict[int | None, str | None] = {s.id: s.doc_number for s in catalog.list_sources(ws)}
    return {t.id: f"{numbers.get(t.source_id) or f'文件{t.source_id}'}-{t.seq or t.id}" for t in tasks}


def _in_period(ev: Evidence, period: Period) -> bool:
    when = ev.evidence_date or dt.date.fromisoformat(ev.added_at[:10])
    if when > period.end:
        return False
    return period.kind == "year" or when >= period.start


def gather(ws: Workspace, period: Period | str, *, department: str | None = None, today: dt.date | None = None,
           generated_at: dt.datetime | None = None, signer: SignerInfo | None = None,
           soon_days: int = 14) -> PacketContent:
    """Read everything a packet for ``period`` reports, for the unit (default: the workspace's own)."""
    if isinstance(period, str):
        period = Period.parse(period)
    dept = progress.resolve_department(ws, department)
    now = generated_at or dt.datetime.now().astimezone()
    today = today or now.date()
    rows = catalog.list_tasks(ws, department=dept)
    if not rows:
        raise InputError(f"「{dept}」没有任何任务，无法生成材料包。", hint="请先导入任务分工表，或检查科室名称。")
    task_progress = progress.progress_map(ws, "task", department=dept)
    ind_progress = progress.progress_map(ws, "indicator", department=dept)

    # Evidence of the unit's tasks, indicators and the period's reports; in task order, each file once.
    seq_of = _task_labels(ws, [r.task for r in rows])
    task_ev: dict[int, list[Evidence]] = {}
    totals: Counter[int] = Counter()
    picked: dict[int, tuple[Evidence, list[str]]] = {}
    for ev in evidence.list_evidence(ws, target_kind="task"):
        linked = [tid for kind, tid in ev.links if kind == "task" and tid in seq_of]
        for tid in linked:
            totals[tid] += 1
        if not linked or not _in_period(ev, period):
            continue
        for tid in linked:
            task_ev.setdefault(tid, []).append(ev)
        picked[ev.id] = (ev, [seq_of[t] for t in linked])
    indicators = catalog.list_indicators(ws, department=dept)
    ind_ids = {i.id for i in indicators}
    for ev in evidence.list_evidence(ws, target_kind="indicator"):
        if ev.id not in picked and _in_period(ev, period) and any(
                k == "indicator" and i in ind_ids for k, i in ev.links):
            picked[ev.id] = (ev, [])
    months = set(period.month_keys())
    reports = [c for c in case_api.list_cases(ws, department=dept, year=period.year) if c.month in months]
    case_ev: dict[int, list[Evidence]] = {}
    for c in reports:
        for ev in evidence.list_evidence(ws, target_kind="case", target_id=c.id):
            case_ev.setdefault(c.id, []).append(ev)
            picked.setdefault(ev.id, (ev, []))

    task_order = {r.task.id: n for n, r in enumerate(rows)}

    def order_key(item: tuple[Evidence, list[str]]) -> tuple[int, int]:
        ev, _ = item
        firsts = [task_order[t] for k, t in ev.links if k == "task" and t in task_order]
        return (min(firsts) if firsts else len(task_order), ev.id)

    ordered = sorted(picked.values(), key=order_key)
    names = _packet_names([(ev, tuple(seqs)) for ev, seqs in ordered])
    entries = {ev.id: EvidenceEntry(ev, evidence.vault_path(ws, ev.sha256), name, tuple(seqs))
               for (ev, seqs), name in zip(ordered, names, strict=True)}

    tasks = []
    for r in rows:
        p = task_progress.get(r.task.id)
        status = p.status if p else Status.TODO
        tasks.append(TaskEntry(
            task=r.task, role=r.role or Role.LEAD, status=status, note=p.note if p else "",
            completed_on=p.completed_on if p else None,
            due=progress.due_state(r.task.deadline.date, status, today, soon_days=soon_days),
            evidence=tuple(entries[e.id] for e in task_ev.get(r.task.id, [])),
            evidence_total=totals[r.task.id],
        ))
    ind_entries = []
    for ind in indicators:
        p = ind_progress.get(ind.id)
        ind_entries.append(IndicatorEntry(
            indicator=ind, status=p.status if p else Status.TODO, self_score=p.self_score if p else None,
            max_score=progress.max_self_score(ws, ind.id), note=p.note if p else "",
        ))
    return PacketContent(
        bureau=ws.get_setting("bureau") or "",
        department=dept,
        liaison=ws.liaison or "",
        period=period,
        generated_at=now,
        today=today,
        sources=tuple(catalog.list_sources(ws, include_superseded=False)),
        tasks=tuple(tasks),
        indicators=tuple(ind_entries),
        cases=tuple(CaseEntry(c, tuple(entries[e.id] for e in case_ev.get(c.id, []))) for c in reports),
        year_grid=case_api.year_grid(ws, year=period.year, department=dept),
        summary=progress.summary(ws, today=today, department=dept, soon_days=soon_days),
        evidence=tuple(entries[ev.id] for ev, _ in ordered),
        signer=signer,
        soon_days=soon_days,
    )
