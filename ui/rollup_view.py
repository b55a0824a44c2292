"""The 材料汇总 view: the office takes the units' signed packets in (buttons or drag and drop), sees the bureau-wide
picture of a period, sends reminders and signs the consolidated packet.

All the work is the core's (liaison_app.rollup); long work runs through ui.jobs. The task table keeps the bureau
view's rows and filters them in memory on every keystroke (the search text of each row is built once).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from liaison_app import paths
from liaison_app.errors import LiaisonError
from liaison_app.evidence import safe_file_name
from liaison_app.model import STATUS_LABELS, DueState
from liaison_app.rollup.store import AddOutcome, add_packets, list_received, packet_member, trust_certificates
from liaison_app.rollup.view import BureauTask, BureauView, bureau_view, filter_tasks, periods, task_evidence
from liaison_app.workspace import Workspace
from ui.drops import dropped_files
from ui.icons import DONE_COLOUR, OVERDUE_COLOUR
from ui.jobs import Job, run_job, show_error

__all__ = ["RollupView", "BureauTaskModel"]

_STATUS: Final = {s.value: label for s, label in STATUS_LABELS.items()}
_ROLE: Final = {"lead": "牵头", "cooperating": "配合"}


def _states(task: BureauTask, role: str) -> str:
    parts = [f"{r.department} {_STATUS.get(r.status, r.status)}" + ("（逾期）" if r.due is DueState.OVERDUE else "")
             for r in task.reports if r.role == role]
    named = task.lead if role == "lead" else task.cooperating
    parts += [f"{u} 未报送" for u in task.missing if u in named]
    return "；".join(parts)


class BureauTaskModel(QAbstractTableModel):
    """The bureau's tasks, one row each; the rows shown are the filtered subset."""

    COL_SEQ, COL_CONTENT, COL_DEADLINE, COL_LEAD, COL_COOP, COL_STATUS = range(6)
    HEADERS: Final = ("序号", "任务内容", "时限", "牵头科室及状态", "配合科室及状态", "综合状态")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._all: list[BureauTask] = []
        self._hay_of: dict[str, str] = {}
        self._last: tuple[str, dict[str, Any]] | None = None
        """The text and the other criteria of the last filter."""
        self._rows: list[BureauTask] = []
        self._cells: dict[str, tuple[str, str]] = {}

    def set_tasks(self, tasks: list[BureauTask]) -> None:
        self.beginResetModel()
        self._all = tasks
        self._hay_of = {t.key: t.haystack for t in tasks}
        self._last = None
        for t in tasks:  # computed once here rather than on the first keystroke
            _ = t.by_unit, t.status, t.overdue_units
        self._cells = {t.key: (_states(t, "lead"), _states(t, "cooperating")) for t in tasks}
        self._rows = list(tasks)
        self.endResetModel()

    def apply_filter(self, **criteria: Any) -> None:
        text = str(criteria.get("text") or "")
        others = {k: v for k, v in criteria.items() if k != "text"}
        # Typing on: every row the longer text matches, the shorter one matched too, so only those are searched.
        narrowing = self._last is not None and self._last[1] == others and text.startswith(self._last[0])
        pool = self._rows if narrowing else self._all
        hay = [self._hay_of[t.key] for t in pool]
        self.beginResetModel()
        self._rows = filter_tasks(pool, haystacks=hay, **criteria)
        self.endResetModel()
        self._last = (text, others)

    def task(self, row: int) -> BureauTask:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        t = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_SEQ:
                return t.seq
            if col == self.COL_CONTENT:
                return t.content
            if col == self.COL_DEADLINE:
                return t.deadline_text or (t.deadline.isoformat() if t.deadline else "")
            if col in (self.COL_LEAD, self.COL_COOP):
                return self._cells[t.key][col - self.COL_LEAD]
            if col == self.COL_STATUS:
                return _STATUS.get(t.status, t.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.COL_CONTENT:
                return f"{t.source} 序号 {t.seq}\n{t.content}"
            if col in (self.COL_LEAD, self.COL_COOP):
                return self._cells[t.key][col - self.COL_LEAD].replace("；", "\n")
        if role == Qt.ItemDataRole.ForegroundRole:
            if t.overdue_units:
                return QBrush(OVERDUE_COLOUR)
            if col == self.COL_STATUS and t.status == "done":
                return QBrush(DONE_COLOUR)
        return None


class _SignDialog(QDialog):
    """The office's identity and its password for the consolidated packet (the password is kept nowhere)."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from liaison_app.packets.identity import IDENTITY_SETTING

        self.setWindowTitle(self.tr("生成汇总材料包"))
        self.identity = QLineEdit(ws.get_setting(IDENTITY_SETTING) or "")
        browse = QPushButton(self.tr("选择…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.identity)
        row.addWidget(browse)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("办公室签名身份"), row)
        form.addRow(self.tr("密码"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择签名身份"), self.identity.text(),
                                              self.tr("签名身份 (*.p12 *.pfx)"))
        if path:
            self.identity.setText(path)


class RollupView(QWidget):
    """材料汇总: packets in, the bureau view, reminders, the consolidated packet."""

    added = Signal(object)
    """The list of AddOutcome of packets just taken in."""
    changed = Signal()
    consolidated = Signal(object)
    """The ConsolidatedResult of a consolidated packet just made."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.today = today or dt.date.today()
        self.view: BureauView | None = None
        self.job: Job | None = None
        self.setAcceptDrops(True)

        self.period = QComboBox()
        self.period.currentIndexChanged.connect(self.refresh)
        add_files = QPushButton(self.tr("收入材料包…"))
        add_files.setToolTip(self.tr("选择各科室报来的材料包（.zip）；也可以把文件或文件夹拖到这里"))
        add_files.clicked.connect(self.choose_packets)
        add_folder = QPushButton(self.tr("收入文件夹…"))
        add_folder.clicked.connect(self.choose_folder)
        trust = QPushButton(self.tr("信任科室证书…"))
        trust.setToolTip(self.tr("加入科室联络员交来的证书（signer.pem）；只收入信任的签名人签名的材料包"))
        trust.clicked.connect(self.choose_certificates)
        self.export_button = QPushButton(self.tr("导出提醒表…"))
        self.export_button.clicked.connect(self.export_reminders)
        self.packet_button = QPushButton(self.tr("生成汇总材料包…"))
        self.packet_button.clicked.connect(self.make_consolidated)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("期间：")))
        top.addWidget(self.period)
        top.addStretch(1)
        for b in (add_files, add_folder, trust, self.export_button, self.packet_button):
            top.addWidget(b)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.last_result = QLabel()
        self.last_result.setWordWrap(True)
        self.last_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._tasks_tab(), self.tr("任务"))
        self.units_table = self._table(("科室", "报送", "联络员", "生成时间", "任务", "已完成", "进行中", "未开始", "不涉及",
                                        "逾期", "佐证材料", "月度案例", "旧版留档"))
        self.tabs.addTab(self.units_table, self.tr("科室"))
        self.overdue_table = self._table(("科室", "序号", "任务内容", "时限", "截止日期", "状态"))
        self.tabs.addTab(self.overdue_table, self.tr("逾期"))
        self.months_table = self._table(("科室",))
        self.tabs.addTab(self.months_table, self.tr("月度案例"))
        self.indicators_table = self._table(("一级指标", "二级指标", "可得分"))
        self.tabs.addTab(self.indicators_table, self.tr("考核指标"))
        self.reminders_table = self._table(("科室", "尚欠事项"))
        self.tabs.addTab(self.reminders_table, self.tr("提醒"))
        self.received_table = self._table(("科室", "期间", "文件", "生成时间", "收到时间", "签名人", "状态"))
        self.received_table.setToolTip(self.tr("双击把材料包原样另存一份（例如交给核查人员）"))
        self.received_table.cellDoubleClicked.connect(lambda row, _col: self.save_received(row))
        self.tabs.addTab(self.received_table, self.tr("收到的材料包"))

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.last_result)
        layout.addWidget(self.tabs, 1)
        self.reload()

    # ----- building ------------------------------------------------------------------------------------------------
    def _table(self, headers: tuple[str, ...]) -> QTableWidget:
        t = QTableWidget(0, len(headers))
        t.setHorizontalHeaderLabels([self.tr(h) for h in headers])
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.verticalHeader().setVisible(False)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        t.horizontalHeader().setStretchLastSection(True)
        t.setWordWrap(True)
        return t

    def _tasks_tab(self) -> QWidget:
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索任务内容、序号、科室、备注…"))
        self.search.setClearButtonEnabled(True)
        self.unit = QComboBox()
        self.role = QComboBox()
        for label, value in ((self.tr("全部角色"), "any"), (self.tr("牵头"), "lead"), (self.tr("配合"), "cooperating")):
            self.role.addItem(label, value)
        self.status = QComboBox()
        self.status.addItem(self.tr("全部状态"), None)
        for value, label in _STATUS.items():
            self.status.addItem(self.tr(label), value)
        self.overdue_only = QCheckBox(self.tr("只看逾期"))
        self.search.textChanged.connect(self.apply_filter)
        for combo in (self.unit, self.role, self.status):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.overdue_only.toggled.connect(self.apply_filter)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        for w in (self.unit, self.role, self.status, self.overdue_only):
            filters.addWidget(w)

        self.model = BureauTaskModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        # One line a row, elided: laying out wrapped Chinese text for every visible row on every keystroke costs more
        # than the filtering; the whole text is in the tooltip and the pane below.
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(BureauTaskModel.COL_CONTENT, QHeaderView.ResizeMode.Stretch)
        for col in (BureauTaskModel.COL_LEAD, BureauTaskModel.COL_COOP):
            header.resizeSection(col, 240)
        self.table.selectionModel().currentRowChanged.connect(self._show_task)
        self.count = QLabel()

        self.detail = QTextBrowser()
        self.evidence = QListWidget()
        self.evidence.setToolTip(self.tr("双击打开证据文件（核对 SHA-256 后的只读副本）"))
        self.evidence.itemDoubleClicked.connect(self.open_evidence)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.detail)
        lower.addWidget(self.evidence)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.count)
        layout.addWidget(split, 1)
        return page

    # ----- data ----------------------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the periods on record again (after packets came in) and show the selected one."""
        current = self.period.currentData()
        self.period.blockSignals(True)
        self.period.clear()
        for p in periods(self.ws):
            self.period.addItem(p, p)
        index = self.period.findData(current)
        self.period.setCurrentIndex(index if index >= 0 else 0)
        self.period.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        period = self.period.currentData()
        has = bool(period)
        self.export_button.setEnabled(has)
        self.packet_button.setEnabled(has)
        self._fill_received()
        if not has:
            self.view = None
            self.model.set_tasks([])
            self.summary.setText(self.tr("还没有收入任何科室的材料包。点“收入材料包…”选择文件，或把材料包（或其所在的文件夹）"
                                         "拖到这里；先用“信任科室证书…”加入各科室联络员交来的证书。"))
            self._update_count()
            return
        # About half a second for 40 units of 200 tasks: a busy cursor rather than a progress dialog.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            view = bureau_view(self.ws, period, today=self.today)
            self._show_view(period, view)
        finally:
            QApplication.restoreOverrideCursor()

    def _show_view(self, period: str, view: BureauView) -> None:
        self.view = view
        reported = sum(u.reported for u in view.units)
        text = self.tr("{period}：应报送 {units} 个科室，已报送 {reported} 个；任务 {tasks} 项，逾期 {overdue} 项次；"
                       "考核指标自评合计 {score} 分。").format(
            period=period, units=len(view.units), reported=reported, tasks=len(view.tasks),
            overdue=len(view.overdue), score=f"{view.self_score_total:g}")
        if view.missing_units:
            text += self.tr("未报送：{units}。").format(units="、".join(view.missing_units))
        if view.indicator_problems:
            text += self.tr("有 {n} 项考核指标各科室的分数合不上（见“考核指标”）。").format(n=len(view.indicator_problems))
        self.summary.setText(text)
        self.unit.blockSignals(True)
        chosen = self.unit.currentData()
        self.unit.clear()
        self.unit.addItem(self.tr("全部科室"), None)
        for u in view.units:
            self.unit.addItem(u.department, u.department)
        self.unit.setCurrentIndex(max(0, self.unit.findData(chosen)))
        self.unit.blockSignals(False)
        self.model.set_tasks(list(view.tasks))
        self.apply_filter()
        self._fill_units(view)
        self._fill_overdue(view)
        self._fill_months(view)
        self._fill_indicators(view)
        self._fill_reminders(view)

    def apply_filter(self) -> None:
        self.model.apply_filter(text=self.search.text(), unit=self.unit.currentData(),
                                role=self.role.currentData() or "any", status=self.status.currentData(),
                                overdue_only=self.overdue_only.isChecked())
        self._update_count()
        # The selection went with the old rows; emptying what is already empty would still repaint it.
        if not self.detail.document().isEmpty():
            self.detail.clear()
        if self.evidence.count():
            self.evidence.clear()

    def _update_count(self) -> None:
        total = len(self.view.tasks) if self.view else 0
        text = self.tr("显示 {shown} / {total} 项任务").format(shown=self.model.rowCount(), total=total)
        if text != self.count.text():
            self.count.setText(text)

    @staticmethod
    def _fill(table: QTableWidget, rows: list[list[Any]], *, colours: dict[int, Any] | None = None,
              fit_rows: bool = False) -> None:
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem("" if value is None else str(value))
                if colours and r in colours:
                    item.setForeground(QBrush(colours[r]))
                table.setItem(r, c, item)
        if fit_rows:  # only for tables of a few dozen rows with several lines a cell: it measures every row
            table.resizeRowsToContents()

    def _fill_units(self, view: BureauView) -> None:
        rows, colours = [], {}
        for n, u in enumerate(view.units):
            c = u.counts
            rows.append([u.department, self.tr("已报送") if u.reported else self.tr("未报送"), u.liaison,
                         u.generated_at.replace("T", " ")[:16], c.get("tasks"), c.get("done"), c.get("doing"),
                         c.get("todo"), c.get("na"), u.overdue if u.reported else None, c.get("evidence"),
                         c.get("cases"), u.superseded or None])
            if not u.reported:
                colours[n] = OVERDUE_COLOUR
        self._fill(self.units_table, rows, colours=colours)

    def _fill_overdue(self, view: BureauView) -> None:
        self._fill(self.overdue_table, [[r.department, t.seq, t.content, t.deadline_text,
                                         t.deadline.isoformat() if t.deadline else "", _STATUS.get(r.status, r.status)]
                                        for t, r in view.overdue])

    def _fill_months(self, view: BureauView) -> None:
        from liaison_app.rollup.view import period_months

        months = period_months(view.period)
        grid = view.month_grid()
        self.months_table.setColumnCount(1 + len(months))
        self.months_table.setHorizontalHeaderLabels([self.tr("科室"), *[f"{int(m[5:])}月" for m in months]])
        self._fill(self.months_table, [[u.department, *[grid.get(u.department, {}).get(m, "—") for m in months]]
                                       for u in view.units])

    def _fill_indicators(self, view: BureauView) -> None:
        units = sorted({u for i in view.indicators for u in i.by_unit})
        headers = ["一级指标", "二级指标", "可得分", *units, "合计", "不相符之处"]
        self.indicators_table.setColumnCount(len(headers))
        self.indicators_table.setHorizontalHeaderLabels([self.tr(h) for h in headers])
        rows, colours = [], {}
        for n, i in enumerate(view.indicators):
            scores = [i.by_unit.get(u, (None, None))[1] for u in units]
            rows.append([i.level1, i.level2, f"{i.available:g}" if i.available is not None else "",
                         *[f"{s:g}" if s is not None else "" for s in scores], f"{i.self_total:g}", i.problem])
            if i.problem:
                colours[n] = OVERDUE_COLOUR
        rows.append([self.tr("全局合计"), "", "", *["" for _ in units], f"{view.self_score_total:g}", ""])
        self._fill(self.indicators_table, rows, colours=colours)

    def _fill_reminders(self, view: BureauView) -> None:
        self._fill(self.reminders_table, [[r.department, "\n".join(r.owes)] for r in view.reminders()], fit_rows=True)

    def _fill_received(self) -> None:
        rows, colours = [], {}
        self._received = list_received(self.ws)
        for n, p in enumerate(self._received):
            rows.append([p.department, p.period, p.file_name, p.generated_at.replace("T", " ")[:16],
                         p.received_at.replace("T", " ")[:16], p.signer_name,
                         self.tr("当前") if p.current else self.tr("已被更新的材料包取代（留档）")])
            if not p.current:
                colours[n] = Qt.GlobalColor.gray
        self._fill(self.received_table, rows, colours=colours)

    def save_received(self, row: int, dest: str | None = None) -> Path | None:
        """Save the received packet of a row (current or superseded) exactly as it came."""
        from liaison_app.rollup.store import copy_received

        packet = self._received[row]
        if dest is None:
            dest, _ = QFileDialog.getSaveFileName(self, self.tr("另存材料包"), str(Path.home() / packet.file_name),
                                                  self.tr("材料包 (*.zip)"))
            if not dest:
                return None
        try:
            out = copy_received(self.ws, packet.id, dest)
        except LiaisonError as exc:
            show_error(self, exc)
            return None
        self.last_result.setText(self.tr("已另存：{path}").format(path=out))
        return out

    # ----- one task ------------------------------------------------------------------------------------------------
    def _show_task(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.detail.clear()
        self.evidence.clear()
        if not current.isValid():
            return
        t = self.model.task(current.row())
        lines = [f"<h3>{_esc(t.source)} 序号 {_esc(t.seq)}</h3><p>{_esc(t.content)}</p>",
                 f"<p>{self.tr('牵头')}：{_esc('、'.join(t.lead))}　{self.tr('配合')}：{_esc('、'.join(t.cooperating))}"
                 f"　{self.tr('时限')}：{_esc(t.deadline_text or '—')}</p>"]
        # One line per file (by SHA-256), however many units sent it.
        files: dict[str, tuple[int, str, str, int, list[str]]] = {}
        for r in t.reports:
            late = self.tr("，已逾期") if r.due is DueState.OVERDUE else ""
            done = f"，{self.tr('完成于')} {r.completed_on}" if r.completed_on else ""
            lines.append(f"<p><b>{_esc(r.department)}</b>（{_ROLE.get(r.role, r.role)}）："
                         f"{_STATUS.get(r.status, r.status)}{done}{late}<br/>{_esc(r.note) or '—'}</p>")
            for path, name, sha, size in task_evidence(self.ws, r, t.seq, t.source):
                files.setdefault(sha, (r.packet_id, path, name, size, []))[4].append(r.department)
        for sha, (packet_id, path, name, size, units) in files.items():
            item = QListWidgetItem(self.tr("{name}（{size} 字节）— {units}").format(
                name=name, size=f"{size:,}", units="、".join(units)))
            item.setToolTip(f"SHA-256 {sha}")
            item.setData(Qt.ItemDataRole.UserRole, (packet_id, path, name))
            self.evidence.addItem(item)
        for u in t.missing:
            lines.append(f"<p><b>{_esc(u)}</b>：{self.tr('未报送本期材料包')}</p>")
        self.detail.setHtml("".join(lines))

    def open_evidence(self, item: QListWidgetItem) -> Path | None:
        packet_id, member, name = item.data(Qt.ItemDataRole.UserRole)
        try:
            data = packet_member(self.ws, packet_id, member)
            folder = paths.viewing_dir()
            folder.mkdir(parents=True, exist_ok=True)
            copy = folder / safe_file_name(f"{packet_id}-{Path(member).name}")
            if copy.exists():
                copy.chmod(0o644)
            copy.write_bytes(data)
            copy.chmod(0o444)
        except (LiaisonError, OSError) as exc:
            show_error(self, exc if isinstance(exc, LiaisonError) else LiaisonError(str(exc)))
            return None
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy)))
        return copy

    # ----- actions -------------------------------------------------------------------------------------------------
    def choose_packets(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("选择各科室的材料包"), "", self.tr("材料包 (*.zip)"))
        if files:
            self.add([Path(f) for f in files])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择存放材料包的文件夹"))
        if folder:
            self.add([Path(folder)])

    def choose_certificates(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("选择科室联络员的证书"), "",
                                                self.tr("证书 (*.pem *.crt *.cer *.der)"))
        if files:
            self.trust([Path(f) for f in files])

    def trust(self, files: list[Path]) -> int:
        from liaison_app.packets.identity import load_certificates

        try:
            certs = [c for f in files for c in load_certificates(f)]
            n = trust_certificates(self.ws, certs)
        except LiaisonError as exc:
            show_error(self, exc)
            return 0
        self.last_result.setText(self.tr("已加入 {n} 张信任的证书。").format(n=n))
        return n

    def add(self, files: list[Path]) -> Job:
        """Take packets (or folders of them) in, in the background; the outcome of each file is shown."""
        ws = self.ws

        def done(outcomes: list[AddOutcome]) -> None:
            refused = [o for o in outcomes if o.outcome == "refused"]
            self.last_result.setText("\n".join(o.message for o in outcomes))
            self.last_result.setStyleSheet(f"color: {OVERDUE_COLOUR.name()};" if refused else "")
            self.reload()
            self.changed.emit()
            self.added.emit(outcomes)
            if refused:
                QMessageBox.warning(self, self.tr("有材料包被拒收"), "\n\n".join(o.message for o in refused))

        self.job = run_job(self, self.tr("正在核验并收入材料包…"), lambda progress: add_packets(ws, files, progress=progress),
                           on_success=done)
        return self.job

    def export_reminders(self, path: str | None = None) -> Path | None:
        if self.view is None:
            return None
        if path is None:
            suggested = str(Path.home() / f"各科室尚欠事项-{self.view.period}.xlsx")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("导出提醒表"), suggested, self.tr("Excel 表格 (*.xlsx)"))
            if not path:
                return None
        from liaison_app.rollup.export import write_reminders

        try:
            out = write_reminders(self.view, path)
        except LiaisonError as exc:
            show_error(self, exc)
            return None
        self.last_result.setText(self.tr("提醒表已导出：{path}").format(path=out))
        return out

    def make_consolidated(self, identity_path: str | None = None, password: str | None = None) -> Job | None:
        if self.view is None:
            return None
        if identity_path is None or password is None:
            dialog = _SignDialog(self.ws, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            identity_path, password = dialog.identity.text().strip(), dialog.password.text()
        from liaison_app.packets.identity import load_identity
        from liaison_app.rollup.consolidated import build_consolidated

        ws, period, today = self.ws, self.view.period, self.today

        def work(progress: Any) -> Any:
            identity = load_identity(identity_path, password)
            return build_consolidated(ws, period=period, identity=identity, today=today, progress=progress)

        def done(result: Any) -> None:
            self.last_result.setStyleSheet("")
            self.last_result.setText(self.tr("汇总材料包已生成：{path}（内含 {n} 个科室材料包）").format(
                path=result.path, n=len(result.inner)))
            self.consolidated.emit(result)

        self.job = run_job(self, self.tr("正在生成汇总材料包…"), work, on_success=done)
        return self.job

    # ----- drag and drop -------------------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = dropped_files(event.mimeData())
        if not files:
            return
        event.acceptProposedAction()
        certs = [f for f in files if f.suffix.lower() in (".pem", ".crt", ".cer")]
        if certs:
            self.trust(certs)
        packets = [f for f in files if f not in certs]
        if packets:
            self.add(packets)


def _esc(text: str) -> str:
    from html import escape

    return escape(text)
