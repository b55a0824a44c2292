"""Monthly practice/case reports (每月提炼 1 条做法经验、案例): drafts, finalising, revisions and the year view.

A finalised report is never edited silently: an edit keeps the finalised text in case_revisions and returns the
report to draft, and both are in the audit log.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from . import evidence
from .errors import InputError, NotFound
from .model import CaseKind, CaseReport, CaseStatus
from .vault import staged_files
from .workspace import Workspace, now_iso, resolve_department

__all__ = [
    "CaseRevision",
    "KIND_LABELS",
    "STATUS_LABELS",
    "add_case",
    "update_case",
    "finalise_case",
    "get_case",
    "list_cases",
    "case_revisions",
    "year_grid",
]

KIND_LABELS: Final = {CaseKind.PRACTICE: "做法经验", CaseKind.CASE: "典型案例"}
STATUS_LABELS: Final = {CaseStatus.DRAFT: "草稿", CaseStatus.FINAL: "已定稿"}
_MONTH_RE: Final = re.compile(r"^(\d{4})-(\d{2})$")
_TEXT_FIELDS: Final = ("title", "background", "practice", "effect", "body")
_EDITABLE: Final = (*_TEXT_FIELDS, "kind", "month", "task_ids")


@dataclass(frozen=True)
class CaseRevision:
    case_id: int
    revision: int
    saved_at: str
    snapshot: dict[str, Any]
    """The report as it was (title, kind, month, texts, status, finalised_on, task_ids)."""


def _month(value: str) -> str:
    m = _MONTH_RE.match(str(value).strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise InputError(f"月份 {value!r} 应写成 YYYY-MM，例如 2023-05。")
    return m.group(0)


def _kind(value: CaseKind | str) -> CaseKind:
    text = str(value).strip()
    for kind, label in KIND_LABELS.items():
        if text in (kind.value, label):
            return kind
    raise InputError(f"不认识的案例类型 {value!r}，应为 practice（做法经验）或 case（典型案例）。")


def _task_ids(ws: Workspace, ids: Iterable[int]) -> tuple[int, ...]:
    out: list[int] = []
    for tid in ids:
        if ws.conn.execute("SELECT 1 FROM tasks WHERE id = ?", (int(tid),)).fetchone() is None:
            raise NotFound(f"找不到编号为 {tid} 的任务。")
        if int(tid) not in out:
            out.append(int(tid))
    return tuple(out)


_CASE_COLS = ("id, department, month, kind, title, background, practice, effect, body, status, finalised_on,"
              " revision")


def _to_case(ws: Workspace, row: Any) -> CaseReport:
    tasks = tuple(int(t) for (t,) in ws.conn.execute(
        "SELECT task_id FROM case_tasks WHERE case_id = ? ORDER BY task_id", (row[0],)))
    return CaseReport(
        id=int(row[0]), department=row[1], month=row[2], kind=CaseKind(row[3]), title=row[4], background=row[5],
        practice=row[6], effect=row[7], body=row[8], status=CaseStatus(row[9]),
        finalised_on=dt.date.fromisoformat(row[10]) if row[10] else None, revision=int(row[11]), task_ids=tasks,
    )


def get_case(ws: Workspace, case_id: int) -> CaseReport:
    row = ws.conn.execute(f"SELECT {_CASE_COLS} FROM cases WHERE id = ?", (int(case_id),)).fetchone()
    if row is None:
        raise NotFound(f"找不到编号为 {case_id} 的月度案例。")
    return _to_case(ws, row)


def list_cases(ws: Workspace, *, department: str | None = None, year: int | None = None) -> list[CaseReport]:
    """The unit's reports (default: the workspace's own unit), by month then id; optionally of one year."""
    dept = resolve_department(ws, department)
    sql = f"SELECT {_CASE_COLS} FROM cases WHERE department = ?"
    args: list[Any] = [dept]
    if year is not None:
        sql += " AND month LIKE ?"
        args.append(f"{int(year):04d}-%")
    sql += " ORDER BY month, id"
    return [_to_case(ws, r) for r in ws.conn.execute(sql, args).fetchall()]


def _snapshot(case: CaseReport) -> dict[str, Any]:
    return {
        "title": case.title, "kind": case.kind.value, "month": case.month, "background": case.background,
        "practice": case.practice, "effect": case.effect, "body": case.body, "status": case.status.value,
        "finalised_on": case.finalised_on.isoformat() if case.finalised_on else None,
        "task_ids": list(case.task_ids), "revision": case.revision,
    }


def add_case(
    ws: Workspace,
    *,
    month: str,
    title: str,
    kind: CaseKind | str = CaseKind.PRACTICE,
    background: str = "",
    practice: str = "",
    effect: str = "",
    body: str = "",
    department: str | None = None,
    task_ids: Sequence[int] = (),
    attachments: Sequence[str | os.PathLike[str]] = (),
) -> CaseReport:
    """Write a new draft report for a month; attachments are copied into the vault and linked to it."""
    month = _month(month)
    kind = _kind(kind)
    title = title.strip()
    if not title:
        raise InputError("月度案例需要一个标题。")
    dept = resolve_department(ws, department)
    tasks = _task_ids(ws, task_ids)
    with staged_files(ws, attachments) as staged, ws.transaction():
        now = now_iso()
        cur = ws.conn.execute(
            "INSERT INTO cases(department, month, kind, title, background, practice, effect, body, status,"
            " revision, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?, 'draft', 1, ?, ?)",
            (dept, month, kind.value, title, background.strip(), practice.strip(), effect.strip(), body.strip(),
             now, now),
        )
        case_id = int(cur.lastrowid or 0)
        ws.conn.executemany("INSERT INTO case_tasks(case_id, task_id) VALUES (?, ?)",
                            [(case_id, t) for t in tasks])
        ws.audit("case.add", f"case:{case_id}",
                 {"department": dept, "month": month, "kind": kind.value, "title": title,
                  "task_ids": list(tasks)})
        if staged:
            evidence.record_staged(ws, staged, links=[("case", case_id)])
    return get_case(ws, case_id)


def update_case(ws: Workspace, case_id: int, **fields: Any) -> CaseReport:
    """Change a report's title, kind, month, texts (background, practice, effect, body) or task_ids.

    Editing a finalised report keeps its finalised text as a revision and returns it to draft.
    """
    unknown = set(fields) - set(_EDITABLE)
    if unknown:
        raise TypeError(f"update_case() got unexpected fields: {', '.join(sorted(unknown))}")
    old = get_case(ws, case_id)
    new: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "month":
            value = _month(value)
        elif key == "kind":
            value = _kind(value)
        elif key == "task_ids":
            value = _task_ids(ws, value)
        else:
            value = str(value).strip()
            if key == "title" and not value:
                raise InputError("月度案例需要一个标题。")
        if getattr(old, key) != value:
            new[key] = value
    if not new:
        return old
    with ws.transaction():
        now = now_iso()
        reopened = old.status is CaseStatus.FINAL
        revision = old.revision
        if reopened:
            ws.conn.execute(
                "INSERT INTO case_revisions(case_id, revision, snapshot, saved_at) VALUES (?,?,?,?)",
                (old.id, old.revision, json.dumps(_snapshot(old), ensure_ascii=False), now),
            )
            revision = old.revision + 1
        columns = {k: (v.value if isinstance(v, CaseKind) else v) for k, v in new.items() if k != "task_ids"}
        columns.update(revision=revision, updated_at=now)
        if reopened:
            columns.update(status=CaseStatus.DRAFT.value, finalised_on=None)
        assignments = ", ".join(f"{k} = ?" for k in columns)
        ws.conn.execute(f"UPDATE cases SET {assignments} WHERE id = ?", (*columns.values(), old.id))
        if "task_ids" in new:
            ws.conn.execute("DELETE FROM case_tasks WHERE case_id = ?", (old.id,))
            ws.conn.executemany("INSERT INTO case_tasks(case_id, task_id) VALUES (?, ?)",
                                [(old.id, t) for t in new["task_ids"]])

        def plain(v: Any) -> Any:
            return v.value if isinstance(v, CaseKind) else list(v) if isinstance(v, tuple) else v

        ws.audit("case.update", f"case:{old.id}", {
            "changed": {k: {"old": plain(getattr(old, k)), "new": plain(v)} for k, v in new.items()},
            "reopened": reopened,
            "revision_kept": old.revision if reopened else None,
        })
    return get_case(ws, old.id)


def finalise_case(ws: Workspace, case_id: int, *, on: dt.date | None = None) -> CaseReport:
    """Mark a report 已定稿 on ``on`` (default: today)."""
    case = get_case(ws, case_id)
    if not (case.body or case.background or case.practice or case.effect):
        raise InputError(f"月度案例“{case.title}”还没有正文，不能定稿。")
    when = on or dt.date.today()
    if case.status is CaseStatus.FINAL and case.finalised_on == when:
        return case
    with ws.transaction():
        ws.conn.execute("UPDATE cases SET status = 'final', finalised_on = ?, updated_at = ? WHERE id = ?",
                        (when.isoformat(), now_iso(), case.id))
        ws.audit("case.finalise", f"case:{case.id}",
                 {"finalised_on": when.isoformat(), "revision": case.revision, "month": case.month})
    return get_case(ws, case.id)


def case_revisions(ws: Workspace, case_id: int) -> list[CaseRevision]:
    """Earlier finalised texts of a report, oldest first."""
    get_case(ws, case_id)
    rows = ws.conn.execute(
        "SELECT case_id, revision, saved_at, snapshot FROM case_revisions WHERE case_id = ? ORDER BY revision",
        (int(case_id),),
    )
    return [CaseRevision(int(c), int(r), at, json.loads(snap)) for c, r, at, snap in rows]


def year_grid(ws: Workspace, *, year: int, department: str | None = None) -> dict[str, str]:
    """"YYYY-MM" -> "final" (a finalised report), "draft" (only drafts) or "missing", for the twelve months."""
    dept = resolve_department(ws, department)
    grid = {f"{int(year):04d}-{m:02d}": "missing" for m in range(1, 13)}
    rows = ws.conn.execute(
        "SELECT month, MAX(status = 'final') FROM cases WHERE department = ? AND month LIKE ? GROUP BY month",
        (dept, f"{int(year):04d}-%"),
    )
    for month, has_final in rows:
        if month in grid:
            grid[month] = "final" if has_final else "draft"
    return grid
