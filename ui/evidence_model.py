"""The evidence vault as Qt sees it, apart from the view (as the task list has tasks_model): one row per evidence
file read once from the core, a table model over them, and a filter proxy for linked/unlinked and search text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from liaison_app import cases, catalog, evidence
from liaison_app.errors import LiaisonError
from liaison_app.model import Evidence
from liaison_app.workspace import Workspace

from .icons import BAD_BACKGROUND, MUTED_COLOUR, OVERDUE_COLOUR
from .qtcompat import rows_filter_change

__all__ = [
    "COL_NAME", "COL_SIZE", "COL_DATE", "COL_KIND", "COL_LINKS", "COL_ADDED", "COL_SHA",
    "SORT_ROLE", "EVIDENCE_ID_ROLE", "LINKED_ALL", "LINKED_ONLY", "UNLINKED_ONLY",
    "EvidenceRow", "EvidenceModel", "EvidenceFilterProxy", "kind_label", "load_evidence_rows", "size_text", "HEADERS",
]

COL_NAME, COL_SIZE, COL_DATE, COL_KIND, COL_LINKS, COL_ADDED, COL_SHA = range(7)
HEADERS: Final = ("文件名", "大小", "证据日期", "类型", "关联", "添加时间", "SHA-256")
SORT_ROLE: Final = Qt.ItemDataRole.UserRole + 1
"""An int or a string that orders the column as a reader expects (sizes and dates as numbers)."""
EVIDENCE_ID_ROLE: Final = Qt.ItemDataRole.UserRole + 2

LINKED_ALL, LINKED_ONLY, UNLINKED_ONLY = "all", "linked", "unlinked"

_BAD_COLOUR: Final = OVERDUE_COLOUR.name()
_MUTED_COLOUR: Final = MUTED_COLOUR.name()
_DAMAGED_BACKGROUND: Final = BAD_BACKGROUND


def _tr(text: str) -> str:
    return QCoreApplication.translate("EvidenceView", text)


# ----- rows ----------------------------------------------------------------------------------------------------------
_WORD: Final = ("msword", "wordprocessingml", "vnd.ms-works", "opendocument.text", "rtf")
_EXCEL: Final = ("ms-excel", "spreadsheetml", "opendocument.spreadsheet", "text/csv")


def kind_label(media_type: str) -> str:
    """A friendly label for a media type: 图片, PDF, Word, Excel, 视频 or 其他."""
    mt = media_type.lower()
    if mt.startswith("image/"):
        return _tr("图片")
    if mt == "application/pdf":
        return "PDF"
    if any(k in mt for k in _WORD):
        return "Word"
    if any(k in mt for k in _EXCEL):
        return "Excel"
    if mt.startswith("video/"):
        return _tr("视频")
    return _tr("其他")


@dataclass(frozen=True)
class EvidenceRow:
    evidence: Evidence
    links_text: str
    """"任务 5、任务 22；案例 2023-05", or 未关联."""
    links_tip: str
    """Each link on its own line, with the task's content."""
    kind: str
    search_blob: str
    """Lower-cased name, note, links and kind: what the search box looks in."""
    problems: tuple[str, ...] = field(default=())
    """What the last check found wrong with this file."""

    @property
    def linked(self) -> bool:
        return bool(self.evidence.links)


class _LinkNames:
    """Resolves link targets to what the user knows them by, each target read once per reload."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._cache: dict[tuple[str, int], tuple[str, str]] = {}

    def __call__(self, kind: str, target_id: int) -> tuple[str, str]:
        """(short label, longer description) of one link target."""
        key = (kind, target_id)
        if key not in self._cache:
            self._cache[key] = self._resolve(kind, target_id)
        return self._cache[key]

    def _resolve(self, kind: str, target_id: int) -> tuple[str, str]:
        try:
            if kind == "task":
                task = catalog.get_task(self.ws, target_id)
                label = _tr("任务 {0}").format(task.seq or target_id)
                content = task.content if len(task.content) <= 60 else task.content[:60] + "…"
                archived = _tr("（已归档）") if task.archived else ""
                return label, f"{label}{archived}：{content}"
            if kind == "indicator":
                ind = catalog.get_indicator(self.ws, target_id)
                label = _tr("指标 {0}").format(ind.level2 or ind.level1 or target_id)
                return label, label
            if kind == "case":
                case = cases.get_case(self.ws, target_id)
                label = _tr("案例 {0}").format(case.month)
                return label, f"{label}：{case.title}" if case.title else label
        except LiaisonError:
            pass
        label = _tr("{0}（编号 {1}）").format({"task": _tr("任务"), "indicator": _tr("指标"),
                                             "case": _tr("案例")}.get(kind, kind), target_id)
        return label, label


def _links_text(ev: Evidence, names: Callable[[str, int], tuple[str, str]]) -> tuple[str, str]:
    if not ev.links:
        return _tr("未关联"), _tr("没有关联任何任务、考核指标或月度案例；可以用“清理未关联的文件”删除。")
    groups: list[str] = []
    tips: list[str] = []
    for kind in ("task", "indicator", "case"):
        resolved = [names(k, i) for k, i in ev.links if k == kind]
        if resolved:
            groups.append("、".join(short for short, _ in resolved))
            tips.extend(long for _, long in resolved)
    return "；".join(groups), "\n".join(tips)


def load_evidence_rows(ws: Workspace) -> list[EvidenceRow]:
    """Every evidence record with its links in the user's words (the view's one read)."""
    names = _LinkNames(ws)
    rows = []
    for ev in evidence.list_evidence(ws):
        text, tip = _links_text(ev, names)
        kind = kind_label(ev.media_type)
        blob = "\n".join((ev.original_name, ev.note, text, tip, kind)).lower()
        rows.append(EvidenceRow(evidence=ev, links_text=text, links_tip=tip, kind=kind, search_blob=blob))
    return rows


def _local_time(at: str) -> str:
    try:
        return dt.datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return at


def size_text(size: int) -> str:
    return QLocale().formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)


# ----- model -----------------------------------------------------------------------------------------------------------
class EvidenceModel(QAbstractTableModel):
    """The evidence rows, read-only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[EvidenceRow] = []

    def set_rows(self, rows: Iterable[EvidenceRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def set_problems(self, problems: dict[str, tuple[str, ...]]) -> None:
        """Mark the rows whose file the last check found missing, damaged or unreadable (by SHA-256)."""
        self.rows = [replace(r, problems=problems.get(r.evidence.sha256, ())) for r in self.rows]
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(HEADERS) - 1))

    def row_of(self, evidence_id: int) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.evidence.id == evidence_id), None)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(HEADERS[section])
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            if section == COL_SHA:
                return _tr("文件内容的指纹（前 16 位）；证据库按它存放文件，内容一变它就不同")
            if section == COL_DATE:
                return _tr("材料所反映工作的日期（默认为文件的修改日期）")
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        ev = row.evidence
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_NAME:
                return ev.original_name
            if col == COL_SIZE:
                return size_text(ev.size)
            if col == COL_DATE:
                return ev.evidence_date.isoformat() if ev.evidence_date else ""
            if col == COL_KIND:
                return row.kind
            if col == COL_LINKS:
                return row.links_text
            if col == COL_ADDED:
                return _local_time(ev.added_at)
            if col == COL_SHA:
                return ev.sha256[:16]
        elif role == SORT_ROLE:
            if col == COL_SIZE:
                return ev.size
            if col == COL_DATE:
                return ev.evidence_date.toordinal() if ev.evidence_date else 0
            if col == COL_ADDED:
                # Ids grow with every new record, so they order by time added without parsing timestamps.
                return ev.id
            if col == COL_NAME:
                return ev.original_name.lower()
            if col == COL_LINKS:
                return row.links_text if row.linked else ""
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        elif role == EVIDENCE_ID_ROLE:
            return ev.id
        elif role == Qt.ItemDataRole.ToolTipRole:
            if row.problems:
                return "\n".join(row.problems)
            if col == COL_NAME:
                lines = [ev.original_name]
                if ev.note:
                    lines.append(_tr("说明：{0}").format(ev.note))
                lines.append(_tr("双击打开（打开的是核对过的只读副本）"))
                return "\n".join(lines)
            if col == COL_SIZE:
                return _tr("{0} 字节").format(f"{ev.size:,}")
            if col == COL_KIND:
                return ev.media_type
            if col == COL_LINKS:
                return row.links_tip
            if col == COL_SHA:
                return ev.sha256
        elif role == Qt.ItemDataRole.ForegroundRole:
            if row.problems:
                return QBrush(QColor(_BAD_COLOUR))
            if col == COL_LINKS and not row.linked:
                return QBrush(QColor(_MUTED_COLOUR))
        elif role == Qt.ItemDataRole.BackgroundRole and row.problems:
            return QBrush(_DAMAGED_BACKGROUND)
        elif role == Qt.ItemDataRole.FontRole:
            if col == COL_SHA:
                font = QFont("monospace")
                font.setStyleHint(QFont.StyleHint.Monospace)
                return font
            if col == COL_LINKS and not row.linked:
                font = QFont()
                font.setItalic(True)
                return font
        elif role == Qt.ItemDataRole.TextAlignmentRole and col == COL_SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class EvidenceFilterProxy(QSortFilterProxyModel):
    """Filters by search words (all must occur in name, note or links) and by linked / unlinked; sorts by SORT_ROLE."""

    def __init__(self, source: EvidenceModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._terms: tuple[str, ...] = ()
        self.linked = LINKED_ALL
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setSortLocaleAware(True)

    def set_search(self, text: str) -> None:
        terms = tuple(t for t in text.lower().split() if t)
        if terms != self._terms:
            with rows_filter_change(self):
                self._terms = terms

    def set_linked(self, which: str) -> None:
        """LINKED_ALL, LINKED_ONLY or UNLINKED_ONLY."""
        if which != self.linked:
            with rows_filter_change(self):
                self.linked = which

    @property
    def filtering(self) -> bool:
        return bool(self._terms) or self.linked != LINKED_ALL

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        row = self._source.rows[source_row]
        if self.linked == LINKED_ONLY and not row.linked:
            return False
        if self.linked == UNLINKED_ONLY and row.linked:
            return False
        return all(term in row.search_blob for term in self._terms)

    def row(self, proxy_row: int) -> EvidenceRow:
        return self._source.rows[self.mapToSource(self.index(proxy_row, 0)).row()]

    def visible_rows(self) -> list[EvidenceRow]:
        return [self.row(i) for i in range(self.rowCount())]


# ----- view ------------------------------------------------------------------------------------------------------------
