"""The import wizard: a task-allocation, indicator or item table, from a file or pasted text, into the workspace.

Source -> preview with the column mapping -> year -> what will change -> result. Every core call runs through
:func:`ui.jobs.run_job`; an error the user can fix is shown as a plain sentence on the page, never as a modal box.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from liaison_app import catalog
from liaison_app.errors import LiaisonError
from liaison_app.importing import (
    KIND_LABELS,
    ROLE_LABELS,
    ROLES,
    Document,
    ImportPlan,
    ImportReport,
    ParsedIndicator,
    ParsedItem,
    ParsedTask,
    Recognised,
    RecognisedTable,
    apply_import,
    parse_deadline,
    plan_import,
    read_document,
    read_text,
    recognise,
)
from liaison_app.jobs import ProgressFn
from liaison_app.workspace import Workspace
from ui.jobs import Job, run_job, show_error

__all__ = ["ImportWizard", "ERROR_STYLE", "error_label"]

ERROR_STYLE = (
    "color: #8a1c1c; background: #fdecea; border: 1px solid #f1b8b4; border-radius: 4px; padding: 6px 8px;"
)
"""How a plain-sentence error looks inside a page (shared with the welcome dialog)."""
DOUBT_STYLE = (
    "color: #6b4a00; background: #fff4dc; border: 1px solid #f0c36d; border-radius: 4px; padding: 6px 8px;"
)
"""How a warning that the content may have been recognised wrong looks at the top of the preview."""

PREVIEW_ROWS = 50
"""Rows shown per table in the preview; the counts always cover the whole table."""

_PREVIEW_COLUMNS: dict[str, tuple[str, ...]] = {
    "tasks": ("seq", "group", "content", "lead", "cooperating", "deadline"),
    "indicators": ("category", "level1", "level2", "explanation", "score", "departments"),
    "items": ("seq", "name", "item_category", "lead", "cooperating"),
}
"""What the preview grid shows per kind: the parsed values, so a changed column role is visible at once."""

_WIDE_COLUMNS = {"content", "explanation", "name"}
_NARROW_WIDTH = 110
"""The widest a preview column other than the main text gets at first (the user may drag it wider)."""
_DEADLINE_WIDTH = 180
"""A deadline shows its text and the date it became ("9 月底（2023-09-30）")."""

DocumentInput = tuple[str, str]
"""("file", path) or ("text", pasted text): what the document was read from."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportWizard", text)


def _units(names: tuple[str, ...]) -> str:
    return "、".join(names)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _preview_cell(row: Any, role: str) -> str:
    """The parsed value of one preview column, as the workspace will store it."""
    if isinstance(row, ParsedTask):
        if role == "deadline":
            date = row.deadline.date
            return f"{row.deadline.text}（{date.isoformat()}）" if date else row.deadline.text
        if role in ("lead", "cooperating"):
            return _units(getattr(row, role))
        return str(getattr(row, role))
    if isinstance(row, ParsedIndicator):
        if role == "score":
            text = row.score_text or _number(row.score)
            return text if row.shared_group is None else _tr("（共享）")
        if role == "departments":
            return _units(row.departments)
        return str(getattr(row, role))
    assert isinstance(row, ParsedItem)
    if role in ("lead", "cooperating"):
        return _units(getattr(row, role))
    return row.category if role == "item_category" else str(getattr(row, role))


def error_label() -> QLabel:
    """A hidden label that shows a plain-sentence error in red when given text."""
    label = QLabel()
    label.setObjectName("error")
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class ImportWizard(QWizard):
    """Import one document. ``path`` or ``text`` pre-fills the first page and starts reading when shown."""

    PAGE_SOURCE, PAGE_PREVIEW, PAGE_YEAR, PAGE_CHANGES, PAGE_RESULT = range(5)

    imported = Signal(object)
    """The liaison_app ImportReport, after the rows were stored."""
    document_ready = Signal()
    """The document was read and its tables recognised (the wizard moves on to the preview)."""
    preview_ready = Signal()
    """The preview was recognised again after a column role or table choice changed."""
    plan_ready = Signal()
    """The comparison with the workspace is ready (the wizard moves on to the changes page)."""
    failed = Signal(str)
    """A job failed; the message is the sentence shown on the page."""

    def __init__(
        self,
        ws: Workspace,
        parent: QWidget | None = None,
        *,
        path: str | os.PathLike[str] | None = None,
        text: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.document: Document | None = None
        self.tables: tuple[RecognisedTable, ...] = ()
        """The tables of the automatic run, one preview tab each (keyed by found_index)."""
        self.recognised: Recognised | None = None
        """The latest recognition with the user's column roles; None when that found nothing usable."""
        self.column_roles: dict[int, dict[int, str | None]] = {}
        self.skipped: set[int] = set()
        self.year = dt.date.today().year
        """The year deadlines are read in: the document's, else this year until the user says otherwise."""
        self.plan: ImportPlan | None = None
        self.source_names: dict[int, str] = {}
        """How each imported source is called (文号, else title, else file name), for the diff."""
        self.report: ImportReport | None = None
        self.job: Job | None = None
        """The job last started (tests may wait on ``job.finished``)."""
        self._running = 0

        self.setWindowTitle(self.tr("导入表格"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage)
        for which, label in (
            (QWizard.WizardButton.BackButton, self.tr("上一步")),
            (QWizard.WizardButton.NextButton, self.tr("下一步")),
            (QWizard.WizardButton.CommitButton, self.tr("导入")),
            (QWizard.WizardButton.FinishButton, self.tr("完成")),
            (QWizard.WizardButton.CancelButton, self.tr("取消")),
        ):
            self.setButtonText(which, label)
        self.source_page = SourcePage(self, path=path, text=text)
        self.preview_page = PreviewPage(self)
        self.year_page = YearPage(self)
        self.changes_page = ChangesPage(self)
        self.result_page = ResultPage(self)
        for page_id, page in enumerate(
            (self.source_page, self.preview_page, self.year_page, self.changes_page, self.result_page)
        ):
            self.setPage(page_id, page)
        self.resize(1080, 700)

    # ----- state ---------------------------------------------------------------------------------------------
    def set_document(self, document: Document, recognised: Recognised) -> None:
        """A new document: every choice made for the previous one is forgotten."""
        self.document = document
        self.recognised = recognised
        self.tables = recognised.tables
        self.column_roles = {}
        self.skipped = set()
        self.year = recognised.year or dt.date.today().year
        self.plan = None

    def chosen_tables(self) -> list[RecognisedTable]:
        """The tables of the latest recognition that are ticked for import."""
        if self.recognised is None:
            return []
        return [t for t in self.recognised.tables if t.found_index not in self.skipped]

    def set_role(self, found_index: int, column: int, role: str | None) -> None:
        self.column_roles.setdefault(found_index, {})[column] = role
        self.recognise_again()

    def recognise_again(self) -> None:
        document = self.document
        assert document is not None
        roles = {t: dict(cols) for t, cols in self.column_roles.items()}
        year = self.year

        def done(recognised: Recognised) -> None:
            self.recognised = recognised
            self.preview_page.refresh()
            self.preview_ready.emit()

        def nothing_left(_message: str) -> None:
            self.recognised = None
            self.preview_page.refresh()

        self.run(
            self.preview_page,
            self.tr("正在重新识别表格…"),
            lambda progress: recognise(document, year=year, column_roles=roles, progress=progress),
            done,
            nothing_left,
        )

    # ----- jobs ----------------------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """Whether a job is under way (a quick change of two column roles queues two)."""
        return self._running > 0

    def run(
        self,
        page: _Page,
        title: str,
        work: Callable[[ProgressFn], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[str], None] | None = None,
    ) -> None:
        """Run core work off the UI thread; while it runs the wizard's buttons are off."""
        self._running += 1
        for which in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.CommitButton,
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton,
        ):
            self.button(which).setEnabled(False)
        page.show_error("")

        def succeeded(result: Any) -> None:
            self._idle(page)
            on_success(result)

        def failed(error: BaseException) -> None:
            if isinstance(error, LiaisonError):
                message = str(error)
            else:
                message = self.tr(
                    "程序出错了，没有做任何改动。这是程序的缺陷，不是您的操作问题；详细信息已另行显示。"
                )
                show_error(self, error, details=getattr(self.job, "error_traceback", None))
            self._idle(page)
            page.show_error(message)
            if on_failure is not None:
                on_failure(message)
            self.failed.emit(message)

        self.job = run_job(self, title, work, on_success=succeeded, on_failure=failed)

    def _idle(self, page: _Page) -> None:
        self._running -= 1
        if self.busy:
            return
        self.button(QWizard.WizardButton.CancelButton).setEnabled(True)
        page.completeChanged.emit()  # QWizard sets Back/Next/Finish from the page again

    def reject(self) -> None:
        if self.busy:
            return  # the progress dialog has its own cancel button; half a job is never abandoned
        super().reject()


class _Page(QWizardPage):
    """A page with an error line at the bottom."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.error = error_label()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def isComplete(self) -> bool:
        return not self.w.busy and self.ready()

    def ready(self) -> bool:
        return True


# ----- a. source -----------------------------------------------------------------------------------------------
class SourcePage(_Page):
    def __init__(
        self, wizard: ImportWizard, *, path: str | os.PathLike[str] | None, text: str | None
    ) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("选择表格"))
        self.setSubTitle(
            self.tr(
                "导入局里印发的任务分工表、考核指标表或事项清单：选择文件，或者在 Word、WPS、Excel 中"
                "选中整个表格复制后粘贴到下面。"
            )
        )
        self.read_from: DocumentInput | None = None
        self._autostart = path is not None or text is not None

        self.from_file = QRadioButton(self.tr("从文件导入"))
        self.from_text = QRadioButton(self.tr("粘贴表格内容"))
        group = QButtonGroup(self)
        group.addButton(self.from_file)
        group.addButton(self.from_text)
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.tr("尚未选择文件"))
        self.path.setClearButtonEnabled(True)
        browse = QPushButton(self.tr("选择文件…"))
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(
            self.tr(
                "在这里粘贴（Ctrl+V）从 Word、WPS 或 Excel 复制的表格，"
                "包括表头一行（序号、任务内容、牵头部门……）。"
            )
        )
        self.paste_button = QPushButton(self.tr("从剪贴板粘贴"))
        formats = QLabel(
            self.tr(
                "支持 .xlsx、.docx、.csv、.tsv、.txt 文件；旧版的 .xls、.doc 和 WPS 的 .et、.wps "
                "文件需要电脑上装有 LibreOffice 才能读取，也可以先另存为 .xlsx 或 .docx。"
            )
        )
        formats.setWordWrap(True)
        formats.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        paste_row = QHBoxLayout()
        paste_row.addStretch(1)
        paste_row.addWidget(self.paste_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.from_file)
        layout.addLayout(file_row)
        layout.addWidget(formats)
        layout.addSpacing(8)
        layout.addWidget(self.from_text)
        layout.addWidget(self.text, 1)
        layout.addLayout(paste_row)
        layout.addWidget(self.error)

        if path is not None:
            self.path.setText(str(path))
        if text is not None:
            self.text.setPlainText(text)
        (self.from_text if text is not None else self.from_file).setChecked(True)
        browse.clicked.connect(self.choose_file)
        self.paste_button.clicked.connect(self.paste_clipboard)
        self.path.textEdited.connect(lambda _text: self.from_file.setChecked(True))
        self.text.textChanged.connect(self._text_changed)
        group.buttonToggled.connect(lambda *_: self.completeChanged.emit())
        self.path.textChanged.connect(lambda _text: self.completeChanged.emit())

    def _text_changed(self) -> None:
        if self.text.toPlainText():
            self.from_text.setChecked(True)

    def source(self) -> DocumentInput:
        if self.from_text.isChecked():
            return ("text", self.text.toPlainText())
        return ("file", self.path.text().strip())

    def ready(self) -> bool:
        kind, value = self.source()
        return kind == "text" or bool(value)

    def initializePage(self) -> None:
        if self._autostart:
            self._autostart = False
            self.read(self.source())

    def choose_file(self) -> None:
        start = str(Path(self.path.text()).parent) if self.path.text().strip() else ""
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("选择要导入的表格"),
            start,
            self.tr("表格文件 (*.xlsx *.docx *.csv *.tsv *.txt *.xls *.doc *.et *.wps);;所有文件 (*)"),
        )
        if chosen:
            self.path.setText(chosen)
            self.from_file.setChecked(True)
            self.read(self.source())

    def paste_clipboard(self) -> None:
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            self.show_error(self.tr("剪贴板里没有文字。请先在 Word、WPS 或 Excel 中选中表格并复制。"))
            return
        self.text.setPlainText(text)
        self.from_text.setChecked(True)
        self.show_error("")

    def validatePage(self) -> bool:
        if self.w.busy:
            return False
        source = self.source()
        if self.w.document is not None and source == self.read_from:
            return True
        self.read(source)
        return False

    def read(self, source: DocumentInput) -> None:
        """Read and recognise the document off the UI thread, then move on to the preview."""
        if self.w.busy:
            return  # one document at a time: a second file chosen meanwhile would race the first
        kind, value = source

        def work(progress: ProgressFn) -> tuple[Document, Recognised]:
            document = read_document(value, progress=progress) if kind == "file" else read_text(value)
            # A document without a date is read in this year, so the preview shows dates; the year page asks.
            return document, recognise(document, year=document.year or dt.date.today().year, progress=progress)

        def done(result: tuple[Document, Recognised]) -> None:
            self.read_from = source
            self.w.set_document(*result)
            self.w.document_ready.emit()
            if self.w.currentPage() is self:
                self.w.next()

        self.w.run(self, self.tr("正在读取表格…"), work, done)


# ----- b. preview ----------------------------------------------------------------------------------------------
class TablePanel(QWidget):
    """One recognised table: tick box, column mapping, parsed preview and warnings."""

    def __init__(self, wizard: ImportWizard, table: RecognisedTable) -> None:
        super().__init__()
        self.w = wizard
        self.auto = table
        """The table as the automatic run found it: its header and roles stay the mapping's starting point."""
        self.current: RecognisedTable | None = table

        self.include = QCheckBox(self.tr("导入这个表格"))
        self.include.setChecked(table.found_index not in wizard.skipped)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.mapping = QTableWidget(len(table.header), 3)
        self.mapping.setHorizontalHeaderLabels([self.tr("原表的列"), self.tr("示例内容"), self.tr("导入为")])
        self.mapping.verticalHeader().hide()
        self.mapping.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.mapping.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.combos: list[QComboBox] = []
        for col, name in enumerate(table.header):
            self.mapping.setItem(col, 0, QTableWidgetItem(name or self.tr("第 {0} 列").format(col + 1)))
            combo = QComboBox()
            combo.setToolTip(self.tr("改变这一列的含义，表格会按新的设置重新识别"))
            combo.addItem(self.tr("（不导入）"), None)
            for role in ROLES:
                combo.addItem(ROLE_LABELS[role], role)
            combo.currentIndexChanged.connect(
                lambda _i, col=col, combo=combo: self.w.set_role(
                    self.auto.found_index, col, combo.currentData()
                )
            )
            self.combos.append(combo)
            self.mapping.setCellWidget(col, 2, combo)
        header = self.mapping.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

        self.grid = QTableWidget()
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setWordWrap(False)
        self.grid.verticalHeader().hide()
        self.grid_caption = QLabel()
        self.warnings = QListWidget()
        self.warnings.setWordWrap(True)
        self.warnings_caption = QLabel()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(self.tr("列的含义（识别有误时可以改）")))
        left_layout.addWidget(self.mapping)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.grid_caption)
        right_layout.addWidget(self.grid)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 740])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.include)
        top.addWidget(self.info, 1)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.warnings_caption)
        layout.addWidget(self.warnings)
        self.include.toggled.connect(self._include_toggled)

    def _include_toggled(self, on: bool) -> None:
        if on:
            self.w.skipped.discard(self.auto.found_index)
        else:
            self.w.skipped.add(self.auto.found_index)
        self.w.preview_page.table_choice_changed()

    def title(self) -> str:
        table = self.current or self.auto
        text = self.tr("{0}（{1} 行）").format(
            KIND_LABELS[table.kind], len(table.rows) if self.current else 0
        )
        return text if self.include.isChecked() else self.tr("{0}（不导入）").format(text)

    def show_table(self, table: RecognisedTable | None) -> None:
        """Show the latest recognition of this table (None: with the current column roles it has no rows)."""
        self.current = table
        roles: list[str | None]
        if table is not None:
            roles = list(table.roles)
            kind_text = self.tr("识别为{0}，共 {1} 行").format(KIND_LABELS[table.kind], len(table.rows))
            where = table.caption or table.origin
            self.info.setText(self.tr("{0}　来自：{1}").format(kind_text, where) if where else kind_text)
        else:
            overrides = self.w.column_roles.get(self.auto.found_index, {})
            roles = [overrides.get(c, role) for c, role in enumerate(self.auto.roles)]
            self.info.setText(
                self.tr("按现在的列设置，这个表格没有可导入的内容：请检查“任务内容”等列的含义。")
            )
        for col, combo in enumerate(self.combos):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(roles[col])))
            combo.blockSignals(False)
        source = table or self.auto
        for col in range(len(self.auto.header)):
            sample = next(
                (row.cells[col][1] for row in source.rows[:8] if col < len(row.cells) and row.cells[col][1]),
                "",
            )
            item = QTableWidgetItem(sample.replace("\n", " ")[:60])
            item.setToolTip(sample)
            self.mapping.setItem(col, 1, item)
        self._fill_grid(table)
        warnings = table.warnings if table is not None else ()
        self.warnings.clear()
        self.warnings.addItems(list(warnings))
        self.warnings_caption.setText(
            self.tr("识别提示（{0} 条）").format(len(warnings)) if warnings else self.tr("识别提示：没有")
        )
        self.warnings.setVisible(bool(warnings))
        if warnings:
            shown = min(len(warnings), 4)
            self.warnings.setFixedHeight(
                sum(self.warnings.sizeHintForRow(i) for i in range(shown))
                + 2 * self.warnings.frameWidth()
                + 4
            )

    def _fill_grid(self, table: RecognisedTable | None) -> None:
        self.grid.clear()
        if table is None:
            self.grid.setRowCount(0)
            self.grid.setColumnCount(0)
            self.grid_caption.setText(self.tr("将导入的内容：无"))
            return
        columns = _PREVIEW_COLUMNS[table.kind]
        rows = table.rows[:PREVIEW_ROWS]
        self.grid.setColumnCount(len(columns))
        self.grid.setRowCount(len(rows))
        self.grid.setHorizontalHeaderLabels([ROLE_LABELS[c] for c in columns])
        for r, row in enumerate(rows):
            for c, role in enumerate(columns):
                text = _preview_cell(row, role)
                item = QTableWidgetItem(text.replace("\n", " "))
                item.setToolTip(text)
                self.grid.setItem(r, c, item)
        header = self.grid.horizontalHeader()
        for c, role in enumerate(columns):
            if role in _WIDE_COLUMNS:
                header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
                self.grid.resizeColumnToContents(c)
                cap = _DEADLINE_WIDTH if role == "deadline" else _NARROW_WIDTH
                self.grid.setColumnWidth(c, min(self.grid.columnWidth(c), cap))
        if len(table.rows) > PREVIEW_ROWS:
            caption = self.tr("将导入的内容（显示前 {0} 行，共 {1} 行）").format(
                PREVIEW_ROWS, len(table.rows)
            )
        else:
            caption = self.tr("将导入的内容（共 {0} 行）").format(len(table.rows))
        self.grid_caption.setText(caption)


class PreviewPage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("核对识别结果"))
        self.setSubTitle(
            self.tr(
                "检查每个表格识别出的列和内容。某一列识别错了，就在“导入为”中改正；不需要的表格取消勾选。"
            )
        )
        self.document_info = QLabel()
        self.document_info.setWordWrap(True)
        self.document_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget()
        self.document_warnings = QLabel()
        self.document_warnings.setWordWrap(True)
        self.doubts = QLabel()
        """At the top: signs that a table was read but its content looks wrong (bare numbers as task text …)."""
        self.doubts.setObjectName("doubts")
        self.doubts.setStyleSheet(DOUBT_STYLE)
        self.doubts.setWordWrap(True)
        self.doubts.hide()
        self.panels: list[TablePanel] = []
        layout = QVBoxLayout(self)
        layout.addWidget(self.doubts)
        layout.addWidget(self.document_info)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.document_warnings)
        layout.addWidget(self.error)

    def initializePage(self) -> None:
        document = self.w.document
        assert document is not None
        lines = [self.tr("文件：{0}").format(document.file_name)]
        if document.doc_number:
            lines.append(self.tr("文号：{0}").format(document.doc_number))
        if document.title:
            lines.append(self.tr("标题：{0}").format(document.title))
        self.document_info.setText("\n".join(lines))
        self.tabs.clear()
        for panel in self.panels:
            panel.deleteLater()
        self.panels = [TablePanel(self.w, table) for table in self.w.tables]
        for panel in self.panels:
            self.tabs.addTab(panel, "")
        self.refresh()

    def refresh(self) -> None:
        """Show the wizard's latest recognition in every tab."""
        recognised = self.w.recognised
        by_number = {t.found_index: t for t in recognised.tables} if recognised else {}
        for panel in self.panels:
            panel.show_table(by_number.get(panel.auto.found_index))
        table_warnings = {w for t in by_number.values() for w in t.warnings}
        general = [w for w in recognised.warnings if w not in table_warnings] if recognised else []
        self.document_warnings.setText(
            self.tr("文件提示：") + "；".join(w.rstrip("。") for w in general) + "。" if general else ""
        )
        self.document_warnings.setVisible(bool(general))
        doubts = [d for t in by_number.values() if t.found_index not in self.w.skipped for d in t.doubts]
        self.doubts.setText("\n".join(self.tr("请注意：{0}").format(d) for d in doubts))
        self.doubts.setVisible(bool(doubts))
        self.table_choice_changed()

    def table_choice_changed(self) -> None:
        for i, panel in enumerate(self.panels):
            self.tabs.setTabText(i, panel.title())
        if self.w.recognised is not None and not self.w.chosen_tables():
            self.show_error(self.tr("没有勾选要导入的表格：请至少勾选一个。"))
        elif self.w.recognised is not None:
            self.show_error("")
        self.completeChanged.emit()

    def ready(self) -> bool:
        return bool(self.w.chosen_tables())


# ----- c. year -------------------------------------------------------------------------------------------------
class YearPage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("文件年份"))
        self.setSubTitle(
            self.tr("表格中的“9 月底”“三季度”“年底前”等时间节点按这一年换算成日期，原文照样保留。")
        )
        self.spin = QSpinBox()
        self.spin.setRange(1990, 2100)
        self.spin.setSuffix(self.tr(" 年"))
        self.origin = QLabel()
        self.origin.setWordWrap(True)
        self.examples = QLabel()
        self.examples.setWordWrap(True)
        self.examples.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._advance = False
        form = QGridLayout()
        form.addWidget(QLabel(self.tr("年份：")), 0, 0)
        form.addWidget(self.spin, 0, 1)
        form.setColumnStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.origin)
        layout.addSpacing(8)
        layout.addWidget(self.examples)
        layout.addStretch(1)
        layout.addWidget(self.error)
        self.spin.valueChanged.connect(self._show_examples)

    def initializePage(self) -> None:
        self._advance = False
        document = self.w.document
        assert document is not None
        if document.doc_date is not None:
            date = self.tr("{0} 年 {1} 月 {2} 日").format(
                document.doc_date.year, document.doc_date.month, document.doc_date.day
            )
            self.origin.setText(self.tr("已按文件落款日期 {0} 填写，如有不对可以修改。").format(date))
        elif document.year is not None:
            self.origin.setText(self.tr("已按文件中的文号或标题填写，如有不对可以修改。"))
        else:
            self.origin.setText(self.tr("文件里没有找到日期，已填入今年，请核对。"))
        self.spin.setValue(self.w.year)
        self._show_examples()

    def _deadline_texts(self) -> list[str]:
        texts: dict[str, None] = {}
        for table in self.w.chosen_tables():
            for row in table.rows:
                if isinstance(row, ParsedTask) and row.deadline.text:
                    texts.setdefault(row.deadline.text, None)
        return list(texts)

    def _show_examples(self) -> None:
        texts = self._deadline_texts()
        if not texts:
            self.examples.setText(self.tr("要导入的表格里没有时间节点，年份只记录在导入来源上。"))
            return
        lines = [self.tr("换算示例：")]
        for text in texts[:6]:
            parsed = parse_deadline(text, self.spin.value())
            if parsed.date is not None:
                lines.append(self.tr("“{0}” → {1}").format(text, parsed.date.isoformat()))
            else:
                lines.append(self.tr("“{0}” → 不设日期（原文保留）").format(text))
        self.examples.setText("\n".join(lines))

    def validatePage(self) -> bool:
        if self._advance:
            self._advance = False
            return True
        if self.w.busy:
            return False
        self.plan()
        return False

    def plan(self) -> None:
        """Compare with the workspace using the chosen year, column roles and tables; then move on."""
        w = self.w
        document = w.document
        assert document is not None
        year = self.spin.value()
        roles = {t: dict(cols) for t, cols in w.column_roles.items()}
        skipped = set(w.skipped)

        def work(progress: ProgressFn) -> tuple[ImportPlan, dict[int, str]]:
            plan = plan_import(w.ws, document, year=year, column_roles=roles, skip_tables=skipped)
            names = {s.id: s.doc_number or s.title or s.file_name for s in catalog.list_sources(w.ws)}
            return plan, names

        def done(result: tuple[ImportPlan, dict[int, str]]) -> None:
            w.year = year
            w.plan, w.source_names = result
            w.plan_ready.emit()
            if w.currentPage() is self:
                self._advance = True
                w.next()

        w.run(self, self.tr("正在与已导入的内容比对…"), work, done)


# ----- d. what will change -------------------------------------------------------------------------------------
_STATUS_LABELS = {
    "new": QT_TRANSLATE_NOOP("ImportWizard", "新增"),
    "changed": QT_TRANSLATE_NOOP("ImportWizard", "修改"),
    "removed": QT_TRANSLATE_NOOP("ImportWizard", "移除"),
}


class ChangesPage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("将要导入的内容"))
        self.setCommitPage(True)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.counts.setStyleSheet("font-weight: bold;")
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([self.tr("表格 / 行"), self.tr("变化"), self.tr("改动的内容")])
        self.tree.header().setStretchLastSection(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.units = QLabel()
        self.units.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self._advance = False
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.counts)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.units)
        layout.addWidget(self.note)
        layout.addWidget(self.error)

    def initializePage(self) -> None:
        self._advance = False
        plan = self.w.plan
        assert plan is not None
        revision = any(t.previous for t in plan.tables)
        if plan.already_imported:
            self.setSubTitle("")
            self.headline.setText(self.tr("这份文件已经导入过，内容没有变化，不需要再次导入。"))
        elif not plan.has_changes:
            self.setSubTitle("")
            self.headline.setText(self.tr("表格内容与已导入的完全相同，不需要再次导入。"))
        elif revision:
            self.setSubTitle(self.tr("这是已导入表格的新版本。下面列出与上一版相比的变化。"))
            self.headline.setText(
                self.tr(
                    "匹配的任务保留原有的进度和佐证材料；新版中没有的行会归档，"
                    "连同其进度和佐证材料一起保留，不会删除。"
                )
            )
        else:
            self.setSubTitle(self.tr("确认后点“导入”。"))
            self.headline.setText(self.tr("这些表格是第一次导入。"))
        self.counts.setText(
            self.tr("新增 {0} 条　修改 {1} 条　移除 {2} 条　未变 {3} 条").format(
                plan.count("new"), plan.count("changed"), plan.count("removed"), plan.count("unchanged")
            )
        )
        self.tree.clear()
        for tplan in plan.tables:
            table = tplan.table
            parts = [
                self.tr("{0} {1} 条").format(_tr(_STATUS_LABELS[s]), tplan.count(s))
                for s in ("new", "changed", "removed")
                if tplan.count(s)
            ]
            if tplan.count("unchanged"):
                parts.append(self.tr("未变 {0} 条").format(tplan.count("unchanged")))
            summary = "，".join(parts)
            if tplan.previous is not None:
                previous = self.w.source_names.get(tplan.previous[0]) or tplan.previous_label or ""
                summary = self.tr("对照已导入的 {0}：{1}").format(previous, summary)
            top = QTreeWidgetItem([self.tr("{0}——{1}").format(table.label, summary)])
            self.tree.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)
            if tplan.previous is None:
                continue  # a first import: every row is new, the count says it all
            for change in tplan.changes:
                if change.status == "unchanged":
                    continue
                what = "、".join(change.changed_fields) if change.status == "changed" else ""
                child = QTreeWidgetItem([change.label, _tr(_STATUS_LABELS[change.status]), what])
                child.setToolTip(0, change.label)
                top.addChild(child)
        self.tree.expandAll()
        self.tree.setColumnWidth(0, 520)
        self.tree.resizeColumnToContents(1)
        if plan.new_units:
            self.units.setText(
                self.tr("表格中第一次出现的单位（{0} 个）：{1}").format(
                    len(plan.new_units), "、".join(plan.new_units)
                )
            )
        self.units.setVisible(bool(plan.new_units))
        warnings = len(plan.warnings)
        self.note.setText(
            self.tr("识别时有 {0} 条提示，见上一步“核对识别结果”。").format(warnings) if warnings else ""
        )
        self.note.setVisible(bool(warnings))

    def ready(self) -> bool:
        plan = self.w.plan
        return plan is not None and plan.has_changes and not plan.already_imported

    def validatePage(self) -> bool:
        if self._advance:
            self._advance = False
            return True
        if self.w.busy:
            return False
        self.apply()
        return False

    def apply(self) -> None:
        w = self.w
        plan = w.plan
        assert plan is not None

        def done(report: ImportReport) -> None:
            w.report = report
            w.imported.emit(report)
            self._advance = True
            w.next()

        w.run(self, self.tr("正在导入…"), lambda progress: apply_import(w.ws, plan, progress=progress), done)


# ----- e. result -----------------------------------------------------------------------------------------------
class ResultPage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("导入完成"))
        self.setSubTitle(self.tr("表格已保存到工作区。关闭向导后，任务列表会显示新导入的内容。"))
        self.setFinalPage(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    def initializePage(self) -> None:
        report = self.w.report
        assert report is not None
        name = report.doc_number or report.title or report.file_name
        lines = [self.tr("已导入 {0}：").format(name)]
        for table in report.tables:
            parts = [self.tr("新增 {0} 条").format(table.new)]
            if table.changed:
                parts.append(self.tr("修改 {0} 条").format(table.changed))
            if table.removed:
                parts.append(self.tr("归档 {0} 条").format(table.removed))
            lines.append(self.tr("· {0}：共 {1} 条（{2}）").format(table.label, table.rows, "，".join(parts)))
        if report.new_units:
            lines.append(
                self.tr("新出现的单位（{0} 个）：{1}").format(
                    len(report.new_units), "、".join(report.new_units)
                )
            )
        if report.year:
            lines.append(self.tr("时间节点按 {0} 年换算。").format(report.year))
        self.summary.setText("\n".join(lines))
