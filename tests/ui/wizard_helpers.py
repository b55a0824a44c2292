"""Shared by the import wizard and welcome dialog tests: the seed paths, a button click, and the offscreen-platform
notice that is not a warning about our code."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from liaison_app.paths import sample_tables

DISTRICT = next(p for p in sample_tables() if p.name.startswith("松江区"))
"""沪松环〔2023〕14号: 27 tasks and 26 indicators."""
CITY = next(p for p in sample_tables() if p.name.startswith("市绿化市容局"))
"""沪绿容〔2023〕177号: 49 tasks with deadlines and 18 items."""



def click(qtbot, button: QAbstractButton) -> None:
    """Click like a user: only a visible, enabled button."""
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
