"""Read queries over imported tables (tasks, indicators, items, sources, units) and the unit alias list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .errors import InputError, NotFound
from .model import Deadline, Indicator, Item, Role, Source, Status, Task
from .units import is_collective, normalise_unit
from .workspace import Workspace, now_iso

__all__ = [
    "TaskRow",
    "Reach",
    "ALL_DEPARTMENTS",
    "bureau_short_name",
    "names_bureau",
    "is_own_document",
    "assign_task",
    "assigned_department",
    "bureau_units",
    "list_tasks",
    "get_task",
    "list_indicators",
    "get_indicator",
    "list_items",
    "list_sources",
    "list_departments",
    "get_aliases",
    "set_alias",
    "remove_alias",
]

ALL_DEPARTMENTS = "*"
"""Pass as ``department`` to list every task whatever unit it falls to."""


class Reach(StrEnum):
    """How a task reaches a unit."""

    NAMED = "named"
    """点名: the unit's own bureau's document names the unit as lead or cooperating."""
    COLLECTIVE = "collective"
    """泛指: only through a collective of its own bureau's document (各相关科室, 各科室、单位)."""
    BUREAU = "bureau"
    """Another bureau's document names this bureau (各区…); not assigned to a unit yet. Shown to the
    workspace's own unit, whose liaison assigns it (or marks it 不涉及)."""
    ASSIGNED = "assigned"
    """Another bureau's document names this bureau, and the liaison assigned the task to this unit."""


@dataclass(frozen=True)
class TaskRow:
    task: Task
    status: Status
    """The unit's status for this task (from the progress table; 'todo' when there is no row)."""
    department: str | None
    """The unit the status and role are for."""
    role: Role | None
    """The unit's role in the task (lead wins over cooperating); None when it is not involved."""
    via_collective: bool = False
    """True when the unit is involved only through a collective name such as 各相关科室."""
    reach: Reach | None = None
    """How the task reaches the unit (None when it does not)."""


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _links(ws: Workspace, table: str, fk: str, ids: Iterable[int] | None) -> dict[int, list[tuple[str, str]]]:
    role = "''" if table == "indicator_departments" else "role"
    sql = f"SELECT {fk}, department, {role} FROM {table}"
    out: dict[int, list[tuple[str, str]]] = {}
    for row_id, dept, r in ws.conn.execute(sql + " ORDER BY rowid"):
        out.setdefault(row_id, []).append((dept, r))
    return out


def _task(row: Any, links: list[tuple[str, str]]) -> Task:
    return Task(
        id=row[0], source_id=row[1], seq=row[2], group=row[3], content=row[4],
        lead=tuple(d for d, r in links if r == "lead"),
        cooperating=tuple(d for d, r in links if r == "cooperating"),
        deadline=Deadline(row[5], _date(row[6])), archived=row[7] is not None,
    )


_TASK_SQL = ("SELECT id, source_id, seq, group_name, content, deadline_text, deadline, archived_at FROM tasks")


def _role_for(task: Task, department: str, named: dict[int | None, set[str]]) -> tuple[Role | None, bool]:
    if department in task.lead:
        return Role.LEAD, False
    if department in task.cooperating:
        return Role.COOPERATING, False
    if not _collectives_apply(department, task.source_id, named):
        return None, False
    if any(is_collective(u) for u in task.lead):
        return Role.LEAD, True
    if any(is_collective(u) for u in task.cooperating):
        return Role.COOPERATING, True
    return None, False


# ----- whose document ----------------------------------------------------------------------------------------------
_CITY_PREFIXES = ("上海市", "上海")
_DISTRICT_WIDE = ("各区", "各相关区", "相关区", "有关区")


def bureau_short_name(name: str | None) -> str:
    """A bureau's name without the city in front: 上海市松江区生态环境局 -> 松江区生态环境局."""
    text = normalise_unit(name or "")
    for prefix in _CITY_PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix) + 1:
            return text[len(prefix):]
    return text


def _bureau_kind(short: str) -> str:
    """What kind of bureau a district's bureau is: 松江区生态环境局 -> 生态环境局 ("" for a city bureau)."""
    for marker in ("区", "县"):
        at = short.find(marker)
        if 0 < at < len(short) - 1:
            return short[at + 1:]
    return ""


def names_bureau(unit: str, bureau: str | None) -> bool:
    """Whether a unit name in another bureau's document means the workspace's bureau: its own name (with or without
    上海市), 各区 on its own (every district), or 各区/区 + the bureau's kind (各区生态环境局, 区生态环境部门)."""
    short = bureau_short_name(bureau)
    if not short:
        return False
    name = bureau_short_name(unit)
    if name == short:
        return True
    kind = _bureau_kind(short)
    kinds = {kind, kind.removesuffix("局") + "部门"} if kind else set()
    for prefix in (*_DISTRICT_WIDE, "区"):
        if name.startswith(prefix):
            rest = name[len(prefix):].lstrip("、")
            if (rest == "" and prefix != "区") or rest in kinds:
                return True
    return False


def is_own_document(issuer: str | None, bureau: str | None) -> bool:
    """Whether a document was issued by the workspace's bureau. Without a bureau set, or a document without an
    issuer (pasted text), every document counts as the bureau's own, as before bureaus were known."""
    if not bureau_short_name(bureau) or not bureau_short_name(issuer):
        return True
    return bureau_short_name(issuer) == bureau_short_name(bureau)


def _own_sources(ws: Workspace) -> dict[int | None, bool]:
    bureau = ws.get_setting("bureau")
    own: dict[int | None, bool] = {None: True}
    for source_id, issuer in ws.conn.execute("SELECT id, issuer FROM sources"):
        own[source_id] = is_own_document(issuer, bureau)
    return own


def _bureau_role(task: Task, bureau: str | None) -> Role | None:
    if any(names_bureau(u, bureau) for u in task.lead):
        return Role.LEAD
    if any(names_bureau(u, bureau) for u in task.cooperating):
        return Role.COOPERATING
    return None


def _assignments(ws: Workspace) -> dict[int, str]:
    return dict(ws.conn.execute("SELECT task_id, department FROM task_assignments"))


def assigned_department(ws: Workspace, task_id: int) -> str | None:
    """The unit another bureau's task was assigned to, or None."""
    row = ws.conn.execute("SELECT department FROM task_assignments WHERE task_id = ?", (int(task_id),)).fetchone()
    return row[0] if row else None


def assign_task(ws: Workspace, task_id: int, department: str | None) -> str | None:
    """Assign a task of another bureau's document that names this bureau to one of the bureau's units (None takes
    the assignment back). Returns the unit it was assigned to before, for undo."""
    task = get_task(ws, task_id)
    own = _own_sources(ws)
    if own.get(task.source_id, True) or _bureau_role(task, ws.get_setting("bureau")) is None:
        raise InputError(f"任务 {task.seq or task_id} 不是上级或其他单位文件点名本局的任务，不需要分派。")
    name = normalise_unit(department or "")
    with ws.transaction():
        old = assigned_department(ws, task_id)
        if (old or "") == name:
            return old
        if name:
            ws.conn.execute(
                "INSERT INTO task_assignments(task_id, department, assigned_at, assigned_by) VALUES (?,?,?,?) "
                "ON CONFLICT(task_id) DO UPDATE SET department = excluded.department, "
                "assigned_at = excluded.assigned_at, assigned_by = excluded.assigned_by",
                (int(task_id), name, now_iso(), ws.actor or ws.liaison or None))
        else:
            ws.conn.execute("DELETE FROM task_assignments WHERE task_id = ?", (int(task_id),))
        ws.audit("task.assign", f"task:{int(task_id)}", {"old": old, "new": name or None})
    return old


def bureau_units(ws: Workspace) -> list[str]:
    """The units the bureau's own documents name (what a task of another bureau can be assigned to)."""
    own = _own_sources(ws)
    named = _named_units(ws, own)
    return [n for n in list_departments(ws) if any(n in units for units in named.values())]


def _named_units(ws: Workspace, own: dict[int | None, bool] | None = None) -> dict[int | None, set[str]]:
    """source_id -> every unit name the document's tables give (tasks, indicators and items); with ``own``, only
    the bureau's own documents (another bureau's unit names are not this bureau's units)."""
    named: dict[int | None, set[str]] = {}
    for links, fk, rows in (("task_departments", "task_id", "tasks"),
                            ("indicator_departments", "indicator_id", "indicators"),
                            ("item_departments", "item_id", "items")):
        for source_id, dept in ws.conn.execute(
                f"SELECT DISTINCT r.source_id, l.department FROM {links} l JOIN {rows} r ON r.id = l.{fk}"):
            if own is None or own.get(source_id, True):
                named.setdefault(source_id, set()).add(dept)
    return named


def _collectives_apply(department: str, source_id: int | None, named: dict[int | None, set[str]]) -> bool:
    """Whether 各相关科室 and the like in a document include ``department``.

    A collective names the units of the bureau that issued the document, so it includes a unit that the same
    document names somewhere; another bureau's document imported into the workspace does not reach it. A unit
    named in no document at all cannot be placed, and collectives are taken to include it.
    """
    if department in named.get(source_id, ()):
        return True
    return not any(department in units for units in named.values())


def _reach(task: Task, unit: str, own_unit: str | None, own: dict[int | None, bool],
           named: dict[int | None, set[str]], bureau: str | None,
           assignments: dict[int, str], unassigned: bool) -> tuple[Role | None, Reach | None]:
    """The unit's role in a task and how the task reaches it (the one rule: see DESIGN, "Which tasks are a unit's")."""
    if own.get(task.source_id, True):
        role, collective = _role_for(task, unit, named)
        if role is None:
            return None, None
        return role, Reach.COLLECTIVE if collective else Reach.NAMED
    role = _bureau_role(task, bureau)
    if role is None:
        return None, None
    assigned = assignments.get(task.id)
    if assigned == unit:
        return role, Reach.ASSIGNED
    if assigned is None and unit == own_unit and unassigned:
        return role, Reach.BUREAU
    return None, None


def list_tasks(ws: Workspace, *, department: str | None = None, role: str = "any", status: str | None = None,
               include_archived: bool = False, unassigned: bool = False) -> list[TaskRow]:
    """Tasks in table order, each with the status for one unit.

    ``department`` is the unit (default: the workspace's own). When it is given explicitly, or ``role`` is 'lead'
    or 'cooperating', only tasks that reach that unit are listed (named, through a collective such as 各相关科室,
    or, for another bureau's document that names this bureau, assigned to it); otherwise every task is listed.
    ``ALL_DEPARTMENTS`` lists every task whatever the role filter. ``unassigned`` adds, for the workspace's own
    unit, the tasks of another bureau's document that names this bureau and that nobody assigned yet (the window
    lists them so the liaison can assign them; they are nobody's in counts and packets until then).
    """
    if role not in ("any", "lead", "cooperating"):
        raise InputError(f"未知的角色「{role}」：只能是 any、lead 或 cooperating。")
    if status is not None and status not in {s.value for s in Status}:
        raise InputError(f"未知的状态「{status}」：只能是 todo、doing、done 或 na。")
    list_all = department == ALL_DEPARTMENTS
    filtering = not list_all and (department is not None or role != "any")
    own_unit = ws.department
    unit = own_unit if department is None or list_all else department.strip()
    if filtering and not unit:
        raise InputError("没有指定科室：请用 --department 指定，或先用 `liaison init --department` 设置本科室。")
    links = _links(ws, "task_departments", "task_id", None)
    own = _own_sources(ws)
    bureau = ws.get_setting("bureau")
    named = _named_units(ws, own) if unit else {}
    assignments = _assignments(ws) if unit else {}
    statuses: dict[int, str] = {}
    if unit:
        statuses = dict(ws.conn.execute(
            "SELECT target_id, status FROM progress WHERE target_kind = 'task' AND department = ?", (unit,)))
    sql = _TASK_SQL + ("" if include_archived else " WHERE archived_at IS NULL")
    sql += " ORDER BY (archived_at IS NOT NULL), source_id, table_no, position, id"
    out: list[TaskRow] = []
    for row in ws.conn.execute(sql):
        task = _task(row, links.get(row[0], []))
        task_role, reach = (_reach(task, unit, own_unit, own, named, bureau, assignments, unassigned) if unit
                            else (None, None))
        if filtering:
            if task_role is None or (role != "any" and task_role.value != role):
                continue
        st = Status(statuses.get(task.id, "todo"))
        if status is not None and st.value != status:
            continue
        out.append(TaskRow(task=task, status=st, department=unit, role=task_role,
                           via_collective=reach is Reach.COLLECTIVE, reach=reach))
    return out


def get_task(ws: Workspace, task_id: int) -> Task:
    row = ws.conn.execute(_TASK_SQL + " WHERE id = ?", (task_id,)).fetchone()
    if row is None:
        raise NotFound(f"没有编号为 {task_id} 的任务。")
    links = [(d, r) for d, r in ws.conn.execute(
        "SELECT department, role FROM task_departments WHERE task_id = ? ORDER BY rowid", (task_id,))]
    return _task(row, links)


_IND_SQL = ("SELECT id, source_id, category, category_score, level1, level1_score, level2, explanation, score, "
            "shared_group, archived_at FROM indicators")


def _indicator(row: Any, depts: list[tuple[str, str]]) -> Indicator:
    return Indicator(id=row[0], source_id=row[1], category=row[2], category_score=row[3], level1=row[4],
                     level1_score=row[5], level2=row[6], explanation=row[7], score=row[8], shared_group=row[9],
                     departments=tuple(d for d, _ in depts), archived=row[10] is not None)


def list_indicators(ws: Workspace, *, department: str | None = None,
                    include_archived: bool = False) -> list[Indicator]:
    """Indicators in table order; with ``department``, only those it answers for (collectives count)."""
    links = _links(ws, "indicator_departments", "indicator_id", None)
    sql = _IND_SQL + ("" if include_archived else " WHERE archived_at IS NULL")
    sql += " ORDER BY (archived_at IS NOT NULL), source_id, table_no, position, id"
    own = _own_sources(ws)
    named = _named_units(ws, own) if department else {}
    out = []
    for row in ws.conn.execute(sql):
        ind = _indicator(row, links.get(row[0], []))
        if department and not own.get(ind.source_id, True):
            continue  # another bureau's unit of the same name
        if department and department not in ind.departments and not (
                _collectives_apply(department, ind.source_id, named)
                and any(is_collective(d) for d in ind.departments)):
            continue
        out.append(ind)
    return out


def get_indicator(ws: Workspace, indicator_id: int) -> Indicator:
    row = ws.conn.execute(_IND_SQL + " WHERE id = ?", (indicator_id,)).fetchone()
    if row is None:
        raise NotFound(f"没有编号为 {indicator_id} 的考核指标。")
    depts = [(d, "") for (d,) in ws.conn.execute(
        "SELECT department FROM indicator_departments WHERE indicator_id = ? ORDER BY rowid", (indicator_id,))]
    return _indicator(row, depts)


def list_items(ws: Workspace, *, department: str | None = None, role: str = "any",
               include_archived: bool = False) -> list[Item]:
    """Items of the service lists (事项清单) in table order; with ``department``, only those it takes part in."""
    links = _links(ws, "item_departments", "item_id", None)
    own = _own_sources(ws)
    sql = "SELECT id, source_id, seq, name, category, archived_at FROM items"
    sql += "" if include_archived else " WHERE archived_at IS NULL"
    sql += " ORDER BY (archived_at IS NOT NULL), source_id, table_no, position, id"
    out = []
    for row in ws.conn.execute(sql):
        depts = links.get(row[0], [])
        item = Item(id=row[0], source_id=row[1], seq=row[2], name=row[3], category=row[4],
                    lead=tuple(d for d, r in depts if r == "lead"),
                    cooperating=tuple(d for d, r in depts if r == "cooperating"), archived=row[5] is not None)
        if department and not own.get(item.source_id, True):
            continue
        if department:
            lead = department in item.lead
            coop = department in item.cooperating
            if (role == "lead" and not lead) or (role == "cooperating" and not coop) or not (lead or coop):
                continue
        out.append(item)
    return out


def list_sources(ws: Workspace, *, include_superseded: bool = True) -> list[Source]:
    """Imported documents, oldest first."""
    sql = "SELECT id, file_name, sha256, title, issuer, doc_number, doc_date, year, imported_at FROM sources"
    if not include_superseded:
        sql += " WHERE superseded_by IS NULL"
    return [Source(id=r[0], file_name=r[1], sha256=r[2], title=r[3], issuer=r[4], doc_number=r[5],
                   doc_date=_date(r[6]), year=r[7], imported_at=r[8])
            for r in ws.conn.execute(sql + " ORDER BY id")]


def list_departments(ws: Workspace, *, include_collective: bool = False) -> list[str]:
    """Canonical unit names seen in imports (for the unit selector); collectives such as 各相关科室 left out."""
    names = [r[0] for r in ws.conn.execute("SELECT name FROM departments ORDER BY first_seen, rowid")]
    aliases = set(get_aliases(ws))
    return [n for n in names if n not in aliases and (include_collective or not is_collective(n))]


def get_aliases(ws: Workspace) -> dict[str, str]:
    """alias -> canonical unit name, as applied at import."""
    return dict(ws.conn.execute("SELECT alias, name FROM department_aliases ORDER BY alias"))


def set_alias(ws: Workspace, alias: str, name: str) -> int:
    """Make ``alias`` mean ``name`` from now on, and rename it in rows already imported. Returns rows renamed."""
    alias, name = normalise_unit(alias), normalise_unit(name)
    if not alias or not name:
        raise InputError("别名和单位名称都不能为空。")
    if alias == name:
        raise InputError(f"「{alias}」不能是它自己的别名。")
    aliases = get_aliases(ws)
    if aliases.get(name) == alias or name in aliases:
        raise InputError(f"「{name}」本身是一个别名，请把别名指向正式的单位名称。")
    renamed = 0
    with ws.transaction():
        ws.conn.execute("INSERT INTO department_aliases(alias, name) VALUES (?, ?) "
                        "ON CONFLICT(alias) DO UPDATE SET name = excluded.name", (alias, name))
        # Aliases that pointed at the alias now point at the canonical name.
        ws.conn.execute("UPDATE department_aliases SET name = ? WHERE name = ?", (name, alias))
        ws.conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('aliases_initialised', '1')")
        for table, fk in (("task_departments", "task_id"), ("item_departments", "item_id"),
                          ("indicator_departments", "indicator_id")):
            role = "" if table == "indicator_departments" else ", role"
            # Rows that already name the canonical unit would collide: drop the alias copy first.
            ws.conn.execute(
                f"DELETE FROM {table} WHERE department = ? AND EXISTS (SELECT 1 FROM {table} t2 WHERE "
                f"t2.{fk} = {table}.{fk} AND t2.department = ?"
                + (" AND t2.role = " + table + ".role" if role else "") + ")", (alias, name))
            renamed += ws.conn.execute(f"UPDATE {table} SET department = ? WHERE department = ?",
                                       (name, alias)).rowcount
        ws.conn.execute("INSERT OR IGNORE INTO departments(name, first_seen) "
                        "SELECT ?, first_seen FROM departments WHERE name = ?", (name, alias))
        ws.conn.execute("DELETE FROM departments WHERE name = ?", (alias,))
        ws.audit("alias.set", f"department:{alias}", {"alias": alias, "name": name, "renamed_rows": renamed})
    return renamed


def remove_alias(ws: Workspace, alias: str) -> None:
    """Forget an alias (rows already imported keep the canonical name)."""
    with ws.transaction():
        cur = ws.conn.execute("DELETE FROM department_aliases WHERE alias = ?", (alias,))
        if not cur.rowcount:
            raise NotFound(f"别名列表里没有「{alias}」。")
        ws.conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('aliases_initialised', '1')")
        ws.audit("alias.remove", f"department:{alias}", {"alias": alias})
