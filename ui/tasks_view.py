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
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from liaison_app import catalog, evidence, progress
from liaison_app.catalog import Reach
from liaison_app.model import Status
from liaison_app.workspace import Workspace

from .commands import AssignTasksCommand, BatchProgressCommand, ProgressState
from .task_detail import TaskDetailPane
from .tasks_model import (
    COL_CONTENT,
    COL_COOPERATING,
    COL_DEADLINE,
    COL_EVIDENCE,
    COL_GROUP,
    COL_LEAD,
    COL_REACH,
    COL_SEQ,
    COL_SOURCE,
    COL_STATUS,
    REACH_ALL,
    REACH_BUREAU,
    REACH_COLLECTIVE,
    REACH_COUNTED,
    REACH_NAMED,
    WINDOW_ALL,
    WINDOW_MONTH,
    WINDOW_OVERDUE,
    WINDOW_QUARTER,
    WINDOW_SOON,
    TaskFilterProxy,
    TasksModel,
    load_task_records,
    reach_labels,
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
        self._undo = undo_stack
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
                                         (self.tr("即将到期"), WINDOW_SOON), (self.tr("本月到期"), WINDOW_MONTH),
                                         (self.tr("本季度到期"), WINDOW_QUARTER)],
                                        self.proxy.set_window)
        self.reach_combo = self._combo([(self.tr("点名的任务"), REACH_NAMED), (self.tr("含泛指的任务"), REACH_ALL),
                                        (self.tr("只看泛指"), REACH_COLLECTIVE), (self.tr("待分派"), REACH_BUREAU),
                                        (self.tr("计入统计的任务"), REACH_COUNTED)],
                                       self.proxy.set_reach)
        self.reach_combo.setToolTip(self.tr("点名：表中写明本单位（或分派给本单位）的任务；泛指：表中只写了“各相关科室”等，"
                                            "本单位包括在内；待分派：上级文件点名本局、尚未分派给科室的任务"))
        self.source_combo = self._combo([(self.tr("全部来源文件"), None)], self.proxy.set_source)
        self.source_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        clear = QPushButton(self.tr("清除筛选"))
        clear.clicked.connect(self.clear_filters)
        self.count_label = QLabel()

        bar = QHBoxLayout()
        bar.setContentsMargins(8, 6, 8, 6)
        bar.addWidget(self.search, 3)
        for w in (self.reach_combo, self.role_combo, self.status_combo, self.window_combo, self.source_combo, clear):
            bar.addWidget(w)
        bar.addStretch(0)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
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
        for col, width in ((COL_SOURCE, 7.5), (COL_SEQ, 3), (COL_GROUP, 6), (COL_REACH, 5.5), (COL_LEAD, 5),
                           (COL_COOPERATING, 5.5), (COL_DEADLINE, 11), (COL_STATUS, 5.5), (COL_EVIDENCE, 4)):
            header.resizeSection(col, int(width * em))
        # Columns of fixed words are as wide as their longest word in the language shown, plus an icon.
        fm = self.fontMetrics()
        widest_status = max(fm.horizontalAdvance(status_label(st)) for st in Status)
        header.resizeSection(COL_STATUS, max(int(5.5 * em), widest_status + 36))
        widest_reach = max(fm.horizontalAdvance(text) for text in reach_labels())
        header.resizeSection(COL_REACH, max(int(5.5 * em), widest_reach + 16))
        header.setSectionResizeMode(COL_CONTENT, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(int(2.5 * em))
        self.table.setSortingEnabled(True)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.table.selectionModel().selectionChanged.connect(self._update_batch)

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
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([880, 520])  # the table's 任务内容 is what people read; the pane can be widened
        self.splitter.setChildrenCollapsible(False)

        self.batch_bar = QWidget()
        batch = QHBoxLayout(self.batch_bar)
        batch.setContentsMargins(0, 0, 0, 0)
        self.batch_label = QLabel()
        self.batch_status = QPushButton(self.tr("设为…"))
        status_menu = QMenu(self.batch_status)
        for st in Status:
            status_menu.addAction(status_label(st), lambda st=st: self.set_selected_status(st))
        self.batch_status.setMenu(status_menu)
        self.batch_note = QPushButton(self.tr("写备注…"))
        self.batch_note.clicked.connect(self._ask_batch_note)
        self.batch_assign = QPushButton(self.tr("分派给…"))
        self.batch_assign.setToolTip(self.tr("把上级文件点名本局的任务分派给本局的一个科室"))
        self.batch_assign.clicked.connect(self._ask_assign)
        batch.addWidget(self.batch_label)
        for w in (self.batch_status, self.batch_note, self.batch_assign):
            batch.addWidget(w)
        self.batch_bar.hide()
        # The count on a line of its own with the batch actions: the filter bar stays one line in any language.
        second = QHBoxLayout()
        second.setContentsMargins(8, 0, 8, 6)
        second.addWidget(self.count_label)
        second.addSpacing(16)
        second.addWidget(self.batch_bar)
        second.addStretch(1)

        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(0)
        page.addLayout(bar)
        page.addLayout(second)
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
        if row is None:  # a task reached only through 各相关科室
            self.reach_combo.setCurrentIndex(self.reach_combo.findData(REACH_ALL))
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

    def show_counted(self, what: str) -> None:
        """Exactly the tasks a dashboard card counts: "total", a status value, "overdue", "due_soon" or "open"
        (not started or in progress)."""
        self.clear_filters()
        self.reach_combo.setCurrentIndex(self.reach_combo.findData(REACH_COUNTED))
        if what == "overdue":
            self.window_combo.setCurrentIndex(self.window_combo.findData(WINDOW_OVERDUE))
        elif what == "due_soon":
            self.window_combo.setCurrentIndex(self.window_combo.findData(WINDOW_SOON))
        elif what == "open":
            self.status_combo.setCurrentIndex(1)  # 未完成
        elif what in {s.value for s in Status}:
            self.status_combo.setCurrentIndex(self.status_combo.findText(status_label(Status(what))))

    def clear_filters(self) -> None:
        widgets = (self.search, self.reach_combo, self.role_combo, self.status_combo, self.window_combo,
                   self.source_combo)
        for w in widgets:
            w.blockSignals(True)
        self.search.clear()
        for combo in widgets[1:]:
            combo.setCurrentIndex(0)  # type: ignore[attr-defined]
        for w in widgets:
            w.blockSignals(False)
        self.proxy.clear_filters()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.proxy.base_count()
        text = (self.tr("显示 {0} 项，共 {1} 项").format(shown, total) if shown != total
                else self.tr("共 {0} 项").format(total))
        hidden = self.proxy.hidden_collective()
        if hidden:
            text += self.tr("（另有 {0} 项泛指）").format(hidden)
        self.count_label.setText(text)
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

    # ----- several tasks at once ---------------------------------------------------------------------------------
    def selected_task_ids(self) -> list[int]:
        """The selected tasks, in the order shown."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.proxy.record(r).task.id for r in rows]

    def select_task_ids(self, task_ids: list[int]) -> None:
        """Select these tasks (those the filters show), as a user would with Ctrl+click."""
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for task_id in task_ids:
            row = self.proxy.proxy_row_of(task_id)
            if row is not None:
                selection.select(self.proxy.index(row, COL_CONTENT), flags)

    def _update_batch(self) -> None:
        ids = self.selected_task_ids()
        writable = not self._ws.read_only and bool(self.edit_department or self._ws.department)
        bureau = [i for i in ids if (r := self._record_of(i)) is not None and r.reach in (Reach.BUREAU, Reach.ASSIGNED)]
        # Several tasks: act on all of them; one task of another bureau: it still needs a unit.
        self.batch_bar.setVisible(len(ids) > 1 or bool(bureau))
        self.batch_label.setText(self.tr("已选 {0} 项：").format(len(ids)))
        for w in (self.batch_status, self.batch_note):
            w.setEnabled(writable)
        self.batch_assign.setVisible(bool(bureau))
        self.batch_assign.setEnabled(not self._ws.read_only)

    def _record_of(self, task_id: int):  # noqa: ANN202 - TaskRecord | None
        row = self.model.row_of(task_id)
        return None if row is None else self.model.record(row)

    def _current_states(self, task_ids: list[int]) -> dict[int, ProgressState]:
        dept = self.edit_department
        return {i: ProgressState.of(progress.get_progress(self._ws, "task", i, department=dept)) for i in task_ids}

    def set_selected_status(self, status: Status) -> None:
        """Give every selected task this status, as one undoable step."""
        ids = self.selected_task_ids()
        if not ids:
            return
        before = self._current_states(ids)
        today = self._today()
        after = {i: ProgressState(status, b.note,
                                  (b.completed_on or today) if status is Status.DONE else None)
                 for i, b in before.items()}
        self._push_batch(self.tr("将 {0} 项任务标为{1}").format(len(ids), status_label(status)), before, after)

    def set_selected_note(self, note: str) -> None:
        """Write the same note on every selected task (replacing their notes), as one undoable step."""
        ids = self.selected_task_ids()
        if not ids:
            return
        before = self._current_states(ids)
        after = {i: ProgressState(b.status, note.strip(), b.completed_on) for i, b in before.items()}
        self._push_batch(self.tr("为 {0} 项任务写备注").format(len(ids)), before, after)

    def _push_batch(self, text: str, before: dict[int, ProgressState], after: dict[int, ProgressState]) -> None:
        changes = [(i, before[i], after[i]) for i in before if before[i] != after[i]]
        if not changes:
            return
        self._undo.push(BatchProgressCommand(text, self._ws, self.edit_department, changes, self._refresh_many,
                                             self))
        self.message.emit(text)

    def _refresh_many(self, task_ids: list[int]) -> None:
        for task_id in task_ids:
            self.refresh_task(task_id)

    def _ask_batch_note(self) -> None:
        ids = self.selected_task_ids()
        text, ok = QInputDialog.getMultiLineText(
            self, self.tr("写备注"), self.tr("为所选 {0} 项任务写同一条备注（替换它们原来的备注，可撤销）：").format(len(ids)))
        if ok:
            self.set_selected_note(text)

    def assign_selected(self, department: str | None) -> None:
        """Assign the selected tasks of another bureau's document to a unit of this bureau (None: take back)."""
        ids = [i for i in self.selected_task_ids() or ([self.pane.task_id] if self.pane.task_id else [])
               if (r := self._record_of(i)) is not None and r.reach in (Reach.BUREAU, Reach.ASSIGNED)]
        if not ids:
            return
        before = {i: catalog.assigned_department(self._ws, i) for i in ids}
        text = (self.tr("把 {0} 项任务分派给{1}").format(len(ids), department) if department
                else self.tr("收回 {0} 项任务的分派").format(len(ids)))
        self._undo.push(AssignTasksCommand(text, self._ws, before, department, lambda _ids: self.load(), self))
        self.message.emit(text)

    def _ask_assign(self) -> None:
        units = catalog.bureau_units(self._ws)
        own = self._ws.department
        if own and own not in units:
            units.insert(0, own)
        unit, ok = QInputDialog.getItem(self, self.tr("分派给科室"), self.tr("把所选任务分派给本局的哪个科室？"),
                                        units, 0, True)
        if ok and unit.strip():
            self.assign_selected(unit.strip())

    # ----- remembered layout ---------------------------------------------------------------------------------
    def save_state(self, settings: QSettings) -> None:
        settings.setValue("tasks/splitter", self.splitter.saveState())
        settings.setValue("tasks/columns", self.table.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings) -> None:
        for key, target in (("tasks/splitter", self.splitter), ("tasks/columns", self.table.horizontalHeader())):
            state = settings.value(key)
            if isinstance(state, QByteArray):
                target.restoreState(state)
