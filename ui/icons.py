"""Small painted icons for deadline lights and statuses: a shape and a glyph as well as a colour, so nothing is
told by colour alone."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from liaison_app.model import DueState, Status

__all__ = [
    "OVERDUE_COLOUR", "DUE_SOON_COLOUR", "DONE_COLOUR", "DOING_COLOUR", "MUTED_COLOUR", "due_icon", "status_icon",
    "BAD_TEXT", "BAD_BACKGROUND", "BAD_BORDER", "GOOD_TEXT", "GOOD_BACKGROUND", "GOOD_BORDER", "NOTICE_TEXT",
    "NOTICE_BACKGROUND", "NOTICE_BORDER", "INFO_TEXT", "INFO_BACKGROUND", "QUIET_TEXT", "QUIET_BACKGROUND",
    "PANEL_BACKGROUND", "PANEL_BORDER", "SHADED_ROW", "SELECTED_BORDER", "box_style",
]

OVERDUE_COLOUR = QColor("#c62828")
DUE_SOON_COLOUR = QColor("#b26a00")
DONE_COLOUR = QColor("#2e7d32")
MUTED_COLOUR = QColor("#757575")
DOING_COLOUR = QColor("#1565c0")

# The one palette: every colour the window uses is named here, by what it means.
BAD_TEXT = QColor("#8a1c1c")
BAD_BACKGROUND = QColor("#fdecea")
BAD_BORDER = QColor("#f1b8b4")
GOOD_TEXT = QColor("#1b5e20")
GOOD_BACKGROUND = QColor("#e8f5e9")
GOOD_BORDER = QColor("#b9dcbc")
NOTICE_TEXT = QColor("#6d4c00")
NOTICE_BACKGROUND = QColor("#fff4d6")
NOTICE_BORDER = QColor("#e8c66a")
INFO_TEXT = QColor("#0d47a1")
INFO_BACKGROUND = QColor("#e3f2fd")
QUIET_TEXT = QColor("#616161")
"""Hints and secondary lines."""
QUIET_BACKGROUND = QColor("#f5f5f5")
PANEL_BACKGROUND = QColor("#fafafa")
PANEL_BORDER = QColor("#dddddd")
SHADED_ROW = QColor("#f2f2f2")
SELECTED_BORDER = DOING_COLOUR

_BOXES = {"error": (BAD_TEXT, BAD_BACKGROUND, BAD_BORDER), "info": (GOOD_TEXT, GOOD_BACKGROUND, GOOD_BORDER),
          "warning": (NOTICE_TEXT, NOTICE_BACKGROUND, NOTICE_BORDER)}


def box_style(kind: str) -> str:
    """The style sheet of a boxed message line: "error", "info" or "warning"."""
    text, background, border = _BOXES[kind]
    return (f"color: {text.name()}; background: {background.name()}; border: 1px solid {border.name()}; "
            "border-radius: 4px; padding: 6px 8px;")

_SIZE = 32
"""Painted at 32 px and scaled down by Qt, so the icons stay crisp on high-DPI screens."""


def _disc(colour: QColor, glyph: str) -> QIcon:
    pixmap = QPixmap(_SIZE, _SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    p.drawEllipse(QRectF(2, 2, _SIZE - 4, _SIZE - 4))
    pen = QPen(QColor("white"), 3.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    if glyph == "check":
        path = QPainterPath(QPointF(9, 16.5))
        path.lineTo(14, 21.5)
        path.lineTo(23, 11)
        p.drawPath(path)
    elif glyph == "clock":
        p.drawLine(QPointF(16, 9), QPointF(16, 16.5))
        p.drawLine(QPointF(16, 16.5), QPointF(21.5, 19.5))
    elif glyph == "bang":
        p.drawLine(QPointF(16, 8.5), QPointF(16, 18))
        p.drawPoint(QPointF(16, 23.5))
    elif glyph == "dots":
        for x in (10, 16, 22):
            p.drawPoint(QPointF(x, 16))
    elif glyph == "dash":
        p.drawLine(QPointF(10, 16), QPointF(22, 16))
    p.end()
    return QIcon(pixmap)


@cache
def _icons() -> dict[str, QIcon]:
    # Built on first use: a QPixmap needs the QGuiApplication to exist.
    return {
        "overdue": _disc(OVERDUE_COLOUR, "bang"),
        "due_soon": _disc(DUE_SOON_COLOUR, "clock"),
        "done": _disc(DONE_COLOUR, "check"),
        "doing": _disc(DOING_COLOUR, "dots"),
        "na": _disc(MUTED_COLOUR, "dash"),
    }


def due_icon(state: DueState) -> QIcon | None:
    """Overdue: a red disc with "!"; due soon: an amber clock; done: a green tick; otherwise none."""
    return _icons().get(state.value)


def status_icon(status: Status) -> QIcon | None:
    """In progress: blue dots; done: a green tick; 不涉及: a grey dash; not started: none."""
    return _icons().get(status.value)
