"""The first-run dialog: choose (or create) the workspace folder, optionally load the two sample tables, and say
which unit the liaison works for. Hands an open Workspace to whoever started it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from liaison_app import catalog
from liaison_app.errors import LiaisonError
from liaison_app.importing import import_file
from liaison_app.jobs import ProgressFn
from liaison_app.paths import sample_tables
from liaison_app.workspace import DB_NAME, Workspace
from ui.jobs import Job, run_in_view
from ui.message_bar import ERROR, MessageBar

__all__ = ["WelcomeDialog"]


def _prefixed(progress: ProgressFn, prefix: str) -> ProgressFn:
    """Progress of one sample among several: the same reports, their message saying which sample."""

    def report(done: int, total: int | None, message: str) -> None:
        progress(done, total, prefix + message)

    return report


class WelcomeDialog(QDialog):
    """Two steps: the workspace folder (and samples), then the unit and the liaison's name."""

    completed = Signal(object)
    """The open liaison_app Workspace, with department (and liaison, if given) stored. The receiver closes it."""
    workspace_ready = Signal()
    """The folder was opened (and the samples loaded); the unit step is shown."""
    failed = Signal(str)
    """The sentence shown when the folder could not be opened or the settings saved."""

    def __init__(self, default_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws: Workspace | None = None
        self.units: list[str] = []
        self.job: Job | None = None
        self._handed_over = False
        self.setWindowTitle(self.tr("欢迎使用联络员工作台"))
        self.stack = QStackedWidget()
        self.stack.addWidget(self._folder_step(default_dir))
        self.stack.addWidget(self._unit_step())
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self.resize(640, 460)

    # ----- step 1: the folder --------------------------------------------------------------------------------
    def _folder_step(self, default_dir: Path) -> QWidget:
        page = QWidget()
        heading = QLabel(self.tr("欢迎使用联络员工作台"))
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        intro = QLabel(
            self.tr(
                "联络员工作台帮助各科室的联络员：导入局里印发的任务分工表和考核指标，找出本科室牵头或配合的任务，"
                "逐项销号并保存佐证材料，每月记录做法经验或案例，生成带电子签名、经得起核查的材料包。\n\n"
                "所有数据都保存在本机的工作区文件夹中，不需要联网。"
            )
        )
        intro.setWordWrap(True)
        self.folder = QLineEdit(str(default_dir))
        browse = QPushButton(self.tr("浏览…"))
        self.folder_status = QLabel()
        self.folder_status.setWordWrap(True)
        self.load_samples = QCheckBox(self.tr("载入示例表格（沪松环〔2023〕14号、沪绿容〔2023〕177号）"))
        # Off by default: ticked samples end up looking like the user's own tasks.
        self.load_samples.setChecked(False)
        samples_note = QLabel(
            self.tr("示例表格只用来熟悉软件。想先试一试，建议另建一个练习用的工作区载入示例，不要和本局的工作区混在一起。")
        )
        samples_note.setWordWrap(True)
        self.folder_error = MessageBar(closable=False)
        quit_button = QPushButton(self.tr("退出"))
        self.next_button = QPushButton(self.tr("下一步"))
        self.next_button.setDefault(True)
        # Enter goes on to the next step, whichever button had focus last: never the folder picker.
        for button in (browse, quit_button):
            button.setAutoDefault(False)

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(quit_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(page)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addWidget(QLabel(self.tr("工作区文件夹（保存导入的表格、进度、佐证材料和材料包）：")))
        layout.addLayout(folder_row)
        layout.addWidget(self.folder_status)
        layout.addSpacing(8)
        layout.addWidget(self.load_samples)
        layout.addWidget(samples_note)
        layout.addStretch(1)
        layout.addWidget(self.folder_error)
        layout.addLayout(buttons)

        browse.clicked.connect(self._browse)
        self.folder.textChanged.connect(self._describe_folder)
        quit_button.clicked.connect(self.reject)
        self.next_button.clicked.connect(self.open_workspace)
        self._describe_folder()
        return page

    def _chosen_folder(self) -> Path | None:
        text = self.folder.text().strip()
        return Path(text).expanduser() if text else None

    def _describe_folder(self) -> None:
        folder = self._chosen_folder()
        if folder is None:
            self.folder_status.setText(self.tr("请选择一个文件夹。"))
        elif (folder / DB_NAME).is_file():
            self.folder_status.setText(self.tr("这个文件夹里已有工作区，将打开它，原有内容保留。"))
        else:
            self.folder_status.setText(self.tr("将在这个文件夹新建工作区。"))

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("选择工作区文件夹"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def open_workspace(self) -> None:
        """Open or create the workspace (and import the samples) off the UI thread, then show the unit step."""
        if self.job is not None and not self.job.done:
            return
        folder = self._chosen_folder()
        if folder is None:
            self._fail(self.folder_error, self.tr("请选择工作区文件夹。"))
            return
        samples = sample_tables() if self.load_samples.isChecked() else []
        step = self.tr("示例 {0}/{1}：")

        def work(progress: ProgressFn) -> tuple[Workspace, list[str]]:
            ws = Workspace.open(folder, create=True)
            try:
                for n, sample in enumerate(samples, start=1):
                    import_file(ws, sample, progress=_prefixed(progress, step.format(n, len(samples))))
                return ws, catalog.list_departments(ws)
            except BaseException:
                ws.close()
                raise

        self.folder_error.hide()
        title = self.tr("正在准备工作区…") if not samples else self.tr("正在准备工作区并载入示例表格…")
        self.job = run_in_view(self, title, work, on_success=self._opened, lock=(self.next_button,),
                               report=lambda text, _kind: self._fail(self.folder_error, text))

    def _opened(self, result: tuple[Workspace, list[str]]) -> None:
        self.ws, self.units = result
        self.unit.clear()
        self.unit.addItems(self.units)
        self.unit.setCurrentText(self.ws.department or "")
        self.name.setText(self.ws.liaison or "")
        self.bureau.setText(self.ws.get_setting("bureau") or "")
        self.unit_error.hide()
        self._describe_unit()
        self.stack.setCurrentIndex(1)
        self.unit.setFocus()
        self.workspace_ready.emit()

    # ----- step 2: the unit ----------------------------------------------------------------------------------
    def _unit_step(self) -> QWidget:
        page = QWidget()
        heading = QLabel(self.tr("您在哪个科室？"))
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        explain = QLabel(
            self.tr(
                "工作台按科室筛出您牵头或配合的任务。科室名称请与任务分工表中“牵头部门”“配合部门”"
                "的写法一致；以后可以在设置中修改。"
            )
        )
        explain.setWordWrap(True)
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.unit.lineEdit().setPlaceholderText(self.tr("选择或输入科室名称，例如：法制科"))
        self.unit_note = QLabel()
        self.unit_note.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("例如：张三（用于进度记录和材料包的报送人）"))
        self.bureau = QLineEdit()
        self.bureau.setPlaceholderText(self.tr("例如：上海市松江区生态环境局"))
        self.bureau.setToolTip(self.tr("本工作区属于哪个局。上级或其他单位印发的文件，只有点名本局（如“各区生态环境局”）的任务才算本局的。"))
        self.unit_error = MessageBar(closable=False)
        self.back_button = QPushButton(self.tr("上一步"))
        self.back_button.setAutoDefault(False)
        self.start_button = QPushButton(self.tr("开始使用"))
        self.start_button.setDefault(True)

        form = QFormLayout()
        form.addRow(self.tr("科室："), self.unit)
        form.addRow("", self.unit_note)
        form.addRow(self.tr("联络员姓名："), self.name)
        form.addRow(self.tr("所在局："), self.bureau)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(page)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.unit_error)
        layout.addLayout(buttons)

        self.unit.editTextChanged.connect(lambda _text: self._describe_unit())
        self.back_button.clicked.connect(self._back)
        self.start_button.clicked.connect(self.finish)
        return page

    def _describe_unit(self) -> None:
        unit = self.unit.currentText().strip()
        if unit and self.units and unit not in self.units:
            self.unit_note.setText(
                self.tr("已导入的表格中还没有出现“{0}”；如果表格里的写法不同，请从列表中选择。").format(unit)
            )
        elif not self.units:
            self.unit_note.setText(self.tr("还没有导入表格，请直接输入科室名称。"))
        else:
            self.unit_note.setText("")
        self.unit_note.setVisible(bool(self.unit_note.text()))

    def _back(self) -> None:
        self._close_workspace()
        self.stack.setCurrentIndex(0)

    def finish(self) -> None:
        """Store the unit and name, and hand the open workspace over."""
        ws = self.ws
        assert ws is not None
        unit = self.unit.currentText().strip()
        name = self.name.text().strip()
        if not unit:
            self._fail(self.unit_error, self.tr("请选择或填写您所在的科室。"))
            return
        try:
            ws.set_setting("department", unit)
            if name:
                ws.set_setting("liaison", name)
            if self.bureau.text().strip():
                ws.set_setting("bureau", self.bureau.text().strip())
        except LiaisonError as error:
            self._fail(self.unit_error, str(error))
            return
        self._handed_over = True
        self.completed.emit(ws)
        self.accept()

    # ----- errors and closing --------------------------------------------------------------------------------
    def _fail(self, bar: MessageBar, message: str) -> None:
        bar.show_message(message, ERROR)
        self.failed.emit(message)

    def _close_workspace(self) -> None:
        if self.ws is not None and not self._handed_over:
            self.ws.close()
        self.ws = None

    def reject(self) -> None:
        if self.job is not None and not self.job.done:
            return  # the progress dialog has its own cancel button
        self._close_workspace()
        super().reject()
