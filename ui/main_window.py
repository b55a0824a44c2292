"""The main window: navigation on the left, unit and year on top, the views in the middle, the workspace and the
unit's counts in the status bar, one undo stack for every change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from importlib import import_module
from typing import Final

from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, QEvent, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from liaison_app import catalog, progress
from liaison_app.model import Status
from liaison_app.workspace import Workspace

from .dashboard import DashboardView
from .message_bar import INFO, MessageBar
from .settings import app_settings
from .tasks_view import TasksView

__all__ = ["MainWindow", "available_views"]

_OTHER_VIEWS: Final = (
    ("indicators", QT_TRANSLATE_NOOP("MainWindow", "考核指标"), "ui.indicators_view", "IndicatorsView"),
    ("cases", QT_TRANSLATE_NOOP("MainWindow", "每月案例"), "ui.cases_view", "CasesView"),
    ("evidence", QT_TRANSLATE_NOOP("MainWindow", "证据库"), "ui.evidence_view", "EvidenceView"),
    ("packets", QT_TRANSLATE_NOOP("MainWindow", "材料包"), "ui.packets_view", "PacketsView"),
    ("rollup", QT_TRANSLATE_NOOP("MainWindow", "材料汇总"), "ui.rollup_view", "RollupView"),
    ("settings", QT_TRANSLATE_NOOP("MainWindow", "设置"), "ui.settings_view", "SettingsView"),
)
"""Views after 工作台 and 任务清单, built on first use (their modules load only then, which keeps start-up short).
Each is a QWidget taking ``(ws, *, today=...)``; a ``changed`` signal, if it has one, refreshes the dashboard;
``set_department(name)`` and ``set_year(year)``, if it has them, follow the selectors on top; ``task_requested(id)``,
if it has it, shows that task in the task list; ``identity_changed``, if it has it, reloads the units and the
title; ``reopen_requested(path)`` and ``language_changed(code)`` ask for the window to be built again."""


def available_views() -> tuple[str, ...]:
    """The keys of the views, in navigation order."""
    return ("dashboard", "tasks", *(key for key, _label, _module, _cls in _OTHER_VIEWS))


class MainWindow(QMainWindow):
    reopen_requested = Signal(object)
    """Build the window again: on another workspace (a Path), or on this one (None) after a language change."""

    def __init__(self, ws: Workspace, *, today: dt.date | None = None, remember: bool = True,
                 parent: QWidget | None = None) -> None:
        """``today`` fixes the date (tests, screenshots); ``remember`` restores and saves geometry and last view."""
        super().__init__(parent)
        self.ws = ws
        # A workspace with a day of its own (the demo's) shows that day, so the window and its packet agree.
        fixed = ws.get_setting(progress.FIXED_TODAY_SETTING)
        self._fixed_today = today or (progress.workspace_today(ws) if fixed else None)
        self._remember = remember
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(200)

        self.tasks_view = TasksView(ws, self.undo_stack, today=self.today)
        self.dashboard = DashboardView(ws, self.tasks_view.model)
        self.dashboard.task_requested.connect(self.show_task)
        self.dashboard.overdue_requested.connect(self.show_overdue)
        self.dashboard.tasks_requested.connect(self.show_counted)
        self.dashboard.month_requested.connect(self.show_month)
        self.tasks_view.changed.connect(self._update_counts)
        self.tasks_view.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.tasks_view.pane.busy_changed.connect(self._update_actions)

        self._labels: dict[str, str] = {"dashboard": self.tr("工作台"), "tasks": self.tr("任务清单")}
        self._pages: dict[str, QWidget] = {"dashboard": self.dashboard, "tasks": self.tasks_view}
        self._factories: dict[str, Callable[[], QWidget]] = {}
        for key, label, module, cls in _OTHER_VIEWS:
            self._labels[key] = self.tr(str(label))
            self._factories[key] = partial(self._make_view, module, cls)
        self._build_actions()
        self._build_layout()
        self.reload()
        self._update_title()
        self._update_actions()
        self.resize(1400, 860)
        self.show_view("dashboard")
        if remember:
            self._restore()

    # ----- building ------------------------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.import_action = QAction(self.tr("导入表格…"), self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.setToolTip(self.tr("导入任务分工表或考核指标表（Word、Excel、CSV 或粘贴的文字）"))
        self.import_action.triggered.connect(self.open_import_wizard)
        quit_action = QAction(self.tr("退出"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)

        self.undo_action = QAction(self.tr("撤销"), self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(self.undo_stack.undo)
        self.redo_action = QAction(self.tr("重做"), self)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.triggered.connect(self.undo_stack.redo)
        self.undo_stack.indexChanged.connect(self._update_actions)
        self.undo_stack.cleanChanged.connect(self._update_actions)

        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("文件(&F)"))
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        edit_menu = menu.addMenu(self.tr("编辑(&E)"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        self._view_menu = menu.addMenu(self.tr("视图(&V)"))

    def _build_layout(self) -> None:
        bar = QToolBar(self.tr("单位与年度"))
        bar.setObjectName("unitBar")
        bar.setMovable(False)
        bar.setIconSize(QSize(16, 16))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addWidget(self._padded(QLabel(self.tr("单位："))))
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumContentsLength(10)
        self.unit_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.unit_combo.currentIndexChanged.connect(self._on_unit_changed)
        bar.addWidget(self.unit_combo)
        bar.addWidget(self._padded(QLabel(self.tr("年度："))))
        self.year_combo = QComboBox()
        self.year_combo.currentIndexChanged.connect(self._apply_year)
        bar.addWidget(self.year_combo)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addAction(self.import_action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.stack = QStackedWidget()
        for i, (key, label) in enumerate(self._labels.items()):
            self.nav.addItem(label)
            # A view other than the first two is built the first time it is shown, so starting stays quick.
            self.stack.addWidget(self._pages[key] if key in self._pages else QWidget())
            action = self._view_menu.addAction(label)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _checked=False, k=key: self.show_view(k))
        self.nav.currentRowChanged.connect(self._on_nav_row)
        width = max(self.nav.fontMetrics().horizontalAdvance(label) for label in self._labels.values())
        self.nav.setFixedWidth(width + 48)
        self.nav.setSpacing(3)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        self.message_bar = MessageBar()
        right = QWidget()
        right_col = QVBoxLayout(right)
        right_col.setContentsMargins(0, 0, 0, 0)
        right_col.setSpacing(0)
        right_col.addWidget(self.message_bar)
        right_col.addWidget(self.stack, 1)
        row.addWidget(right, 1)
        self.setCentralWidget(central)

        self.path_label = QLabel()
        self.counts_label = QLabel()
        self.statusBar().addWidget(self.path_label, 1)
        self.statusBar().addPermanentWidget(self.counts_label)

    @staticmethod
    def _padded(label: QLabel) -> QLabel:
        label.setContentsMargins(8, 0, 4, 0)
        return label

    # ----- units and years -----------------------------------------------------------------------------------------
    @property
    def department(self) -> str:
        """The unit selected on top (``catalog.ALL_DEPARTMENTS`` for every unit)."""
        data = self.unit_combo.currentData()
        return str(data) if data is not None else catalog.ALL_DEPARTMENTS

    def _fill_units(self) -> None:
        own = self.ws.department
        current = self.unit_combo.currentData() or own
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        if own:
            self.unit_combo.addItem(self.tr("{0}（本单位）").format(own), own)
        for name in catalog.list_departments(self.ws):
            if name != own:
                self.unit_combo.addItem(name, name)
        self.unit_combo.addItem(self.tr("全部单位"), catalog.ALL_DEPARTMENTS)
        index = self.unit_combo.findData(current)
        self.unit_combo.setCurrentIndex(index if index >= 0 else 0)
        self.unit_combo.blockSignals(False)

    def set_department(self, name: str) -> None:
        """Select a unit as the user would in the unit selector."""
        index = self.unit_combo.findData(name)
        if index < 0:
            raise ValueError(f"unknown unit {name!r}")
        self.unit_combo.setCurrentIndex(index)

    def _on_unit_changed(self) -> None:
        self.tasks_view.load(self.department)
        for page in self._pages.values():
            self._follow_selectors(page)

    def _follow_selectors(self, page: QWidget) -> None:
        """Show the selected unit and year in a view that has its own notion of them."""
        set_department = getattr(page, "set_department", None)
        if set_department is not None:
            set_department(self.department)
        set_year = getattr(page, "set_year", None)
        if set_year is not None and page is not self.tasks_view and page is not self.dashboard:
            set_year(self.year)
        follow = getattr(page, "follow_window_year", None)  # a view with a year selector of its own hides it
        if follow is not None:
            follow()

    def _fill_years(self) -> None:
        """One year at a time: the years of the imported documents (today's year when there are none)."""
        this_year = self.today().year
        years = sorted({s.year for s in catalog.list_sources(self.ws) if s.year}, reverse=True) or [this_year]
        current = self.year_combo.currentData() if self.year_combo.count() else None
        if current not in years:
            # Today's year if there is a document for it, else the latest year up to today, else the first one.
            current = this_year if this_year in years else next((y for y in years if y <= this_year), years[-1])
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year in years:
            self.year_combo.addItem(self.tr("{0} 年").format(year), year)
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(current)))
        self.year_combo.blockSignals(False)

    def set_year(self, year: int) -> None:
        """Select a year as the user would in the year selector."""
        index = self.year_combo.findData(year)
        if index < 0:
            raise ValueError(f"no documents of {year}")
        self.year_combo.setCurrentIndex(index)

    @property
    def year(self) -> int | None:
        data = self.year_combo.currentData()
        return int(data) if data is not None else None

    def _apply_year(self) -> None:
        self.tasks_view.set_year(self.year)
        self.dashboard.set_year(self.year)
        for page in self._pages.values():
            self._follow_selectors(page)
        self._update_counts()

    # ----- state shown around the views ------------------------------------------------------------------------
    def today(self) -> dt.date:
        return self._fixed_today or dt.date.today()

    def _update_title(self) -> None:
        parts = [self.tr("联络员工作台")]
        if self.ws.department:
            parts.append(self.ws.department + (f"（{self.ws.liaison}）" if self.ws.liaison else ""))
        title = " — ".join(parts)
        self.setWindowTitle(title + (self.tr("［只读］") if self.ws.read_only else ""))
        where = self.tr("工作区：{0}").format(self.ws.root)
        if self.ws.get_setting(progress.FIXED_TODAY_SETTING) and self._fixed_today:
            where += self.tr("（演示工作区：以 {0} 为今天）").format(self._fixed_today.isoformat())
        self.path_label.setText(where + (self.tr("（只读：另一个窗口正在使用它）") if self.ws.read_only else ""))

    def _update_counts(self) -> None:
        counts = self.tasks_view.model.count(self.year)
        unit = self.tr("全部单位") if self.department == catalog.ALL_DEPARTMENTS else self.department
        self.counts_label.setText(self.tr("{0}：任务 {1} 项 · 已完成 {2} · 逾期 {3}").format(
            unit, counts.total, counts.by_status[Status.DONE], counts.overdue))

    def _update_actions(self) -> None:
        idle = not self.tasks_view.pane.busy
        stack = self.undo_stack
        self.undo_action.setEnabled(idle and stack.canUndo())
        self.redo_action.setEnabled(idle and stack.canRedo())
        self.undo_action.setText(self.tr("撤销“{0}”").format(stack.undoText()) if stack.canUndo()
                                 else self.tr("撤销"))
        self.redo_action.setText(self.tr("重做“{0}”").format(stack.redoText()) if stack.canRedo()
                                 else self.tr("重做"))
        self.import_action.setEnabled(idle and not self.ws.read_only)

    # ----- views -------------------------------------------------------------------------------------------------
    def _make_view(self, module: str, cls: str) -> QWidget:
        view: QWidget = getattr(import_module(module), cls)(self.ws, today=self._fixed_today)
        changed = getattr(view, "changed", None)
        if changed is not None:
            changed.connect(self._view_changed)
        task_requested = getattr(view, "task_requested", None)
        if task_requested is not None:
            task_requested.connect(self.show_task)
        identity_changed = getattr(view, "identity_changed", None)
        if identity_changed is not None:
            identity_changed.connect(self._identity_changed)
        reopen = getattr(view, "reopen_requested", None)
        if reopen is not None:
            reopen.connect(self.reopen_requested)
        language_changed = getattr(view, "language_changed", None)
        if language_changed is not None:
            language_changed.connect(lambda _code: self.reopen_requested.emit(None))
        self._follow_selectors(view)
        return view

    def _view_changed(self) -> None:
        self._apply_rules()
        self.dashboard.refresh()

    def _on_nav_row(self, row: int) -> None:
        key = list(self._labels)[row]
        if key == "dashboard":
            self.dashboard.ensure_fresh()
        if key not in self._pages:
            page = self._factories[key]()
            placeholder = self.stack.widget(row)
            self.stack.insertWidget(row, page)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            self._pages[key] = page
        self.stack.setCurrentIndex(row)

    def show_view(self, key: str) -> None:
        if key not in self._labels:
            raise ValueError(f"unknown view {key!r}; one of {', '.join(self._labels)}")
        self.nav.setCurrentRow(list(self._labels).index(key))

    def view(self, key: str) -> QWidget | None:
        """The view's widget, once it has been shown."""
        return self._pages.get(key)

    @property
    def current_view(self) -> str:
        return list(self._labels)[self.stack.currentIndex()]

    def show_task(self, task_id: int) -> None:
        """Switch to the task list with this task selected."""
        self.show_view("tasks")
        if not self.tasks_view.reveal_task(task_id):
            self.statusBar().showMessage(self.tr("当前单位的任务清单中没有这项任务。"), 6000)

    def show_counted(self, what: str) -> None:
        """Switch to the task list showing what a dashboard card counts."""
        self.show_view("tasks")
        self.tasks_view.show_counted(what)

    def show_month(self, month: str) -> None:
        """Switch to 每月案例 with that month's report open ("YYYY-MM")."""
        self.show_view("cases")
        view = self.view("cases")
        select = getattr(view, "select_month", None)
        if select is not None:
            if self.year_combo.findData(int(month[:4])) >= 0 and self.year != int(month[:4]):
                self.set_year(int(month[:4]))
            select(int(month[5:]))

    def show_overdue(self) -> None:
        """Switch to the task list showing the overdue tasks only."""
        self.show_view("tasks")
        self.tasks_view.show_overdue()

    def _identity_changed(self) -> None:
        self._update_title()
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()  # the own unit is selected again, whatever it is called now
        self.unit_combo.blockSignals(False)
        self.reload()

    def _apply_rules(self) -> None:
        rules = progress.reminder_rules(self.ws)
        self.tasks_view.model.set_soon_days(rules.soon_days)
        self.tasks_view.pane.soon_days = rules.soon_days

    def reload(self) -> None:
        """Read units, years and tasks again (after an import)."""
        self._apply_rules()
        self._fill_units()
        self._fill_years()
        self.tasks_view.set_year(self.year)
        self.dashboard.year = self.year  # shown once the rows are loaded
        self.tasks_view.load(self.department)

    def open_import_wizard(self) -> QWidget:
        from .import_wizard import ImportWizard  # loaded on first use, like the other views

        wizard = ImportWizard(self.ws, parent=self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.imported.connect(self.after_import)
        wizard.open()
        return wizard

    def after_import(self, report: object) -> None:
        """Show what was imported: read everything again and switch to the imported document's year."""
        self.reload()
        year = getattr(report, "year", None)
        if year is None:
            source_id = getattr(report, "source_id", None)
            year = next((s.year for s in catalog.list_sources(self.ws) if s.id == source_id), None)
        if year is not None and year != self.year and self.year_combo.findData(year) >= 0:
            self.set_year(year)
            self.message_bar.show_message(
                self.tr("已切换到 {0} 年度：刚导入的表格属于这一年度。可在上方“年度”中切换回其他年度。").format(year), INFO)

    # ----- remembered state and closing ------------------------------------------------------------------------
    def _restore(self) -> None:
        settings = app_settings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        self.tasks_view.restore_state(settings)
        view = settings.value("window/view")
        if isinstance(view, str) and view in self._labels:
            self.show_view(view)

    def _save(self) -> None:
        settings = app_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.setValue("window/view", self.current_view)
        self.tasks_view.save_state(settings)

    def changeEvent(self, event: QEvent) -> None:
        # Coming back to the window on a later day moves the deadline lights on.
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.tasks_view.model.set_today(self.today())
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        pane = self.tasks_view.pane
        pane.commit_note()
        if pane.busy:
            answer = QMessageBox.question(
                self, self.tr("联络员工作台"), self.tr("正在把文件存入证据库。现在退出会取消这次添加（已有的材料不受影响）。确定退出吗？"))
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            pane.cancel_attach()
        if self._remember:
            self._save()
        event.accept()
