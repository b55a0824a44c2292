"""The pane beside the task list: one task in full, its status for the unit, note, completion date, evidence (add by
button or by dropping files, open, show in folder, remove with undo) and its history from the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QMimeData, Qt, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QFont,
    QKeySequence,
    QShortcut,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QButtonGroup,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from liaison_app import evidence, paths, progress
from liaison_app.model import DueState, Evidence, Status
from liaison_app.workspace import AuditRow, Workspace

from .commands import AttachEvidenceCommand, ProgressState, SetProgressCommand, UnlinkEvidenceCommand
from .drops import dropped_files
from .icons import INFO_BACKGROUND, INFO_TEXT, SELECTED_BORDER
from .jobs import Job, run_job
from .reveal import reveal_in_file_manager
from .tasks_model import TaskRecord, deadline_note, role_label, schedule_note, status_label

__all__ = ["TaskDetailPane", "describe_history_row"]

_STATUSES = (Status.TODO, Status.DOING, Status.DONE, Status.NA)


def _tr(text: str) -> str:
    return QCoreApplication.translate("TaskDetailPane", text)


def describe_history_row(row: AuditRow, unit: str | None) -> str:
    """One audit row about a task in plain Chinese: "状态：未开始 → 已完成；完成日期 2023-06-30"."""
    d = row.detail
    if row.action == "progress.set":
        old, new = d.get("old") or {}, d.get("new") or {}
        parts = []
        old_status = Status(old.get("status", Status.TODO.value))
        new_status = Status(new.get("status", Status.TODO.value))
        if old_status != new_status:
            parts.append(_tr("状态：{0} → {1}").format(status_label(old_status), status_label(new_status)))
        if new.get("completed_on") and new.get("completed_on") != old.get("completed_on"):
            parts.append(_tr("完成日期 {0}").format(new["completed_on"]))
        if (old.get("note") or "") != (new.get("note") or ""):
            parts.append(_tr("备注：{0}").format(new["note"]) if new.get("note") else _tr("清空了备注"))
        text = "；".join(parts) or _tr("更新了进度")
        dept = d.get("department")
        return f"〔{dept}〕{text}" if dept and dept != unit else text
    if row.action == "task.assign":
        return (_tr("分派给{0}").format(d["new"]) if d.get("new")
                else _tr("收回了对{0}的分派").format(d.get("old") or ""))
    name = d.get("name", "")
    if row.action == "evidence.attach":
        return _tr("添加佐证材料“{0}”").format(name)
    if row.action == "evidence.link":
        return _tr("关联佐证材料“{0}”").format(name)
    if row.action == "evidence.unlink":
        return _tr("移除佐证材料“{0}”").format(name)
    return row.action


def _local_time(at: str) -> str:
    try:
        return dt.datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return at


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(d: QDate) -> dt.date:
    return dt.date(d.year(), d.month(), d.day())


class _NoteEdit(QPlainTextEdit):
    """The note field; tells when it loses focus, so the note is saved without a click on 保存."""

    focus_lost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()


class TaskDetailPane(QWidget):
    """Shows one task; every change goes through the undo stack, attaching through a background job."""

    task_changed = Signal(int)
    """A task's progress or evidence changed (emitted by every command, also on undo and redo)."""
    attach_finished = Signal()
    """An attach job ended (successfully, with an error, or cancelled)."""
    busy_changed = Signal(bool)
    message = Signal(str)
    """A short confirmation for the status bar."""

    def __init__(self, ws: Workspace, undo_stack: QUndoStack, *, today: Callable[[], dt.date],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._undo = undo_stack
        self._today = today
        self._record: TaskRecord | None = None
        self._department: str | None = None
        self._unit: str | None = None
        self._state = ProgressState(Status.TODO)
        self._evidence: list[Evidence] = []
        self._busy = False
        self._job: Job | None = None
        self._loading = False
        self.soon_days = 14
        """Set by the task list from the workspace's reminder rules."""
        self.setAcceptDrops(not ws.read_only)
        self._build()
        self.show_task(None, None)

    # ----- layout ------------------------------------------------------------------------------------------------
    def _build(self) -> None:
        self._stack = QStackedWidget()
        placeholder = QLabel(self.tr("在左侧选择一项任务，这里会显示它的全部内容、进度、佐证材料和历史记录。"))
        placeholder.setWordWrap(True)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setMargin(24)
        self._stack.addWidget(placeholder)

        body = QWidget()
        col = QVBoxLayout(body)
        col.setContentsMargins(12, 10, 12, 10)
        col.setSpacing(10)

        self._title = QLabel()
        self._title.setWordWrap(True)
        font = QFont(self._title.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self._title.setFont(font)
        self._title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        col.addWidget(self._title)

        self._content = QLabel()
        self._content.setWordWrap(True)
        self._content.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        col.addWidget(self._content)

        info = QFormLayout()
        info.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        info.setHorizontalSpacing(10)
        self._lead, self._coop, self._role, self._deadline, self._source = (self._info_label() for _ in range(5))
        info.addRow(self.tr("牵头："), self._lead)
        info.addRow(self.tr("配合："), self._coop)
        info.addRow(self.tr("本单位："), self._role)
        info.addRow(self.tr("时限："), self._deadline)
        info.addRow(self.tr("来源："), self._source)
        col.addLayout(info)

        self._progress_box = QGroupBox()
        prog = QFormLayout(self._progress_box)
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        self._status_group = QButtonGroup(self)
        self._status_group.setExclusive(True)
        for i, status in enumerate(_STATUSES):
            button = QPushButton(status_label(status))
            button.setCheckable(True)
            # The chosen status must stand out at a glance, not by a slightly darker shade.
            button.setStyleSheet(f"QPushButton:checked {{ font-weight: bold; color: {INFO_TEXT.name()}; "
                                 f"background: {INFO_BACKGROUND.name()}; border: 2px solid {SELECTED_BORDER.name()};"
                                 " border-radius: 4px; padding: 4px 10px; }")
            self._status_group.addButton(button, i)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self._status_group.idClicked.connect(self._on_status_clicked)
        prog.addRow(self.tr("状态："), buttons)
        self._completed = QDateEdit()
        self._completed.setCalendarPopup(True)
        self._completed.setDisplayFormat("yyyy-MM-dd")
        self._completed.setKeyboardTracking(False)
        self._completed.dateChanged.connect(self._on_completed_changed)
        self._completed.setToolTip(self.tr("标为“已完成”时记录的日期；任务已完成时修改它会立即保存。"))
        date_row = QHBoxLayout()
        date_row.addWidget(self._completed)
        date_row.addStretch(1)
        prog.addRow(self.tr("完成日期："), date_row)
        # Only a finished task has a completion date: a pre-filled date beside 进行中 would claim one.
        self._progress_form = prog
        self._date_row = date_row
        self._note = _NoteEdit()
        self._note.setPlaceholderText(self.tr("进展情况、下一步安排……（离开输入框时自动保存）"))
        self._note.setTabChangesFocus(True)
        self._note.setFixedHeight(self._note.fontMetrics().lineSpacing() * 4 + 12)
        # Files dropped on the note belong to the evidence list, not into the text.
        self._note.setAcceptDrops(False)
        self._note.viewport().setAcceptDrops(False)
        self._note.focus_lost.connect(self.commit_note)
        self._save_note = QPushButton(self.tr("保存备注"))
        self._save_note.clicked.connect(self.commit_note)
        note_row = QVBoxLayout()
        note_row.addWidget(self._note)
        note_row.addWidget(self._save_note, 0, Qt.AlignmentFlag.AlignRight)
        prog.addRow(self.tr("备注："), note_row)
        col.addWidget(self._progress_box)

        self._evidence_box = QGroupBox()
        self._evidence_box.setObjectName("evidenceBox")
        ev = QVBoxLayout(self._evidence_box)
        self.evidence_list = QListWidget()
        self.evidence_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.evidence_list.setFixedHeight(self.evidence_list.fontMetrics().height() * 6)
        self.evidence_list.itemSelectionChanged.connect(self._update_buttons)
        self.evidence_list.itemActivated.connect(lambda _item: self.open_selected_evidence())
        ev.addWidget(self.evidence_list)
        self._drop_hint = QLabel(self.tr("可以把文件从桌面或文件夹直接拖到这里添加。"))
        self._drop_hint.setEnabled(False)
        ev.addWidget(self._drop_hint)
        row = QHBoxLayout()
        self._add = QPushButton(self.tr("添加文件…"))
        self._add.clicked.connect(self._choose_files)
        self._open = QPushButton(self.tr("打开"))
        self._open.clicked.connect(self.open_selected_evidence)
        self._reveal = QPushButton(self.tr("在文件夹中显示"))
        self._reveal.clicked.connect(self.show_selected_in_folder)
        self._remove = QPushButton(self.tr("移除"))
        self._remove.setToolTip(self.tr("从本任务移除（文件仍保留在证据库中，可撤销）"))
        self._remove.clicked.connect(self.remove_selected_evidence)
        for b in (self._add, self._open, self._reveal, self._remove):
            row.addWidget(b)
        row.addStretch(1)
        ev.addLayout(row)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.evidence_list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_selected_evidence)
        col.addWidget(self._evidence_box)

        history_box = QGroupBox(self.tr("历史记录"))
        hist = QVBoxLayout(history_box)
        self.history_list = QTreeWidget()
        self.history_list.setRootIsDecorated(False)
        self.history_list.setHeaderLabels([self.tr("时间"), self.tr("操作人"), self.tr("内容")])
        self.history_list.setMinimumHeight(110)
        self.history_list.setWordWrap(True)
        header = self.history_list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        hist.addWidget(self.history_list)
        col.addWidget(history_box, 1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self._stack.addWidget(scroll)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)

    @staticmethod
    def _info_label() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    # ----- showing a task ------------------------------------------------------------------------------------------
    @property
    def task_id(self) -> int | None:
        return self._record.task.id if self._record else None

    @property
    def busy(self) -> bool:
        return self._busy

    def evidence(self) -> Sequence[Evidence]:
        """The evidence listed for the shown task."""
        return tuple(self._evidence)

    def show_task(self, record: TaskRecord | None, department: str | None) -> None:
        """Show ``record`` with the progress of ``department`` (None: the workspace's own unit)."""
        self.commit_note()  # an edited note belongs to the task (and unit) shown until now
        self._record = record
        self._department = department
        self._unit = department or self._ws.department
        if record is None:
            self._stack.setCurrentIndex(0)
            return
        t = record.task
        self._title.setText(self.tr("{0}. {1}").format(t.seq, t.group) if t.seq else t.group)
        self._content.setText(t.content)
        self._lead.setText("、".join(t.lead) or "—")
        self._coop.setText("、".join(t.cooperating) or "—")
        unit = self._unit
        self._role.setText(f"{unit}：{role_label(record)}" if unit else "—")
        self._source.setText(record.source_label or "—")
        self._progress_box.setTitle(self.tr("进度（{0}）").format(unit) if unit
                                    else self.tr("进度（请先在上方选择一个单位）"))
        self._stack.setCurrentIndex(1)
        self.reload()

    def update_record(self, record: TaskRecord) -> None:
        """The shown task's row was refreshed (status or evidence count)."""
        if self._record is not None and record.task.id == self._record.task.id:
            self._record = record
            self._show_deadline()

    def _show_deadline(self) -> None:
        assert self._record is not None
        d = self._record.task.deadline
        parts = [d.text or self.tr("（表中未写时限）")]
        if d.date:
            parts.append(f"（{d.date.isoformat()}）")
        _state, note = deadline_note(self._record, self._today(), self.soon_days)
        if note:
            parts.append(f" — {note}")
            estimate = schedule_note(d.date, self._today()) if _state is DueState.DUE_SOON else ""
            if estimate:
                parts.append(f"\n{estimate}")
        self._deadline.setText("".join(parts))

    def reload(self) -> None:
        """Read the shown task's progress, evidence and history again from the workspace."""
        if self._record is None:
            return
        tid = self._record.task.id
        # Without any unit (a workspace set up without one, listing every task) there is no progress to show.
        self._state = ProgressState.of(progress.get_progress(self._ws, "task", tid, department=self._department)
                                       if self._unit else None)
        self._evidence = evidence.list_evidence(self._ws, target_kind="task", target_id=tid)
        rows = progress.history(self._ws, "task", tid)
        self._loading = True
        try:
            self._status_group.button(_STATUSES.index(self._state.status)).setChecked(True)
            today = self._today()
            self._completed.setMaximumDate(_qdate(max(today, self._state.completed_on or today)))
            self._completed.setDate(_qdate(self._state.completed_on or today))
            self._progress_form.setRowVisible(self._date_row, self._state.status is Status.DONE)
            if self._note.toPlainText().strip() != self._state.note:
                self._note.setPlainText(self._state.note)
        finally:
            self._loading = False
        self._show_deadline()
        self._fill_evidence()
        self.history_list.clear()
        for row in rows:
            item = QTreeWidgetItem([_local_time(row.at), row.actor or "—", describe_history_row(row, self._unit)])
            item.setToolTip(2, item.text(2))
            self.history_list.addTopLevelItem(item)
        if not rows:
            self.history_list.addTopLevelItem(QTreeWidgetItem(["", "", self.tr("还没有记录")]))
        self._update_buttons()

    def _fill_evidence(self) -> None:
        selected = self._selected_evidence()
        self.evidence_list.clear()
        locale = self.locale()
        for ev in self._evidence:
            when = ev.evidence_date.isoformat() if ev.evidence_date else ""
            size = locale.formattedDataSize(ev.size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)
            item = QListWidgetItem(f"{ev.original_name}    {size}  {when}")
            item.setData(Qt.ItemDataRole.UserRole, ev.id)
            tip = [ev.original_name, self.tr("SHA-256：{0}").format(ev.sha256)]
            if ev.note:
                tip.append(self.tr("说明：{0}").format(ev.note))
            item.setToolTip("\n".join(tip))
            self.evidence_list.addItem(item)
            if selected is not None and ev.id == selected.id:
                item.setSelected(True)
        self._evidence_box.setTitle(self.tr("佐证材料（{0}）").format(len(self._evidence)))

    def _update_buttons(self) -> None:
        writable = not self._ws.read_only and not self._busy
        for w in (*self._status_group.buttons(), self._completed, self._save_note):
            w.setEnabled(writable and self._unit is not None)
        self._note.setReadOnly(not (writable and self._unit is not None))
        self._add.setEnabled(writable)
        has = self._selected_evidence() is not None
        self._open.setEnabled(has)
        self._reveal.setEnabled(has)
        self._remove.setEnabled(has and writable)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()
        self.busy_changed.emit(busy)

    def _selected_evidence(self) -> Evidence | None:
        items = self.evidence_list.selectedItems()
        if not items:
            return None
        evidence_id = items[0].data(Qt.ItemDataRole.UserRole)
        return next((e for e in self._evidence if e.id == evidence_id), None)

    def select_evidence(self, evidence_id: int) -> None:
        for i in range(self.evidence_list.count()):
            item = self.evidence_list.item(i)
            item.setSelected(item.data(Qt.ItemDataRole.UserRole) == evidence_id)

    # ----- progress ----------------------------------------------------------------------------------------------
    def _push_progress(self, text: str, after: ProgressState) -> None:
        assert self._record is not None
        if after == self._state:
            return
        self._undo.push(SetProgressCommand(text, self._ws, self._record.task.id, self._department, self._state,
                                           after, self.task_changed.emit, self))

    def _on_status_clicked(self, button_id: int) -> None:
        if self._record is None or self._loading:
            return
        status = _STATUSES[button_id]
        if status is self._state.status:
            return
        completed = _pydate(self._completed.date()) if status is Status.DONE else None
        self._push_progress(self.tr("将任务 {0} 标为{1}").format(self._record.task.seq, status_label(status)),
                            ProgressState(status, self._state.note, completed))

    def set_status(self, status: Status) -> None:
        """As if the user clicked the status button."""
        button: QAbstractButton = self._status_group.button(_STATUSES.index(status))
        button.click()

    def _on_completed_changed(self, date: QDate) -> None:
        if self._record is None or self._loading or self._state.status is not Status.DONE:
            return
        self._push_progress(self.tr("修改任务 {0} 的完成日期").format(self._record.task.seq),
                            ProgressState(Status.DONE, self._state.note, _pydate(date)))

    def commit_note(self) -> None:
        """Save the note if it was edited."""
        if self._record is None or self._loading or self._ws.read_only or self._busy or self._unit is None:
            return
        note = self._note.toPlainText().strip()
        if note == self._state.note:
            return
        self._push_progress(self.tr("修改任务 {0} 的备注").format(self._record.task.seq),
                            ProgressState(self._state.status, note, self._state.completed_on))

    def set_note(self, text: str) -> None:
        """Type a note and save it, as the user would."""
        self._note.setPlainText(text)
        self.commit_note()

    # ----- evidence ------------------------------------------------------------------------------------------------
    def _choose_files(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(self, self.tr("选择佐证材料"))
        if files:
            self.attach_files([Path(f) for f in files])

    def attach_files(self, paths: Sequence[Path]) -> Job | None:
        """Copy files into the vault and link them to the shown task, in the background with a progress dialog."""
        if not paths or self._record is None or self._ws.read_only or self._busy:
            return None
        ws, task_id = self._ws, self._record.task.id
        seq = self._record.task.seq
        before = {e.id for e in self._evidence}
        files = list(paths)

        def attached(result: list[Evidence]) -> None:
            new = [e.id for e in result if e.id not in before]
            if new:
                text = (self.tr("为任务 {0} 添加“{1}”").format(seq, result[0].original_name) if len(files) == 1
                        else self.tr("为任务 {0} 添加 {1} 份佐证材料").format(seq, len(files)))
                self._undo.push(AttachEvidenceCommand(text, ws, task_id, new, self.task_changed.emit, self))
                self.message.emit(self.tr("已添加 {0} 份佐证材料。").format(len(new)))
            else:
                self.message.emit(self.tr("这些文件已经在本任务的佐证材料中。"))

        job = run_job(self, self.tr("正在把文件存入证据库…"),
                      lambda report: evidence.attach_many(ws, files, links=[("task", task_id)], progress=report),
                      on_success=attached)
        self._job = job
        self._set_busy(True)
        job.finished.connect(self._attach_done)
        return job

    def _attach_done(self) -> None:
        self._job = None
        self._set_busy(False)
        self.attach_finished.emit()

    def cancel_attach(self) -> None:
        """Stop a running attach; the core rolls it back."""
        if self._job is not None:
            self._job.cancel()

    def remove_selected_evidence(self) -> None:
        ev = self._selected_evidence()
        if ev is None or self._record is None or self._ws.read_only or self._busy:
            return
        self._undo.push(UnlinkEvidenceCommand(self.tr("从任务 {0} 移除“{1}”").format(self._record.task.seq,
                                                                                   ev.original_name),
                                              self._ws, self._record.task.id, ev.id, self.task_changed.emit, self))
        self.message.emit(self.tr("已移除“{0}”（文件仍在证据库中），按 Ctrl+Z 可撤销。").format(ev.original_name))

    def open_selected_evidence(self) -> Job | None:
        """Open a checked, read-only copy with the system's viewer (the vault file itself is never handed out)."""
        ev = self._selected_evidence()
        if ev is None:
            return None
        ws = self._ws
        folder = paths.viewing_dir()

        def opened(copy: Path) -> None:
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy))):
                self.message.emit(self.tr("没有找到能打开“{0}”的程序。").format(ev.original_name))

        return run_job(self, self.tr("正在打开“{0}”…").format(ev.original_name),
                       lambda report: evidence.copy_out(ws, ev.id, folder, progress=report), on_success=opened)

    def show_selected_in_folder(self) -> Job | None:
        """Select a checked, readable copy (with its own name) in the file manager: the vault's hash-named files
        are not for people, and an editor opened on one could change it."""
        ev = self._selected_evidence()
        if ev is None:
            return None
        ws = self._ws
        folder = paths.viewing_dir()
        return run_job(self, self.tr("正在准备“{0}”…").format(ev.original_name),
                       lambda report: evidence.copy_out(ws, ev.id, folder, progress=report),
                       on_success=lambda copy: self.reveal(copy))

    def reveal(self, copy: Path) -> None:
        reveal_in_file_manager(copy)
        self.message.emit(self.tr("已在文件夹中显示“{0}”的只读副本（证据库中的原件不变）。").format(copy.name))

    # ----- drag and drop -----------------------------------------------------------------------------------------
    def _accepts(self, mime: QMimeData) -> bool:
        return self._record is not None and not self._ws.read_only and not self._busy and bool(dropped_files(mime))

    def _highlight(self, on: bool) -> None:
        self._evidence_box.setStyleSheet(
            "QGroupBox#evidenceBox { border: 2px dashed palette(highlight); }" if on else "")
        self._drop_hint.setText(self.tr("松开鼠标，把文件添加为本任务的佐证材料。") if on
                                else self.tr("可以把文件从桌面或文件夹直接拖到这里添加。"))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._accepts(event.mimeData()):
            event.acceptProposedAction()
            self._highlight(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._highlight(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._highlight(False)
        if not self._accepts(event.mimeData()):
            event.ignore()
            return
        event.acceptProposedAction()
        self.attach_files(dropped_files(event.mimeData()))
