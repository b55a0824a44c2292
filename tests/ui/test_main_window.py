"""The main window as a user meets it: pick a unit, tick a task off, drop evidence on it, undo, jump from the
dashboard, import through the wizard."""

from __future__ import annotations

import datetime as dt
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from liaison_app import catalog, evidence, progress
from liaison_app.importing import import_text
from liaison_app.model import Status
from liaison_app.workspace import Workspace
from ui.main_window import MainWindow
from ui.tasks_model import COL_CONTENT, COL_EVIDENCE, COL_STATUS

TODAY = dt.date(2023, 7, 1)


@pytest.fixture
def window(qtbot: QtBot, sample_workspace: Workspace) -> Iterator[MainWindow]:
    w = MainWindow(sample_workspace, today=TODAY, remember=False)
    qtbot.addWidget(w)
    yield w
    w.close()


def cell(w: MainWindow, task_id: int, column: int) -> str:
    proxy = w.tasks_view.proxy
    row = proxy.proxy_row_of(task_id)
    assert row is not None, f"task {task_id} is not listed"
    return str(proxy.index(row, column).data())


def history_texts(w: MainWindow) -> list[str]:
    tree = w.tasks_view.pane.history_list
    items = (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
    return [item.text(2) for item in items if item is not None]


def drop_files(w: MainWindow, qtbot: QtBot, *files: Path) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    event = QDropEvent(QPointF(30, 30), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(w.tasks_view.pane.attach_finished, timeout=20_000):
        w.tasks_view.pane.dropEvent(event)
    return event


def open_message_boxes() -> list[QMessageBox]:
    return [b for b in QApplication.topLevelWidgets() if isinstance(b, QMessageBox) and b.isVisible()]


def test_the_unit_selector_lists_exactly_the_units_tasks(window, sample_workspace):
    proxy = window.tasks_view.proxy
    for unit in ("执法大队", "法制科"):
        window.set_department(unit)
        expected = catalog.list_tasks(sample_workspace, department=unit)
        named = [r for r in expected if not r.via_collective]
        assert proxy.rowCount() == len(named)
        shown = {proxy.index(row, COL_CONTENT).data() for row in range(proxy.rowCount())}
        assert {r.task.content for r in named} == shown
        # The counts are every task of the unit, as the packet reports them (泛指 included).
        assert window.counts_label.text().startswith(f"{unit}：任务 {len(expected)} 项")
    own = next(r.task for r in catalog.list_tasks(sample_workspace, department="法制科", role="lead")
               if "法制科" in r.task.lead)
    assert cell(window, own.id, COL_CONTENT) == own.content
    window.set_department(catalog.ALL_DEPARTMENTS)
    assert proxy.rowCount() == len(catalog.list_tasks(sample_workspace, department=catalog.ALL_DEPARTMENTS))


def test_ticking_a_task_done_updates_the_row_the_counts_and_the_history_and_undo_restores_it(window,
                                                                                            sample_workspace):
    ws = sample_workspace
    window.show_view("tasks")
    assert window.tasks_view.reveal_task(60)
    pane = window.tasks_view.pane
    assert pane.task_id == 60
    audit_before = len(ws.audit_rows(target="task:60"))
    assert "已完成 0" in window.counts_label.text()

    pane.set_status(Status.DONE)

    assert cell(window, 60, COL_STATUS) == "已完成"
    assert "已完成 1" in window.counts_label.text()
    window.show_view("dashboard")
    assert window.dashboard.cards["done"].number.text() == "1"
    window.show_view("tasks")
    rows = ws.audit_rows(target="task:60")
    assert len(rows) == audit_before + 1 and rows[0].detail["new"]["status"] == "done"
    assert rows[0].detail["new"]["completed_on"] == TODAY.isoformat()
    assert history_texts(window)[0] == "状态：未开始 → 已完成；完成日期 2023-07-01"
    assert window.undo_action.text() == "撤销“将任务 11 标为已完成”"

    window.undo_action.trigger()
    assert cell(window, 60, COL_STATUS) == "未开始"
    assert progress.get_progress(ws, "task", 60).status is Status.TODO
    assert "已完成 0" in window.counts_label.text()
    assert history_texts(window)[0] == "状态：已完成 → 未开始"

    window.redo_action.trigger()
    assert cell(window, 60, COL_STATUS) == "已完成"
    assert progress.get_progress(ws, "task", 60).completed_on == TODAY


def test_note_and_completion_date_are_saved_and_undone_together_with_the_status(window, sample_workspace):
    ws = sample_workspace
    window.tasks_view.reveal_task(61)
    pane = window.tasks_view.pane
    pane.set_note("已召开专题会，形成会议纪要。")
    assert progress.get_progress(ws, "task", 61).note == "已召开专题会，形成会议纪要。"
    pane.set_status(Status.DONE)
    pane._completed.setDate(pane._completed.date().addDays(-10))
    assert progress.get_progress(ws, "task", 61).completed_on == TODAY - dt.timedelta(days=10)

    window.undo_action.trigger()  # the date
    assert progress.get_progress(ws, "task", 61).completed_on == TODAY
    window.undo_action.trigger()  # the status; the note stays
    p = progress.get_progress(ws, "task", 61)
    assert (p.status, p.note) == (Status.TODO, "已召开专题会，形成会议纪要。")
    window.undo_action.trigger()  # the note
    assert progress.get_progress(ws, "task", 61).note == ""
    assert pane._note.toPlainText() == ""


def test_a_dropped_file_is_attached_in_the_background_and_its_removal_can_be_undone(window, sample_workspace,
                                                                                   qtbot, tmp_path):
    ws = sample_workspace
    proof = tmp_path / "协调会纪要.pdf"
    proof.write_bytes(b"%PDF-1.4 " + b"minutes " * 5000)
    window.tasks_view.reveal_task(60)
    pane = window.tasks_view.pane

    event = drop_files(window, qtbot, proof)

    assert event.isAccepted()
    assert [e.original_name for e in pane.evidence()] == ["协调会纪要.pdf"]
    assert pane.evidence_list.item(0).text().startswith("协调会纪要.pdf")
    assert cell(window, 60, COL_EVIDENCE) == "1"
    assert history_texts(window)[0] == "添加佐证材料“协调会纪要.pdf”"
    [ev] = evidence.list_evidence(ws, target_kind="task", target_id=60)

    pane.select_evidence(ev.id)
    pane.remove_selected_evidence()
    assert pane.evidence() == () and pane.evidence_list.count() == 0
    assert cell(window, 60, COL_EVIDENCE) == "0"
    assert evidence.list_evidence(ws, target_kind="task", target_id=60) == []
    assert evidence.vault_path(ws, ev.sha256).is_file(), "the file stays in the vault"

    window.undo_action.trigger()
    assert [e.original_name for e in pane.evidence()] == ["协调会纪要.pdf"]
    assert cell(window, 60, COL_EVIDENCE) == "1"
    assert evidence.list_evidence(ws, target_kind="task", target_id=60)[0].id == ev.id

    window.undo_action.trigger()  # the attach itself
    assert pane.evidence() == ()
    window.redo_action.trigger()
    assert [e.id for e in pane.evidence()] == [ev.id]


def test_opening_evidence_hands_a_checked_copy_with_its_own_name_to_the_system_viewer(window, qtbot, tmp_path,
                                                                                    monkeypatch):
    proof = tmp_path / "src" / "协调会纪要.pdf"
    proof.parent.mkdir()
    proof.write_bytes(b"%PDF-1.4 minutes")
    monkeypatch.setattr("liaison_app.paths.viewing_dir", lambda: tmp_path / "temp")
    opened: list[QUrl] = []
    monkeypatch.setattr("ui.task_detail.QDesktopServices.openUrl", lambda url: opened.append(url) or True)
    window.tasks_view.reveal_task(60)
    pane = window.tasks_view.pane
    drop_files(window, qtbot, proof)
    pane.select_evidence(pane.evidence()[0].id)

    job = pane.open_selected_evidence()
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass

    [url] = opened
    copy = Path(url.toLocalFile())
    assert copy.name == "协调会纪要.pdf" and copy.read_bytes() == proof.read_bytes()
    assert copy.is_relative_to(tmp_path / "temp"), "a copy, never the vault file itself"


def test_show_in_folder_selects_a_readable_copy_not_the_hash_named_vault_file(window, qtbot, tmp_path,
                                                                               monkeypatch):
    from ui.reveal import reveal_command

    proof = tmp_path / "src" / "现场 照片.jpg"
    proof.parent.mkdir()
    proof.write_bytes(b"\xff\xd8 photo")
    monkeypatch.setattr("liaison_app.paths.viewing_dir", lambda: tmp_path / "查看 副本")
    shown: list[Path] = []
    monkeypatch.setattr("ui.task_detail.reveal_in_file_manager", shown.append)
    window.tasks_view.reveal_task(60)
    pane = window.tasks_view.pane
    drop_files(window, qtbot, proof)
    pane.select_evidence(pane.evidence()[0].id)

    job = pane.show_selected_in_folder()
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass

    [copy] = shown
    assert copy.name == "现场 照片.jpg" and copy.read_bytes() == proof.read_bytes()
    assert copy.is_relative_to(tmp_path / "查看 副本"), "a copy, never the vault file itself"
    # On Windows Explorer opens on the copy's folder with the copy selected, whatever the path holds.
    assert reveal_command(copy, windows=True) == f'explorer.exe /select,"{copy}"'


def test_dropping_a_folder_says_so_in_plain_chinese_and_changes_nothing(window, sample_workspace, qtbot, tmp_path):
    folder = tmp_path / "材料"
    folder.mkdir()
    window.tasks_view.reveal_task(60)

    drop_files(window, qtbot, folder)

    [box] = open_message_boxes()
    assert "文件夹" in box.text() and "Traceback" not in box.text()
    assert box.icon() == QMessageBox.Icon.Warning
    box.close()
    assert window.tasks_view.pane.evidence() == ()
    assert not window.tasks_view.pane.busy and window.tasks_view.pane._add.isEnabled()


def test_clicking_an_overdue_task_on_the_dashboard_opens_it_in_the_task_list(window, qtbot):
    window.set_department("办公室")  # 法制科's district document has no deadlines; 办公室 also has city tasks with them
    window.show_view("dashboard")
    overdue = window.dashboard.overdue_list
    assert window.dashboard.cards["overdue"].number.text() == str(overdue.topLevelItemCount())
    item = overdue.topLevelItem(0)
    task_id = item.data(0, Qt.ItemDataRole.UserRole)
    assert item.text(0).startswith("逾期 ")
    window.tasks_view.search.setText("没有这样的任务")  # a filter that hides it

    qtbot.mouseClick(overdue.viewport(), Qt.MouseButton.LeftButton, pos=overdue.visualItemRect(item).center())

    assert window.current_view == "tasks"
    assert window.tasks_view.pane.task_id == task_id
    assert window.tasks_view.search.text() == ""


def test_ctrl_z_undoes_from_anywhere_in_the_window(window, sample_workspace, qtbot):
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.tasks_view.reveal_task(60)
    window.tasks_view.pane.set_status(Status.DOING)
    window.tasks_view.table.setFocus()
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"

    qtbot.keyClick(window.tasks_view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    assert progress.get_progress(sample_workspace, "task", 60).status is Status.TODO


def test_window_remembers_its_size_and_last_view(qtbot, sample_workspace):
    first = MainWindow(sample_workspace, today=TODAY)
    qtbot.addWidget(first)
    first.resize(720, 520)  # within the offscreen screen (800 × 600)
    first.show_view("tasks")
    first.close()

    again = MainWindow(sample_workspace, today=TODAY)
    qtbot.addWidget(again)
    assert again.current_view == "tasks"
    assert (again.width(), again.height()) == (720, 520)
    again.close()


def test_import_action_opens_the_wizard_and_an_import_reloads_the_window(window, sample_workspace, monkeypatch):
    opened: list[QDialog] = []

    class FakeImportWizard(QDialog):
        imported = Signal(object)

        def __init__(self, ws: Workspace, parent: MainWindow | None = None) -> None:
            super().__init__(parent)
            self.ws = ws
            opened.append(self)

    monkeypatch.setitem(sys.modules, "ui.import_wizard", types.SimpleNamespace(ImportWizard=FakeImportWizard))
    assert window.import_action.shortcut().toString() == "Ctrl+I"

    window.import_action.trigger()
    [wizard] = opened
    assert wizard.ws is sample_workspace and wizard.isVisible()
    report = import_text(sample_workspace, "序号\t任务内容\t牵头部门\t配合部门\n1\t建立新科室台账\t新设科\t法制科\n",
                         name="补充任务.txt", year=2023)
    wizard.imported.emit(report)
    wizard.close()

    assert window.unit_combo.findData("新设科") >= 0
    assert any(window.tasks_view.proxy.record(r).task.content == "建立新科室台账"
               for r in range(window.tasks_view.proxy.rowCount()))


def test_a_read_only_workspace_can_be_read_but_not_changed(qtbot, sample_workspace_dir, tmp_path):
    proof = tmp_path / "纪要.pdf"
    proof.write_bytes(b"minutes")
    with Workspace.open(sample_workspace_dir, read_only=True) as ws:
        w = MainWindow(ws, today=TODAY, remember=False)
        qtbot.addWidget(w)
        w.tasks_view.reveal_task(60)
        pane = w.tasks_view.pane
        assert "只读" in w.windowTitle() and "只读" in w.path_label.text()
        assert not pane._status_group.button(2).isEnabled() and not pane._add.isEnabled()
        assert not w.import_action.isEnabled()
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(proof))])
        event = QDropEvent(QPointF(30, 30), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                           Qt.KeyboardModifier.NoModifier)
        pane.dropEvent(event)
        assert not event.isAccepted() and pane.evidence() == ()
        w.close()


def test_the_filter_bar_narrows_the_list_and_says_how_many_are_shown(window, sample_workspace):
    view = window.tasks_view
    total = view.proxy.rowCount()
    progress.set_status(sample_workspace, "task", 60, "done")
    view.load()

    view.status_combo.setCurrentIndex(view.status_combo.findText("已完成"))
    assert [view.proxy.record(r).task.id for r in range(view.proxy.rowCount())] == [60]
    assert view.count_label.text().startswith(f"显示 1 项，共 {total} 项")

    view.clear_filters()
    view.role_combo.setCurrentIndex(view.role_combo.findText("牵头"))
    lead = [r.task.id for r in catalog.list_tasks(sample_workspace, department="法制科", role="lead")
            if not r.via_collective]
    assert [view.proxy.record(r).task.id for r in range(view.proxy.rowCount())] == lead

    view.search.setText("没有这样的任务")
    assert view.proxy.rowCount() == 0 and view.count_label.text().startswith(f"显示 0 项，共 {total} 项")
    view.clear_filters()
    assert view.proxy.rowCount() == total and view.search.text() == ""
