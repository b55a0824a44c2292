"""Earlier finalised versions of a monthly report, for 每月案例: the list beside the editor and a read-only dialog
with the full text of one version."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from liaison_app.cases import KIND_LABELS, CaseRevision
from liaison_app.model import CaseKind

__all__ = ["RevisionDialog", "RevisionList"]

_ID_ROLE = Qt.ItemDataRole.UserRole


def _tr(text: str) -> str:
    return QCoreApplication.translate("CasesView", text)


class RevisionDialog(QDialog):
    """One earlier finalised version of a report, read-only."""

    def __init__(self, revision: CaseRevision, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        snap = revision.snapshot
        self.setWindowTitle(self.tr("第 {0} 版（历史定稿）").format(revision.revision))
        text = QPlainTextEdit(RevisionDialog.snapshot_text(revision))
        text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        title = QLabel(snap.get("title", ""))
        font = QFont(title.font())
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.resize(560, 420)

    @staticmethod
    def snapshot_text(revision: CaseRevision) -> str:
        snap = revision.snapshot
        kind = KIND_LABELS.get(CaseKind(snap.get("kind", "practice")), "")
        lines = [_tr("月份：{0}　类型：{1}　定稿日期：{2}").format(snap.get("month", ""), kind,
                                                          snap.get("finalised_on") or "—")]
        for key, label in (("background", _tr("背景")), ("practice", _tr("做法")), ("effect", _tr("成效")),
                           ("body", _tr("正文"))):
            if snap.get(key):
                lines += ["", f"【{label}】", snap[key]]
        return "\n".join(lines)


class RevisionList(QListWidget):
    """The revisions of the selected report, newest first; a double-click shows one in full."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTip(_tr("双击查看当时定稿的全文"))
        self.itemDoubleClicked.connect(self._show)
        self.setMaximumHeight(130)

    def show_revisions(self, revisions: list[CaseRevision]) -> None:
        self.clear()
        for rev in reversed(revisions):
            final_on = rev.snapshot.get("finalised_on") or "—"
            item = QListWidgetItem(_tr("第 {0} 版 · 定稿于 {1} · {2} 修改后退回草稿").format(
                rev.revision, final_on, rev.saved_at[:16].replace("T", " ")))
            item.setData(_ID_ROLE, rev)
            item.setToolTip(RevisionDialog.snapshot_text(rev))
            self.addItem(item)
        if not revisions:
            item = QListWidgetItem(_tr("暂无。修改已定稿的案例时，原定稿版本会保留在这里。"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(item)

    def shown(self) -> list[CaseRevision]:
        """The revisions listed, in the order shown (newest first)."""
        found = [self.item(i).data(_ID_ROLE) for i in range(self.count())]
        return [r for r in found if r is not None]

    def _show(self, item: QListWidgetItem) -> None:
        rev = item.data(_ID_ROLE)
        if isinstance(rev, CaseRevision):
            dialog = RevisionDialog(rev, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()
