"""工作台: what needs doing today (overdue tasks, tasks due soon, missing monthly reports), counts by status, and
the year's monthly reports at a glance."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from liaison_app import cases, catalog, progress
from liaison_app.errors import LiaisonError
from liaison_app.model import DueState, Status
from liaison_app.workspace import Workspace

from .icons import DONE_COLOUR, DUE_SOON_COLOUR, MUTED_COLOUR, OVERDUE_COLOUR, due_icon
from .tasks_model import TaskRecord, TasksModel, deadline_note, status_label

__all__ = ["DashboardView"]

_WEEKDAYS = (QT_TRANSLATE_NOOP("DashboardView", "星期一"), QT_TRANSLATE_NOOP("DashboardView", "星期二"),
             QT_TRANSLATE_NOOP("DashboardView", "星期三"), QT_TRANSLATE_NOOP("DashboardView", "星期四"),
             QT_TRANSLATE_NOOP("DashboardView", "星期五"), QT_TRANSLATE_NOOP("DashboardView", "星期六"),
             QT_TRANSLATE_NOOP("DashboardView", "星期日"))
LIST_LIMIT = 50
"""Reminder lists show the most pressing tasks; the task list shows them all."""
_MORE = -1
"""The item data of the "and N more" line."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("DashboardView", text)


class _Clickable(QFrame):
    """A panel that opens something when clicked (or activated with Enter/Space from the keyboard)."""

    clicked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


class _CountCard(_Clickable):
    def __init__(self, caption: str, colour: QColor | None = None) -> None:
        super().__init__()
        col = QVBoxLayout(self)
        col.setContentsMargins(14, 8, 14, 8)
        self.number = QLabel("0")
        font = QFont(self.number.font())
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.number.setFont(font)
        if colour is not None:
            self.number.setStyleSheet(f"color: {colour.name()}")
        self.caption = QLabel(caption)
        col.addWidget(self.number)
        col.addWidget(self.caption)


class DashboardView(QWidget):
    """Reads the task rows from the shared TasksModel (so its counts match the task list) and the monthly reports
    from the workspace."""

    task_requested = Signal(int)
    """The user clicked a task in a reminder list."""
    overdue_requested = Signal()
    """The user asked for every overdue task (the list shows the first LIST_LIMIT)."""
    tasks_requested = Signal(str)
    """A count card was clicked: show the task list filtered to what it counts ("total", a status value,
    "overdue", "due_soon" or "open")."""
    month_requested = Signal(str)
    """A month tile was clicked: open that month's report ("YYYY-MM")."""

    def __init__(self, ws: Workspace, model: TasksModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._model = model
        self.year: int | None = None
        """The year whose tasks and monthly reports are shown (None: every year; reports of today's year)."""
        self._grid_year = model.today.year
        self._stale = True
        self._build()
        for signal in (model.modelReset, model.dataChanged, model.today_changed):
            signal.connect(self.invalidate)

    def _build(self) -> None:
        body = QWidget()
        col = QVBoxLayout(body)
        col.setContentsMargins(18, 14, 18, 14)
        col.setSpacing(14)

        self.heading = QLabel()
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        col.addWidget(self.heading)

        cards = QHBoxLayout()
        self.cards: dict[str, _CountCard] = {
            "total": _CountCard(_tr("本单位任务")),
            Status.TODO.value: _CountCard(status_label(Status.TODO)),
            Status.DOING.value: _CountCard(status_label(Status.DOING)),
            Status.DONE.value: _CountCard(status_label(Status.DONE), DONE_COLOUR),
            Status.NA.value: _CountCard(status_label(Status.NA), MUTED_COLOUR),
            "overdue": _CountCard(_tr("已逾期"), OVERDUE_COLOUR),
            "due_soon": _CountCard(_tr("两周内到期"), DUE_SOON_COLOUR),
        }
        for key, card in self.cards.items():
            card.setToolTip(_tr("在任务清单中查看这些任务"))
            card.clicked.connect(lambda key=key: self.tasks_requested.emit(
                "open" if key == "overdue" and self.year_over else key))
            cards.addWidget(card)
        cards.addStretch(1)
        col.addLayout(cards)

        reminders = QGroupBox(_tr("今日提醒"))
        grid = QGridLayout(reminders)
        self.overdue_title = QLabel()
        self.due_soon_title = QLabel()
        self.overdue_list = self._task_list()
        self.due_soon_list = self._task_list()
        grid.addWidget(self.overdue_title, 0, 0)
        grid.addWidget(self.due_soon_title, 0, 1)
        grid.addWidget(self.overdue_list, 1, 0)
        grid.addWidget(self.due_soon_list, 1, 1)
        self.months_note = QLabel()
        self.months_note.setWordWrap(True)
        grid.addWidget(self.months_note, 2, 0, 1, 2)
        col.addWidget(reminders)

        self.grid_box = QGroupBox()
        self.month_grid = QGridLayout(self.grid_box)
        self.month_cells: list[QLabel] = []
        self.month_tiles: list[_Clickable] = []
        for m in range(12):
            tile = _Clickable()
            tile.setToolTip(_tr("打开这个月的案例"))
            tile.clicked.connect(lambda m=m: self.month_requested.emit(f"{self._grid_year:04d}-{m + 1:02d}"))
            cell = QLabel()
            cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cell.setMinimumHeight(self.fontMetrics().height() * 3)
            inner = QVBoxLayout(tile)
            inner.setContentsMargins(2, 2, 2, 2)
            inner.addWidget(cell)
            self.month_grid.addWidget(tile, m // 6, m % 6)
            self.month_cells.append(cell)
            self.month_tiles.append(tile)
        col.addWidget(self.grid_box)
        col.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _task_list(self) -> QTreeWidget:
        w = QTreeWidget()
        w.setRootIsDecorated(False)
        w.setMinimumHeight(160)
        w.setHeaderLabels([_tr("情况"), _tr("时限"), _tr("序号"), _tr("任务内容")])
        w.setTextElideMode(Qt.TextElideMode.ElideRight)
        w.setWordWrap(False)
        header = w.header()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        w.itemActivated.connect(self._on_item)
        w.itemClicked.connect(self._on_item)
        return w

    def _on_item(self, item: QTreeWidgetItem) -> None:
        task_id = item.data(0, Qt.ItemDataRole.UserRole)
        if task_id == _MORE:
            self.overdue_requested.emit()
        elif task_id is not None:
            self.task_requested.emit(int(task_id))

    def set_year(self, year: int | None) -> None:
        self.year = year
        self.invalidate()

    def invalidate(self) -> None:
        """Something it shows changed: refresh now if on screen, else when it is shown next."""
        self._stale = True
        if not self.isHidden():
            self.refresh()

    def ensure_fresh(self) -> None:
        if self._stale:
            self.refresh()

    # ----- contents ------------------------------------------------------------------------------------------------
    @property
    def year_over(self) -> bool:
        """The shown year ended before today: nothing is counted in days to now."""
        return self.year is not None and self.year < self._model.today.year

    def refresh(self) -> None:
        self._stale = False
        model = self._model
        today = model.today
        department = model.department
        unit = self._ws.department if department in (None, catalog.ALL_DEPARTMENTS) else department
        who = unit if department != catalog.ALL_DEPARTMENTS else _tr("全部单位")
        if self.year_over:
            self._refresh_past_year(who or "", today)
            return
        self.cards["overdue"].caption.setText(_tr("已逾期"))
        self.cards["due_soon"].show()
        self.due_soon_title.show()
        self.heading.setText(_tr("今天是 {0}年{1}月{2}日 {3}　{4}").format(
            today.year, today.month, today.day, _tr(str(_WEEKDAYS[today.weekday()])), who))

        counts = model.count(self.year)
        self.cards["total"].number.setText(str(counts.total))
        for status in Status:
            self.cards[status.value].number.setText(str(counts.by_status[status]))
        self.cards["overdue"].number.setText(str(counts.overdue))
        self.cards["due_soon"].number.setText(str(counts.due_soon))

        overdue: list[TaskRecord] = []
        due_soon: list[TaskRecord] = []
        for r in model.records():
            if r.in_year(self.year):
                state = model.due(r.task_id)
                if state is DueState.OVERDUE:
                    overdue.append(r)
                elif state is DueState.DUE_SOON:
                    due_soon.append(r)
        self.overdue_title.setText(_tr("已逾期（{0}）— 点击任务查看").format(len(overdue)) if overdue
                                   else _tr("没有逾期的任务。"))
        soon = self._model.soon_days
        self.cards["due_soon"].caption.setText(_tr("{0} 天内到期").format(soon))
        self.due_soon_title.setText(_tr("{0} 天内到期（{1}）").format(soon, len(due_soon)) if due_soon
                                    else _tr("{0} 天内没有到期的任务。").format(soon))
        self._fill(self.overdue_list, overdue, today, "")
        self._fill(self.due_soon_list, due_soon, today, "")
        self._show_months(unit, today)

    def _refresh_past_year(self, who: str, today: dt.date) -> None:
        """A year that is over: what was done, and what stayed undone at its end, without counting days to now."""
        year = self.year
        assert year is not None
        self.heading.setText(_tr("{0} 年度已经结束　{1}").format(year, who))
        counts = self._model.count(year)
        self.cards["total"].number.setText(str(counts.total))
        for status in Status:
            self.cards[status.value].number.setText(str(counts.by_status[status]))
        undone = [r for r in self._model.records()
                  if r.in_year(year) and r.status in (Status.TODO, Status.DOING)]
        self.cards["overdue"].caption.setText(_tr("年度结束时未完成"))
        self.cards["overdue"].number.setText(str(len(undone)))
        self.cards["due_soon"].hide()
        self.overdue_title.setText(_tr("年度结束时仍未完成的任务（{0}）— 点击任务查看").format(len(undone)) if undone
                                   else _tr("这一年度的任务都已完成或标为不涉及。"))
        self.due_soon_title.hide()
        self._fill(self.overdue_list, undone, today, "")
        self._fill(self.due_soon_list, [], today, "")
        self._show_months(self._ws.department if self._model.department in (None, catalog.ALL_DEPARTMENTS)
                          else self._model.department, today)

    def _fill(self, widget: QTreeWidget, records: Sequence[TaskRecord], today: dt.date, empty: str) -> None:
        widget.clear()
        ordered = sorted(records, key=lambda r: (r.task.deadline.date or dt.date.max, r.order))
        for r in ordered[:LIST_LIMIT]:
            state, note = deadline_note(r, today, self._model.soon_days)
            if self.year_over:
                state, note = DueState.OVERDUE, status_label(r.status)
            content = r.task.content.replace("\n", " ")
            item = QTreeWidgetItem([note, r.task.deadline.text, r.task.seq, content])
            item.setData(0, Qt.ItemDataRole.UserRole, r.task.id)
            item.setToolTip(3, f"<p>{html.escape(r.task.group)}<br>{html.escape(content)}</p>")
            item.setForeground(0, OVERDUE_COLOUR if state is DueState.OVERDUE else DUE_SOON_COLOUR)
            icon = due_icon(state)
            if icon is not None:
                item.setIcon(0, icon)
            widget.addTopLevelItem(item)
        if len(ordered) > LIST_LIMIT:
            rest = len(ordered) - LIST_LIMIT
            if widget is self.overdue_list:
                more = QTreeWidgetItem(["", "", "", _tr("……还有 {0} 项，点此在任务清单中查看全部").format(rest)])
                more.setData(0, Qt.ItemDataRole.UserRole, _MORE)
            else:
                more = QTreeWidgetItem(["", "", "", _tr("……还有 {0} 项").format(rest)])
            widget.addTopLevelItem(more)
        if not records and empty:
            item = QTreeWidgetItem(["", "", "", empty])
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            widget.addTopLevelItem(item)
        widget.setVisible(bool(records))  # an empty list takes no room: its title says there is nothing

    def _show_months(self, unit: str | None, today: dt.date) -> None:
        year = self.year or today.year
        self._grid_year = year
        self.grid_box.setTitle(_tr("{0} 年每月做法经验、案例").format(year))
        try:
            grid = cases.year_grid(self._ws, year=year, department=unit) if unit else {}
            missing, drafts = progress.report_months(self._ws, today=min(today, dt.date(year, 12, 31)),
                                                     department=unit) if unit else ((), ())
        except LiaisonError:
            grid, missing, drafts = {}, (), ()
        notes = []
        if missing:
            notes.append(_tr("尚未撰写的月份：{0}。").format("、".join(self._month_name(m) for m in missing)))
        if drafts:
            notes.append(_tr("还是草稿、未定稿的月份：{0}。").format("、".join(self._month_name(m) for m in drafts)))
        done_text = (_tr("{0} 年每个月的案例都已定稿。").format(year) if year < today.year
                     else _tr("本年已到期的每月案例都已定稿。"))
        self.months_note.setText(" ".join(notes) if notes else done_text)
        self.months_note.setStyleSheet(f"color: {(OVERDUE_COLOUR if notes else DONE_COLOUR).name()}")
        for m, cell in enumerate(self.month_cells, start=1):
            key = f"{year:04d}-{m:02d}"
            state = grid.get(key, "missing")
            if state == "final":
                text, colour = _tr("✓ 已定稿"), DONE_COLOUR
            elif state == "draft":
                text, colour = _tr("✎ 草稿"), DUE_SOON_COLOUR
            elif (year, m) > (today.year, today.month):
                text, colour = _tr("未到"), MUTED_COLOUR
            elif (year, m) == (today.year, today.month):
                text, colour = _tr("本月待写"), DUE_SOON_COLOUR
            else:
                text, colour = _tr("✗ 未写"), OVERDUE_COLOUR
            cell.setText(_tr("{0} 月").format(m) + "\n" + text)
            cell.setStyleSheet(f"color: {colour.name()}")

    @staticmethod
    def _month_name(month: str) -> str:
        return _tr("{0}年{1}月").format(month[:4], int(month[5:]))
