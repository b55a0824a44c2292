"""One message bar for every view: a line of text above the content (information, warning or error) that the user
closes, instead of a dialog that has to be clicked away or a status-bar line that vanishes unread."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from .icons import DONE_COLOUR, DUE_SOON_COLOUR, OVERDUE_COLOUR

__all__ = ["MessageBar", "INFO", "WARNING", "ERROR"]

INFO, WARNING, ERROR = "info", "warning", "error"
_COLOURS: Final = {INFO: DONE_COLOUR, WARNING: DUE_SOON_COLOUR, ERROR: OVERDUE_COLOUR}


class MessageBar(QFrame):
    """Hidden until ``show_message``; the ✕ hides it again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 4, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip(self.tr("关闭这条消息"))
        close.clicked.connect(self.hide)
        row.addWidget(self.label, 1)
        row.addWidget(close)
        self.kind = INFO
        self.hide()

    def show_message(self, text: str, kind: str = INFO) -> None:
        self.kind = kind
        colour = _COLOURS[kind]
        self.setStyleSheet(f"#messageBar {{ border: 1px solid {colour.name()}; border-left: 4px solid {colour.name()};"
                           f" background: {colour.lighter(190).name()}; }}")
        self.label.setText(text)
        self.show()

    @property
    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()
