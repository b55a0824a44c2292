"""The 证据库 view: every evidence file in the vault, what it is linked to, a check of the whole vault, and the one
way to clear out files linked to nothing.

Files are opened as hash-checked, read-only copies (evidence.copy_out), never from the vault itself. The check and
the clean-up are the core's (evidence.vault_report, evidence.clean_unreferenced), run through ui.jobs.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from liaison_app import evidence, paths
from liaison_app.errors import LiaisonError
from liaison_app.evidence import VaultReport
from liaison_app.jobs import ProgressFn
from liaison_app.model import Evidence
from liaison_app.workspace import Workspace

from .evidence_model import (
    COL_ADDED,
    COL_DATE,
    COL_KIND,
    COL_LINKS,
    COL_NAME,
    COL_SHA,
    COL_SIZE,
    EVIDENCE_ID_ROLE,
    HEADERS,
    LINKED_ALL,
    LINKED_ONLY,
    SORT_ROLE,
    UNLINKED_ONLY,
    EvidenceFilterProxy,
    EvidenceModel,
    EvidenceRow,
    kind_label,
    load_evidence_rows,
    size_text,
)
from .icons import DONE_COLOUR, MUTED_COLOUR, OVERDUE_COLOUR
from .jobs import Job, run_in_view
from .message_bar import ERROR, MessageBar

__all__ = [
    "COL_NAME", "COL_SIZE", "COL_DATE", "COL_KIND", "COL_LINKS", "COL_ADDED", "COL_SHA",
    "SORT_ROLE", "EVIDENCE_ID_ROLE", "LINKED_ALL", "LINKED_ONLY", "UNLINKED_ONLY",
    "EvidenceRow", "EvidenceModel", "EvidenceFilterProxy", "EvidenceView",
    "kind_label", "load_evidence_rows",
]

_GOOD_COLOUR: Final = DONE_COLOUR.name()
_BAD_COLOUR: Final = OVERDUE_COLOUR.name()
_MUTED_COLOUR: Final = MUTED_COLOUR.name()
_SHOWN_NAMES: Final = 10
"""How many file names a confirmation or a result names before saying "等 N 件"."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("EvidenceView", text)


class EvidenceView(QWidget):
    """All evidence in the vault: browse, search, open a checked copy, check the vault, clean out unlinked files."""

    changed = Signal()
    """Evidence was removed by a clean-up."""
    failed = Signal(str)
    """The plain sentence shown when something could not be done."""
    task_requested = Signal(int)
    """The user asked to see a task the selected evidence is linked to (its id)."""
    checked = Signal(object)
    """The VaultReport of a check just made."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.today = today or dt.date.today()
        self.job: Job | None = None
        """The view's running (or last) background job."""
        self.last_report: VaultReport | None = None
        self.confirm_box: QMessageBox | None = None
        """The clean-up confirmation while it is open."""
        self.viewing_folder = paths.viewing_dir()
        """Where read-only copies are put for the system's viewer (never the vault)."""
        self._stale = False

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索文件名、说明或关联的任务…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self.link_filter = QComboBox()
        self.link_filter.addItem(self.tr("全部"), LINKED_ALL)
        self.link_filter.addItem(self.tr("已关联"), LINKED_ONLY)
        self.link_filter.addItem(self.tr("未关联"), UNLINKED_ONLY)
        self.link_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.summary = QLabel()
        font = QFont(self.summary.font())
        font.setBold(True)
        self.summary.setFont(font)
        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        top.addWidget(self.link_filter)
        top.addStretch(1)
        top.addWidget(self.summary)

        self.model = EvidenceModel(self)
        self.proxy = EvidenceFilterProxy(self.model, self)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_LINKS, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        digits = self.fontMetrics().horizontalAdvance("0")
        for col, width in ((COL_NAME, 340), (COL_SIZE, 90), (COL_DATE, 100), (COL_KIND, 70),
                           (COL_ADDED, 140), (COL_SHA, digits * 16 + 60)):
            self.table.setColumnWidth(col, max(width, header.fontMetrics().horizontalAdvance(_tr(HEADERS[col])) + 40))
        self.table.sortByColumn(COL_ADDED, Qt.SortOrder.DescendingOrder)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.empty = QLabel(self.tr("证据库中还没有文件。在“任务清单”中选中一项任务，把文件拖到“佐证材料”处即可存入。"))
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(f"color: {_MUTED_COLOUR};")
        self.empty.hide()

        self.open_button = QPushButton(self.tr("打开"))
        self.open_button.setToolTip(self.tr("用系统程序打开核对过的只读副本（证据库中的文件不会被改动）"))
        self.open_button.clicked.connect(self.open_selected)
        self.task_button = QPushButton(self.tr("查看关联任务"))
        self.task_button.clicked.connect(self.show_linked_task)
        self.check_button = QPushButton(self.tr("检查证据库"))
        self.check_button.setToolTip(self.tr("逐个核对文件的 SHA-256，找出缺失、损坏或多余的文件，并清理中断留下的临时文件"))
        self.check_button.clicked.connect(self.check_vault)
        self.clean_button = QPushButton(self.tr("清理未关联的文件…"))
        self.clean_button.clicked.connect(self.ask_to_clean)
        actions = QHBoxLayout()
        actions.addWidget(self.open_button)
        actions.addWidget(self.task_button)
        actions.addStretch(1)
        actions.addWidget(self.check_button)
        actions.addWidget(self.clean_button)

        self.message = MessageBar()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()

        self.check_summary = QLabel()
        self.check_summary.setWordWrap(True)
        self.check_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.check_summary.setFont(font)
        self.check_summary.hide()
        self.check_details = QTextBrowser()
        """One line per problem (red) and per cleaned leftover (grey); wraps, scrolls, can be copied."""
        self.check_details.setOpenLinks(False)
        self.check_details.document().setDocumentMargin(4)
        self.check_details.document().documentLayout().documentSizeChanged.connect(self._fit_check_details)
        self.check_details.hide()
        self._check_lines: list[str] = []

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(self.check_summary)
        layout.addWidget(self.check_details)

        self.search.textChanged.connect(self._search_changed)
        self.link_filter.currentIndexChanged.connect(self._link_filter_changed)
        self.reload()

    # ----- public ----------------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the evidence list again (after a change made elsewhere); keeps the selection, search and filter."""
        self._stale = False
        selected = self.selected_evidence()
        try:
            rows = load_evidence_rows(self.ws)
        except LiaisonError as exc:
            rows = []
            self._fail(str(exc))
        self.model.set_rows(rows)
        if self.last_report is not None:
            self.model.set_problems(self._problems_by_file(self.last_report))
        if selected is not None:
            self.select_evidence(selected.id)
        self.empty.setVisible(not rows)
        self._update_summary()
        self._update_buttons()

    @property
    def busy(self) -> bool:
        return self.job is not None and not self.job.done

    def selected_evidence(self) -> Evidence | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.proxy.row(rows[0].row()).evidence

    def select_evidence(self, evidence_id: int) -> bool:
        """Select (and scroll to) an evidence record; False when it is not shown."""
        source_row = self.model.row_of(evidence_id)
        index = self.proxy.mapFromSource(self.model.index(source_row, 0)) if source_row is not None else QModelIndex()
        if not index.isValid():
            self.table.clearSelection()
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def visible_rows(self) -> list[EvidenceRow]:
        """The rows as shown: filtered and sorted."""
        return self.proxy.visible_rows()

    def unlinked(self) -> list[Evidence]:
        """The evidence records linked to nothing: what a clean-up removes (with any unregistered vault files)."""
        return [r.evidence for r in self.model.rows if not r.linked]

    # ----- opening -------------------------------------------------------------------------------------------------
    def open_selected(self) -> Job | None:
        ev = self.selected_evidence()
        return self.open_evidence(ev.id) if ev is not None else None

    def open_evidence(self, evidence_id: int) -> Job | None:
        """Open a hash-checked, read-only copy with the system's viewer (the vault file itself is never handed out)."""
        if self.busy:
            return None
        row = self.model.row_of(evidence_id)
        name = self.model.rows[row].evidence.original_name if row is not None else str(evidence_id)
        ws, folder = self.ws, self.viewing_folder

        def work(progress: ProgressFn) -> Path:
            return evidence.copy_out(ws, evidence_id, folder, progress=progress)

        def opened(copy: Path) -> None:
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy))):
                self._fail(self.tr("没有找到能打开“{0}”的程序。核对过的副本在 {1}").format(name, copy))

        return self._run(self.tr("正在打开“{0}”…").format(name), work, opened)

    def show_linked_task(self) -> bool:
        """Ask the main window to show the first task the selected evidence is linked to."""
        ev = self.selected_evidence()
        task_id = self._first_task(ev)
        if task_id is None:
            return False
        self.task_requested.emit(task_id)
        return True

    # ----- checking ------------------------------------------------------------------------------------------------
    def check_vault(self) -> Job | None:
        """Hash every file in the vault and show what is missing, damaged or does not belong (a background job).
        Leftovers of interrupted attaches are cleaned, except in a read-only workspace."""
        if self.busy:
            return None
        ws = self.ws
        self.status.hide()

        def work(progress: ProgressFn) -> VaultReport:
            return evidence.vault_report(ws, clean_temp=True, progress=progress)

        return self._run(self.tr("正在检查证据库"), work, self._show_report)

    def check_text(self) -> str:
        """The check's outcome as shown: the summary line, then one line per problem or cleaned leftover."""
        if self.check_summary.isHidden():
            return ""
        return "\n".join([self.check_summary.text(), *self._check_lines])

    def _show_report(self, report: VaultReport) -> None:
        self.last_report = report
        self.model.set_problems(self._problems_by_file(report))
        when = dt.datetime.now().strftime("%H:%M")
        if report.problems:
            text = self.tr("✘ 发现 {0} 个问题（核对了 {1} 个文件，{2}）").format(len(report.problems), report.checked, when)
            colour = _BAD_COLOUR
        elif report.checked:
            text = self.tr("✔ 全部 {0} 个文件完好（{1}）").format(report.checked, when)
            colour = _GOOD_COLOUR
        else:
            text = self.tr("✔ 证据库中没有文件，没有发现问题（{0}）").format(when)
            colour = _GOOD_COLOUR
        self.check_summary.setStyleSheet(f"color: {colour};")
        self.check_summary.setText(text)
        self.check_summary.show()
        self._check_lines = [*report.problems, *report.cleaned]
        paragraphs = [(p, _BAD_COLOUR) for p in report.problems] + [(c, _MUTED_COLOUR) for c in report.cleaned]
        self.check_details.setHtml("".join(
            f'<p style="margin: 0 0 3px 0; color: {colour};">{html.escape(text)}</p>' for text, colour in paragraphs))
        self.check_details.setVisible(bool(paragraphs))
        self.checked.emit(report)

    def _problems_by_file(self, report: VaultReport) -> dict[str, tuple[str, ...]]:
        # A problem about a registered file names its vault path, which holds the full SHA-256.
        found: dict[str, list[str]] = {}
        for row in self.model.rows:
            sha = row.evidence.sha256
            for problem in report.problems:
                if sha in problem:
                    found.setdefault(sha, []).append(problem)
        return {sha: tuple(problems) for sha, problems in found.items()}

    # ----- cleaning --------------------------------------------------------------------------------------------------
    def ask_to_clean(self) -> QMessageBox | None:
        """Ask (window-modal, not waited for) before removing the unlinked evidence; 永久删除 runs clean_unlinked."""
        unlinked = self.unlinked()
        if not unlinked or self.ws.read_only or self.busy:
            return None
        names = [f"• {ev.original_name}" for ev in unlinked[:_SHOWN_NAMES]]
        if len(unlinked) > _SHOWN_NAMES:
            names.append(self.tr("……等，共 {0} 件").format(len(unlinked)))
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("清理未关联的文件"),
                          self.tr("要从证据库中永久删除 {0} 件没有关联任何任务、考核指标或月度案例的证据吗？")
                          .format(len(unlinked)),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setInformativeText("\n".join(names) + "\n\n" + self.tr(
            "证据库中没有任何记录指向的文件也会一并删除。此操作无法撤销。"))
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("永久删除"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("取消"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            self.confirm_box = None
            if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes:
                self.clean_unlinked()

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()
        return box

    def clean_unlinked(self) -> Job | None:
        """Remove the unlinked evidence and unregistered vault files now, without asking (a background job)."""
        if self.ws.read_only or self.busy:
            return None
        ws = self.ws
        before = {r.evidence.id: r.evidence.original_name for r in self.model.rows}

        def work(_progress: ProgressFn) -> list[str]:
            return evidence.clean_unreferenced(ws)

        return self._run(self.tr("正在清理未关联的文件"), work, lambda removed: self._cleaned(before, removed),
                         cancellable=False)

    def _cleaned(self, before: dict[int, str], removed: list[str]) -> None:
        # What a check said before is out of date now.
        self.last_report = None
        self.check_summary.hide()
        self.check_details.hide()
        self.reload()
        after = {r.evidence.id for r in self.model.rows}
        gone = [name for evidence_id, name in before.items() if evidence_id not in after]
        files = max(0, len(removed) - len(gone))
        if gone:
            shown = "、".join(gone[:_SHOWN_NAMES]) + (self.tr(" 等") if len(gone) > _SHOWN_NAMES else "")
            text = self.tr("已删除 {0} 件未关联的证据：{1}。").format(len(gone), shown)
            if files:
                text += self.tr("证据库中共删除 {0} 个文件。").format(files)
        elif files:
            text = self.tr("已删除证据库中 {0} 个没有记录指向的文件。").format(files)
        else:
            text = self.tr("没有需要清理的文件。")
        self._info(text)
        self.status.setToolTip("\n".join(removed))
        self.changed.emit()

    # ----- internals ---------------------------------------------------------------------------------------------
    def _run(self, title: str, work: Callable[[ProgressFn], Any], done: Callable[[Any], None], *,
             cancellable: bool = True) -> Job:
        self.message.hide()
        self.job = run_in_view(self, title, work, on_success=done, report=self._report, after=self._update_buttons,
                               cancellable=cancellable)
        self._update_buttons()
        return self.job

    def _first_task(self, ev: Evidence | None) -> int | None:
        if ev is None:
            return None
        return next((target for kind, target in ev.links if kind == "task"), None)

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_summary()
        self._update_buttons()

    def _link_filter_changed(self, _index: int) -> None:
        self.proxy.set_linked(str(self.link_filter.currentData()))
        self._update_summary()
        self._update_buttons()

    def _update_summary(self) -> None:
        shown = self.proxy.visible_rows()
        size = size_text(sum(r.evidence.size for r in shown))
        text = self.tr("{0} 件，共 {1}").format(len(shown), size)
        if self.proxy.filtering:
            text += self.tr("（全部 {0} 件）").format(len(self.model.rows))
        self.summary.setText(text)

    def _update_buttons(self) -> None:
        busy = self.busy
        ev = self.selected_evidence()
        self.open_button.setEnabled(ev is not None and not busy)
        self.task_button.setEnabled(self._first_task(ev) is not None)
        self.check_button.setEnabled(not busy)
        unlinked = len(self.unlinked())
        self.clean_button.setEnabled(bool(unlinked) and not self.ws.read_only and not busy)
        if self.ws.read_only:
            self.clean_button.setToolTip(self.tr("工作区以只读方式打开，不能删除文件"))
        elif unlinked:
            self.clean_button.setToolTip(self.tr("永久删除 {0} 件没有关联任何任务、指标或案例的证据").format(unlinked))
        else:
            self.clean_button.setToolTip(self.tr("所有证据都有关联，没有可清理的文件"))

    def _fit_check_details(self) -> None:
        # As tall as its text, up to about eight lines; more scrolls.
        frame = 2 * self.check_details.frameWidth()
        height = int(self.check_details.document().size().height()) + frame
        self.check_details.setFixedHeight(min(height, self.fontMetrics().lineSpacing() * 8 + frame))

    def _info(self, text: str) -> None:
        self.status.setStyleSheet(f"color: {_MUTED_COLOUR};")
        self.status.setText(text)
        self.status.show()

    def _fail(self, text: str) -> None:
        self.message.show_message(text, ERROR)
        self.failed.emit(text)

    def _report(self, text: str, kind: str) -> None:
        """Where run_in_view sends a failure: a cancel on the quiet status line, anything else as a failure."""
        if kind == ERROR:
            self._fail(text)
        else:
            self._info(text)

    # Evidence is attached and unlinked in other views; coming back to this one shows the vault as it is now.
    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        if not event.spontaneous():
            self._stale = True
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self._stale and not event.spontaneous():
            self.reload()
        super().showEvent(event)
