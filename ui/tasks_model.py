"""The task list as Qt sees it: rows loaded once from the core into memory, a table model over them, and a filter
proxy for role, status, deadline window, source, year and free text.

Nothing here touches the database while painting or filtering; ``load_task_records`` is the one read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from liaison_app import catalog, evidence, workdays
from liaison_app.catalog import Reach
from liaison_app.model import DueState, Role, Status, Task
from liaison_app.progress import due_state
from liaison_app.units import is_collective
from liaison_app.workspace import Workspace

from .icons import DONE_COLOUR, DUE_SOON_COLOUR, MUTED_COLOUR, OVERDUE_COLOUR, due_icon, status_icon
from .qtcompat import rows_filter_change

__all__ = [
    "COL_SOURCE", "COL_SEQ", "COL_GROUP", "COL_CONTENT", "COL_REACH", "COL_LEAD", "COL_COOPERATING", "COL_DEADLINE",
    "COL_STATUS", "COL_EVIDENCE", "SORT_ROLE", "REACH_NAMED", "REACH_ALL", "REACH_COLLECTIVE", "REACH_BUREAU", "TASK_ID_ROLE", "WINDOW_ALL", "WINDOW_OVERDUE", "WINDOW_MONTH", "WINDOW_QUARTER", "WINDOW_SOON", "REACH_COUNTED",
    "TaskRecord", "TaskCounts", "TasksModel", "TaskFilterProxy", "load_task_records", "status_label",
    "role_label", "reach_label", "reach_labels", "deadline_note", "due_words", "schedule_note", "sort_value",
]

(COL_SOURCE, COL_SEQ, COL_GROUP, COL_CONTENT, COL_REACH, COL_LEAD, COL_COOPERATING, COL_DEADLINE, COL_STATUS,
 COL_EVIDENCE) = range(10)
# data() runs for every painted cell and role: plain ints compare much faster than Qt's enum members.
_DISPLAY: Final = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP: Final = int(Qt.ItemDataRole.ToolTipRole)
_DECORATION: Final = int(Qt.ItemDataRole.DecorationRole)
_FOREGROUND: Final = int(Qt.ItemDataRole.ForegroundRole)
_FONT: Final = int(Qt.ItemDataRole.FontRole)
_ALIGNMENT: Final = int(Qt.ItemDataRole.TextAlignmentRole)
_CENTRE: Final = int(Qt.AlignmentFlag.AlignCenter)
_LEFT: Final = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

SORT_ROLE: Final = Qt.ItemDataRole.UserRole + 1
"""A value that sorts right: deadlines as dates (undated last), 序号 as numbers, statuses in workflow order."""
TASK_ID_ROLE: Final = Qt.ItemDataRole.UserRole + 2

WINDOW_ALL, WINDOW_OVERDUE, WINDOW_MONTH, WINDOW_QUARTER, WINDOW_SOON = "all", "overdue", "month", "quarter", "soon"
REACH_NAMED, REACH_ALL, REACH_COLLECTIVE, REACH_BUREAU, REACH_COUNTED = "named", "all", "collective", "bureau", "counted"
"""The relation filter: 点名 (named, assigned, or awaiting assignment: the default, which hides tasks reached only
through a collective such as 各相关科室), everything, 泛指 only, 待分派 only."""

_STATUS_RANK: Final = {Status.TODO: 0, Status.DOING: 1, Status.DONE: 2, Status.NA: 3}
_DUE_COLOURS: Final = {DueState.OVERDUE: OVERDUE_COLOUR, DueState.DUE_SOON: DUE_SOON_COLOUR, DueState.DONE: DONE_COLOUR}
_STATUS_COLOURS: Final = {Status.DONE: DONE_COLOUR, Status.NA: MUTED_COLOUR}
_NUMBER = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
_NO_NUMBER: Final = 1 << 30


def _tr(text: str) -> str:
    return QCoreApplication.translate("TasksModel", text)


def status_label(status: Status) -> str:
    return {Status.TODO: _tr("未开始"), Status.DOING: _tr("进行中"), Status.DONE: _tr("已完成"),
            Status.NA: _tr("不涉及")}[status]


def role_label(record: TaskRecord) -> str:
    """牵头 or 配合, naming the collective (各相关部门…) when the table names the unit only through one."""
    if record.role is None:
        return _tr("不涉及")
    label = _tr("牵头") if record.role is Role.LEAD else _tr("配合")
    if record.reach is Reach.BUREAU:
        return _tr("{0}（上级文件点名本局，尚未分派给科室）").format(label)
    if record.reach is Reach.ASSIGNED:
        return _tr("{0}（上级文件点名本局，已分派给本单位）").format(label)
    if not record.via_collective:
        return label
    names = record.task.lead if record.role is Role.LEAD else record.task.cooperating
    return _tr("{0}（表中写作“{1}”）").format(label, "、".join(n for n in names if is_collective(n)))


def reach_label(record: TaskRecord) -> str:
    """点名 / 泛指 / 待分派 / 已分派, with the unit's role: "点名·牵头", "泛指·配合"."""
    if record.role is None or record.reach is None:
        return "—"
    role = _tr("牵头") if record.role is Role.LEAD else _tr("配合")
    kind = {Reach.NAMED: _tr("点名"), Reach.COLLECTIVE: _tr("泛指"), Reach.BUREAU: _tr("待分派"),
            Reach.ASSIGNED: _tr("分派")}[record.reach]
    return f"{kind}·{role}"


def reach_labels() -> list[str]:
    """Every text the 关系 column can show (to size it)."""
    kinds = (_tr("点名"), _tr("泛指"), _tr("待分派"), _tr("分派"))
    return [f"{k}·{r}" for k in kinds for r in (_tr("牵头"), _tr("配合"))]


@dataclass(frozen=True, slots=True)
class TaskRecord:
    """One row of the task list for one unit, with everything the table, filters and sort need precomputed."""

    task: Task
    status: Status
    """The unit's status."""
    role: Role | None
    """The unit's role (lead wins over cooperating); None when listing every task and the unit is not named."""
    via_collective: bool
    """The unit is involved only through a collective name such as 各相关部门."""
    reach: Reach | None
    """How the task reaches the unit (see ``catalog.Reach``)."""
    evidence_count: int
    source_label: str
    """文号, else title, else file name of the imported document."""
    source_year: int | None
    order: int
    """Position in table order (the order the documents list their tasks)."""
    lead_text: str
    cooperating_text: str
    seq_number: int
    """The first number in 序号, for numeric sorting (a very large number when there is none)."""
    search_blob: str
    """Every searchable field, lower-cased and without white space (PDF text has spaces inside Chinese words)."""

    @property
    def task_id(self) -> int:
        return self.task.id

    def in_year(self, year: int | None) -> bool:
        """Whether the task belongs to ``year``'s documents (None: every year; a document without a year: always)."""
        return year is None or self.source_year is None or self.source_year == year


def _blob(*fields: str) -> str:
    return "\x1f".join(_SPACE.sub("", f).lower() for f in fields)


def _make_record(row: catalog.TaskRow, order: int, evidence_count: int, source_label: str,
                 source_year: int | None) -> TaskRecord:
    t = row.task
    lead, coop = "、".join(t.lead), "、".join(t.cooperating)
    m = _NUMBER.search(t.seq)
    return TaskRecord(
        task=t, status=row.status, role=row.role, via_collective=row.via_collective, reach=row.reach,
        evidence_count=evidence_count,
        source_label=source_label, source_year=source_year, order=order, lead_text=lead, cooperating_text=coop,
        seq_number=int(m.group()) if m else _NO_NUMBER,
        search_blob=_blob(t.seq, t.group, t.content, lead, coop, t.deadline.text,
                          t.deadline.date.isoformat() if t.deadline.date else "", source_label),
    )


def load_task_records(ws: Workspace, department: str) -> list[TaskRecord]:
    """The tasks of ``department`` (or every task for ``catalog.ALL_DEPARTMENTS``) with status, role and evidence
    counts, in table order: three queries, whatever the number of tasks."""
    rows = catalog.list_tasks(ws, department=department, unassigned=True)
    counts = evidence.evidence_counts(ws, "task")
    sources = {s.id: (s.doc_number or s.title or s.file_name, s.year) for s in catalog.list_sources(ws)}
    out = []
    for order, row in enumerate(rows):
        label, year = sources.get(row.task.source_id or -1, ("", None))
        out.append(_make_record(row, order, counts.get(row.task.id, 0), label, year))
    return out


@dataclass(frozen=True)
class TaskCounts:
    total: int
    by_status: dict[Status, int]
    overdue: int
    due_soon: int


def due_words(state: DueState, deadline: dt.date | None, today: dt.date) -> str:
    """The words that go with a due state: "逾期 12 天", "还剩 3 天", "今天到期", or "". A task of a year that is
    over counts no days to now: "逾期未完成"."""
    if deadline is None or state not in (DueState.OVERDUE, DueState.DUE_SOON):
        return ""
    days = (deadline - today).days
    if state is DueState.OVERDUE:
        if deadline.year < today.year:
            return _tr("逾期未完成")
        return _tr("逾期 {0} 天").format(-days)
    if days == 0:
        return _tr("今天到期")
    left = workdays.workdays_left(today, deadline)
    # Working days, as offices count: a 调休 Saturday is one, the Spring Festival week is none.
    return (_tr("还剩 {0} 个工作日") if left.exact else _tr("约还剩 {0} 个工作日")).format(left.days)


def schedule_note(deadline: dt.date | None, today: dt.date) -> str:
    """Said beside a working-day count that had to be estimated: the year's holidays are not announced yet."""
    if deadline is None:
        return ""
    unknown = sorted({y for y in (today.year, deadline.year) if not workdays.is_known_year(y)})
    if not unknown:
        return ""
    return _tr("{0} 年的放假调休安排尚未收入日历，工作日按周一至周五估算。").format("、".join(map(str, unknown)))


def deadline_note(record: TaskRecord, today: dt.date, soon_days: int = 14) -> tuple[DueState, str]:
    """The due state of a task and the words that go with it."""
    state = due_state(record.task.deadline.date, record.status, today, soon_days=soon_days)
    return state, due_words(state, record.task.deadline.date, today)


def sort_value(r: TaskRecord, column: int) -> int | str:
    """What SORT_ROLE gives: an int or a string that orders the column the way a reader expects."""
    if column == COL_SOURCE:
        return r.source_label
    if column == COL_REACH:
        return reach_label(r)
    if column == COL_SEQ:
        return r.seq_number
    if column == COL_GROUP:
        return r.task.group
    if column == COL_CONTENT:
        return r.task.content
    if column == COL_LEAD:
        return r.lead_text
    if column == COL_COOPERATING:
        return r.cooperating_text
    if column == COL_DEADLINE:
        return (r.task.deadline.date or dt.date.max).isoformat()
    if column == COL_STATUS:
        return _STATUS_RANK[r.status]
    if column == COL_EVIDENCE:
        return r.evidence_count
    return r.order


class TasksModel(QAbstractTableModel):
    """The unit's tasks, one row each, held in memory; ``today`` drives the deadline lights."""

    today_changed = Signal()

    def __init__(self, today: dt.date, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[TaskRecord] = []
        self._row_of: dict[int, int] = {}
        self._due: dict[int, DueState] = {}
        """task id -> due state for ``today``, kept up to date so painting and filtering never recompute it."""
        self._today = today
        self.soon_days = 14
        """A deadline this many days ahead or fewer is "due soon" (the workspace's reminder rule)."""
        self.department: str | None = None
        """The unit the statuses and roles are for (``catalog.ALL_DEPARTMENTS`` for every task)."""
        self._headers = [_tr("来源"), _tr("序号"), _tr("任务名称"), _tr("任务内容"), _tr("关系"), _tr("牵头"),
                         _tr("配合"), _tr("时限"), _tr("状态"), _tr("证据数")]
        self._bold = QFont()
        self._bold.setBold(True)

    # ----- contents ------------------------------------------------------------------------------------------
    def set_rows(self, records: Sequence[TaskRecord], *, department: str | None = None) -> None:
        self.beginResetModel()
        self._rows = list(records)
        self._reindex()
        self._compute_due()
        self.department = department
        self.endResetModel()

    def _compute_due(self) -> None:
        today = self._today
        soon = self.soon_days
        self._due = {r.task.id: due_state(r.task.deadline.date, r.status, today, soon_days=soon) for r in self._rows}

    def _reindex(self) -> None:
        self._row_of = {r.task.id: i for i, r in enumerate(self._rows)}

    def records(self) -> Sequence[TaskRecord]:
        return self._rows

    def record(self, row: int) -> TaskRecord:
        return self._rows[row]

    def row_of(self, task_id: int) -> int | None:
        return self._row_of.get(task_id)

    def update_task(self, task_id: int, *, status: Status, evidence_count: int) -> None:
        """Show a task's new status and evidence count (after a change made through the core)."""
        row = self._row_of.get(task_id)
        if row is None:
            return
        record = self._rows[row] = dataclasses.replace(self._rows[row], status=status, evidence_count=evidence_count)
        self._due[task_id] = due_state(record.task.deadline.date, status, self._today, soon_days=self.soon_days)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    @property
    def today(self) -> dt.date:
        return self._today

    def due(self, task_id: int) -> DueState:
        return self._due[task_id]

    def count(self, year: int | None = None) -> TaskCounts:
        """The rows of ``year`` by status, and how many are overdue or due soon. Tasks awaiting assignment to a
        unit are nobody's yet and are not counted (as in the packet)."""
        by_status = dict.fromkeys(Status, 0)
        overdue = due_soon = total = 0
        for r in self._rows:
            if r.in_year(year) and r.reach is not Reach.BUREAU:
                total += 1
                by_status[r.status] += 1
                state = self._due[r.task.id]
                overdue += state is DueState.OVERDUE
                due_soon += state is DueState.DUE_SOON
        return TaskCounts(total, by_status, overdue, due_soon)

    def set_soon_days(self, days: int) -> None:
        if days == self.soon_days:
            return
        self.soon_days = days
        self._compute_due()
        self.today_changed.emit()  # the lights and the filters that depend on them change as with a new day
        if self._rows:
            self.dataChanged.emit(self.index(0, COL_DEADLINE), self.index(len(self._rows) - 1, COL_DEADLINE))

    def set_today(self, today: dt.date) -> None:
        if today == self._today:
            return
        self._today = today
        self._compute_due()
        self.today_changed.emit()
        if self._rows:
            self.dataChanged.emit(self.index(0, COL_DEADLINE), self.index(len(self._rows) - 1, COL_DEADLINE))

    # ----- QAbstractTableModel ---------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = _DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return self._headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == _DISPLAY:
            return self._display(r, col)
        if role == _DECORATION:
            if col == COL_DEADLINE:
                # 不涉及 closes a task too, but a tick would claim it was done.
                return None if r.status is Status.NA else due_icon(self._due[r.task.id])
            if col == COL_STATUS:
                return status_icon(r.status)
            return None
        if role == _FOREGROUND:
            if col == COL_DEADLINE:
                return MUTED_COLOUR if r.status is Status.NA else _DUE_COLOURS.get(self._due[r.task.id])
            if col == COL_STATUS:
                return _STATUS_COLOURS.get(r.status)
            if col == COL_EVIDENCE and not r.evidence_count:
                return MUTED_COLOUR
            return None
        if role == _FONT:
            # The column naming the selected unit is bold, so its role is visible at a glance.
            if not r.via_collective and ((col == COL_LEAD and r.role is Role.LEAD)
                                         or (col == COL_COOPERATING and r.role is Role.COOPERATING)):
                return self._bold
            return None
        if role == _ALIGNMENT:
            return _CENTRE if col in (COL_SEQ, COL_EVIDENCE) else _LEFT
        if role == _TOOLTIP:
            return self._tooltip(r, col)
        if role == SORT_ROLE:
            return sort_value(r, col)
        if role == TASK_ID_ROLE:
            return r.task.id
        return None

    def _display(self, r: TaskRecord, col: int) -> str:
        if col == COL_SOURCE:
            return r.source_label
        if col == COL_REACH:
            return reach_label(r)
        if col == COL_SEQ:
            return r.task.seq
        if col == COL_GROUP:
            return r.task.group
        if col == COL_CONTENT:
            return r.task.content.replace("\n", " ")
        if col == COL_LEAD:
            return r.lead_text
        if col == COL_COOPERATING:
            return r.cooperating_text
        if col == COL_DEADLINE:
            text = r.task.deadline.text or (r.task.deadline.date.isoformat() if r.task.deadline.date else "—")
            note = due_words(self._due[r.task.id], r.task.deadline.date, self._today)
            # The note first: in a narrow column "逾期 12 天" must not be the part that is cut off.
            return f"{note}（{text}）" if note else text
        if col == COL_STATUS:
            return status_label(r.status)
        return str(r.evidence_count)

    def _tooltip(self, r: TaskRecord, col: int) -> str | None:
        if col in (COL_GROUP, COL_CONTENT):
            # Rich text, so Qt wraps a long paragraph instead of drawing one screen-wide line.
            return f"<p>{html.escape(r.task.group if col == COL_GROUP else r.task.content)}</p>"
        if col == COL_SOURCE and r.source_label:
            return r.source_label
        if col == COL_REACH and r.reach is not None:
            return {Reach.NAMED: _tr("表中点名本单位"),
                    Reach.COLLECTIVE: _tr("表中只写了“{0}”等泛指，本单位包括在内").format(
                        "、".join(n for n in (*r.task.lead, *r.task.cooperating) if is_collective(n))),
                    Reach.BUREAU: _tr("上级或其他单位的文件点名本局，尚未分派给具体科室：请分派或标为不涉及"),
                    Reach.ASSIGNED: _tr("上级或其他单位的文件点名本局，已分派给本单位")}[r.reach]
        if col == COL_LEAD and r.lead_text:
            return r.lead_text
        if col == COL_COOPERATING and r.cooperating_text:
            return r.cooperating_text
        if col == COL_DEADLINE:
            d = r.task.deadline
            lines = [_tr("原文：{0}").format(d.text or "—"),
                     _tr("日期：{0}").format(d.date.isoformat() if d.date else _tr("无具体日期"))]
            note = due_words(self._due[r.task.id], d.date, self._today)
            if note:
                lines.append(note)
                if d.date is not None and d.date > self._today:
                    lines.append(_tr("日历上还有 {0} 天").format((d.date - self._today).days))
                    lines.append(schedule_note(d.date, self._today))
            return "\n".join(line for line in lines if line)
        if col == COL_EVIDENCE:
            return _tr("已附 {0} 份佐证材料").format(r.evidence_count)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder the rows by one column's sort value; column -1 restores table order."""
        self.layoutAboutToBeChanged.emit()
        old_rows = {r.task.id: i for i, r in enumerate(self._rows)}
        descending = column >= 0 and order == Qt.SortOrder.DescendingOrder
        # Ties keep table order whichever way the column is sorted.
        self._rows.sort(key=lambda r: (sort_value(r, column), -r.order if descending else r.order),
                        reverse=descending)
        self._reindex()
        new_of_old = {old_rows[r.task.id]: i for i, r in enumerate(self._rows)}
        old_persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            old_persistent,
            [self.index(new_of_old[p.row()], p.column()) if p.isValid() else QModelIndex() for p in old_persistent],
        )
        self.layoutChanged.emit()


class TaskFilterProxy(QSortFilterProxyModel):
    """Filters the task rows: the unit's role, status, deadline window, source document, year and search text.

    The answer for every row is computed in one pass of plain Python when a filter or the rows change, so the
    proxy's per-row question costs a list look-up. Sorting is handed to the source model: one Python sort of the
    rows, instead of a sorted proxy that calls back into Python for every comparison and re-inserts rows one by one
    whenever the filter changes (seconds at 10,000 rows).
    """

    filter_changed = Signal()
    """Emitted once after a filter changed (rowsRemoved/rowsInserted come once per range of rows)."""

    def __init__(self, source: TasksModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self.role = "any"
        self.statuses: frozenset[Status] | None = None
        self.window = WINDOW_ALL
        self.source_id: int | None = None
        self.reach = REACH_NAMED
        self.year: int | None = None
        self._terms: tuple[str, ...] = ()
        self._predicate = self._build_predicate()
        self._accepted: list[bool] = []
        # Connected before setSourceModel, so the answers are ready before the proxy asks for them.
        source.modelReset.connect(self._rebuild)
        source.layoutChanged.connect(self._answer_all)
        source.dataChanged.connect(self._answer_rows)
        source.today_changed.connect(self._on_today_changed)
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self._answer_all()

    # ----- filters -------------------------------------------------------------------------------------------
    def set_role(self, role: str) -> None:
        """'any', 'lead' or 'cooperating', for the unit the rows are loaded for."""
        self._change(lambda: setattr(self, "role", role))

    def set_statuses(self, statuses: Iterable[Status] | None) -> None:
        self._change(lambda: setattr(self, "statuses", None if statuses is None else frozenset(statuses)))

    def set_window(self, window: str) -> None:
        """WINDOW_ALL, WINDOW_OVERDUE (past the deadline and not closed), WINDOW_MONTH or WINDOW_QUARTER (deadline
        in today's month or quarter)."""
        self._change(lambda: setattr(self, "window", window))

    def set_source(self, source_id: int | None) -> None:
        self._change(lambda: setattr(self, "source_id", source_id))

    def set_reach(self, reach: str) -> None:
        """REACH_NAMED (default), REACH_ALL, REACH_COLLECTIVE or REACH_BUREAU; not applied when every unit's tasks
        are listed."""
        self._change(lambda: setattr(self, "reach", reach))

    def base_count(self) -> int:
        """Rows of the selected year that the relation filter lets through: what "共 N 项" counts."""
        year = self.year
        hide_collective = self.reach == REACH_NAMED and self._source.department != catalog.ALL_DEPARTMENTS
        return sum(1 for r in self._source.records()
                   if r.in_year(year) and not (hide_collective and r.reach is Reach.COLLECTIVE))

    def hidden_collective(self) -> int:
        """Rows of the year that the default relation filter hides (reached only through a collective)."""
        if self.reach != REACH_NAMED or self._source.department == catalog.ALL_DEPARTMENTS:
            return 0
        year = self.year
        return sum(1 for r in self._source.records() if r.reach is Reach.COLLECTIVE and r.in_year(year))

    def set_year(self, year: int | None) -> None:
        """Only tasks of documents of this year (tasks of a document without a year always pass)."""
        self._change(lambda: setattr(self, "year", year))

    def set_search(self, text: str) -> None:
        """Every white-space separated word must occur somewhere in the task's text."""
        terms = tuple(t for t in text.lower().split() if t)
        if terms != self._terms:
            self._change(lambda: setattr(self, "_terms", terms))

    @property
    def search_terms(self) -> tuple[str, ...]:
        return self._terms

    def clear_filters(self) -> None:
        def clear() -> None:
            self.role, self.statuses, self.window, self.source_id, self._terms = "any", None, WINDOW_ALL, None, ()
            self.reach = REACH_NAMED

        self._change(clear)

    @property
    def filtering(self) -> bool:
        """True when any filter other than the year hides rows."""
        return bool(self.role != "any" or self.statuses is not None or self.window != WINDOW_ALL
                    or self.source_id is not None or self._terms or self.reach != REACH_NAMED)

    def _change(self, apply: Callable[[], object]) -> None:
        with rows_filter_change(self):
            apply()
            self._predicate = self._build_predicate()
            self._answer_all()
        self.filter_changed.emit()

    def _on_today_changed(self) -> None:
        self._change(lambda: None)

    def _window_bounds(self) -> tuple[dt.date, dt.date]:
        today = self._source.today
        if self.window == WINDOW_MONTH:
            first, months = today.replace(day=1), 1
        elif self.window == WINDOW_QUARTER:
            first, months = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1), 3
        else:
            return dt.date.min, dt.date.max
        month = first.month - 1 + months
        return first, dt.date(first.year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)

    def _build_predicate(self) -> Callable[[TaskRecord], bool]:
        """One test per active filter, bound to plain values, so a row costs a few attribute reads."""
        tests: list[Callable[[TaskRecord], bool]] = []
        year, statuses, source_id, terms = self.year, self.statuses, self.source_id, self._terms
        if year is not None:
            tests.append(lambda r: r.source_year is None or r.source_year == year)
        if self.role != "any":
            role = Role(self.role)
            tests.append(lambda r: r.role is role)
        if self._source.department != catalog.ALL_DEPARTMENTS:
            if self.reach == REACH_NAMED:
                tests.append(lambda r: r.reach is not Reach.COLLECTIVE)
            elif self.reach == REACH_COLLECTIVE:
                tests.append(lambda r: r.reach is Reach.COLLECTIVE)
            elif self.reach == REACH_BUREAU:
                tests.append(lambda r: r.reach is Reach.BUREAU)
            elif self.reach == REACH_COUNTED:  # what the counts count: the unit's, 泛指 included, 待分派 not
                tests.append(lambda r: r.reach is not Reach.BUREAU)
        if statuses is not None:
            tests.append(lambda r: r.status in statuses)
        if source_id is not None:
            tests.append(lambda r: r.task.source_id == source_id)
        if self.window == WINDOW_OVERDUE:
            due = self._source.due
            tests.append(lambda r: due(r.task.id) is DueState.OVERDUE)
        elif self.window == WINDOW_SOON:
            due = self._source.due
            tests.append(lambda r: due(r.task.id) is DueState.DUE_SOON)
        elif self.window != WINDOW_ALL:
            first, last = self._window_bounds()
            tests.append(lambda r: r.task.deadline.date is not None and first <= r.task.deadline.date <= last)
        for term in terms:
            tests.append(lambda r, term=term: term in r.search_blob)
        if not tests:
            return lambda r: True
        # Chained with `and`: a generator with all() would cost more than the tests themselves.
        predicate = tests[0]
        for test in tests[1:]:
            predicate = (lambda first, then: lambda r: first(r) and then(r))(predicate, test)
        return predicate

    def _rebuild(self) -> None:
        # The rows may be another unit's now (or every unit's), which changes whether the relation filter applies.
        self._predicate = self._build_predicate()
        self._answer_all()

    def _answer_all(self) -> None:
        predicate = self._predicate
        self._accepted = [predicate(r) for r in self._source.records()]

    def _answer_rows(self, top_left: QModelIndex, bottom_right: QModelIndex, _roles: object = None) -> None:
        for row in range(top_left.row(), bottom_right.row() + 1):
            self._accepted[row] = self._predicate(self._source.record(row))

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        return self._accepted[source_row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._source.sort(column, order)

    def record(self, proxy_row: int) -> TaskRecord:
        return self._source.record(self.mapToSource(self.index(proxy_row, 0)).row())

    def proxy_row_of(self, task_id: int) -> int | None:
        row = self._source.row_of(task_id)
        if row is None:
            return None
        index = self.mapFromSource(self._source.index(row, 0))
        return index.row() if index.isValid() else None
