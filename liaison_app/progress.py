"""Ticking off tasks and indicators for one unit, and what the liaison should be reminded of today.

Due states are derived from the deadline, the status and a date passed in; nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from typing import Any, Final

from .errors import InputError, NotFound
from .model import DueState, Progress, Status
from .workspace import AuditRow, Workspace, now_iso, resolve_department

__all__ = [
    "KEEP",
    "DueTask",
    "Reminders",
    "StatusSummary",
    "set_status",
    "get_progress",
    "progress_map",
    "max_self_score",
    "due_state",
    "reminders",
    "summary",
    "resolve_department",
    "history",
    "report_months",
    "FIXED_TODAY_SETTING",
    "workspace_today",
    "ReminderRules",
    "reminder_rules",
    "set_reminder_rules",
]

FIXED_TODAY_SETTING: Final = "fixed_today"
"""A workspace setting (YYYY-MM-DD) that fixes "today" for everything that shows it: the demo plays out on one day,
and the window, the command line and its packet must agree on it."""

TARGET_KINDS: Final = ("task", "indicator", "item")
_TARGET_TABLE: Final = {"task": "tasks", "indicator": "indicators", "item": "items"}
_KIND_LABEL: Final = {"task": "任务", "indicator": "考核指标", "item": "事项"}


class _Keep:
    """Marker for "leave this field as it is" (None already means "no value")."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()


@dataclass(frozen=True)
class DueTask:
    """A task of the unit with its derived due state, as a reminder list shows it."""

    task_id: int
    seq: str
    group: str
    content: str
    role: str
    """'lead' when the unit leads the task, else 'cooperating'."""
    deadline: dt.date | None
    deadline_text: str
    status: Status
    due: DueState
    days_left: int | None
    """Days from today to the deadline (negative when overdue); None without a deadline."""


@dataclass(frozen=True)
class Reminders:
    today: dt.date
    department: str
    overdue: tuple[DueTask, ...] = ()
    due_soon: tuple[DueTask, ...] = ()
    missing_months: tuple[str, ...] = ()
    """Months (YYYY-MM) of today's year with no monthly practice/case report at all."""
    draft_months: tuple[str, ...] = ()
    """Months whose report is still a draft (written but not finalised)."""

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due_soon or self.missing_months or self.draft_months)


@dataclass(frozen=True)
class StatusSummary:
    today: dt.date
    department: str
    task_status: dict[str, int] = field(default_factory=dict)
    """Tasks of the unit by status: todo, doing, done, na (a task without a progress row counts as todo)."""
    indicator_status: dict[str, int] = field(default_factory=dict)
    due: dict[str, int] = field(default_factory=dict)
    """Tasks of the unit by derived due state."""
    overdue: tuple[DueTask, ...] = ()
    due_soon: tuple[DueTask, ...] = ()
    missing_months: tuple[str, ...] = ()
    draft_months: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        def task_row(t: DueTask) -> dict[str, Any]:
            return {
                "id": t.task_id, "seq": t.seq, "group": t.group, "content": t.content, "role": t.role,
                "deadline": t.deadline.isoformat() if t.deadline else None, "deadline_text": t.deadline_text,
                "status": t.status.value, "due": t.due.value, "days_left": t.days_left,
            }

        return {
            "today": self.today.isoformat(),
            "department": self.department,
            "tasks": self.task_status,
            "indicators": self.indicator_status,
            "due": self.due,
            "overdue": [task_row(t) for t in self.overdue],
            "due_soon": [task_row(t) for t in self.due_soon],
            "missing_months": list(self.missing_months),
            "draft_months": list(self.draft_months),
        }


# ----- helpers ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReminderRules:
    """What the reminders count as pressing, chosen in 设置 and kept in the workspace."""

    soon_days: int = 14
    """A deadline this many days ahead or fewer is "due soon"."""
    report_day: int = 20
    """The day of the month by which that month's practice/case report is due."""


def reminder_rules(ws: Workspace) -> ReminderRules:
    def number(key: str, default: int, low: int, high: int) -> int:
        try:
            value = int(ws.get_setting(key) or default)
        except ValueError:
            return default
        return value if low <= value <= high else default

    return ReminderRules(soon_days=number("soon_days", 14, 1, 90), report_day=number("report_day", 20, 1, 28))


def set_reminder_rules(ws: Workspace, *, soon_days: int, report_day: int) -> ReminderRules:
    if not 1 <= int(soon_days) <= 90:
        raise InputError(f"“即将到期”的天数应在 1 到 90 之间，而不是 {soon_days}。")
    if not 1 <= int(report_day) <= 28:
        raise InputError(f"每月案例的报送日应在 1 到 28 日之间，而不是 {report_day}。")
    with ws.transaction():
        ws.set_setting("soon_days", str(int(soon_days)))
        ws.set_setting("report_day", str(int(report_day)))
    return reminder_rules(ws)


def workspace_today(ws: Workspace, default: dt.date | None = None) -> dt.date:
    """The workspace's fixed day when it has one (the demo's), else ``default`` (else the system date)."""
    fixed = ws.get_setting(FIXED_TODAY_SETTING)
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            pass
    return default or dt.date.today()


def _check_kind(target_kind: str) -> str:
    if target_kind not in TARGET_KINDS:
        raise InputError(f"不认识的对象类型 {target_kind!r}，应为 task、indicator 或 item。")
    return target_kind


def _require_target(ws: Workspace, target_kind: str, target_id: int) -> None:
    table = _TARGET_TABLE[_check_kind(target_kind)]
    if ws.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (int(target_id),)).fetchone() is None:
        raise NotFound(f"找不到编号为 {target_id} 的{_KIND_LABEL[target_kind]}。")


def _parse_status(status: Status | str) -> Status:
    try:
        return Status(str(status).strip().lower())
    except ValueError:
        raise InputError(f"不认识的状态 {status!r}，应为 todo（未开始）、doing（进行中）、done（已完成）或 na（不涉及）。") from None


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _row_to_progress(row: Any) -> Progress:
    return Progress(
        target_kind=row[0], target_id=int(row[1]), department=row[2], status=Status(row[3]), note=row[4] or "",
        completed_on=_date(row[5]), self_score=row[6], updated_by=row[7], updated_at=row[8],
    )


_PROGRESS_COLS = "target_kind, target_id, department, status, note, completed_on, self_score, updated_by, updated_at"


def get_progress(ws: Workspace, target_kind: str, target_id: int, *, department: str | None = None) -> Progress | None:
    """The unit's progress on one task/indicator/item, or None when nothing was recorded yet (i.e. todo)."""
    dept = resolve_department(ws, department)
    row = ws.conn.execute(
        f"SELECT {_PROGRESS_COLS} FROM progress WHERE target_kind = ? AND target_id = ? AND department = ?",
        (_check_kind(target_kind), int(target_id), dept),
    ).fetchone()
    return _row_to_progress(row) if row else None


def progress_map(ws: Workspace, target_kind: str, *, department: str | None = None) -> dict[int, Progress]:
    """target_id -> Progress for every recorded target of one kind (a missing id means todo)."""
    dept = resolve_department(ws, department)
    rows = ws.conn.execute(
        f"SELECT {_PROGRESS_COLS} FROM progress WHERE target_kind = ? AND department = ?",
        (_check_kind(target_kind), dept),
    )
    return {int(r[1]): _row_to_progress(r) for r in rows}


def max_self_score(ws: Workspace, indicator_id: int) -> float | None:
    """The highest self-assessed score an indicator allows: its 分值, or its equal share of a merged block's score.

    None when the table gave no score at all (then any score from 0 up is accepted).
    """
    row = ws.conn.execute(
        "SELECT score, shared_group, source_id, table_no FROM indicators WHERE id = ?", (int(indicator_id),)
    ).fetchone()
    if row is None:
        raise NotFound(f"找不到编号为 {indicator_id} 的考核指标。")
    score, group, source_id, table_no = row
    if group is None:
        return float(score) if score is not None else None
    # A merged score cell is written on the block's first row; the rows of the block share it equally.
    scores = ws.conn.execute(
        "SELECT score FROM indicators WHERE shared_group = ? AND source_id IS ? AND table_no = ?",
        (group, source_id, table_no),
    ).fetchall()
    total = max((s for (s,) in scores if s is not None), default=None)
    if total is None:
        return None
    return float(total) / len(scores)


def _check_self_score(ws: Workspace, target_kind: str, target_id: int, score: float | None) -> float | None:
    if score is None:
        return None
    if target_kind != "indicator":
        raise InputError("只有考核指标可以填写自评分。")
    try:
        value = float(score)
    except (TypeError, ValueError):
        raise InputError(f"自评分 {score!r} 不是数字。") from None
    if not math.isfinite(value) or value < 0:
        raise InputError(f"自评分 {score} 不能小于 0。")
    limit = max_self_score(ws, target_id)
    # A small tolerance: a share such as 10/3 is shown rounded, and the user types what they see.
    if limit is not None and value > limit + 0.005:
        raise InputError(f"自评分 {value:g} 超过了该指标的分值 {round(limit, 2):g}。")
    return value


# ----- changing status ---------------------------------------------------------------------------------------------
def set_status(
    ws: Workspace,
    target_kind: str,
    target_id: int,
    status: Status | str,
    *,
    department: str | None = None,
    note: str | None = None,
    completed_on: dt.date | None = None,
    self_score: float | None | _Keep = KEEP,
    today: dt.date | None = None,
) -> Progress:
    """Record the unit's status on a task, indicator or item, with who and when, and an audit row of old → new.

    ``note`` None keeps the current note. ``completed_on`` only applies to done: when omitted, a target that was
    already done keeps its date, otherwise it becomes ``today`` (default: the system date); other statuses clear it.
    ``self_score`` left out keeps the current score; None clears it. To undo, call again with the old Progress's
    status, note, completed_on and self_score.
    """
    _require_target(ws, target_kind, target_id)
    new_status = _parse_status(status)
    dept = resolve_department(ws, department)
    with ws.transaction():
        old = get_progress(ws, target_kind, target_id, department=dept)
        new_note = (old.note if old else "") if note is None else str(note).strip()
        if new_status is Status.DONE:
            if completed_on is None:
                completed_on = old.completed_on if old and old.status is Status.DONE and old.completed_on else None
            if completed_on is None:
                completed_on = today or dt.date.today()
        else:
            completed_on = None
        if isinstance(self_score, _Keep):
            new_score = old.self_score if old else None
        else:
            new_score = _check_self_score(ws, target_kind, target_id, self_score)
        if old and (old.status, old.note, old.completed_on, old.self_score) == (
            new_status, new_note, completed_on, new_score
        ):
            return old
        actor = ws.actor or ws.liaison or None
        at = now_iso()
        ws.conn.execute(
            "INSERT INTO progress(target_kind, target_id, department, status, note, completed_on, self_score,"
            " updated_by, updated_at) VALUES (?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(target_kind, target_id, department) DO UPDATE SET status = excluded.status,"
            " note = excluded.note, completed_on = excluded.completed_on, self_score = excluded.self_score,"
            " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            (target_kind, int(target_id), dept, new_status.value, new_note,
             completed_on.isoformat() if completed_on else None, new_score, actor, at),
        )

        def snap(p: Progress | None) -> dict[str, Any] | None:
            if p is None:
                return None
            return {"status": p.status.value, "note": p.note,
                    "completed_on": p.completed_on.isoformat() if p.completed_on else None,
                    "self_score": p.self_score}

        new = Progress(target_kind, int(target_id), dept, new_status, new_note, completed_on, new_score, actor, at)
        ws.audit("progress.set", f"{target_kind}:{int(target_id)}",
                 {"department": dept, "old": snap(old), "new": snap(new)})
    return new


def history(ws: Workspace, target_kind: str, target_id: int) -> list[AuditRow]:
    """The audit rows about one task, indicator or item, newest first: its status changes (for every unit) and the
    evidence attached to, linked to or unlinked from it."""
    target = f"{_check_kind(target_kind)}:{int(target_id)}"
    # Evidence rows name their targets inside the JSON detail; LIKE narrows them down, the loop below decides.
    rows = ws.conn.execute(
        "SELECT id, at, actor, action, target, detail FROM audit_log"
        " WHERE target = ? OR (action LIKE 'evidence.%' AND detail LIKE ?) ORDER BY id DESC",
        (target, f'%"{target}"%'),
    )
    out: list[AuditRow] = []
    for row_id, at, actor, action, row_target, detail_text in rows:
        detail = json.loads(detail_text or "{}")
        if row_target != target and target not in (detail.get("links") or [detail.get("link")]):
            continue
        out.append(AuditRow(row_id, at, actor, action, row_target, detail))
    return out


# ----- due states and reminders ------------------------------------------------------------------------------------
def due_state(deadline: dt.date | None, status: Status | str | None, today: dt.date, *, soon_days: int = 14) -> DueState:
    """Overdue, due soon (deadline within ``soon_days``), on track, no deadline, or done (done and 不涉及 both close it)."""
    st = Status(status) if status else Status.TODO
    if st in (Status.DONE, Status.NA):
        return DueState.DONE
    if deadline is None:
        return DueState.NO_DEADLINE
    if deadline < today:
        return DueState.OVERDUE
    if (deadline - today).days <= soon_days:
        return DueState.DUE_SOON
    return DueState.ON_TRACK


def _unit_tasks(ws: Workspace, dept: str, today: dt.date, soon_days: int) -> list[DueTask]:
    """The unit's tasks as the task list shows them (collectives such as 各相关科室 included), with due states."""
    # catalog's role rules decide which tasks are the unit's; a recurring deadline (每月, 每季度) is due in
    # today's period.
    from .catalog import list_tasks
    from .importing.deadlines import current_due

    out = []
    for row in list_tasks(ws, department=dept):
        t, d = row.task, current_due(row.task.deadline.text, row.task.deadline.date, today)
        out.append(DueTask(
            task_id=t.id, seq=t.seq, group=t.group, content=t.content,
            role=row.role.value if row.role else "lead", deadline=d, deadline_text=t.deadline.text,
            status=row.status, due=due_state(d, row.status, today, soon_days=soon_days),
            days_left=(d - today).days if d else None,
        ))
    return out


def report_months(ws: Workspace, *, today: dt.date, department: str | None = None,
                  report_day: int | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(missing, draft) monthly reports already due in today's year: past months, and this one after report_day
    (default: the workspace's reminder rules).

    The part of ``reminders`` about reports alone, for a caller that already has the unit's tasks."""
    day = reminder_rules(ws).report_day if report_day is None else report_day
    return _report_months(ws, resolve_department(ws, department), today, day)


def _report_months(ws: Workspace, dept: str, today: dt.date, report_day: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from .cases import year_grid

    last = today.month if today.day > report_day else today.month - 1
    grid = year_grid(ws, year=today.year, department=dept)
    due = [m for m in sorted(grid) if int(m[5:]) <= last]
    return (tuple(m for m in due if grid[m] == "missing"), tuple(m for m in due if grid[m] == "draft"))


def _by_deadline(tasks: list[DueTask]) -> tuple[DueTask, ...]:
    return tuple(sorted(tasks, key=lambda t: (t.deadline or dt.date.max, t.task_id)))


def reminders(ws: Workspace, *, today: dt.date, department: str | None = None, soon_days: int | None = None,
              report_day: int | None = None) -> Reminders:
    """What the liaison should see today: overdue tasks, tasks due soon, and monthly reports still missing
    (``soon_days`` and ``report_day`` default to the workspace's reminder rules)."""
    dept = resolve_department(ws, department)
    rules = reminder_rules(ws)
    soon_days = rules.soon_days if soon_days is None else soon_days
    report_day = rules.report_day if report_day is None else report_day
    tasks = _unit_tasks(ws, dept, today, soon_days)
    missing, drafts = _report_months(ws, dept, today, report_day)
    return Reminders(
        today=today, department=dept,
        overdue=_by_deadline([t for t in tasks if t.due is DueState.OVERDUE]),
        due_soon=_by_deadline([t for t in tasks if t.due is DueState.DUE_SOON]),
        missing_months=missing, draft_months=drafts,
    )


def summary(ws: Workspace, *, today: dt.date, department: str | None = None, soon_days: int | None = None,
            report_day: int | None = None) -> StatusSummary:
    """Counts by status and due state for the unit, with the overdue and due-soon lists and missing months
    (``soon_days`` and ``report_day`` default to the workspace's reminder rules)."""
    dept = resolve_department(ws, department)
    rules = reminder_rules(ws)
    soon_days = rules.soon_days if soon_days is None else soon_days
    report_day = rules.report_day if report_day is None else report_day
    tasks = _unit_tasks(ws, dept, today, soon_days)
    task_status = {s.value: 0 for s in Status}
    due = {d.value: 0 for d in DueState}
    for t in tasks:
        task_status[t.status.value] += 1
        due[t.due.value] += 1
    indicator_status = {s.value: 0 for s in Status}
    rows = ws.conn.execute(
        """
        SELECT p.status FROM indicators i
        JOIN indicator_departments idp ON idp.indicator_id = i.id AND idp.department = ?
        LEFT JOIN progress p ON p.target_kind = 'indicator' AND p.target_id = i.id AND p.department = ?
        WHERE i.archived_at IS NULL
        """,
        (dept, dept),
    )
    for (status,) in rows:
        indicator_status[status or Status.TODO.value] += 1
    missing, drafts = _report_months(ws, dept, today, report_day)
    return StatusSummary(
        today=today, department=dept, task_status=task_status, indicator_status=indicator_status, due=due,
        overdue=_by_deadline([t for t in tasks if t.due is DueState.OVERDUE]),
        due_soon=_by_deadline([t for t in tasks if t.due is DueState.DUE_SOON]),
        missing_months=missing, draft_months=drafts,
    )
