"""The bureau view: what the units' current packets for a period say, side by side.

Every task of the bureau's documents with each involved unit's reported state (lead and cooperating), the units that
have not reported, overdue tasks across units, the monthly reports per unit and month, the indicator table with each
unit's self-score, and the reminders the office sends. Read with plain SQL: these are joins and groupings over a few
thousand rows, which SQLite says directly (sqlite-utils adds nothing to a SELECT).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from ..model import STATUS_LABELS, DueState, Status
from ..progress import due_state
from ..units import is_collective, split_units
from ..workspace import Workspace

__all__ = [
    "UnitReport",
    "BureauTask",
    "UnitStatus",
    "IndicatorRow",
    "MonthlyReport",
    "Reminder",
    "BureauView",
    "periods",
    "bureau_view",
    "filter_tasks",
    "task_evidence",
    "period_months",
]

_CLOSED: Final = (Status.DONE.value, Status.NA.value)
# What decides a task's state across units: the lead unit's word first; otherwise the least advanced report.
_RANK: Final = {Status.TODO.value: 0, Status.DOING.value: 1, Status.NA.value: 2, Status.DONE.value: 3}


@dataclass(frozen=True)
class UnitReport:
    department: str
    role: str
    """lead or cooperating, as the unit's packet said."""
    status: str
    note: str
    completed_on: str | None
    evidence_count: int
    packet_id: int
    row_no: int
    due: DueState
    """Judged against the office's today, not the unit's."""


@dataclass(frozen=True)
class BureauTask:
    key: str
    source: str
    seq: str
    group: str
    content: str
    lead: tuple[str, ...]
    cooperating: tuple[str, ...]
    deadline_text: str
    deadline: dt.date | None
    reports: tuple[UnitReport, ...]
    missing: tuple[str, ...]
    """Units the task names that have not reported for the period."""

    # Cached: the filter asks these of thousands of tasks on every keystroke.
    @functools.cached_property
    def status(self) -> str:
        """The lead unit's reported state when there is one, else the least advanced report."""
        leads = [r for r in self.reports if r.role == "lead"]
        pool = leads or list(self.reports)
        return min((r.status for r in pool), key=lambda s: _RANK.get(s, 0)) if pool else Status.TODO.value

    @functools.cached_property
    def overdue_units(self) -> tuple[str, ...]:
        return tuple(r.department for r in self.reports if r.due is DueState.OVERDUE)

    @functools.cached_property
    def by_unit(self) -> dict[str, tuple[UnitReport, ...]]:
        """unit -> its reports of this task (one, or two when a unit is both lead and cooperating)."""
        out: dict[str, list[UnitReport]] = defaultdict(list)
        for r in self.reports:
            out[r.department].append(r)
        return {k: tuple(v) for k, v in out.items()}

    @property
    def haystack(self) -> str:
        """Everything the filter box searches, lower-cased once."""
        parts = [self.seq, self.group, self.content, self.source, self.deadline_text, *self.lead, *self.cooperating]
        parts += [r.note for r in self.reports]
        return "\n".join(parts).lower()


@dataclass(frozen=True)
class UnitStatus:
    """One unit's standing for the period."""

    department: str
    packet_id: int | None
    liaison: str = ""
    signer_name: str = ""
    generated_at: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    superseded: int = 0
    """Older packets of the period kept on record."""

    @property
    def reported(self) -> bool:
        return self.packet_id is not None


@dataclass(frozen=True)
class IndicatorRow:
    key: str
    category: str
    level1: str
    level2: str
    score: float | None
    """分值 as the table gives it (for a merged block, on its first row)."""
    by_unit: dict[str, tuple[float | None, float | None]]
    """unit -> (可得分, 自评分) as the unit reported."""

    @property
    def self_total(self) -> float:
        return sum(s or 0.0 for _, s in self.by_unit.values())

    @property
    def available(self) -> float | None:
        """What the indicator is worth: the largest 可得分 a unit reported, else 分值."""
        shares = [m for m, _ in self.by_unit.values() if m is not None]
        return max(shares) if shares else self.score

    @property
    def problem(self) -> str:
        """Why the parts do not add up ('' when they do)."""
        limit = self.available
        if limit is not None and self.self_total > limit + 0.005:
            return f"各科室自评分合计 {self.self_total:g} 超过可得分 {limit:g}"
        if len(self.by_unit) > 1 and limit is not None:
            shares = {round(m, 2) for m, _ in self.by_unit.values() if m is not None}
            if len(shares) > 1:
                return "各科室报来的可得分不一致：" + "、".join(
                    f"{u} {m:g}" for u, (m, _) in sorted(self.by_unit.items()) if m is not None)
        return ""


@dataclass(frozen=True)
class MonthlyReport:
    department: str
    month: str
    kind: str
    title: str
    status: str
    finalised_on: str | None


@dataclass(frozen=True)
class Reminder:
    department: str
    owes: tuple[str, ...]
    """What the unit still owes, one item per line, in plain words."""


@dataclass(frozen=True)
class BureauView:
    period: str
    today: dt.date
    units: tuple[UnitStatus, ...]
    tasks: tuple[BureauTask, ...]
    indicators: tuple[IndicatorRow, ...]
    reports: tuple[MonthlyReport, ...]

    @property
    def missing_units(self) -> tuple[str, ...]:
        return tuple(u.department for u in self.units if not u.reported)

    @property
    def overdue(self) -> list[tuple[BureauTask, UnitReport]]:
        return [(t, r) for t in self.tasks for r in t.reports if r.due is DueState.OVERDUE]

    @property
    def self_score_total(self) -> float:
        return sum(min(i.self_total, i.available) if i.available is not None else i.self_total
                   for i in self.indicators)

    @property
    def indicator_problems(self) -> list[IndicatorRow]:
        return [i for i in self.indicators if i.problem]

    def month_grid(self) -> dict[str, dict[str, str]]:
        """unit -> month -> 已定稿 / 草稿, for the months of the period that have reports."""
        grid: dict[str, dict[str, str]] = defaultdict(dict)
        for r in self.reports:
            if grid[r.department].get(r.month) != "已定稿":
                grid[r.department][r.month] = r.status
        return dict(grid)

    def reminders(self) -> list[Reminder]:
        return _reminders(self)


def period_months(period: str) -> tuple[str, ...]:
    from ..packets.content import Period

    return Period.parse(period).month_keys()


def periods(ws: Workspace) -> list[str]:
    """Periods with packets on record, newest first (2023-Q4 before 2023-Q3; a year before its quarters)."""
    rows = [r[0] for r in ws.conn.execute("SELECT DISTINCT period FROM rollup_packets")]

    def order(p: str) -> tuple[str, int]:
        return (p[:4], 0 if len(p) == 4 else 1 if "Q" in p else 2) if p else ("", 0)

    return sorted(rows, key=lambda p: (order(p)[0], -order(p)[1], p), reverse=True)


def _names(text: str) -> tuple[str, ...]:
    """Unit names from a cell the packet wrote ("办公室、各科室、单位"); "各科室、单位" stays one collective."""
    split = split_units(text)
    return (*split.lead, *split.unmarked, *split.cooperating)


def _expected_units(ws: Workspace, reporting: set[str], period: str) -> list[str]:
    """Units that should report: every unit that ever sent a packet, and the units named in the tasks of the
    bureau's own documents (a document is the bureau's when a reporting unit is named in it: a city plan names
    city offices, which never report here). Collectives (各相关科室) are not units."""
    ever = [r[0] for r in ws.conn.execute("SELECT DISTINCT department FROM rollup_packets ORDER BY department")]
    rows = ws.conn.execute(
        "SELECT DISTINCT t.source, t.lead_text, t.cooperating_text FROM rollup_tasks t "
        "JOIN rollup_packets p ON p.id = t.packet_id WHERE p.period = ? AND p.superseded_by IS NULL", (period,))
    by_source: dict[str, set[str]] = defaultdict(set)
    for source, lead, coop in rows:
        by_source[source].update(_names(lead) + _names(coop))
    # The indicator table is the bureau's own: every unit it holds responsible is expected.
    by_source["\x00indicators"].update(n for (text,) in ws.conn.execute(
        "SELECT DISTINCT i.departments FROM rollup_indicators i JOIN rollup_packets p ON p.id = i.packet_id "
        "WHERE p.period = ? AND p.superseded_by IS NULL", (period,)) for n in _names(text))
    named: list[str] = []
    known = set(ever) | reporting
    for source, units in by_source.items():
        if units & known or source == "\x00indicators":
            named += [u for u in units if not is_collective(u)]
    return sorted(set(ever) | set(named) | reporting)


def bureau_view(ws: Workspace, period: str, *, today: dt.date | None = None, soon_days: int = 14) -> BureauView:
    """The bureau-wide picture of ``period`` from the units' current packets."""
    today = today or dt.date.today()
    packets = ws.conn.execute(
        "SELECT id, department, liaison, signer_name, generated_at, counts_json FROM rollup_packets "
        "WHERE period = ? AND superseded_by IS NULL ORDER BY department", (period,)).fetchall()
    dept_of = {p[0]: p[1] for p in packets}
    superseded = dict(ws.conn.execute(
        "SELECT department, count(*) FROM rollup_packets WHERE period = ? AND superseded_by IS NOT NULL "
        "GROUP BY department", (period,)).fetchall())

    tasks: dict[str, dict[str, object]] = {}
    reports: dict[str, list[UnitReport]] = defaultdict(list)
    overdue_by_unit: dict[str, int] = defaultdict(int)
    rows = ws.conn.execute(
        "SELECT t.packet_id, t.row_no, t.task_key, t.source, t.seq, t.group_name, t.content, t.role, t.lead_text, "
        "t.cooperating_text, t.deadline_text, t.deadline, t.status, t.note, t.completed_on, t.evidence_count "
        "FROM rollup_tasks t JOIN rollup_packets p ON p.id = t.packet_id "
        "WHERE p.period = ? AND p.superseded_by IS NULL ORDER BY t.source, t.packet_id, t.row_no", (period,))
    for (pid, row_no, key, source, seq, group, content, role, lead, coop, dl_text, dl, status, note, done_on,
         ev_count) in rows:
        deadline = dt.date.fromisoformat(dl) if dl else None
        if key not in tasks:
            tasks[key] = {"source": source, "seq": seq, "group": group, "content": content, "lead": _names(lead),
                          "cooperating": _names(coop), "deadline_text": dl_text, "deadline": deadline}
        due = due_state(deadline, status, today, soon_days=soon_days)
        dept = dept_of[pid]
        if due is DueState.OVERDUE:
            overdue_by_unit[dept] += 1
        reports[key].append(UnitReport(dept, role, status, note, done_on, ev_count, pid, row_no, due))

    reporting = set(dept_of.values())
    expected = _expected_units(ws, reporting, period)
    missing_set = set(expected) - reporting
    bureau_tasks = []
    for key, t in tasks.items():
        named = (*t["lead"], *t["cooperating"])  # type: ignore[misc]
        unit_reports = sorted(reports[key], key=lambda r: (r.role != "lead", r.department))
        bureau_tasks.append(BureauTask(
            key=key, source=str(t["source"]), seq=str(t["seq"]), group=str(t["group"]), content=str(t["content"]),
            lead=t["lead"], cooperating=t["cooperating"], deadline_text=str(t["deadline_text"]),  # type: ignore[arg-type]
            deadline=t["deadline"], reports=tuple(unit_reports),  # type: ignore[arg-type]
            missing=tuple(u for u in named if u in missing_set)))
    bureau_tasks.sort(key=lambda b: (b.source, _seq_order(b.seq), b.content))

    by_unit = {p[1]: p for p in packets}
    units = []
    import json

    for dept in expected:
        p = by_unit.get(dept)
        if p is None:
            units.append(UnitStatus(dept, None, superseded=superseded.get(dept, 0)))
        else:
            units.append(UnitStatus(dept, p[0], liaison=p[2], signer_name=p[3], generated_at=p[4],
                                    counts=json.loads(p[5] or "{}"), overdue=overdue_by_unit.get(dept, 0),
                                    superseded=superseded.get(dept, 0)))

    ind: dict[str, dict[str, object]] = {}
    for pid, key, category, level1, level2, score, max_score, self_score in ws.conn.execute(
            "SELECT i.packet_id, i.indicator_key, i.category, i.level1, i.level2, i.score, i.max_score, "
            "i.self_score FROM rollup_indicators i JOIN rollup_packets p ON p.id = i.packet_id "
            "WHERE p.period = ? AND p.superseded_by IS NULL ORDER BY i.packet_id, i.row_no", (period,)):
        entry = ind.setdefault(key, {"category": category, "level1": level1, "level2": level2, "score": score,
                                     "by_unit": {}})
        if entry["score"] is None and score is not None:
            entry["score"] = score
        entry["by_unit"][dept_of[pid]] = (max_score, self_score)  # type: ignore[index]
    indicators = tuple(IndicatorRow(key=k, category=str(v["category"]), level1=str(v["level1"]),
                                    level2=str(v["level2"]), score=v["score"], by_unit=v["by_unit"])  # type: ignore[arg-type]
                       for k, v in ind.items())

    months = set(period_months(period))
    monthly = tuple(
        MonthlyReport(dept_of[pid], month, kind, title, status, fin)
        for pid, month, kind, title, status, fin in ws.conn.execute(
            "SELECT c.packet_id, c.month, c.kind, c.title, c.status, c.finalised_on FROM rollup_cases c "
            "JOIN rollup_packets p ON p.id = c.packet_id WHERE p.period = ? AND p.superseded_by IS NULL "
            "ORDER BY p.department, c.month, c.row_no", (period,))
        if month in months)
    return BureauView(period=period, today=today, units=tuple(units), tasks=tuple(bureau_tasks),
                      indicators=indicators, reports=monthly)


def _seq_order(seq: str) -> tuple[int, str]:
    return (int(seq), "") if seq.isdigit() else (1 << 30, seq)


def filter_tasks(tasks: Iterable[BureauTask], *, text: str = "", unit: str | None = None, role: str = "any",
                 status: str | None = None, overdue_only: bool = False,
                 haystacks: Sequence[str] | None = None) -> list[BureauTask]:
    """The task list's filters over the bureau view: free text (every word must appear), one unit (and its role),
    a reported status (of that unit, else the task's), overdue only. ``haystacks`` (parallel to ``tasks``) saves
    rebuilding the search text on every keystroke."""
    words = [w for w in text.lower().split() if w]
    out = []
    items = list(tasks)
    hay = haystacks if haystacks is not None else [t.haystack for t in items]
    for t, h in zip(items, hay, strict=True):
        if words and not all(w in h for w in words):
            continue
        mine = t.reports
        if unit:
            mine = t.by_unit.get(unit, ())
            if role == "lead" and unit not in t.lead and not any(r.role == "lead" for r in mine):
                continue
            if role == "cooperating" and unit not in t.cooperating and not any(r.role == "cooperating" for r in mine):
                continue
            if not mine and unit not in t.lead and unit not in t.cooperating:
                continue
            if status and not any(r.status == status for r in mine):
                continue
        elif status and t.status != status:
            continue
        if overdue_only and not (any(r.due is DueState.OVERDUE for r in mine) if unit else t.overdue_units):
            continue
        out.append(t)
    return out


def task_evidence(ws: Workspace, report: UnitReport, seq: str, source: str) -> list[tuple[str, str, str, int]]:
    """(path in the packet, original name, sha256, size) of the evidence a unit's packet links to the task."""
    labels = {seq, f"{source}-{seq}"}
    out = []
    for path, name, task_labels, sha, size in ws.conn.execute(
            "SELECT path, original_name, task_labels, sha256, size FROM rollup_evidence WHERE packet_id = ? "
            "ORDER BY path", (report.packet_id,)):
        if labels & set(_names(task_labels)):
            out.append((path, name, sha, int(size)))
    return out


def _reminders(view: BureauView) -> list[Reminder]:
    until = f"{view.today.year:04d}-{view.today.month:02d}"
    months = [m for m in period_months(view.period) if m < until]
    grid = view.month_grid()
    per_unit_overdue: dict[str, list[BureauTask]] = defaultdict(list)
    for t, r in view.overdue:
        per_unit_overdue[r.department].append(t)
    unscored: dict[str, int] = defaultdict(int)
    for ind in view.indicators:
        for unit, (_, score) in ind.by_unit.items():
            if score is None:
                unscored[unit] += 1
    out = []
    for u in view.units:
        owes: list[str] = []
        if not u.reported:
            owes.append(f"尚未报送{_label(view.period)}材料包")
        else:
            late = per_unit_overdue.get(u.department, [])
            if late:
                seqs = "、".join(t.seq or "?" for t in late[:10]) + ("等" if len(late) > 10 else "")
                owes.append(f"{len(late)} 项任务已逾期未完成（序号 {seqs}）")
            open_tasks = u.counts.get("todo", 0) + u.counts.get("doing", 0)
            if open_tasks:
                owes.append(f"{open_tasks} 项任务未完成（{STATUS_LABELS[Status.TODO]} {u.counts.get('todo', 0)}，"
                            f"{STATUS_LABELS[Status.DOING]} {u.counts.get('doing', 0)}）")
            no_case = [m for m in months if grid.get(u.department, {}).get(m) != "已定稿"]
            if no_case:
                owes.append("月度案例未定稿：" + "、".join(f"{int(m[5:])}月" for m in no_case))
            if unscored.get(u.department):
                owes.append(f"{unscored[u.department]} 项考核指标未自评")
        if owes:
            out.append(Reminder(u.department, tuple(owes)))
    return out


def _label(period: str) -> str:
    from ..packets.content import Period

    return Period.parse(period).label
