"""设置: who this workspace is for (unit, liaison, bureau), reminder rules, trusted certificates, the PDF font, the
language, and the workspace itself (open another, back up to one file, restore from one)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from liaison_app import catalog, progress
from liaison_app.backup import BackupResult, RestoreResult, backup_workspace, restore_workspace
from liaison_app.errors import InputError, LiaisonError
from liaison_app.workspace import Workspace

from .i18n import LANGUAGES, current_language, set_language
from .jobs import Job, run_in_view
from .message_bar import ERROR, INFO, MessageBar
from .settings import PDF_FONT_KEY, TRUSTED_KEY, app_settings, apply_pdf_font

__all__ = ["SettingsView"]


class SettingsView(QWidget):
    """Every change is saved when made (a field when it loses focus or Enter is pressed), and said so."""

    changed = Signal()
    """Something the other views show changed (unit, liaison, bureau, reminder rules)."""
    identity_changed = Signal()
    """The unit, liaison or bureau changed: the window's title and task list follow."""
    reopen_requested = Signal(object)
    """Open this workspace folder (a Path) in place of the current one."""
    language_changed = Signal(str)

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.today = today or progress.workspace_today(ws)
        self.job: Job | None = None
        self.message_bar = MessageBar()
        body = QWidget()
        col = QVBoxLayout(body)
        col.setContentsMargins(18, 12, 18, 12)
        col.setSpacing(12)
        for box in (self._identity_box(), self._reminder_box(), self._trust_box(), self._pdf_box(),
                    self._language_box(), self._workspace_box()):
            col.addWidget(box)
        col.addStretch(1)
        body.setMaximumWidth(self.fontMetrics().horizontalAdvance("任") * 60)  # lines a reader can follow
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.message_bar)
        outer.addWidget(scroll, 1)
        self._update_enabled()

    # ----- who ---------------------------------------------------------------------------------------------------
    def _identity_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("本工作区属于"))
        form = QFormLayout(box)
        self.department = QComboBox()
        self.department.setEditable(True)
        self.department.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.department.addItems(catalog.list_departments(self.ws))
        self.department.setCurrentText(self.ws.department or "")
        self.department.lineEdit().editingFinished.connect(self._save_identity)
        self.department.activated.connect(lambda _i: self._save_identity())
        self.liaison = QLineEdit(self.ws.liaison or "")
        self.liaison.setPlaceholderText(self.tr("例如：张三"))
        self.liaison.editingFinished.connect(self._save_identity)
        self.bureau = QLineEdit(self.ws.get_setting("bureau") or "")
        self.bureau.setPlaceholderText(self.tr("例如：上海市松江区生态环境局"))
        self.bureau.editingFinished.connect(self._save_identity)
        note = QLabel(self.tr("上级或其他单位印发的文件，只有点名本局（如“各区生态环境局”）的任务才算本局的；"
                              "文件中的“办公室”等科室名指的是发文单位自己的科室。"))
        note.setWordWrap(True)
        form.addRow(self.tr("科室："), self.department)
        form.addRow(self.tr("联络员："), self.liaison)
        form.addRow(self.tr("所在局："), self.bureau)
        form.addRow("", note)
        return box

    def _save_identity(self) -> None:
        values = {"department": self.department.currentText().strip(), "liaison": self.liaison.text().strip(),
                  "bureau": self.bureau.text().strip()}
        if not values["department"]:
            self.message_bar.show_message(self.tr("科室不能为空。"), ERROR)
            self.department.setCurrentText(self.ws.department or "")
            return
        changed = [k for k, v in values.items() if v != (self.ws.get_setting(k) or "")]
        if not changed:
            return
        try:
            for key in changed:
                self.ws.set_setting(key, values[key])
        except LiaisonError as err:
            self.message_bar.show_message(str(err), ERROR)
            return
        self.message_bar.show_message(self.tr("已保存。以后生成的材料包使用新的科室、联络员和局名称。"), INFO)
        self.identity_changed.emit()
        self.changed.emit()

    def set_identity(self, *, department: str | None = None, liaison: str | None = None,
                     bureau: str | None = None) -> None:
        """Type into the fields and leave them, as a user would."""
        if department is not None:
            self.department.setCurrentText(department)
        if liaison is not None:
            self.liaison.setText(liaison)
        if bureau is not None:
            self.bureau.setText(bureau)
        self._save_identity()

    # ----- reminders ---------------------------------------------------------------------------------------------
    def _reminder_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("提醒"))
        form = QFormLayout(box)
        rules = progress.reminder_rules(self.ws)
        self.soon_days = QSpinBox()
        self.soon_days.setRange(1, 90)
        self.soon_days.setValue(rules.soon_days)
        self.soon_days.setSuffix(self.tr(" 天"))
        self.report_day = QSpinBox()
        self.report_day.setRange(1, 28)
        self.report_day.setValue(rules.report_day)
        self.report_day.setPrefix(self.tr("每月 "))
        self.report_day.setSuffix(self.tr(" 日"))
        for spin in (self.soon_days, self.report_day):
            spin.editingFinished.connect(self._save_rules)
        form.addRow(self.tr("时限前多少天提醒“即将到期”："), self.soon_days)
        form.addRow(self.tr("当月案例的报送日："), self.report_day)
        return box

    def _save_rules(self) -> None:
        try:
            progress.set_reminder_rules(self.ws, soon_days=self.soon_days.value(), report_day=self.report_day.value())
        except LiaisonError as err:
            self.message_bar.show_message(str(err), ERROR)
            return
        self.changed.emit()

    # ----- trusted certificates ----------------------------------------------------------------------------------
    def _trust_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("信任的证书（核验收到的材料包时，签名人证书在此列表中才算“受信任”）"))
        self.trusted = QListWidget()
        self.trusted.setMinimumHeight(80)
        self.trusted.setMaximumHeight(self.fontMetrics().lineSpacing() * 8)
        add = QPushButton(self.tr("添加证书…"))
        add.clicked.connect(self._choose_certificate)
        self.remove_trusted_button = QPushButton(self.tr("移除"))
        self.remove_trusted_button.clicked.connect(self.remove_selected_trusted)
        buttons = QVBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(self.remove_trusted_button)
        buttons.addStretch(1)
        row = QHBoxLayout(box)
        row.addWidget(self.trusted, 1)
        row.addLayout(buttons)
        self._fill_trusted()
        return box

    @staticmethod
    def trusted_paths() -> list[str]:
        return [str(p) for p in (app_settings().value(TRUSTED_KEY, [], type=list) or [])]

    def _fill_trusted(self) -> None:
        from liaison_app.packets.identity import fingerprint, load_certificates, subject_name

        self.trusted.clear()
        for path in self.trusted_paths():
            try:
                cert = load_certificates(path)[0]
                text = self.tr("{0}\n    SHA-256 指纹：{1}\n    {2}").format(
                    subject_name(cert), _grouped(fingerprint(cert)), path)
            except (LiaisonError, IndexError, OSError):
                text = self.tr("{0}（文件已不存在或无法读取）").format(path)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.trusted.addItem(item)

    def add_trusted(self, path: str) -> None:
        """Check a certificate file and add it to the list the 材料包 view verifies against."""
        from liaison_app.packets.identity import load_certificates

        try:
            if not load_certificates(path):
                raise InputError(self.tr("{0} 中没有证书。").format(path))
        except LiaisonError as err:
            self.message_bar.show_message(str(err), ERROR)
            return
        paths = self.trusted_paths()
        if path not in paths:
            app_settings().setValue(TRUSTED_KEY, [*paths, path])
        self._fill_trusted()
        self.message_bar.show_message(self.tr("已添加。请与对方核对上面显示的 SHA-256 指纹。"), INFO)

    def _choose_certificate(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择信任的证书"), "", self.tr("证书 (*.pem *.crt *.cer)"))
        if path:
            self.add_trusted(path)

    def remove_selected_trusted(self) -> None:
        gone = {item.data(Qt.ItemDataRole.UserRole) for item in self.trusted.selectedItems()}
        app_settings().setValue(TRUSTED_KEY, [p for p in self.trusted_paths() if p not in gone])
        self._fill_trusted()

    # ----- PDF font ----------------------------------------------------------------------------------------------
    def _pdf_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("材料包 PDF 的字体"))
        self.pdf_font = QLineEdit(str(app_settings().value(PDF_FONT_KEY, "") or ""))
        self.pdf_font.setPlaceholderText(self.tr("自动（Windows：微软雅黑/宋体；Linux：文泉驿微米黑）"))
        self.pdf_font.setReadOnly(True)
        choose = QPushButton(self.tr("选择字体文件…"))
        choose.clicked.connect(self._choose_font)
        reset = QPushButton(self.tr("恢复自动"))
        reset.clicked.connect(lambda: self.set_pdf_font(""))
        row = QHBoxLayout(box)
        row.addWidget(self.pdf_font, 1)
        row.addWidget(choose)
        row.addWidget(reset)
        return box

    def set_pdf_font(self, path: str) -> None:
        """Use this TrueType font (.ttf/.ttc) in the PDFs made from now on ("" for the automatic choice)."""
        if path:
            from liaison_app.packets.fonts import check_font

            try:
                check_font(path)
            except LiaisonError as err:
                self.message_bar.show_message(str(err), ERROR)
                return
        app_settings().setValue(PDF_FONT_KEY, path)
        apply_pdf_font()
        self.pdf_font.setText(path)
        self.message_bar.show_message(self.tr("已保存：以后生成的 PDF 使用这个字体。") if path
                                      else self.tr("已恢复自动选择字体。"), INFO)

    def _choose_font(self) -> None:
        start = os.path.join(os.environ.get("WINDIR", r"C:\Windows"), "Fonts") if os.name == "nt" else "/usr/share/fonts"
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择中文字体"), start,
                                              self.tr("TrueType 字体 (*.ttf *.ttc *.otf)"))
        if path:
            self.set_pdf_font(path)

    # ----- language ----------------------------------------------------------------------------------------------
    def _language_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("界面语言"))
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.language.activated.connect(lambda _i: self.choose_language(self.language.currentData()))
        row = QHBoxLayout(box)
        row.addWidget(self.language)
        row.addStretch(1)
        return box

    def choose_language(self, code: str) -> None:
        if code == current_language():
            return
        set_language(code)
        self.language_changed.emit(code)

    # ----- workspace ---------------------------------------------------------------------------------------------
    def _workspace_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("工作区"))
        self.where = QLabel(str(self.ws.root))
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.where.setWordWrap(True)
        open_other = QPushButton(self.tr("打开其他工作区…"))
        open_other.clicked.connect(self._choose_workspace)
        self.backup_button = QPushButton(self.tr("备份到一个文件…"))
        self.backup_button.setToolTip(self.tr("数据库、证据库和签名身份一起存成一个 zip 文件；建议存到U盘或另一块磁盘"))
        self.backup_button.clicked.connect(self._choose_backup)
        self.restore_button = QPushButton(self.tr("从备份恢复…"))
        self.restore_button.setToolTip(self.tr("逐一核对备份中每个文件的 SHA-256，核对无误才恢复到新的文件夹"))
        self.restore_button.clicked.connect(self._choose_restore)
        buttons = QHBoxLayout()
        for b in (open_other, self.backup_button, self.restore_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        col = QVBoxLayout(box)
        col.addWidget(self.where)
        col.addLayout(buttons)
        return box

    def _update_enabled(self) -> None:
        writable = not self.ws.read_only
        for w in (self.department, self.liaison, self.bureau, self.soon_days, self.report_day):
            w.setEnabled(writable)

    def _choose_workspace(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择工作区文件夹"), str(self.ws.root.parent))
        if folder:
            self.reopen_requested.emit(Path(folder))

    def _choose_backup(self) -> None:
        name = f"{self.ws.department or '工作区'}-备份-{dt.date.today():%Y%m%d}.zip"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("备份到"), str(Path.home() / name), self.tr("备份 (*.zip)"))
        if path:
            self.back_up(Path(path))

    def back_up(self, dest: Path) -> Job:
        """Back the workspace up into ``dest`` (a background job with progress)."""

        def done(result: BackupResult) -> None:
            self.message_bar.show_message(self.tr("已备份 {0} 个文件（{1:.1f} MB）到 {2}").format(
                result.files, result.size / 1024 / 1024, result.path), INFO)

        self.job = run_in_view(self, self.tr("正在备份工作区…"), lambda p: backup_workspace(self.ws, dest, progress=p),
                               on_success=done, report=self.message_bar.show_message,
                               lock=(self.backup_button, self.restore_button))
        return self.job

    def _choose_restore(self) -> None:
        source, _ = QFileDialog.getOpenFileName(self, self.tr("选择备份文件"), str(Path.home()), self.tr("备份 (*.zip)"))
        if not source:
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("恢复到哪个文件夹（新的或空的文件夹）"), str(Path.home()))
        if folder:
            self.restore(Path(source), Path(folder))

    def restore(self, source: Path, target: Path) -> Job | None:
        """Restore a backup into ``target`` (a background job); when it succeeds, say where it is."""
        if target.absolute() == self.ws.root.absolute():
            self.message_bar.show_message(self.tr("不能恢复到正在使用的工作区；请选择一个新的或空的文件夹。"), ERROR)
            return None

        def done(result: RestoreResult) -> None:
            self.restored = result
            self.message_bar.show_message(self.tr("已核对并恢复 {0} 个文件到 {1}。可用“打开其他工作区…”打开它。").format(
                result.files, result.workspace), INFO)

        self.job = run_in_view(self, self.tr("正在核对并恢复备份…"),
                               lambda p: restore_workspace(source, target, progress=p), on_success=done,
                               report=self.message_bar.show_message, lock=(self.backup_button, self.restore_button))
        return self.job


def _grouped(hex_digest: str) -> str:
    """AB12 CD34 …: easier to read aloud over the phone when comparing."""
    upper = hex_digest.upper()
    return " ".join(upper[i:i + 4] for i in range(0, len(upper), 4))
