"""Storing recognised tables in the workspace: the plan (a diff against an earlier version of the same table) and
its application in one transaction. Matching rows keep their ids, so progress and evidence carry over; rows that
disappeared are archived, never deleted."""

from __future__ import annotations

import difflib
import json
import os
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..cell_text import name_key
from ..jobs import ProgressFn, report
from ..units import DEFAULT_ALIASES, normalise_unit
from ..workspace import Workspace, now_iso
from .deadlines import recurrence_of
from .document import Document
from .readers import read_document, read_text
from .recogniser import (
    KIND_LABELS,
    ParsedIndicator,
    ParsedItem,
    ParsedTask,
    Recognised,
    RecognisedTable,
    recognise,
)

__all__ = [
    "RowChange",
    "TablePlan",
    "ImportPlan",
    "TableReport",
    "ImportReport",
    "plan_import",
    "apply_import",
    "import_file",
    "import_text",
    "effective_aliases",
]

ChangeStatus = Literal["new", "changed", "removed", "unchanged"]
_TABLE = {"tasks": "tasks", "indicators": "indicators", "items": "items"}
_TARGET = {"tasks": "task", "indicators": "indicator", "items": "item"}
_LINKS = {"tasks": ("task_departments", "task_id"), "indicators": ("indicator_departments", "indicator_id"),
          "items": ("item_departments", "item_id")}
_FIELDS = {
    "tasks": ("seq", "group_name", "content", "lead_text", "cooperating_text", "deadline_text", "deadline",
              "deadline_recurrence"),
    "indicators": ("category", "category_score", "level1", "level1_score", "level2", "explanation", "score",
                   "score_text", "shared_group", "departments_text"),
    "items": ("seq", "name", "category", "lead_text", "cooperating_text"),
}
_FIELD_LABELS = {
    "seq": "序号", "group_name": "任务名称", "content": "内容", "lead_text": "牵头部门", "cooperating_text": "配合部门",
    "deadline_text": "时间节点", "deadline": "截止日期", "category": "类别", "category_score": "考核内容分值",
    "level1": "一级指标", "level1_score": "一级指标分值", "level2": "二级指标", "explanation": "指标解释",
    "score": "分值", "score_text": "分值", "shared_group": "共享分值", "departments_text": "责任科室",
    "name": "事项名称", "departments": "部门", "deadline_recurrence": "重复周期",
}
# Worked out from the deadline's text, which the diff already compares.
_DERIVED = frozenset({"deadline_recurrence"})


@dataclass(frozen=True)
class _Record:
    """A row as it is (or would be) stored: the columns compared in a diff, its units and its keys."""

    values: tuple[Any, ...]
    departments: tuple[tuple[str, str], ...]
    """(unit, role) pairs; role is 'lead'/'cooperating' (tasks, items) or '' (indicators)."""
    match_key: str
    text: str
    """The row's main text, for fuzzy matching of a revised row."""
    seq: str
    group: str
    cells_json: str


@dataclass(frozen=True)
class RowChange:
    status: ChangeStatus
    kind: str
    label: str
    """A short description of the row for the diff view (序号 and the start of its text)."""
    old_id: int | None = None
    """The stored row it matches (changed/unchanged/removed)."""
    row: Any = None
    """The ParsedTask/ParsedIndicator/ParsedItem (None for removed rows)."""
    changed_fields: tuple[str, ...] = ()
    """Names of what changed, in Chinese (内容, 牵头部门, 时间节点 …)."""
    record: _Record | None = field(default=None, repr=False, compare=False)
    position: int = 0


@dataclass(frozen=True)
class TablePlan:
    table: RecognisedTable
    previous: tuple[int, int] | None
    """(source_id, table_no) of the earlier version this table revises, if any."""
    previous_label: str | None
    changes: tuple[RowChange, ...]

    def count(self, status: str) -> int:
        return sum(1 for c in self.changes if c.status == status)

    @property
    def has_changes(self) -> bool:
        return any(c.status != "unchanged" for c in self.changes)


@dataclass(frozen=True)
class ImportPlan:
    document: Document
    recognised: Recognised
    tables: tuple[TablePlan, ...]
    new_units: tuple[str, ...]
    """Unit names (after the alias list) the workspace has not seen before."""
    aliases: Mapping[str, str]
    already_imported: bool
    """The same file was imported before and nothing would change."""
    install_default_aliases: bool = False

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.recognised.warnings

    @property
    def doubts(self) -> tuple[str, ...]:
        """Signs that the content was recognised wrong (see RecognisedTable.doubts): say so before importing."""
        return self.recognised.doubts

    def count(self, status: str) -> int:
        return sum(t.count(status) for t in self.tables)

    @property
    def has_changes(self) -> bool:
        return any(t.has_changes for t in self.tables)


@dataclass(frozen=True)
class TableReport:
    kind: str
    label: str
    rows: int
    new: int
    changed: int
    removed: int
    unchanged: int
    previous_source_id: int | None
    row_ids: tuple[int, ...] = ()
    """The stored id of each row of the table, in table order (empty when nothing was written)."""


@dataclass(frozen=True)
class ImportReport:
    source_id: int | None
    """The sources row written; None when nothing changed (the same file imported again)."""
    file_name: str
    title: str | None
    doc_number: str | None
    year: int | None
    tables: tuple[TableReport, ...]
    new_units: tuple[str, ...]
    warnings: tuple[str, ...]
    already_imported: bool
    """Nothing was written: this file (or one with exactly the same rows) was imported before."""

    @property
    def counts(self) -> dict[str, int]:
        out: Counter[str] = Counter()
        for t in self.tables:
            out[t.kind] += t.rows
        return dict(out)

    def total(self, what: str) -> int:
        return sum(getattr(t, what) for t in self.tables)


# ----- aliases -----------------------------------------------------------------------------------------------------
def effective_aliases(ws: Workspace) -> tuple[dict[str, str], bool]:
    """The alias list import applies, and whether the built-in defaults still need installing."""
    stored = dict(ws.conn.execute("SELECT alias, name FROM department_aliases").fetchall())
    if not stored and ws.get_setting("aliases_initialised") is None:
        return dict(DEFAULT_ALIASES), True
    return stored, False


# ----- records -----------------------------------------------------------------------------------------------------
def _units(names: tuple[str, ...], aliases: Mapping[str, str],
           memo: dict[tuple[str, ...], tuple[str, ...]] | None = None) -> tuple[str, ...]:
    if memo is not None:
        # A big table names the same few unit lists on row after row.
        hit = memo.get(names)
        if hit is not None:
            return hit
    out = tuple(dict.fromkeys(u for u in (normalise_unit(n, aliases) for n in names) if u))
    if memo is not None:
        memo[names] = out
    return out


# What json.dumps(..., ensure_ascii=False) builds on every call, built once.
_CELLS_JSON = json.JSONEncoder(ensure_ascii=False)


def _record(kind: str, row: Any, aliases: Mapping[str, str],
            memo: dict[tuple[str, ...], tuple[str, ...]] | None = None) -> _Record:
    cells = _CELLS_JSON.encode(dict(row.cells))
    if kind == "tasks":
        r: ParsedTask = row
        lead = _units(r.lead, aliases, memo)
        coop = tuple(u for u in _units(r.cooperating, aliases, memo) if u not in lead)
        depts = tuple((u, "lead") for u in lead) + tuple((u, "cooperating") for u in coop)
        values: tuple[Any, ...] = (r.seq, r.group, r.content, r.lead_text, r.cooperating_text, r.deadline.text,
                                   r.deadline.date.isoformat() if r.deadline.date else None,
                                   recurrence_of(r.deadline.text))
        return _Record(values, depts, name_key(r.content)[:300], r.content, r.seq, name_key(r.group), cells)
    if kind == "indicators":
        i: ParsedIndicator = row
        depts = tuple((u, "") for u in _units(i.departments, aliases))
        values = (i.category, i.category_score, i.level1, i.level1_score, i.level2, i.explanation, i.score,
                  i.score_text, i.shared_group, i.departments_text)
        return _Record(values, depts, f"{name_key(i.level1)}/{name_key(i.level2)}", f"{i.level2} {i.explanation}",
                       "", name_key(i.level1), cells)
    it: ParsedItem = row
    lead = _units(it.lead, aliases)
    coop = tuple(u for u in _units(it.cooperating, aliases) if u not in lead)
    depts = tuple((u, "lead") for u in lead) + tuple((u, "cooperating") for u in coop)
    values = (it.seq, it.name, it.category, it.lead_text, it.cooperating_text)
    return _Record(values, depts, name_key(it.name), it.name, it.seq, name_key(it.category), cells)


def _with_occurrence(keys: list[str]) -> list[str]:
    """Make keys unique by numbering repeats, so two identical rows stay two rows."""
    seen: Counter[str] = Counter()
    out = []
    for key in keys:
        seen[key] += 1
        out.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return out


@dataclass(frozen=True)
class _Stored:
    id: int
    record: _Record


def _load_active(ws: Workspace, kind: str) -> dict[tuple[int, int], list[_Stored]]:
    """Every active (not archived) row of a kind, grouped by (source_id, table_no)."""
    table = _TABLE[kind]
    link, fk = _LINKS[kind]
    cols = ", ".join(_FIELDS[kind])
    role_col = "'' AS role" if kind == "indicators" else "role"
    depts: dict[int, list[tuple[str, str]]] = {}
    for row_id, dept, role in ws.conn.execute(
        f"SELECT l.{fk}, l.department, {role_col} FROM {link} l JOIN {table} t ON t.id = l.{fk} "
        f"WHERE t.archived_at IS NULL ORDER BY l.rowid"
    ):
        depts.setdefault(row_id, []).append((dept, role))
    out: dict[tuple[int, int], list[_Stored]] = {}
    for row in ws.conn.execute(
        f"SELECT id, source_id, table_no, match_key, {cols} FROM {table} WHERE archived_at IS NULL "
        f"ORDER BY source_id, table_no, position, id"
    ):
        row_id, source_id, table_no, key = row[:4]
        values = tuple(row[4:])
        if kind == "tasks":
            text, seq, group = values[2], values[0], name_key(values[1])
        elif kind == "indicators":
            text, seq, group = f"{values[4]} {values[5]}", "", name_key(values[2])
        else:
            text, seq, group = values[1], values[0], name_key(values[2])
        d = depts.get(row_id, [])
        rec = _Record(values, _sorted_depts(d), key, text, seq, group, "")
        out.setdefault((source_id or 0, table_no), []).append(_Stored(row_id, rec))
    return out


def _sorted_depts(depts: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(set(depts), key=lambda d: (d[1], d[0])))


def _label(kind: str, rec: _Record) -> str:
    text = rec.text.replace("\n", " ")
    text = text[:40] + ("…" if len(text) > 40 else "")
    return f"{rec.seq}. {text}" if rec.seq else text


def _diff_fields(kind: str, old: _Record, new: _Record) -> tuple[str, ...]:
    names = [f for f, a, b in zip(_FIELDS[kind], old.values, new.values, strict=True)
             if f not in _DERIVED and _norm(a) != _norm(b)]
    if _sorted_depts(old.departments) != _sorted_depts(new.departments):
        names.append("departments")
    return tuple(dict.fromkeys(_FIELD_LABELS[n] for n in names))


def _norm(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if value != "" else None


# ----- planning ----------------------------------------------------------------------------------------------------
def plan_import(ws: Workspace, document: Document, *, kind: str = "auto", year: int | None = None,
                column_roles: Mapping[int, Mapping[int, str | None]] | None = None,
                skip_tables: Collection[int] = ()) -> ImportPlan:
    """Recognise the document and compare it with what the workspace holds. Changes nothing.

    ``column_roles`` and ``skip_tables`` are passed to :func:`recognise` (keyed by ``RecognisedTable.found_index``).
    """
    recognised = recognise(document, kind=kind, year=year, column_roles=column_roles, skip_tables=skip_tables)
    aliases, install_defaults = effective_aliases(ws)
    known_units = {r[0] for r in ws.conn.execute("SELECT name FROM departments")}
    same_file = [r[0] for r in ws.conn.execute("SELECT id FROM sources WHERE sha256 = ?", (document.sha256,))]
    sources = {r[0]: r[1:] for r in ws.conn.execute("SELECT id, doc_number, title, file_name FROM sources")}
    active: dict[str, dict[tuple[int, int], list[_Stored]]] = {}
    claimed: set[tuple[str, int, int]] = set()
    plans: list[TablePlan] = []
    new_units: dict[str, None] = {}
    for table in recognised.tables:
        memo: dict[tuple[str, ...], tuple[str, ...]] = {}
        records = [_record(table.kind, row, aliases, memo) for row in table.rows]
        keys = _with_occurrence([r.match_key for r in records])
        records = [_replace_key(r, k) for r, k in zip(records, keys, strict=True)]
        for rec in records:
            for unit, _role in rec.departments:
                if unit not in known_units:
                    new_units[unit] = None
        if table.kind not in active:
            active[table.kind] = _load_active(ws, table.kind)
        candidates = {k: v for k, v in active[table.kind].items() if (table.kind, *k) not in claimed}
        previous = _previous_version(table, records, candidates, same_file, sources, document)
        old = candidates.get(previous, []) if previous else []
        if previous:
            claimed.add((table.kind, *previous))
        changes = _diff(table, records, old)
        label = None
        if previous:
            meta = sources.get(previous[0])
            label = (meta[1] or meta[2]) if meta else None
        plans.append(TablePlan(table=table, previous=previous, previous_label=label, changes=tuple(changes)))
    has_changes = any(p.has_changes for p in plans)
    already = bool(same_file) and not has_changes
    return ImportPlan(document=document, recognised=recognised, tables=tuple(plans),
                      new_units=tuple(new_units), aliases=aliases, already_imported=already,
                      install_default_aliases=install_defaults)


def _replace_key(rec: _Record, key: str) -> _Record:
    if key == rec.match_key:
        return rec
    from dataclasses import replace

    return replace(rec, match_key=key)


def _previous_version(table: RecognisedTable, records: list[_Record],
                      candidates: dict[tuple[int, int], list[_Stored]], same_file: list[int],
                      sources: dict[int, tuple[Any, ...]], document: Document) -> tuple[int, int] | None:
    """Which stored table this one is a version of: the same file's, else the one sharing most rows or the 文号."""
    if not candidates:
        return None
    for source_id in same_file:
        if (source_id, table.index) in candidates:
            return (source_id, table.index)
    new_keys = {r.match_key for r in records}
    best: tuple[float, tuple[int, int]] | None = None
    for ident, rows in candidates.items():
        old_keys = {s.record.match_key for s in rows}
        overlap = len(new_keys & old_keys) / max(1, min(len(new_keys), len(old_keys)))
        meta = sources.get(ident[0])
        if meta and document.doc_number and meta[0] == document.doc_number:
            overlap += 0.5
        if meta and document.title and meta[1] == document.title:
            overlap += 0.3
        if meta and os.path.splitext(meta[2])[0] == os.path.splitext(document.file_name)[0]:
            overlap += 0.3
        if best is None or overlap > best[0]:
            best = (overlap, ident)
    if best and best[0] >= 0.3:
        return best[1]
    return None


def _diff(table: RecognisedTable, records: list[_Record], old: list[_Stored]) -> list[RowChange]:
    kind = table.kind
    by_key = {s.record.match_key: s for s in old}
    matched: dict[int, _Stored] = {}
    used: set[int] = set()
    for i, rec in enumerate(records):
        hit = by_key.get(rec.match_key)
        if hit is not None and hit.id not in used:
            matched[i] = hit
            used.add(hit.id)
    # A revised row: same 序号 in the same group, or (for a few leftovers) text that is mostly the same.
    left_new = [i for i in range(len(records)) if i not in matched]
    left_old = [s for s in old if s.id not in used]
    if left_new and left_old:
        by_seq = {(s.record.seq, s.record.group): s for s in left_old if s.record.seq}
        for i in list(left_new):
            rec = records[i]
            hit = by_seq.get((rec.seq, rec.group)) if rec.seq else None
            if hit is not None and hit.id not in used and _similar(rec.text, hit.record.text) >= 0.3:
                matched[i] = hit
                used.add(hit.id)
                left_new.remove(i)
        left_old = [s for s in left_old if s.id not in used]
        if left_new and left_old and len(left_new) * len(left_old) <= 40_000:
            pairs = []
            for i in left_new:
                for s in left_old:
                    score = _similar(records[i].text, s.record.text)
                    if score >= 0.6:
                        pairs.append((score, i, s))
            for _score, i, s in sorted(pairs, key=lambda p: -p[0]):
                if i in matched or s.id in used:
                    continue
                matched[i] = s
                used.add(s.id)
    changes: list[RowChange] = []
    for i, (rec, row) in enumerate(zip(records, table.rows, strict=True)):
        hit = matched.get(i)
        if hit is None:
            changes.append(RowChange("new", kind, _label(kind, rec), None, row, (), rec, i))
            continue
        fields = _diff_fields(kind, hit.record, rec)
        status: ChangeStatus = "changed" if fields else "unchanged"
        changes.append(RowChange(status, kind, _label(kind, rec), hit.id, row, fields, rec, i))
    for s in old:
        if s.id not in used:
            changes.append(RowChange("removed", kind, _label(kind, s.record), s.id, None, (), s.record))
    return changes


def _similar(a: str, b: str) -> float:
    a, b = name_key(a), name_key(b)
    if not a or not b:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < 0.3:
        return 0.0
    return matcher.ratio()


# ----- applying ----------------------------------------------------------------------------------------------------
def apply_import(ws: Workspace, plan: ImportPlan, *, progress: ProgressFn | None = None) -> ImportReport:
    """Write the plan in one transaction. The same file twice changes nothing; a failure leaves nothing behind."""
    if plan.already_imported or not plan.has_changes:
        return _report(plan, None)
    total = sum(len(t.changes) for t in plan.tables)
    done = 0
    now = now_iso()
    doc = plan.document
    with ws.transaction():
        cur = ws.conn.execute(
            "INSERT INTO sources(file_name, sha256, title, issuer, doc_number, doc_date, year, imported_at) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (doc.file_name, doc.sha256, doc.title, doc.issuer, doc.doc_number,
             doc.doc_date.isoformat() if doc.doc_date else None, plan.recognised.year, now),
        )
        source_id = int(cur.lastrowid or 0)
        if plan.install_default_aliases:
            ws.conn.executemany("INSERT OR IGNORE INTO department_aliases(alias, name) VALUES (?, ?)",
                                list(plan.aliases.items()))
            ws.conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('aliases_initialised', '1')")
        ws.conn.executemany("INSERT OR IGNORE INTO departments(name, first_seen) VALUES (?, ?)",
                            [(u, now) for u in plan.new_units])
        previous_sources: set[int] = set()
        written_ids: list[tuple[int, ...]] = []
        summary: dict[str, Any] = {"file": doc.file_name, "sha256": doc.sha256, "tables": []}
        for tplan in plan.tables:
            kind = tplan.table.kind
            if tplan.previous:
                previous_sources.add(tplan.previous[0])
            # New rows and the rows' units are written with one statement each per table rather than one per row
            # (two thirds of the time a big table took to store); ids and link order come out the same.
            written: list[tuple[RowChange, int]] = []
            for change in tplan.changes:
                if change.status != "new":
                    row_id = _apply_change(ws, kind, change, source_id, tplan.table.index, now)
                    if change.status != "removed":
                        written.append((change, row_id))
                else:
                    written.append((change, 0))
                done += 1
                if done % 200 == 0:
                    report(progress, done, total, "正在保存")
            written = _insert_new(ws, kind, written, source_id, tplan.table.index)
            _write_links(ws, kind, [(c, row_id) for c, row_id in written if c.status in ("new", "changed")])
            written_ids.append(tuple(row_id for _, row_id in written))
            summary["tables"].append({
                "kind": kind, "rows": len(tplan.table.rows), "new": tplan.count("new"),
                "changed": tplan.count("changed"), "removed": tplan.count("removed"),
                "previous_source": tplan.previous[0] if tplan.previous else None,
            })
        for old_source in previous_sources:
            still_used = any(
                ws.conn.execute(f"SELECT 1 FROM {t} WHERE source_id = ? AND archived_at IS NULL LIMIT 1",
                                (old_source,)).fetchone()
                for t in ("tasks", "indicators", "items"))
            if not still_used:
                ws.conn.execute("UPDATE sources SET superseded_by = ? WHERE id = ?", (source_id, old_source))
        summary["new_units"] = list(plan.new_units)
        ws.audit("import", f"source:{source_id}", summary)
        report(progress, total, total, "导入完成")
    return _report(plan, source_id, written_ids)


def _apply_change(ws: Workspace, kind: str, change: RowChange, source_id: int, table_no: int, now: str) -> int:
    """Archive a removed row or update a matched one (new rows go through :func:`_insert_new`)."""
    table = _TABLE[kind]
    link, fk = _LINKS[kind]
    rec = change.record
    assert rec is not None
    if change.status == "removed":
        ws.conn.execute(f"UPDATE {table} SET archived_at = ? WHERE id = ?", (now, change.old_id))
        ws.audit(f"{_TARGET[kind]}.archive", f"{_TARGET[kind]}:{change.old_id}",
                 {"reason": "不在新导入的表格中", "label": change.label})
        return int(change.old_id or 0)
    row_id = int(change.old_id or 0)
    sets = ", ".join(f"{c} = ?" for c in _FIELDS[kind])
    ws.conn.execute(
        f"UPDATE {table} SET source_id = ?, table_no = ?, position = ?, match_key = ?, cells_json = ?, "
        f"archived_at = NULL, {sets} WHERE id = ?",
        (source_id, table_no, change.position, rec.match_key, rec.cells_json, *rec.values, row_id),
    )
    if change.status == "changed":
        ws.conn.execute(f"DELETE FROM {link} WHERE {fk} = ?", (row_id,))
        ws.audit(f"{_TARGET[kind]}.update", f"{_TARGET[kind]}:{row_id}", {"changed": list(change.changed_fields)})
    return row_id


def _insert_new(ws: Workspace, kind: str, written: list[tuple[RowChange, int]], source_id: int,
                table_no: int) -> list[tuple[RowChange, int]]:
    """Insert the table's new rows in table order and fill in their ids.

    The source is the one being written, so (source_id, table_no, position) names exactly one row of it.
    """
    new = [c for c, _ in written if c.status == "new"]
    if not new:
        return written
    table = _TABLE[kind]
    cols = _FIELDS[kind]
    names = ", ".join(("source_id", "table_no", "position", "match_key", "cells_json") + cols)
    marks = ", ".join("?" * (5 + len(cols)))
    ws.conn.executemany(
        f"INSERT INTO {table}({names}) VALUES ({marks})",
        [(source_id, table_no, c.position, c.record.match_key, c.record.cells_json, *c.record.values)
         for c in new if c.record is not None])
    by_position = dict(ws.conn.execute(f"SELECT position, id FROM {table} WHERE source_id = ? AND table_no = ?",
                                       (source_id, table_no)))
    return [(c, int(by_position[c.position]) if c.status == "new" else row_id) for c, row_id in written]


def _write_links(ws: Workspace, kind: str, rows: list[tuple[RowChange, int]]) -> None:
    """The units of new and changed rows, in table order."""
    link, fk = _LINKS[kind]
    if kind == "indicators":
        ws.conn.executemany(f"INSERT OR IGNORE INTO {link}({fk}, department) VALUES (?, ?)",
                            [(row_id, d) for c, row_id in rows if c.record for d, _ in c.record.departments])
    else:
        ws.conn.executemany(f"INSERT OR IGNORE INTO {link}({fk}, department, role) VALUES (?, ?, ?)",
                            [(row_id, d, r) for c, row_id in rows if c.record for d, r in c.record.departments])


def _report(plan: ImportPlan, source_id: int | None, ids: list[tuple[int, ...]] | None = None) -> ImportReport:
    if ids is None:
        # Nothing written: the rows are the stored ones they match.
        ids = [tuple(c.old_id or 0 for c in t.changes if c.status != "removed") for t in plan.tables]
    tables = tuple(
        TableReport(kind=t.table.kind, label=t.table.label, rows=len(t.table.rows), new=t.count("new"),
                    changed=t.count("changed"), removed=t.count("removed"), unchanged=t.count("unchanged"),
                    previous_source_id=t.previous[0] if t.previous else None, row_ids=row_ids)
        for t, row_ids in zip(plan.tables, ids, strict=True))
    doc = plan.document
    return ImportReport(source_id=source_id, file_name=doc.file_name, title=doc.title, doc_number=doc.doc_number,
                        year=plan.recognised.year, tables=tables,
                        new_units=plan.new_units if source_id is not None else (),
                        warnings=plan.warnings, already_imported=source_id is None)


# ----- conveniences ------------------------------------------------------------------------------------------------
def import_file(ws: Workspace, path: str | os.PathLike[str], *, year: int | None = None, kind: str = "auto",
                sheet: str | None = None, progress: ProgressFn | None = None,
                column_roles: Mapping[int, Mapping[int, str | None]] | None = None) -> ImportReport:
    """Read, recognise and store a file in one go."""
    document = read_document(path, sheet=sheet, progress=progress)
    plan = plan_import(ws, document, kind=kind, year=year, column_roles=column_roles)
    return apply_import(ws, plan, progress=progress)


def import_text(ws: Workspace, text: str, *, name: str = "粘贴的表格", year: int | None = None, kind: str = "auto",
                progress: ProgressFn | None = None,
                column_roles: Mapping[int, Mapping[int, str | None]] | None = None) -> ImportReport:
    """Recognise and store pasted text (a table copied out of Word, WPS or Excel)."""
    document = read_text(text, name=name)
    plan = plan_import(ws, document, kind=kind, year=year, column_roles=column_roles)
    return apply_import(ws, plan, progress=progress)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)

