"""The 考核指标 view: the unit's scored indicators, with status, self-assessed score and note, and the total.

Rows are read once from the core into memory; every edit is saved at once through progress.set_status, which has
the last word on the score cap (its plain sentence is shown when it refuses). The score editor is capped at
progress.max_self_score, so a row of a merged score block cannot be given more than its share.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from liaison_app import catalog, progress
from liaison_app.errors import LiaisonError
from liaison_app.model import STATUS_LABELS, Indicator, Progress, Status
from liaison_app.workspace import Workspace

from .icons import MUTED_COLOUR, PANEL_BACKGROUND, PANEL_BORDER, QUIET_TEXT, SHADED_ROW, status_icon
from .message_bar import ERROR, MessageBar

__all__ = [
    "COL_CATEGORY", "COL_LEVEL1", "COL_LEVEL2", "COL_SCORE", "COL_STATUS", "COL_SELF_SCORE", "COL_NOTE",
    "IndicatorRow", "IndicatorsModel", "IndicatorsView", "load_indicator_rows", "score_text",
]

COL_CATEGORY, COL_LEVEL1, COL_LEVEL2, COL_SCORE, COL_STATUS, COL_SELF_SCORE, COL_NOTE = range(7)
_HEADERS: Final = ("考核内容", "一级指标", "二级指标", "分值", "状态", "自评分", "备注")
_EDITABLE: Final = (COL_STATUS, COL_SELF_SCORE, COL_NOTE)
_NO_SCORE: Final = -1.0
"""The score editor's lowest value, shown as 未评分: clears the self score."""



def _tr(text: str) -> str:
    return QCoreApplication.translate("IndicatorsView", text)


def _num(value: float) -> str:
    """2 decimals at most, no trailing zeros: 5, 3.33, 12.5."""
    return f"{round(value, 2):g}"


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    cap: float | None
    """The highest self score allowed (progress.max_self_score): the 分值, or the row's share of a merged block."""
    block_total: float | None
    """For a row of a merged score block: the block's whole score; None otherwise."""
    block_size: int
    """How many rows share the block's score (1 for an ordinary row)."""
    progress: Progress | None

    @property
    def status(self) -> Status:
        return self.progress.status if self.progress else Status.TODO

    @property
    def self_score(self) -> float | None:
        return self.progress.self_score if self.progress else None

    @property
    def note(self) -> str:
        return self.progress.note if self.progress else ""


def score_text(row: IndicatorRow) -> str:
    """What the 分值 column shows: "5 分", "共享 20 分", or "—" when the table gave no score."""
    ind = row.indicator
    if ind.shared_group is not None and row.block_total is not None:
        if row.cap is not None:
            return _tr("共享 {0} 分（每项 {1}）").format(_num(row.block_total), _num(row.cap))
        return _tr("共享 {0} 分").format(_num(row.block_total))
    if ind.score is not None:
        return _tr("{0} 分").format(_num(ind.score))
    return "—"


def load_indicator_rows(ws: Workspace, department: str | None) -> list[IndicatorRow]:
    """The unit's indicators in table order with their caps and the unit's progress (the view's one read)."""
    unit = progress.resolve_department(ws, department)
    indicators = catalog.list_indicators(ws, department=unit)
    blocks: dict[tuple[int | None, int], list[Indicator]] = {}
    for ind in catalog.list_indicators(ws):
        if ind.shared_group is not None:
            blocks.setdefault((ind.source_id, ind.shared_group), []).append(ind)
    recorded = progress.progress_map(ws, "indicator", department=unit)
    rows = []
    for ind in indicators:
        block = blocks.get((ind.source_id, ind.shared_group), []) if ind.shared_group is not None else []
        total = max((b.score for b in block if b.score is not None), default=None)
        rows.append(IndicatorRow(indicator=ind, cap=progress.max_self_score(ws, ind.id), block_total=total,
                                 block_size=max(1, len(block)), progress=recorded.get(ind.id)))
    return rows


Commit = Callable[[IndicatorRow, Status, "float | None", str], Progress]
"""Saves a row's status, self score and note; raises LiaisonError when the core refuses."""


class IndicatorsModel(QAbstractTableModel):
    """The indicator rows; editing status, self score or note commits through ``commit`` at once."""

    refused = Signal(str)
    """The core's plain sentence when an edit was not saved."""
    saved = Signal(int)
    """The row whose progress was saved."""

    def __init__(self, commit: Commit, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._commit = commit
        self.rows: list[IndicatorRow] = []

    def set_rows(self, rows: list[IndicatorRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(_HEADERS[section])
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            if section == COL_SELF_SCORE:
                return _tr("双击填写；不能超过该指标的分值（合并分值按项平分）")
            if section in (COL_STATUS, COL_NOTE):
                return _tr("双击修改，改完即保存")
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in _EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        ind = row.indicator
        col = index.column()
        na = row.status is Status.NA
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_CATEGORY:
                return ind.category
            if col == COL_LEVEL1:
                return ind.level1
            if col == COL_LEVEL2:
                return ind.level2
            if col == COL_SCORE:
                return score_text(row)
            if col == COL_STATUS:
                return _tr(STATUS_LABELS[row.status])
            if col == COL_SELF_SCORE:
                return "" if row.self_score is None else _num(row.self_score)
            if col == COL_NOTE:
                return row.note
        elif role == Qt.ItemDataRole.EditRole:
            if col == COL_STATUS:
                return row.status.value
            if col == COL_SELF_SCORE:
                return row.self_score
            if col == COL_NOTE:
                return row.note
        elif role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_CATEGORY and ind.category_score is not None:
                return _tr("{0}（{1} 分）").format(ind.category, _num(ind.category_score))
            if col == COL_LEVEL1 and ind.level1_score is not None:
                return _tr("{0}（{1} 分）").format(ind.level1, _num(ind.level1_score))
            if col == COL_LEVEL2:
                return ind.explanation or ind.level2
            if col == COL_SCORE:
                if ind.shared_group is not None and row.block_total is not None and row.cap is not None:
                    return _tr("{0} 项共享合并单元格的 {1} 分，本项自评最多 {2} 分").format(
                        row.block_size, _num(row.block_total), _num(row.cap))
                if row.cap is None:
                    return _tr("表格没有给出分值")
            if col == COL_SELF_SCORE and row.cap is not None:
                return _tr("最多 {0} 分").format(_num(row.cap))
            if col == COL_NOTE and row.note:
                return row.note
        elif role == Qt.ItemDataRole.DecorationRole and col == COL_STATUS:
            return status_icon(row.status)
        elif role == Qt.ItemDataRole.ForegroundRole and na:
            return QBrush(MUTED_COLOUR)
        elif role == Qt.ItemDataRole.FontRole and na:
            font = QFont()
            font.setItalic(True)
            return font
        elif role == Qt.ItemDataRole.BackgroundRole and na:
            return QBrush(SHADED_ROW)
        elif role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_SCORE, COL_SELF_SCORE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or index.column() not in _EDITABLE:
            return False
        row = self.rows[index.row()]
        status, score, note = row.status, row.self_score, row.note
        try:
            if index.column() == COL_STATUS:
                status = Status(value)
            elif index.column() == COL_SELF_SCORE:
                score = None if value is None or value == "" else float(value)
                if score is not None and score < 0:
                    score = None
            else:
                note = str(value or "").strip()
        except ValueError:
            self.refused.emit(_tr("自评分 {0} 不是数字。").format(value))
            return False
        if (status, score, note) == (row.status, row.self_score, row.note):
            return True
        try:
            saved = self._commit(row, status, score, note)
        except LiaisonError as exc:
            self.refused.emit(str(exc))
            return False
        self.rows[index.row()] = dataclasses.replace(row, progress=saved)
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(_HEADERS) - 1))
        self.saved.emit(index.row())
        return True

    def totals(self) -> tuple[float, float, int, int, int]:
        """(self-assessed total, maximum, rows scored, rows counted, rows 不涉及).

        A 不涉及 row counts towards neither the total nor the maximum; a row without any score counts nowhere.
        """
        total = maximum = 0.0
        scored = counted = na = 0
        for row in self.rows:
            if row.status is Status.NA:
                na += 1
                continue
            if row.cap is not None:
                maximum += row.cap
                counted += 1
            if row.self_score is not None:
                total += row.self_score
                scored += 1
        return total, maximum, scored, counted, na


class StatusDelegate(QStyledItemDelegate):
    """A drop-down of the four statuses; choosing one saves it."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        combo = QComboBox(parent)
        for status, label in STATUS_LABELS.items():
            icon = status_icon(status)
            if icon is not None:
                combo.addItem(icon, _tr(label), status.value)
            else:
                combo.addItem(_tr(label), status.value)

        def chosen() -> None:
            self.commitData.emit(combo)
            self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

        combo.activated.connect(chosen)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class ScoreDelegate(QStyledItemDelegate):
    """A number box capped at the row's maximum self score; its lowest step, 未评分, clears the score."""

    def __init__(self, model: IndicatorsModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        spin = QDoubleSpinBox(parent)
        cap = self._model.rows[index.row()].cap
        spin.setDecimals(2)
        spin.setSingleStep(0.5)
        spin.setRange(_NO_SCORE, round(cap, 2) if cap is not None else 1000.0)
        spin.setSpecialValueText(_tr("未评分"))
        spin.setToolTip(_tr("最多 {0} 分").format(_num(cap)) if cap is not None else _tr("表格没有给出分值"))
        return spin

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QDoubleSpinBox)
        value = index.data(Qt.ItemDataRole.EditRole)
        editor.setValue(_NO_SCORE if value is None else float(value))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QDoubleSpinBox)
        editor.interpretText()
        value = editor.value()
        model.setData(index, None if value <= _NO_SCORE else value, Qt.ItemDataRole.EditRole)


class IndicatorsView(QWidget):
    """The unit's scored indicators: status, self score and note, saved as they are edited, with the total."""

    changed = Signal()
    """An indicator's status, self score or note was saved."""
    failed = Signal(str)
    """The plain sentence shown when an edit was refused."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.today = today or dt.date.today()
        self.department: str | None = None
        """The unit shown; None means the workspace's own unit."""

        self.unit_label = QLabel()
        font = QFont(self.unit_label.font())
        font.setBold(True)
        self.unit_label.setFont(font)
        hint = QLabel(self.tr("双击“状态”“自评分”“备注”修改，改完即保存。"))
        hint.setStyleSheet(f"color: {QUIET_TEXT.name()};")
        top = QHBoxLayout()
        top.addWidget(self.unit_label)
        top.addStretch(1)
        top.addWidget(hint)

        self.model = IndicatorsModel(self._commit, self)
        self.model.refused.connect(self._fail)
        self.model.saved.connect(self._saved)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(COL_STATUS, StatusDelegate(self.table))
        self.table.setItemDelegateForColumn(COL_SELF_SCORE, ScoreDelegate(self.model, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.SelectedClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_NOTE, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_CATEGORY, 90), (COL_LEVEL1, 170), (COL_LEVEL2, 220), (COL_SCORE, 150),
                           (COL_STATUS, 100), (COL_SELF_SCORE, 70)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._show_explanation)

        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.explanation.setStyleSheet(f"background: {PANEL_BACKGROUND.name()}; border: 1px solid "
                                       f"{PANEL_BORDER.name()}; border-radius: 4px; padding: 6px 8px;")
        self.explanation.setMinimumHeight(64)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.message = MessageBar()
        self.empty = QLabel(self.tr("本科室还没有考核指标。请先导入绩效考核指标细化分解表。"))
        self.empty.setWordWrap(True)
        self.empty.hide()
        self.total_label = QLabel()
        total_font = QFont(self.total_label.font())
        total_font.setBold(True)
        total_font.setPointSizeF(total_font.pointSizeF() * 1.1)
        self.total_label.setFont(total_font)
        self.total_detail = QLabel()
        self.total_detail.setStyleSheet(f"color: {QUIET_TEXT.name()};")
        footer = QHBoxLayout()
        footer.addWidget(self.total_label)
        footer.addSpacing(16)
        footer.addWidget(self.total_detail, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.explanation)
        layout.addLayout(footer)
        self.reload()

    # ----- public ----------------------------------------------------------------------------------------------
    def set_department(self, name: str | None) -> None:
        """Show another unit's indicators. None, "" and catalog.ALL_DEPARTMENTS mean the workspace's own unit
        (a self-assessment is always one unit's)."""
        self.department = None if not name or name == catalog.ALL_DEPARTMENTS else name
        self.reload()

    def reload(self) -> None:
        """Read the unit's indicators and progress again (after an import or a change made elsewhere)."""
        self.message.hide()
        try:
            unit = progress.resolve_department(self.ws, self.department)
            rows = load_indicator_rows(self.ws, unit)
        except LiaisonError as exc:
            unit, rows = self.department or "", []
            self._fail(str(exc))
        self.model.set_rows(rows)
        self.unit_label.setText(self.tr("{0} · 考核指标 {1} 项").format(unit or self.tr("（未设置科室）"), len(rows)))
        self.empty.setVisible(not rows and bool(unit))
        self.explanation.setText(self.tr("选中一行，这里显示它的指标解释。"))
        self._update_total()

    def total_text(self) -> str:
        """The footer line: the self-assessment total against the maximum."""
        return self.total_label.text()

    def set_self_score(self, row: int, score: float | None) -> bool:
        """Save a self score for one row as the editor would (False and a plain message when refused)."""
        return self.model.setData(self.model.index(row, COL_SELF_SCORE), score)

    def row_of(self, indicator_id: int) -> int:
        """The table row of an indicator, or -1."""
        return next((i for i, r in enumerate(self.model.rows) if r.indicator.id == indicator_id), -1)

    # ----- internals -------------------------------------------------------------------------------------------
    def _commit(self, row: IndicatorRow, status: Status, score: float | None, note: str) -> Progress:
        return progress.set_status(self.ws, "indicator", row.indicator.id, status, department=self.department,
                                   self_score=score, note=note, today=self.today)

    def _saved(self, _row: int) -> None:
        self.message.hide()
        self._update_total()
        self.changed.emit()

    def _update_total(self) -> None:
        total, maximum, scored, counted, na = self.model.totals()
        self.total_label.setText(self.tr("自评合计 {0} 分 / 满分 {1} 分").format(_num(total), _num(maximum)))
        detail = self.tr("已自评 {0} / {1} 项").format(scored, counted)
        if na:
            detail += self.tr("；{0} 项不涉及，未计入满分").format(na)
        self.total_detail.setText(detail)

    def _show_explanation(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or current.row() >= len(self.model.rows):
            return
        row = self.model.rows[current.row()]
        ind = row.indicator
        text = ind.explanation or self.tr("（表格中没有指标解释）")
        cap = self.tr("；本项自评最多 {0} 分").format(_num(row.cap)) if row.cap is not None else ""
        self.explanation.setText(self.tr("【{0}】{1}\n{2}\n责任科室：{3}{4}").format(
            ind.level2, score_text(row), text, "、".join(ind.departments) or "—", cap))

    def _fail(self, text: str) -> None:
        self.message.show_message(text, ERROR)
        self.failed.emit(text)
