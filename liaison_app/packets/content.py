"""What a packet reports, gathered once from the workspace: the unit's tasks with status and evidence, the indicator
self-assessment, the monthly reports and the evidence files. The PDF and Excel writers only read this.

A packet covers a period (a year, a quarter or a month); what that takes in is liaison_app.periods' one rule: the
tasks and indicators of that year's documents with their state at the period's end, the evidence dated in the
period, the finalised monthly reports of its months (drafts are named, not reported) and the documents as 依据.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .. import cases as case_api
from .. import catalog, evidence, periods, progress
from ..errors import InputError
from ..evidence import safe_file_name
from ..model import CaseReport, DueState, Evidence, Indicator, Role, Source, Status, Task
from ..periods import Period
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
    "missing_identity_fields",
    "require_identity_fields",
]

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

    @property
    def is_pdf(self) -> bool:
        return self.evidence.media_type == "application/pdf" or self.evidence.original_name.lower().endswith(".pdf")


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
    done_in_period: bool = False
    """Completed within the period (not before it)."""


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
    """The day the states are as of: the period's end, or the day the packet was made while the period runs."""
    sources: tuple[Source, ...]
    """The period's documents (its 依据)."""
    tasks: tuple[TaskEntry, ...]
    indicators: tuple[IndicatorEntry, ...]
    cases: tuple[CaseEntry, ...]
    """Finalised monthly reports of the period's months."""
    year_grid: dict[str, str]
    """"YYYY-MM" -> "final" / "draft" / "missing" for the period's year."""
    evidence: tuple[EvidenceEntry, ...]
    """Every evidence file in the packet, in packet order (each once)."""
    signer: SignerInfo | None = None
    soon_days: int = field(default=14)
    drafts: tuple[CaseReport, ...] = ()
    """Reports of the period's months still in draft: left out of the packet, listed as 草稿，未纳入."""

    @property
    def done_in_period(self) -> tuple[TaskEntry, ...]:
        return tuple(t for t in self.tasks if t.done_in_period)

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


_REQUIRED_FIELDS = (("bureau", "局名称"), ("department", "科室"), ("liaison", "联络员姓名"))


def missing_identity_fields(ws: Workspace, *, department: str | None = None) -> list[str]:
    """The names (局名称, 科室, 联络员姓名) of what a packet's cover needs and the workspace does not yet have
    (a unit named for this packet, as ``--department`` does, stands for the workspace's own)."""
    given = {"department": (department or "").strip()}
    return [label for key, label in _REQUIRED_FIELDS
            if not (given.get(key) or (ws.get_setting(key) or "").strip())]


def require_identity_fields(ws: Workspace, *, department: str | None = None) -> None:
    """Refuse a packet whose cover would lack the bureau, the unit or the liaison, saying where to fill them in."""
    missing = missing_identity_fields(ws, department=department)
    if missing:
        raise InputError(
            f"生成材料包前请填写{'、'.join(missing)}：在窗口的「设置」中填写（首次运行时的欢迎页也会询问），"
            "或在命令行运行 liaison init --bureau 局名称 --department 科室 --liaison 姓名。")


def gather(ws: Workspace, period: Period | str, *, department: str | None = None, today: dt.date | None = None,
           generated_at: dt.datetime | None = None, signer: SignerInfo | None = None,
           soon_days: int = 14) -> PacketContent:
    """Read everything a packet for ``period`` reports, for the unit (default: the workspace's own), following
    the one period rule (liaison_app.periods)."""
    if isinstance(period, str):
        period = Period.parse(period)
    require_identity_fields(ws, department=department)
    dept = progress.resolve_department(ws, department)
    now = generated_at or dt.datetime.now().astimezone()
    today = today or now.date()
    sc = periods.scope(ws, period, department=dept, today=today)
    as_of = sc.as_of
    rows = list(sc.tasks)
    if not rows:
        years = "、".join(str(y) for y in periods.document_years(ws)) or "无"
        raise InputError(f"「{dept}」在 {period.year} 年的文件中没有任务，无法生成{period.label}的材料包"
                         f"（工作区中文件的年份：{years}）。", hint="请先导入该年的任务分工表，或检查科室名称和期间。")
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
        if not linked or not periods.in_period(ev, period):
            continue
        for tid in linked:
            task_ev.setdefault(tid, []).append(ev)
        picked[ev.id] = (ev, [seq_of[t] for t in linked])
    indicators = list(sc.indicators)
    ind_ids = {i.id for i in indicators}
    for ev in evidence.list_evidence(ws, target_kind="indicator"):
        if ev.id not in picked and periods.in_period(ev, period) and any(
                k == "indicator" and i in ind_ids for k, i in ev.links):
            picked[ev.id] = (ev, [])
    reports = list(sc.reports)
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

    done_ids = set(sc.done_in_period)
    tasks = []
    for r in rows:
        st = sc.states[r.task.id]
        tasks.append(TaskEntry(
            task=r.task, role=r.role or Role.LEAD, status=st.status, note=st.note,
            completed_on=st.completed_on,
            due=progress.due_state(r.task.deadline.date, st.status, as_of, soon_days=soon_days),
            evidence=tuple(entries[e.id] for e in task_ev.get(r.task.id, [])),
            evidence_total=totals[r.task.id],
            done_in_period=r.task.id in done_ids,
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
        today=as_of,
        sources=sc.sources,
        tasks=tuple(tasks),
        indicators=tuple(ind_entries),
        cases=tuple(CaseEntry(c, tuple(entries[e.id] for e in case_ev.get(c.id, []))) for c in reports),
        year_grid=case_api.year_grid(ws, year=period.year, department=dept),
        evidence=tuple(entries[ev.id] for ev, _ in ordered),
        signer=signer,
        soon_days=soon_days,
        drafts=sc.drafts,
    )
