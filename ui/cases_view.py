"""The 月度案例 view: the twelve months of a year at a glance, the unit's reports, and an editor for one report.

Every month the liaison writes one practice or case report (每月提炼 1 条做法经验、案例). All changes go through
liaison_app.cases and liaison_app.evidence; copying files runs through ui.jobs. A finalised report is never changed
silently: the core keeps the finalised text as a revision and returns the report to draft, and this view says so
before the user edits.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, Qt, QUrl, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from liaison_app import cases, catalog, evidence, paths
from liaison_app.cases import KIND_LABELS, STATUS_LABELS, CaseRevision
from liaison_app.errors import LiaisonError
from liaison_app.jobs import ProgressFn
from liaison_app.model import CaseReport, CaseStatus, Evidence
from liaison_app.progress import resolve_department
from liaison_app.workspace import Workspace
from ui.case_grid import MONTH_STATES, MonthGrid, month_key
from ui.case_revisions import RevisionDialog, RevisionList
from ui.drops import dropped_files
from ui.icons import (
    QUIET_TEXT,
    box_style,
)
from ui.jobs import Job, run_in_view
from ui.message_bar import ERROR, INFO, MessageBar

__all__ = ["CasesView", "AttachmentList", "RevisionDialog", "MONTH_STATES", "FINAL_NOTICE", "ask"]

FINAL_NOTICE = QT_TRANSLATE_NOOP("CasesView", "该案例已定稿，修改后将退回草稿并保留原定稿版本")
"""Shown above the editor whenever the selected report is finalised (translated through the view's context)."""

_NOTICE_STYLE = box_style("warning") + " font-weight: bold;"
_QUIET_STYLE = f"color: {QUIET_TEXT.name()};"
_ID_ROLE = Qt.ItemDataRole.UserRole


def _tr(text: str) -> str:
    return QCoreApplication.translate("CasesView", text)


def ask(parent: QWidget | None, title: str, question: str) -> bool:
    """Ask a yes/no question (tests replace this function to answer without a modal box)."""
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def _size_text(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class AttachmentList(QListWidget):
    """The attachments of a report; files dropped from the file manager are handed on through ``files_dropped``."""

    files_dropped = Signal(list)
    """Local file paths (str) dropped onto the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if dropped_files(event.mimeData()):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        if dropped_files(event.mimeData()):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        files = dropped_files(event.mimeData())
        if not files:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.files_dropped.emit(files)


class CasesView(QWidget):
    """The unit's monthly practice/case reports of one year: month grid, list, editor, revisions, attachments."""

    changed = Signal()
    """A report was saved, finalised, or its attachments changed (the main window refreshes its counts)."""
    failed = Signal(str)
    """The plain sentence shown when something could not be done."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.today = today or dt.date.today()
        self.department: str | None = None
        """The unit whose reports are shown; None means the workspace's own unit."""
        self.job: Job | None = None
        """The last attach or open job (tests wait on its ``finished``)."""
        self.case: CaseReport | None = None
        """The report in the editor; None while a new one is being written."""
        self.dirty = False
        self._loading = False
        self._cases: list[CaseReport] = []
        self._selected_month: int | None = None
        self._hidden_task_ids: tuple[int, ...] = ()

        layout = QVBoxLayout(self)
        layout.addLayout(self._top_bar())
        layout.addWidget(self._month_grid())
        self.message = MessageBar()
        layout.addWidget(self.message)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._list_pane())
        splitter.addWidget(self._editor_pane())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([440, 740])
        layout.addWidget(splitter, 1)
        self.reload()
        self._start_with_a_report()

    # ----- building ----------------------------------------------------------------------------------------------
    def _top_bar(self) -> QHBoxLayout:
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(self.today.year)
        self.year.setSuffix(self.tr(" 年"))
        self.year.valueChanged.connect(self._year_changed)
        self.unit_label = QLabel()
        self.summary = QLabel()
        self.new_button = QPushButton(self.tr("新建案例"))
        self.new_button.setToolTip(self.tr("为所选月份写一篇新的做法经验或典型案例"))
        self.new_button.clicked.connect(lambda: self.new_case())
        bar = QHBoxLayout()
        self._year_label = QLabel(self.tr("年度"))
        bar.addWidget(self._year_label)
        bar.addWidget(self.year)
        bar.addSpacing(16)
        bar.addWidget(self.unit_label)
        bar.addSpacing(16)
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.new_button)
        return bar

    def _month_grid(self) -> QWidget:
        self.grid = MonthGrid()
        self.grid.month_clicked.connect(self.select_month)
        self.month_buttons = self.grid.buttons
        return self.grid

    def _list_pane(self) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        reports = QGroupBox(self.tr("本年度的案例"))
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("月份"), self.tr("类型"), self.tr("标题"), self.tr("状态")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.itemSelectionChanged.connect(self._table_selection_changed)
        self.empty_list = QLabel(self.tr("这一年还没有案例。点上方的月份或“新建案例”开始写。"))
        self.empty_list.setWordWrap(True)
        self.empty_list.setStyleSheet(_QUIET_STYLE)
        box_layout = QVBoxLayout(reports)
        box_layout.addWidget(self.table, 1)
        box_layout.addWidget(self.empty_list)

        history = QGroupBox(self.tr("历史定稿版本（所选案例）"))
        self.revisions = RevisionList()
        history_layout = QVBoxLayout(history)
        history_layout.addWidget(self.revisions)
        layout.addWidget(reports, 1)
        layout.addWidget(history)
        return pane

    def _editor_pane(self) -> QWidget:
        editor = QWidget()
        layout = QVBoxLayout(editor)
        layout.setContentsMargins(4, 0, 4, 0)
        self.final_notice = QLabel(self.tr(FINAL_NOTICE))
        self.final_notice.setWordWrap(True)
        self.final_notice.setStyleSheet(_NOTICE_STYLE)
        self.final_notice.hide()
        layout.addWidget(self.final_notice)

        self.state_label = QLabel()
        self.month_edit = QDateEdit()
        self.month_edit.setDisplayFormat("yyyy-MM")
        self.month_edit.setDateRange(QDate(2000, 1, 1), QDate(2100, 12, 31))
        self.kind = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(self.tr(label), kind)
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("一句话概括这个月的做法或案例"))
        head = QHBoxLayout()
        head.addWidget(self.month_edit)
        head.addSpacing(12)
        head.addWidget(QLabel(self.tr("类型")))
        head.addWidget(self.kind)
        head.addStretch(1)
        head.addWidget(self.state_label)
        form = QFormLayout()
        form.addRow(self.tr("月份"), head)
        form.addRow(self.tr("标题"), self.title)

        self.parts_mode = QRadioButton(self.tr("分为 背景 / 做法 / 成效"))
        self.free_mode = QRadioButton(self.tr("自由撰写"))
        self.parts_mode.setChecked(True)
        mode_group = QButtonGroup(self)
        mode_group.addButton(self.parts_mode)
        mode_group.addButton(self.free_mode)
        self.parts_mode.toggled.connect(self._mode_toggled)
        modes = QHBoxLayout()
        modes.addWidget(self.parts_mode)
        modes.addWidget(self.free_mode)
        modes.addStretch(1)
        form.addRow(self.tr("正文"), modes)
        layout.addLayout(form)

        self.background = QPlainTextEdit()
        self.background.setPlaceholderText(self.tr("为什么做：面临的问题、群众和企业的诉求"))
        self.practice = QPlainTextEdit()
        self.practice.setPlaceholderText(self.tr("怎么做的：具体举措、创新点"))
        self.effect = QPlainTextEdit()
        self.effect.setPlaceholderText(self.tr("效果如何：数据、评价、推广情况"))
        self.body = QPlainTextEdit()
        self.body.setPlaceholderText(self.tr("案例全文"))
        parts = QWidget()
        parts_layout = QFormLayout(parts)
        parts_layout.setContentsMargins(0, 0, 0, 0)
        for label, edit in ((self.tr("背景"), self.background), (self.tr("做法"), self.practice),
                            (self.tr("成效"), self.effect)):
            edit.setMinimumHeight(48)
            parts_layout.addRow(label, edit)
        self.body_stack = QStackedWidget()
        self.body_stack.addWidget(parts)
        self.body_stack.addWidget(self.body)
        layout.addWidget(self.body_stack, 1)

        links = QHBoxLayout()
        links.addWidget(self._tasks_box(), 3)
        links.addWidget(self._attachments_box(), 2)
        layout.addLayout(links)

        self.save_button = QPushButton(self.tr("保存草稿"))
        self.save_button.setToolTip(self.tr("保存（Ctrl+S）"))
        self.save_button.clicked.connect(self.save_draft)
        self.finalise_button = QPushButton(self.tr("定稿"))
        self.finalise_button.setToolTip(self.tr("保存并标记为已定稿"))
        self.finalise_button.clicked.connect(self.finalise)
        self.finalise_date = QDateEdit(QDate(self.today.year, self.today.month, self.today.day))
        self.finalise_date.setDisplayFormat("yyyy-MM-dd")
        self.finalise_date.setCalendarPopup(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addSpacing(12)
        buttons.addWidget(QLabel(self.tr("定稿日期")))
        buttons.addWidget(self.finalise_date)
        buttons.addWidget(self.finalise_button)
        buttons.addStretch(1)
        self.export_button = QPushButton(self.tr("导出 Word…"))
        self.export_button.setToolTip(self.tr("把本篇案例导出为 Word 文档（标题、单位、月份、背景、做法、成效），可另行修改后报送"))
        self.export_button.clicked.connect(lambda: self.export_docx())
        buttons.addWidget(self.export_button)
        layout.addLayout(buttons)

        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), editor)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save_draft)
        for edit in (self.background, self.practice, self.effect, self.body):
            edit.textChanged.connect(self._edited)
        self.title.textChanged.connect(self._edited)
        self.kind.currentIndexChanged.connect(self._edited)
        self.month_edit.dateChanged.connect(self._edited)

        editor.setMinimumWidth(520)
        self.editor = editor
        return editor

    def _tasks_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("关联任务"))
        self.task_filter = QLineEdit()
        self.task_filter.setPlaceholderText(self.tr("搜索任务（序号或内容）"))
        self.task_filter.setClearButtonEnabled(True)
        self.task_filter.textChanged.connect(self._filter_tasks)
        self.tasks = QListWidget()
        self.tasks.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Long task texts are elided to the list's width (full text in the tooltip), not scrolled sideways.
        self.tasks.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tasks.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.tasks.setMinimumHeight(110)
        self.tasks.itemChanged.connect(self._task_checked)
        self.tasks_count = QLabel()
        layout = QVBoxLayout(box)
        layout.addWidget(self.task_filter)
        layout.addWidget(self.tasks, 1)
        layout.addWidget(self.tasks_count)
        return box

    def _attachments_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("附件（佐证材料）"))
        self.attachments = AttachmentList()
        self.attachments.setMinimumHeight(110)
        self.attachments.setToolTip(self.tr("可以把文件拖到这里添加；双击打开"))
        self.attachments.files_dropped.connect(self.attach_files)
        self.attachments.itemDoubleClicked.connect(lambda _item: self.open_attachment())
        self.attachments.itemSelectionChanged.connect(self._update_buttons)
        self.attach_button = QPushButton(self.tr("添加文件…"))
        self.attach_button.clicked.connect(self._choose_files)
        self.open_button = QPushButton(self.tr("打开"))
        self.open_button.clicked.connect(self.open_attachment)
        self.remove_button = QPushButton(self.tr("移除"))
        self.remove_button.clicked.connect(self.remove_attachments)
        self.attachments_hint = QLabel(self.tr("拖入文件即可添加；新案例会先保存为草稿。"))
        self.attachments_hint.setWordWrap(True)
        self.attachments_hint.setStyleSheet(_QUIET_STYLE)
        row = QHBoxLayout()
        row.addWidget(self.attach_button)
        row.addWidget(self.open_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(self.attachments, 1)
        layout.addWidget(self.attachments_hint)
        layout.addLayout(row)
        return box

    # ----- public ----------------------------------------------------------------------------------------------
    def set_department(self, name: str | None) -> bool:
        """Show another unit's reports. None, "" and catalog.ALL_DEPARTMENTS mean the workspace's own unit (a
        report always belongs to one unit). Unsaved edits are not dropped without asking: False when the user
        chose to keep them (the view then stays on its unit)."""
        unit = None if not name or name == catalog.ALL_DEPARTMENTS else name
        if unit == self.department:
            return True
        if not self._may_leave():
            return False
        self.department = unit
        self.case = None
        self.dirty = False
        self.reload()
        self._start_with_a_report()
        return True

    def follow_window_year(self) -> None:
        """Inside the main window the year selector on top chooses the year: no second one here."""
        self._year_label.hide()
        self.year.hide()

    def set_year(self, year: int | None) -> None:
        """Show another year (None: leave it as it is), as the year selector on top does."""
        if year is not None and year != self.year.value():
            self.year.setValue(year)

    def reload(self) -> None:
        """Read the year's reports and the unit's tasks again (after a change made elsewhere)."""
        self._clear_message()
        try:
            unit = resolve_department(self.ws, self.department)
            self._cases = cases.list_cases(self.ws, department=unit, year=self.year.value())
            grid = cases.year_grid(self.ws, year=self.year.value(), department=unit)
            task_rows = catalog.list_tasks(self.ws, department=unit)
        except LiaisonError as exc:
            self._cases, grid, task_rows = [], {}, []
            unit = self.department or ""
            self._fail(str(exc))
        self.unit_label.setText(self.tr("科室：{0}").format(unit or self.tr("（未设置）")))
        self._paint_grid(grid)
        self._fill_table()
        self._fill_task_list(task_rows)
        if self.case is not None:
            self._check_tasks(self.case.task_ids)
        self._update_buttons()

    def month_state(self, month: int) -> str:
        """What a month cell shows: 'final', 'draft', 'missing', 'due' or 'future' (see MONTH_STATES)."""
        return self.grid.state(month)

    def select_month(self, month: int) -> None:
        """Select a month in the grid: open its report, or start a new one for it."""
        if not self._may_leave():
            self._check_month_button(self._selected_month)
            return
        self._selected_month = month
        self._check_month_button(month)
        key = month_key(self.year.value(), month)
        found = [c for c in self._cases if c.month == key]
        if found:
            self._select_case_row(found[0].id)
            self._load(found[0])
            if len(found) > 1:
                self._info(self.tr("{0} 月有 {1} 篇案例，已打开第一篇；其余的在左侧列表中。").format(month, len(found)))
        else:
            self._new_form(key)
            self._info(self.tr("{0} 月还没有案例。已打开一份新的草稿，填好标题和正文后点“保存草稿”。").format(month))
            self.title.setFocus()

    def new_case(self, month: str | None = None) -> None:
        """Start writing a new report (month "YYYY-MM"; default: the month selected in the grid)."""
        if not self._may_leave():
            return
        if month is None:
            if self._selected_month is not None:
                month = month_key(self.year.value(), self._selected_month)
            elif self.year.value() == self.today.year:
                month = month_key(self.today.year, self.today.month)
            else:
                month = month_key(self.year.value(), 1)
        self._new_form(month)
        self.title.setFocus()

    def open_case(self, case_id: int) -> None:
        """Show one report in the editor (switching to its year)."""
        try:
            case = cases.get_case(self.ws, case_id)
        except LiaisonError as exc:
            self._fail(str(exc))
            return
        if not self._may_leave():
            return
        year = int(case.month[:4])
        if year != self.year.value():
            self.year.blockSignals(True)
            self.year.setValue(year)
            self.year.blockSignals(False)
            self.reload()
        self._select_case_row(case.id)
        self._load(case)

    def save_draft(self) -> CaseReport | None:
        """Save the editor's report (a new draft, or changes to the selected one). None when refused."""
        was_final = self.case is not None and self.case.status is CaseStatus.FINAL
        fields = self._fields()
        try:
            if self.case is None:
                saved = cases.add_case(self.ws, department=self.department, **fields)
            else:
                saved = cases.update_case(self.ws, self.case.id, **fields)
        except LiaisonError as exc:
            self._fail(str(exc))
            return None
        unchanged = self.case is not None and saved == self.case
        self.case = saved
        self.dirty = False
        self._after_change(saved)
        if unchanged:
            self._info(self.tr("没有改动，无需保存。"))
        elif was_final and saved.status is CaseStatus.DRAFT:
            self._info(self.tr("已保存。原定稿版本已保留为第 {0} 版，本案例已退回草稿，请修改完成后重新定稿。")
                       .format(saved.revision - 1))
        else:
            self._info(self.tr("已保存草稿：{0}").format(saved.title))
        if not unchanged:
            self.changed.emit()
        return saved

    def finalise(self) -> CaseReport | None:
        """Save what is in the editor and mark the report 已定稿 on the chosen date. None when refused."""
        on = self.finalise_date.date().toPython()  # read first: saving reloads the editor
        reopened = ""
        if self.case is None or self.dirty:
            was_final = self.case is not None and self.case.status is CaseStatus.FINAL
            saved = self.save_draft()
            if saved is None:
                return None
            if was_final and saved.status is CaseStatus.DRAFT:
                reopened = self.tr("原定稿版本已保留为第 {0} 版。").format(saved.revision - 1)
        assert self.case is not None
        if self.case.status is CaseStatus.FINAL and self.case.finalised_on == on:
            self._info(self.tr("该案例已于 {0} 定稿，没有改动。").format(on.isoformat()))
            return self.case
        try:
            final = cases.finalise_case(self.ws, self.case.id, on=on)
        except LiaisonError as exc:
            self._fail(str(exc))
            return None
        self.case = final
        self._after_change(final)
        self._info(self.tr("已定稿（{0}）：{1}").format(on.isoformat(), final.title) + reopened)
        self.changed.emit()
        return final

    def export_docx(self, path: str | os.PathLike[str] | None = None) -> Path | None:
        """Write the report as a Word document laid out as offices write them (unsaved edits are saved as a draft
        first); without ``path`` the user chooses where. None when nothing was written."""
        if self.case is None or self.dirty:
            if self.save_draft() is None:
                return None
        assert self.case is not None
        if path is None:
            suggested = Path.home() / f"{self.case.month}-{self.case.title}.docx"
            chosen, _ = QFileDialog.getSaveFileName(self, self.tr("导出 Word"), str(suggested),
                                                    self.tr("Word 文档 (*.docx)"))
            if not chosen:
                return None
            path = chosen
        from liaison_app.packets.word import write_case_docx

        try:  # the save dialog has asked before replacing a file
            written = write_case_docx(self.ws, self.case.id, path, overwrite=True)
        except LiaisonError as exc:
            self._fail(str(exc))
            return None
        self._info(self.tr("已导出：{0}").format(written))
        return written

    def attach_files(self, paths: Sequence[str | os.PathLike[str]]) -> Job | None:
        """Copy files into the evidence vault and link them to the report (a background job).

        A report not yet saved is saved as a draft first, since evidence links to a saved report.
        """
        files = [str(p) for p in paths]
        if not files:
            return None
        if self.case is None:
            if self.save_draft() is None:
                return None
        assert self.case is not None
        case_id = self.case.id

        def work(progress: ProgressFn) -> list[Evidence]:
            return evidence.attach_many(self.ws, files, links=[("case", case_id)], progress=progress)

        def done(added: list[Evidence]) -> None:
            self._fill_attachments()
            names = "、".join(e.original_name for e in added)
            self._info(self.tr("已添加附件：{0}").format(names))
            self.changed.emit()

        return self._run(self.tr("正在添加附件"), work, done)

    def open_attachment(self) -> Job | None:
        """Open the selected attachment with the system's viewer (a read-only copy; the vault is never opened)."""
        items = self.attachments.selectedItems()
        if not items or self.case is None:
            return None
        evidence_id = int(items[0].data(_ID_ROLE))
        folder = paths.viewing_dir()

        def work(progress: ProgressFn) -> Path:
            return evidence.copy_out(self.ws, evidence_id, folder, progress=progress)

        def opened(path: Path) -> None:
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                self._fail(self.tr("没有找到能打开“{0}”的程序。文件副本在 {1}").format(path.name, path))

        return self._run(self.tr("正在打开附件"), work, opened)

    def remove_attachments(self) -> bool:
        """Remove the selected attachments from the report, after asking. The files stay in the vault."""
        items = self.attachments.selectedItems()
        if not items or self.case is None:
            return False
        names = "、".join(item.data(Qt.ItemDataRole.UserRole + 1) for item in items)
        if not ask(self, self.tr("移除附件"),
                   self.tr("从这篇案例中移除附件“{0}”吗？\n文件仍保留在证据库中。").format(names)):
            return False
        try:
            for item in items:
                evidence.unlink(self.ws, int(item.data(_ID_ROLE)), "case", self.case.id)
        except LiaisonError as exc:
            self._fail(str(exc))
            self._fill_attachments()
            return False
        self._fill_attachments()
        self._info(self.tr("已移除附件：{0}").format(names))
        self.changed.emit()
        return True

    def revisions_shown(self) -> list[CaseRevision]:
        """The revisions listed for the selected report, in the order shown."""
        return self.revisions.shown()

    # ----- month grid and list ----------------------------------------------------------------------------------
    def _paint_grid(self, grid: dict[str, str]) -> None:
        counts = self.grid.paint(self.year.value(), grid, self.today)
        self.summary.setText(self.tr("已定稿 {0} 个月 · 草稿 {1} 个月 · 缺 {2} 个月").format(
            counts["final"], counts["draft"], counts["missing"]))

    def _check_month_button(self, month: int | None) -> None:
        self.grid.check(month)

    def _fill_table(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._cases))
        for row, case in enumerate(self._cases):
            symbol = "✓" if case.status is CaseStatus.FINAL else "✎"
            status = f"{symbol} {self.tr(STATUS_LABELS[case.status])}"
            cells = [self.tr("{0} 月").format(int(case.month[5:])), self.tr(KIND_LABELS[case.kind]), case.title,
                     status]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(_ID_ROLE, case.id)
                if col == 2:
                    item.setToolTip(case.title)
                if col == 3:
                    state = "final" if case.status is CaseStatus.FINAL else "draft"
                    item.setForeground(QBrush(QColor(MONTH_STATES[state][2])))
                self.table.setItem(row, col, item)
        self.table.clearSelection()
        self.table.blockSignals(False)
        self.empty_list.setVisible(not self._cases)
        if self.case is not None:
            self._select_case_row(self.case.id)

    def _select_case_row(self, case_id: int) -> None:
        self.table.blockSignals(True)
        self.table.clearSelection()
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(_ID_ROLE) == case_id:
                self.table.selectRow(row)
                break
        self.table.blockSignals(False)

    def _table_selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        case_id = int(self.table.item(rows[0].row(), 0).data(_ID_ROLE))
        if self.case is not None and self.case.id == case_id:
            return
        if not self._may_leave():
            if self.case is not None:
                self._select_case_row(self.case.id)
            else:
                self.table.blockSignals(True)
                self.table.clearSelection()
                self.table.blockSignals(False)
            return
        case = next((c for c in self._cases if c.id == case_id), None)
        if case is not None:
            self._load(case)
            month = int(case.month[5:])
            self._selected_month = month
            self._check_month_button(month)

    def _year_changed(self) -> None:
        self._selected_month = None
        self._check_month_button(None)
        self.reload()
        if not self.dirty:  # unsaved text stays in the editor whatever year is browsed
            self.case = None
            self._start_with_a_report()

    def _start_with_a_report(self) -> None:
        """Open the newest report of the year up to this month, else a blank one for this month."""
        if self.case is not None:
            return
        this_month = month_key(self.today.year, self.today.month)
        earlier = [c for c in self._cases if c.month <= this_month]
        if earlier:
            case = earlier[-1]
            self._select_case_row(case.id)
            self._load(case)
            self._selected_month = int(case.month[5:])
            self._check_month_button(self._selected_month)
        else:
            self._new_form(None)

    # ----- editor ----------------------------------------------------------------------------------------------
    def _new_form(self, month: str | None) -> None:
        self._clear_message()
        if month is None:
            year = self.year.value()
            month = month_key(year, self.today.month if year == self.today.year else 1)
        self.case = None
        self._loading = True
        try:
            self.table.clearSelection()
            self.month_edit.setDate(QDate(int(month[:4]), int(month[5:]), 1))
            self.kind.setCurrentIndex(0)
            self.title.clear()
            for edit in (self.background, self.practice, self.effect, self.body):
                edit.clear()
            self.parts_mode.setChecked(True)
            self._hidden_task_ids = ()
            self._check_tasks(())
            self.finalise_date.setDate(QDate(self.today.year, self.today.month, self.today.day))
        finally:
            self._loading = False
        self.dirty = False
        self.final_notice.hide()
        self.state_label.setText(self.tr("新案例（尚未保存）"))
        self.state_label.setStyleSheet(_QUIET_STYLE)
        self._fill_attachments()
        self._fill_revisions()
        self._update_buttons()

    def _load(self, case: CaseReport) -> None:
        self._clear_message()
        self.case = case
        self._loading = True
        try:
            self.month_edit.setDate(QDate(int(case.month[:4]), int(case.month[5:]), 1))
            self.kind.setCurrentIndex(max(0, self.kind.findData(case.kind)))
            self.title.setText(case.title)
            self.background.setPlainText(case.background)
            self.practice.setPlainText(case.practice)
            self.effect.setPlainText(case.effect)
            self.body.setPlainText(case.body)
            free = bool(case.body) and not (case.background or case.practice or case.effect)
            (self.free_mode if free else self.parts_mode).setChecked(True)
            self.body_stack.setCurrentIndex(1 if free else 0)
            self._check_tasks(case.task_ids)
            when = case.finalised_on or self.today
            self.finalise_date.setDate(QDate(when.year, when.month, when.day))
        finally:
            self._loading = False
        self.dirty = False
        self._show_state()
        self._fill_attachments()
        self._fill_revisions()
        self._update_buttons()

    def _show_state(self) -> None:
        case = self.case
        if case is None:
            return
        final = case.status is CaseStatus.FINAL
        self.final_notice.setVisible(final)
        if final:
            when = case.finalised_on.isoformat() if case.finalised_on else ""
            text = self.tr("✓ 已定稿 {0} · 第 {1} 版").format(when, case.revision)
            self.state_label.setStyleSheet(f"color: {MONTH_STATES['final'][2]};")
        else:
            text = self.tr("✎ 草稿 · 第 {0} 版").format(case.revision)
            self.state_label.setStyleSheet(f"color: {MONTH_STATES['draft'][2]};")
        self.state_label.setText(text)

    def _edited(self, *_args: Any) -> None:
        if self._loading:
            return
        if not self.dirty:
            self.dirty = True
            self._update_buttons()

    def _mode_toggled(self, parts: bool) -> None:
        """Switching keeps every word: the three parts become headed paragraphs of the free text, and free text
        goes into 做法 (the user then moves sentences where they belong)."""
        self.body_stack.setCurrentIndex(0 if parts else 1)
        if self._loading:
            return
        if parts:
            if self.body.toPlainText().strip():
                joined = "\n\n".join(t for t in (self.practice.toPlainText().strip(),
                                                 self.body.toPlainText().strip()) if t)
                self.practice.setPlainText(joined)
                self.body.clear()
        else:
            pieces = [(self.tr("背景"), self.background), (self.tr("做法"), self.practice),
                      (self.tr("成效"), self.effect)]
            texts = [f"{label}：\n{edit.toPlainText().strip()}" for label, edit in pieces
                     if edit.toPlainText().strip()]
            if texts:
                existing = self.body.toPlainText().strip()
                self.body.setPlainText("\n\n".join(([existing] if existing else []) + texts))
                for _label, edit in pieces:
                    edit.clear()

    def _fields(self) -> dict[str, Any]:
        date = self.month_edit.date()
        free = self.free_mode.isChecked()
        checked = [int(self.tasks.item(i).data(_ID_ROLE)) for i in range(self.tasks.count())
                   if self.tasks.item(i).checkState() == Qt.CheckState.Checked]
        return {
            "month": month_key(date.year(), date.month()),
            "kind": self.kind.currentData(),
            "title": self.title.text(),
            "background": "" if free else self.background.toPlainText(),
            "practice": "" if free else self.practice.toPlainText(),
            "effect": "" if free else self.effect.toPlainText(),
            "body": self.body.toPlainText() if free else "",
            # Links to tasks no longer listed (archived by a re-import) are kept, not silently dropped.
            "task_ids": sorted(set(checked) | set(self._hidden_task_ids)),
        }

    def _after_change(self, case: CaseReport) -> None:
        self._selected_month = int(case.month[5:])
        year = int(case.month[:4])
        if year != self.year.value():
            self.year.blockSignals(True)
            self.year.setValue(year)
            self.year.blockSignals(False)
        self.reload()
        self._check_month_button(self._selected_month)
        self._load(case)

    def _update_buttons(self) -> None:
        final = self.case is not None and self.case.status is CaseStatus.FINAL
        if final and self.dirty:
            self.save_button.setText(self.tr("保存修改（退回草稿）"))
        else:
            self.save_button.setText(self.tr("保存草稿"))
        self.finalise_button.setText(self.tr("重新定稿") if final and not self.dirty else self.tr("定稿"))
        selected = bool(self.attachments.selectedItems())
        self.open_button.setEnabled(selected)
        self.remove_button.setEnabled(selected)

    def _may_leave(self) -> bool:
        """True when the editor holds nothing unsaved, or the user agrees to drop the changes."""
        if not self.dirty:
            return True
        if ask(self, self.tr("未保存的修改"), self.tr("当前案例有未保存的修改，放弃这些修改吗？")):
            self.dirty = False
            return True
        return False

    # ----- linked tasks ----------------------------------------------------------------------------------------
    def _fill_task_list(self, rows: list[catalog.TaskRow]) -> None:
        self.tasks.blockSignals(True)
        self.tasks.clear()
        for row in rows:
            task = row.task
            text = f"{task.seq}. {' '.join(task.content.split())}" if task.seq else " ".join(task.content.split())
            item = QListWidgetItem(text)
            item.setData(_ID_ROLE, task.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setToolTip(f"{task.group}\n{task.content}" if task.group else task.content)
            self.tasks.addItem(item)
        self.tasks.blockSignals(False)
        if not rows:
            self.tasks_count.setText(self.tr("本科室还没有任务。导入任务分工表后可在这里关联。"))
        self._filter_tasks(self.task_filter.text())

    def _check_tasks(self, task_ids: Sequence[int]) -> None:
        wanted = set(task_ids)
        listed: set[int] = set()
        self.tasks.blockSignals(True)
        for i in range(self.tasks.count()):
            item = self.tasks.item(i)
            tid = int(item.data(_ID_ROLE))
            listed.add(tid)
            item.setCheckState(Qt.CheckState.Checked if tid in wanted else Qt.CheckState.Unchecked)
        self.tasks.blockSignals(False)
        self._hidden_task_ids = tuple(sorted(wanted - listed))
        self._count_tasks()

    def _task_checked(self, _item: QListWidgetItem) -> None:
        self._count_tasks()
        self._edited()

    def _count_tasks(self) -> None:
        if not self.tasks.count():
            return
        n = sum(1 for i in range(self.tasks.count())
                if self.tasks.item(i).checkState() == Qt.CheckState.Checked) + len(self._hidden_task_ids)
        self.tasks_count.setText(self.tr("已关联 {0} 项任务（共 {1} 项可选）").format(n, self.tasks.count()))

    def _filter_tasks(self, text: str) -> None:
        needle = "".join(text.split()).lower()
        for i in range(self.tasks.count()):
            item = self.tasks.item(i)
            haystack = "".join((item.text() + item.toolTip()).split()).lower()
            item.setHidden(bool(needle) and needle not in haystack)

    # ----- attachments and revisions ---------------------------------------------------------------------------
    def _fill_attachments(self) -> None:
        self.attachments.clear()
        if self.case is None:
            return
        try:
            items = evidence.list_evidence(self.ws, target_kind="case", target_id=self.case.id)
        except LiaisonError as exc:
            self._fail(str(exc))
            return
        for ev in items:
            date = ev.evidence_date.isoformat() if ev.evidence_date else ""
            item = QListWidgetItem(f"{ev.original_name}（{_size_text(ev.size)}，{date}）")
            item.setData(_ID_ROLE, ev.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, ev.original_name)
            item.setToolTip(self.tr("{0}\nSHA-256：{1}").format(ev.original_name, ev.sha256))
            self.attachments.addItem(item)
        self._update_buttons()

    def attachment_names(self) -> list[str]:
        """The original file names listed as the report's attachments."""
        return [self.attachments.item(i).data(Qt.ItemDataRole.UserRole + 1) for i in range(self.attachments.count())]

    def _fill_revisions(self) -> None:
        revisions: list[CaseRevision] = []
        if self.case is not None:
            try:
                revisions = cases.case_revisions(self.ws, self.case.id)
            except LiaisonError as exc:
                self._fail(str(exc))
        self.revisions.show_revisions(revisions)

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("选择要添加的附件"), "",
                                                self.tr("所有文件 (*)"))
        if files:
            self.attach_files(files)

    def _run(self, title: str, work: Any, on_success: Any) -> Job:
        self.job = run_in_view(self, title, work, on_success=on_success, report=self._report,
                               lock=(self.editor, self.table), after=self._update_buttons)
        return self.job

    # ----- messages --------------------------------------------------------------------------------------------
    def _clear_message(self) -> None:
        self.message.clear()

    def _info(self, text: str) -> None:
        self.message.show_message(text, INFO)

    def _fail(self, text: str) -> None:
        self.message.show_message(text, ERROR)
        self.failed.emit(text)

    def _report(self, text: str, kind: str) -> None:
        """Where run_in_view sends a failure: a cancel is said quietly, anything else as a failure."""
        if kind == ERROR:
            self._fail(text)
        else:
            self._info(text)


