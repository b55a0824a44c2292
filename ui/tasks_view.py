"""任务清单: the filter bar, the task table and the detail pane of the selected task."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, QSettings, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from liaison_app import catalog, evidence, progress
from liaison_app.model import Status
from liaison_app.workspace import Workspace

from .task_detail import TaskDetailPane
from .tasks_model import (
    COL_CONTENT,
    COL_COOPERATING,
    COL_DEADLINE,
    COL_EVIDENCE,
    COL_GROUP,
    COL_LEAD,
    COL_SEQ,
    COL_STATUS,
    WINDOW_ALL,
    WINDOW_MONTH,
    WINDOW_OVERDUE,
    WINDOW_QUARTER,
    TaskFilterProxy,
    TasksModel,
    load_task_records,
    status_label,
)

__all__ = ["TasksView"]


class TasksView(QWidget):
    """The unit's tasks: filter, pick one, tick it off, keep its evidence."""

    changed = Signal()
    """Rows were reloaded or a task's status or evidence changed."""
    message = Signal(str)

    def __init__(self, ws: Workspace, undo_stack: QUndoStack, *, today: Callable[[], dt.date],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._today = today
        self.department: str = catalog.ALL_DEPARTMENTS
        self.model = TasksModel(today(), self)
        self.proxy = TaskFilterProxy(self.model, self)
        self.pane = TaskDetailPane(ws, undo_stack, today=today)
        self.pane.task_changed.connect(self.refresh_task)
        self.pane.message.connect(self.message)
        self._build()

    # ----- layout ------------------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索任务内容、单位、时限、文号…（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_search)
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.role_combo = self._combo([(self.tr("全部角色"), "any"), (self.tr("牵头"), "lead"),
                                       (self.tr("配合"), "cooperating")], self.proxy.set_role)
        self.status_combo = self._combo(
            [(self.tr("全部状态"), None), (self.tr("未完成"), (Status.TODO, Status.DOING))]
            + [(status_label(s), (s,)) for s in Status], self.proxy.set_statuses)
        self.window_combo = self._combo([(self.tr("全部时限"), WINDOW_ALL), (self.tr("已逾期"), WINDOW_OVERDUE),
                                         (self.tr("本月到期"), WINDOW_MONTH), (self.tr("本季度到期"), WINDOW_QUARTER)],
                                        self.proxy.set_window)
        self.source_combo = self._combo([(self.tr("全部来源文件"), None)], self.proxy.set_source)
        self.source_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        clear = QPushButton(self.tr("清除筛选"))
        clear.clicked.connect(self.clear_filters)
        self.count_label = QLabel()

        bar = QHBoxLayout()
        bar.setContentsMargins(8, 6, 8, 6)
        bar.addWidget(self.search, 3)
        for w in (self.role_combo, self.status_combo, self.window_combo, self.source_combo, clear):
            bar.addWidget(w)
        bar.addStretch(0)
        bar.addWidget(self.count_label)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        em = self.fontMetrics().horizontalAdvance("任")
        for col, width in ((COL_SEQ, 3), (COL_GROUP, 8), (COL_LEAD, 5), (COL_COOPERATING, 6),
                           (COL_DEADLINE, 12.5), (COL_STATUS, 5.5), (COL_EVIDENCE, 4)):
            header.resizeSection(col, int(width * em))
        header.setSectionResizeMode(COL_CONTENT, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(int(2.5 * em))
        self.table.setSortingEnabled(True)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)

        self._empty_label = QLabel()
        self._empty_label.setWordWrap(True)
        self._empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty_clear = QPushButton(self.tr("清除筛选"))
        self._empty_clear.clicked.connect(self.clear_filters)
        empty = QWidget()
        empty_col = QVBoxLayout(empty)
        empty_col.addStretch(1)
        empty_col.addWidget(self._empty_label)
        empty_col.addWidget(self._empty_clear, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_col.addStretch(2)
        self._table_stack = QStackedWidget()
        self._table_stack.addWidget(self.table)
        self._table_stack.addWidget(empty)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self._table_stack)
        self.splitter.addWidget(self.pane)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(0)
        page.addLayout(bar)
        page.addWidget(self.splitter, 1)

        for signal in (self.proxy.modelReset, self.proxy.layoutChanged, self.proxy.filter_changed):
            signal.connect(self._update_count)
        self._update_count()

    def _combo(self, items: list[tuple[str, object]], apply: Callable[..., None]) -> QComboBox:
        combo = QComboBox()
        for text, value in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(lambda _i: apply(combo.currentData()))
        return combo

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # ----- loading -------------------------------------------------------------------------------------------------
    @property
    def edit_department(self) -> str | None:
        """The unit whose progress the pane shows and changes (None: the workspace's own unit)."""
        return None if self.department == catalog.ALL_DEPARTMENTS else self.department

    def load(self, department: str | None = None) -> None:
        """(Re)load the rows of ``department`` (default: the current one) from the workspace, keeping the selected
        task selected."""
        if department is not None:
            self.department = department
        keep = self.pane.task_id
        self.model.set_today(self._today())
        records = load_task_records(self._ws, self.department)
        self.model.set_rows(records, department=self.department)
        self._fill_sources({r.task.source_id for r in records})
        row = self.proxy.proxy_row_of(keep) if keep is not None else None
        if row is not None:
            self.select_proxy_row(row)
        else:
            self.pane.show_task(None, self.edit_department)
        self.changed.emit()

    def _fill_sources(self, used: set[int | None]) -> None:
        current = self.source_combo.currentData()
        self.source_combo.blockSignals(True)
        self.source_combo.clear()
        self.source_combo.addItem(self.tr("全部来源文件"), None)
        for s in catalog.list_sources(self._ws):
            if s.id in used:
                self.source_combo.addItem(s.doc_number or s.title or s.file_name, s.id)
                self.source_combo.setItemData(self.source_combo.count() - 1, s.title or s.file_name,
                                              Qt.ItemDataRole.ToolTipRole)
        self.source_combo.setCurrentIndex(max(0, self.source_combo.findData(current)))
        self.source_combo.blockSignals(False)
        if self.source_combo.currentData() != current:
            self.proxy.set_source(None)

    def set_year(self, year: int | None) -> None:
        self.proxy.set_year(year)

    def refresh_task(self, task_id: int) -> None:
        """Show a task's current status and evidence count after a change (or its undo)."""
        row = self.model.row_of(task_id)
        if row is not None:
            record = self.model.record(row)
            status = record.status
            if self.edit_department or self._ws.department:
                p = progress.get_progress(self._ws, "task", task_id, department=self.edit_department)
                status = p.status if p else Status.TODO
            count = len(evidence.list_evidence(self._ws, target_kind="task", target_id=task_id))
            self.model.update_task(task_id, status=status, evidence_count=count)
            self.pane.update_record(self.model.record(row))
        if self.pane.task_id == task_id:
            self.pane.reload()
        self._update_count()  # the change may have moved the task out of (or into) the filter
        self.changed.emit()

    # ----- selection ---------------------------------------------------------------------------------------------
    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        # A row filtered away leaves the pane on its task, so the user still sees what they just changed.
        if current.isValid():
            self.pane.show_task(self.proxy.record(current.row()), self.edit_department)

    def select_proxy_row(self, row: int) -> None:
        index = self.proxy.index(row, COL_CONTENT)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def reveal_task(self, task_id: int) -> bool:
        """Select a task, clearing the filters when they hide it. False when the unit has no such task."""
        if self.model.row_of(task_id) is None:
            return False
        row = self.proxy.proxy_row_of(task_id)
        if row is None:
            self.clear_filters()
            row = self.proxy.proxy_row_of(task_id)
        if row is None:
            return False
        self.select_proxy_row(row)
        self.table.scrollTo(self.proxy.index(row, COL_CONTENT), QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def show_overdue(self) -> None:
        """Only the overdue tasks, every other filter cleared."""
        self.clear_filters()
        self.window_combo.setCurrentIndex(self.window_combo.findData(WINDOW_OVERDUE))

    def clear_filters(self) -> None:
        for w in (self.search, self.role_combo, self.status_combo, self.window_combo, self.source_combo):
            w.blockSignals(True)
        self.search.clear()
        for combo in (self.role_combo, self.status_combo, self.window_combo, self.source_combo):
            combo.setCurrentIndex(0)
        for w in (self.search, self.role_combo, self.status_combo, self.window_combo, self.source_combo):
            w.blockSignals(False)
        self.proxy.clear_filters()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(self.tr("显示 {0} 项，共 {1} 项").format(shown, total) if shown != total
                                 else self.tr("共 {0} 项").format(total))
        if shown:
            self._table_stack.setCurrentIndex(0)
            return
        if total:
            self._empty_label.setText(self.tr("没有符合筛选条件的任务。"))
        elif self.department == catalog.ALL_DEPARTMENTS:
            self._empty_label.setText(self.tr("还没有任务。请用“文件 → 导入表格…”（Ctrl+I）导入任务分工表。"))
        else:
            self._empty_label.setText(self.tr("任务清单中没有{0}牵头或配合的任务。").format(self.department))
        self._empty_clear.setVisible(bool(total))
        self._table_stack.setCurrentIndex(1)

    # ----- remembered layout ---------------------------------------------------------------------------------
    def save_state(self, settings: QSettings) -> None:
        settings.setValue("tasks/splitter", self.splitter.saveState())
        settings.setValue("tasks/header", self.table.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings) -> None:
        for key, target in (("tasks/splitter", self.splitter), ("tasks/header", self.table.horizontalHeader())):
            state = settings.value(key)
            if isinstance(state, QByteArray):
                target.restoreState(state)
