"""The 材料包 view: make a signed packet for a period, and verify a packet someone sent.

All the work is the core's (liaison_app.packets); this view collects the choices, runs the work through ui.jobs,
and shows the outcome in plain Chinese. The identity password is kept only in its input field.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from liaison_app import cases, catalog, periods
from liaison_app.errors import InputError, LiaisonError
from liaison_app.jobs import ProgressFn
from liaison_app.model import CaseReport
from liaison_app.packets.content import missing_identity_fields, require_identity_fields
from liaison_app.packets.identity import (
    IDENTITY_SETTING,
    Identity,
    create_identity,
    load_certificates,
    load_identity,
)
from liaison_app.packets.package import PacketResult, build_packet, list_packets
from liaison_app.packets.verify import VerifyReport, verify_packet
from liaison_app.periods import Period
from liaison_app.workspace import Workspace
from ui.icons import DONE_COLOUR, DUE_SOON_COLOUR, OVERDUE_COLOUR
from ui.jobs import Job, run_job, show_error
from ui.settings import app_settings

__all__ = ["PacketsView", "NewIdentityDialog"]

_TRUSTED_KEY = "packets/trusted_certificates"


class NewIdentityDialog(QDialog):
    """Create a key pair and self-issued certificate in a password-protected PKCS#12 file."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.identity: Identity | None = None
        self.setWindowTitle(self.tr("新建签名身份"))
        self.name = QLineEdit(ws.liaison or "")
        self.department = QLineEdit(ws.department or "")
        self.bureau = QLineEdit(ws.get_setting("bureau") or "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.path = QLineEdit(str(ws.identity_dir / f"{ws.liaison or '联络员'}.p12"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {OVERDUE_COLOUR.name()};")
        form = QFormLayout()
        form.addRow(self.tr("联络员姓名"), self.name)
        form.addRow(self.tr("科室"), self.department)
        form.addRow(self.tr("局名称"), self.bureau)
        form.addRow(self.tr("密码（至少 6 位）"), self.password)
        form.addRow(self.tr("再输入一次"), self.again)
        form.addRow(self.tr("保存为"), self.path)
        note = QLabel(self.tr("密码不会保存在任何地方，请牢记；忘记密码只能新建身份，并把新证书重新交给办公室。"))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def create(self) -> None:
        if self.password.text() != self.again.text():
            self.error.setText(self.tr("两次输入的密码不一致。"))
            return
        try:
            self.identity = create_identity(Path(self.path.text().strip()), name=self.name.text(),
                                            department=self.department.text(), bureau=self.bureau.text(),
                                            password=self.password.text())
        except LiaisonError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class PacketsView(QWidget):
    """Make and verify packets."""

    packet_built = Signal(object)
    """The PacketResult of a packet just made."""
    packet_verified = Signal(object)
    """The VerifyReport of a packet just checked."""
    failed = Signal(str)
    """The plain sentence shown when making or verifying could not be done."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.today = today or dt.date.today()
        self.department: str | None = None
        """The unit the packet is for; None for the workspace's own."""
        self.job: Job | None = None
        self.last_result: PacketResult | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self._make_box())
        layout.addWidget(self._verify_box(), 1)
        self.set_department(None)

    def missing_fields(self) -> list[str]:
        """What the cover needs and the settings lack (局名称, 科室, 联络员姓名)."""
        return missing_identity_fields(self.ws)

    def set_department(self, name: str | None) -> None:
        """Make packets for this unit (the main window's selector); None or 全部单位 means the workspace's own."""
        self.department = None if not name or name == catalog.ALL_DEPARTMENTS else name
        self.make_button.setText(self.tr("生成并签名（{0}）").format(self.department or self.ws.department or ""))

    def set_year(self, year: int | None) -> None:
        if year is not None:
            self.year.setValue(year)

    # ----- making a packet -----------------------------------------------------------------------------------------
    def _make_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("生成材料包"))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        # The period rule covers the tasks of that year's documents: offer a year the workspace has documents for.
        years = periods.document_years(self.ws)
        self.year.setValue(self.today.year if not years or self.today.year in years else years[0])
        self.year_hint = QLabel(self.tr("工作区中的文件年份：{0}").format("、".join(str(y) for y in years))
                                if years else self.tr("工作区中还没有导入文件"))
        self.kind = QComboBox()
        self.kind.addItem(self.tr("全年"), "year")
        self.kind.addItem(self.tr("季度"), "quarter")
        self.kind.addItem(self.tr("月份"), "month")
        self.number = QSpinBox()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        period_row = QHBoxLayout()
        for w in (self.year, QLabel(self.tr("年")), self.kind, self.number, self.year_hint):
            period_row.addWidget(w)
        period_row.addStretch(1)

        self.identity_path = QLineEdit(self.ws.get_setting(IDENTITY_SETTING) or "")
        self.identity_path.setPlaceholderText(self.tr("签名身份文件（.p12 / .pfx）"))
        browse = QPushButton(self.tr("选择…"))
        browse.clicked.connect(self._choose_identity)
        new = QPushButton(self.tr("新建签名身份…"))
        new.clicked.connect(self._new_identity)
        export = QPushButton(self.tr("导出证书…"))
        export.setToolTip(self.tr("把公钥证书（PEM）交给办公室和核查人员，加入他们的信任列表"))
        export.clicked.connect(self._export_certificate)
        identity_row = QHBoxLayout()
        for w in (self.identity_path, browse, new, export):
            identity_row.addWidget(w)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("签名身份的密码（不会被保存）"))
        self.make_button = QPushButton(self.tr("生成并签名"))
        self.make_button.clicked.connect(self.make_packet)
        self.make_status = QLabel()
        self.make_status.setWordWrap(True)
        self.make_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder = QPushButton(self.tr("打开所在文件夹"))
        self.open_folder.setEnabled(False)
        self.open_folder.clicked.connect(self._open_packet_folder)

        form = QFormLayout(box)
        form.addRow(self.tr("期间"), period_row)
        form.addRow(self.tr("签名身份"), identity_row)
        form.addRow(self.tr("密码"), self.password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.make_button)
        buttons.addWidget(self.open_folder)
        buttons.addStretch(1)
        form.addRow("", buttons)
        form.addRow("", self.make_status)
        self.made = QTableWidget(0, 5)
        self.made.setHorizontalHeaderLabels([self.tr("生成时间"), self.tr("期间"), self.tr("材料包"), self.tr("大小"),
                                             self.tr("所在文件夹")])
        self.made.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.made.verticalHeader().setVisible(False)
        self.made.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.made.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.made.setMaximumHeight(140)
        self.made.setToolTip(self.tr("双击一行，在下方核验这个材料包"))
        self.made.cellDoubleClicked.connect(self._verify_made)
        form.addRow(self.tr("已生成"), self.made)
        self.show_made()
        return box

    def show_made(self) -> None:
        """List the packets made in this workspace (newest first); a moved or deleted one says so."""
        self._made = list_packets(self.ws)
        self.made.setRowCount(len(self._made))
        for row, record in enumerate(self._made):
            name = record.path.name if record.exists else self.tr("{0}（已移走或删除）").format(record.path.name)
            # Two packets of one period share a name in different folders: the folder tells them apart.
            cells = (record.made_at[:16].replace("T", " "), record.period, name, f"{record.size / 1024:.0f} KB",
                     str(record.path.parent))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(record.path))
                self.made.setItem(row, col, item)
        self.made.resizeColumnToContents(0)

    def _verify_made(self, row: int, _column: int) -> None:
        record = self._made[row]
        self.packet_path.setText(str(record.path))
        self.verify()

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.number.setVisible(kind != "year")
        if kind == "quarter":
            self.number.setRange(1, 4)
            self.number.setPrefix(self.tr("第 "))
            self.number.setSuffix(self.tr(" 季度"))
            self.number.setValue((self.today.month - 1) // 3 + 1)
        elif kind == "month":
            self.number.setRange(1, 12)
            self.number.setPrefix("")
            self.number.setSuffix(self.tr(" 月"))
            self.number.setValue(self.today.month)

    def period(self) -> Period:
        kind = self.kind.currentData()
        if kind == "year":
            return Period("year", self.year.value())
        return Period(kind, self.year.value(), self.number.value())

    def _choose_identity(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择签名身份"), str(self.ws.root),
                                              self.tr("签名身份 (*.p12 *.pfx)"))
        if path:
            self.identity_path.setText(path)

    def _remember_identity(self, path: str) -> None:
        if path and path != self.ws.get_setting(IDENTITY_SETTING):
            self.ws.set_setting(IDENTITY_SETTING, path)

    def _new_identity(self) -> None:
        dialog = NewIdentityDialog(self.ws, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.identity and dialog.identity.source:
            self.identity_path.setText(str(dialog.identity.source))
            self._remember_identity(str(dialog.identity.source))
            self.make_status.setText(self.tr("已创建签名身份，证书指纹：{0}").format(dialog.identity.fingerprint))

    def _load_identity(self) -> Identity:
        path = self.identity_path.text().strip()
        if not path:
            raise InputError(self.tr("请先选择或新建签名身份。"))
        return load_identity(path, self.password.text())

    def _export_certificate(self) -> None:
        try:
            identity = self._load_identity()
        except LiaisonError as exc:
            self._fail(self.make_status, str(exc))
            return
        target, _ = QFileDialog.getSaveFileName(self, self.tr("导出证书"), f"{identity.name}-证书.pem",
                                                self.tr("证书 (*.pem)"))
        if target:
            try:
                Path(target).write_bytes(identity.certificate_pem())
            except OSError as exc:
                self._fail(self.make_status, self.tr("无法写入 {0}：{1}").format(target, exc.strerror or exc))
                return
            self.make_status.setText(self.tr("证书已导出到 {0}，指纹 {1}").format(target, identity.fingerprint))

    def ask_about_drafts(self, period: Period, drafts: list[CaseReport]) -> str:
        """Warn that drafts are left out of the signed packet: "finalise" them first, "leave" them out, or
        "cancel"."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("有未定稿的月度案例"), "", parent=self)
        listed = "\n".join(f"{int(d.month[5:])}月：{d.title}" for d in drafts)
        box.setText(self.tr("{0}有 {1} 篇月度案例还是草稿，草稿不会放进签名的材料包"
                            "（概况页会列为“草稿，未纳入”）：\n{2}").format(period.label, len(drafts), listed))
        box.setInformativeText(self.tr("定稿后，材料包就会包含这些案例。"))
        finalise = box.addButton(self.tr("全部定稿后生成"), QMessageBox.ButtonRole.AcceptRole)
        leave = box.addButton(self.tr("不含草稿，直接生成"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(finalise)
        box.exec()
        clicked = box.clickedButton()
        return "finalise" if clicked is finalise else "leave" if clicked is leave else "cancel"

    def _settle_drafts(self, period: Period) -> bool:
        """Ask about the period's drafts, finalise them if asked; False when the packet should not be made."""
        dept = self.department or self.ws.department
        _finals, drafts = periods.period_reports(self.ws, period, department=dept or "")
        if not drafts:
            return True
        answer = self.ask_about_drafts(period, drafts)
        if answer == "cancel":
            return False
        if answer == "finalise":
            for draft in drafts:
                cases.finalise_case(self.ws, draft.id, on=self.today)
        return True

    def make_packet(self) -> Job | None:
        """Build the packet for the chosen period with the chosen identity (a background job); drafts of the
        period are asked about first."""
        period = self.period()
        try:
            require_identity_fields(self.ws)
            identity = self._load_identity()
            if not self._settle_drafts(period):
                self.make_status.setText(self.tr("已取消。"))
                return None
        except LiaisonError as exc:
            self._fail(self.make_status, str(exc))
            return None
        self._remember_identity(self.identity_path.text().strip())
        self.make_button.setEnabled(False)
        self.make_status.setStyleSheet("")
        self.make_status.setText(self.tr("正在生成 {0} 的材料包…").format(period.label))

        def work(progress: ProgressFn) -> PacketResult:
            return build_packet(self.ws, period=period, identity=identity, department=self.department,
                                today=self.today, progress=progress)

        self.job = run_job(self, self.tr("正在生成材料包"), work, on_success=self._built,
                           on_failure=lambda e: self._job_failed(self.make_status, e))
        self.job.finished.connect(lambda: self.make_button.setEnabled(True))
        return self.job

    def _built(self, result: PacketResult) -> None:
        self.last_result = result
        counts = result.manifest["counts"]
        self.make_status.setText(self.tr(
            "已生成：{0}（{1:.0f} KB）\n任务 {2} 项（已完成 {3} 项），佐证材料 {4} 份，月度案例 {5} 篇；签名证书指纹 {6}").format(
            result.path, result.size / 1024, counts["tasks"], counts["done"], counts["evidence"], counts["cases"],
            result.manifest["signer"]["certificate_sha256"])
            + (self.tr("\n{0} 篇草稿未纳入。").format(len(result.content.drafts)) if result.content.drafts else ""))
        self.open_folder.setEnabled(True)
        self.show_made()
        self.packet_built.emit(result)

    def _open_packet_folder(self) -> None:
        if self.last_result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_result.path.parent)))

    # ----- verifying a packet --------------------------------------------------------------------------------------
    def _verify_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("核验材料包"))
        self.packet_path = QLineEdit()
        self.packet_path.setPlaceholderText(self.tr("收到的材料包（.zip）"))
        browse = QPushButton(self.tr("选择…"))
        browse.clicked.connect(self._choose_packet)
        self.trusted = QListWidget()
        self.trusted.setMaximumHeight(70)
        for path in app_settings().value(_TRUSTED_KEY, [], type=list) or []:
            self.trusted.addItem(str(path))
        add = QPushButton(self.tr("添加信任的证书…"))
        add.clicked.connect(self._add_trusted)
        remove = QPushButton(self.tr("移除"))
        remove.clicked.connect(self._remove_trusted)
        self.verify_button = QPushButton(self.tr("核验"))
        self.verify_button.clicked.connect(self.verify)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.verdict.font())
        font.setBold(True)
        self.verdict.setFont(font)
        self.problems = QTableWidget(0, 2)
        self.problems.setHorizontalHeaderLabels([self.tr("文件"), self.tr("问题")])
        self.problems.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.problems.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.problems.verticalHeader().setVisible(False)
        self.problems.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        row = QHBoxLayout()
        row.addWidget(self.packet_path)
        row.addWidget(browse)
        trust_buttons = QVBoxLayout()
        trust_buttons.addWidget(add)
        trust_buttons.addWidget(remove)
        trust_row = QHBoxLayout()
        trust_row.addWidget(self.trusted)
        trust_row.addLayout(trust_buttons)
        form = QFormLayout()
        form.addRow(self.tr("材料包"), row)
        form.addRow(self.tr("信任的证书"), trust_row)
        layout = QVBoxLayout(box)
        layout.addLayout(form)
        layout.addWidget(self.verify_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.verdict)
        layout.addWidget(self.problems, 1)
        return box

    def _choose_packet(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择材料包"), str(self.ws.packets_dir),
                                              self.tr("材料包 (*.zip)"))
        if path:
            self.packet_path.setText(path)

    def trusted_paths(self) -> list[str]:
        return [self.trusted.item(i).text() for i in range(self.trusted.count())]

    def add_trusted(self, path: str) -> None:
        """Add a certificate file to the trusted list (checked first; remembered across sessions)."""
        try:
            load_certificates(path)
        except LiaisonError as exc:
            self._fail(self.verdict, str(exc))
            return
        if path not in self.trusted_paths():
            self.trusted.addItem(path)
            app_settings().setValue(_TRUSTED_KEY, self.trusted_paths())

    def _add_trusted(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择信任的证书"), "", self.tr("证书 (*.pem *.crt *.cer)"))
        if path:
            self.add_trusted(path)

    def _remove_trusted(self) -> None:
        for item in self.trusted.selectedItems():
            self.trusted.takeItem(self.trusted.row(item))
        app_settings().setValue(_TRUSTED_KEY, self.trusted_paths())

    def verify(self) -> Job | None:
        """Verify the chosen packet against the trusted certificates (a background job)."""
        packet = self.packet_path.text().strip()
        if not packet:
            self._fail(self.verdict, self.tr("请先选择要核验的材料包。"))
            return None
        try:
            trusted = [c for p in self.trusted_paths() for c in load_certificates(p)]
        except LiaisonError as exc:
            self._fail(self.verdict, str(exc))
            return None
        self.verify_button.setEnabled(False)
        self.problems.setRowCount(0)
        self.verdict.setText(self.tr("正在核验…"))

        def work(progress: ProgressFn) -> VerifyReport:
            return verify_packet(packet, trusted=trusted, progress=progress)

        self.job = run_job(self, self.tr("正在核验材料包"), work, on_success=self._verified,
                           on_failure=lambda e: self._job_failed(self.verdict, e))
        self.job.finished.connect(lambda: self.verify_button.setEnabled(True))
        return self.job

    def _verified(self, report: VerifyReport) -> None:
        who = ""
        if report.signer_fingerprint:
            when = report.signed_at.astimezone().strftime("%Y-%m-%d %H:%M") if report.signed_at else "?"
            who = self.tr("签名人 {0}（{1}），签名时间 {2}。").format(report.signer_name or "?",
                                                               report.signer_department or "", when)
        if report.intact and report.trusted:
            text, colour = self.tr("✔ 完好：所有文件与签名一致，签名人受信任。"), DONE_COLOUR.name()
        elif report.intact:
            text, colour = self.tr("✔ 完好，但签名人不在信任列表中：无法确认是谁签的名。请添加对方提供的证书后再核验。"), DUE_SOON_COLOUR.name()
        else:
            text, colour = self.tr("✘ 发现 {0} 个问题：材料包在签名后被改动，或已损坏。").format(len(report.problems)), OVERDUE_COLOUR.name()
        self.verdict.setStyleSheet(f"color: {colour};")
        self.verdict.setText(f"{text}\n{who}{self.tr('证书指纹：')}{report.signer_fingerprint or '—'}")
        self.problems.setRowCount(len(report.problems))
        for row, problem in enumerate(report.problems):
            self.problems.setItem(row, 0, QTableWidgetItem(problem.file or self.tr("材料包")))
            self.problems.setItem(row, 1, QTableWidgetItem(problem.message))
        self.packet_verified.emit(report)

    # ----- errors ----------------------------------------------------------------------------------------------------
    def _fail(self, label: QLabel, message: str) -> None:
        label.setStyleSheet(f"color: {OVERDUE_COLOUR.name()};")
        label.setText(message)
        self.failed.emit(message)

    def _job_failed(self, label: QLabel, error: BaseException) -> None:
        if isinstance(error, LiaisonError):
            self._fail(label, str(error))
        else:
            label.setText("")
            show_error(self, error)
