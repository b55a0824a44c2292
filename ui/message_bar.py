"""One message bar for every view: a boxed line of text (information, warning or error) above or below the content,
closed with its ✕ or replaced by the next message, instead of a dialog to click away or a status-bar line that
vanishes unread."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from .icons import box_style

__all__ = ["MessageBar", "INFO", "WARNING", "ERROR"]

INFO, WARNING, ERROR = "info", "warning", "error"


class MessageBar(QFrame):
    """Hidden until ``show_message``. ``text()`` and ``setText()`` work as on a QLabel (``setText`` keeps the
    kind of message shown last)."""

    def __init__(self, parent: QWidget | None = None, *, closable: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.label, 1)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(self.tr("关闭这条消息"))
        self.close_button.clicked.connect(self.hide)
        self.close_button.setVisible(closable)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.kind = INFO
        self.hide()

    def show_message(self, text: str, kind: str = INFO) -> None:
        self.kind = kind
        self.label.setStyleSheet(box_style(kind))
        self.label.setText(text)
        self.show()

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:  # noqa: N802 - as on QLabel
        self.show_message(text, self.kind)

    def clear(self) -> None:
        self.label.clear()
        self.hide()
