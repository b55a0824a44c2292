"""The twelve months of a year at a glance, for 每月案例: one button per month showing whether its report is
finalised, a draft, missing, due this month or still to come (symbol and word as well as colour)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QFrame, QGridLayout, QSizePolicy, QToolButton, QWidget

from .icons import (
    BAD_BACKGROUND,
    BAD_TEXT,
    GOOD_BACKGROUND,
    GOOD_TEXT,
    INFO_BACKGROUND,
    INFO_TEXT,
    NOTICE_BACKGROUND,
    NOTICE_TEXT,
    QUIET_BACKGROUND,
    QUIET_TEXT,
    SELECTED_BORDER,
)

__all__ = ["MonthGrid", "MONTH_STATES", "month_key"]

MONTH_STATES: dict[str, tuple[str, str, str, str]] = {
    # state: (symbol, label, text colour, background). Colour is never the only signal: symbol and word too.
    "final": ("✓", QT_TRANSLATE_NOOP("CasesView", "已定稿"), GOOD_TEXT.name(), GOOD_BACKGROUND.name()),
    "draft": ("✎", QT_TRANSLATE_NOOP("CasesView", "草稿"), NOTICE_TEXT.name(), NOTICE_BACKGROUND.name()),
    "missing": ("✗", QT_TRANSLATE_NOOP("CasesView", "缺"), BAD_TEXT.name(), BAD_BACKGROUND.name()),
    "due": ("○", QT_TRANSLATE_NOOP("CasesView", "本月待写"), INFO_TEXT.name(), INFO_BACKGROUND.name()),
    "future": ("", QT_TRANSLATE_NOOP("CasesView", "未到"), QUIET_TEXT.name(), QUIET_BACKGROUND.name()),
}
"""How a month cell looks: 已定稿 green ✓, 草稿 amber ✎, a past month without a report red ✗ 缺, the current
month without one blue ○, a month still to come grey 未到."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("CasesView", text)


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


class MonthGrid(QFrame):
    """Twelve checkable month buttons, one of them checked (the month being edited)."""

    month_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        self.buttons: list[QToolButton] = []
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        for m in range(1, 13):
            button = QToolButton()
            button.setCheckable(True)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setMinimumSize(QSize(76, 52))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.clicked.connect(lambda _checked=False, month=m: self.month_clicked.emit(month))
            self._group.addButton(button, m)
            self.buttons.append(button)
            grid.addWidget(button, 0, m - 1)

    @staticmethod
    def state_for(year: int, month: int, grid_state: str | None, today: dt.date) -> str:
        if grid_state in ("final", "draft"):
            return grid_state
        if (year, month) < (today.year, today.month):
            return "missing"
        if (year, month) == (today.year, today.month):
            return "due"
        return "future"

    def paint(self, year: int, grid: dict[str, str], today: dt.date) -> dict[str, int]:
        """Show ``year``'s states ("YYYY-MM" -> final/draft, from cases.year_grid); returns months per state."""
        counts = {"final": 0, "draft": 0, "missing": 0}
        for m, button in enumerate(self.buttons, start=1):
            state = self.state_for(year, m, grid.get(month_key(year, m)), today)
            if state in counts:
                counts[state] += 1
            symbol, label, colour, background = MONTH_STATES[state]
            word = _tr(label)
            button.setText(_tr("{0} 月").format(m) + "\n" + (f"{symbol} {word}" if symbol else word))
            button.setProperty("state", state)
            tip = _tr("{0} 年 {1} 月：{2}").format(year, m, word)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.setStyleSheet(
                f"QToolButton {{ color: {colour}; background: {background}; border: 1px solid {colour}; "
                f"border-radius: 4px; padding: 4px; }}"
                f"QToolButton:checked {{ border: 3px solid {SELECTED_BORDER.name()}; font-weight: bold; }}")
        return counts

    def state(self, month: int) -> str:
        return str(self.buttons[month - 1].property("state"))

    def check(self, month: int | None) -> None:
        """Check one month's button (None: none)."""
        if month is None:
            self._group.setExclusive(False)
            for button in self.buttons:
                button.setChecked(False)
            self._group.setExclusive(True)
        else:
            self.buttons[month - 1].setChecked(True)
