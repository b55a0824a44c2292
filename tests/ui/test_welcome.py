"""The first-run dialog: a new workspace with the samples, an existing one, and the folders it cannot use."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from liaison_app import catalog
from liaison_app.workspace import Workspace
from tests.conftest import REPO_ROOT, cli_env
from tests.ui.wizard_helpers import click
from ui.welcome import WelcomeDialog


@pytest.fixture
def dialog(qtbot, tmp_path) -> Iterator[WelcomeDialog]:
    dlg = WelcomeDialog(tmp_path / "新工作区")
    qtbot.addWidget(dlg)
    dlg.show()
    yield dlg
    if dlg.ws is not None:
        dlg.ws.close()


def next_step(qtbot, dlg: WelcomeDialog) -> None:
    with qtbot.waitSignal(dlg.workspace_ready):
        click(qtbot, dlg.next_button)
    assert dlg.stack.currentIndex() == 1


def finish(qtbot, dlg: WelcomeDialog) -> Workspace:
    with qtbot.waitSignal(dlg.completed) as blocker:
        click(qtbot, dlg.start_button)
    assert dlg.result() == WelcomeDialog.DialogCode.Accepted
    return blocker.args[0]


def test_new_workspace_with_samples(qtbot, dialog, tmp_path):
    assert "新建工作区" in dialog.folder_status.text()
    assert not dialog.load_samples.isChecked()  # the samples are not the user's tasks: asked for, not given
    dialog.load_samples.setChecked(True)
    next_step(qtbot, dialog)
    units = [dialog.unit.itemText(i) for i in range(dialog.unit.count())]
    assert "法制科" in units and "许可处" in units and "各相关科室" not in units
    dialog.unit.setCurrentIndex(units.index("法制科"))
    dialog.name.setText("李四")  # QTest cannot type Chinese; an IME would commit the text like this
    dialog.bureau.setText("上海市松江区生态环境局")
    ws = finish(qtbot, dialog)
    try:
        assert ws.root == (tmp_path / "新工作区").absolute()
        assert ws.department == "法制科" and ws.liaison == "李四"
        assert ws.get_setting("bureau") == "上海市松江区生态环境局"
        assert len(catalog.list_tasks(ws, department=catalog.ALL_DEPARTMENTS)) == 27 + 49
        assert [s.doc_number for s in catalog.list_sources(ws)] == [
            "沪绿容〔2023〕177号",
            "沪松环〔2023〕14号",
        ]
        mine = catalog.list_tasks(ws, role="lead")
        assert {r.task.seq for r in mine if not r.via_collective} >= {"11", "12", "13"}
    finally:
        ws.close()


def test_new_workspace_without_samples_and_a_typed_unit(qtbot, dialog):
    dialog.load_samples.setChecked(False)
    next_step(qtbot, dialog)
    assert dialog.unit.count() == 0 and "还没有导入表格" in dialog.unit_note.text()
    click(qtbot, dialog.start_button)  # no unit yet
    assert dialog.unit_error.isVisible() and dialog.unit_error.text() == "请选择或填写您所在的科室。"
    dialog.unit.setEditText("法制科")
    ws = finish(qtbot, dialog)
    try:
        assert ws.department == "法制科" and ws.liaison is None
        assert catalog.list_tasks(ws, department=catalog.ALL_DEPARTMENTS) == []
    finally:
        ws.close()


def test_existing_workspace_keeps_its_settings(qtbot, workspace_dir):
    dlg = WelcomeDialog(workspace_dir)
    qtbot.addWidget(dlg)
    dlg.show()
    assert "已有工作区" in dlg.folder_status.text()
    dlg.load_samples.setChecked(False)
    next_step(qtbot, dlg)
    assert dlg.unit.currentText() == "法制科" and dlg.name.text() == "张三"
    ws = finish(qtbot, dlg)
    ws.close()


def test_back_and_quit_release_the_workspace(qtbot, dialog, tmp_path):
    dialog.load_samples.setChecked(False)
    next_step(qtbot, dialog)
    click(qtbot, dialog.back_button)
    assert dialog.stack.currentIndex() == 0 and dialog.ws is None
    Workspace.open(tmp_path / "新工作区").close()  # the lock was released
    next_step(qtbot, dialog)
    dialog.reject()
    assert dialog.ws is None
    Workspace.open(tmp_path / "新工作区").close()


@pytest.fixture
def held_by_another_process(workspace_dir: Path) -> Iterator[Path]:
    """The workspace, locked by a second Liaison Desk process (the lock is per process)."""
    code = (
        "import sys, time\n"
        "from liaison_app.workspace import Workspace\n"
        "ws = Workspace.open(sys.argv[1])\n"
        "print('locked', flush=True)\n"
        "time.sleep(120)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(workspace_dir)],
        stdout=subprocess.PIPE,
        text=True,
        env=cli_env(),
        cwd=REPO_ROOT,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield workspace_dir
    finally:
        proc.kill()
        proc.wait()


def test_locked_workspace_is_explained(qtbot, held_by_another_process):
    dlg = WelcomeDialog(held_by_another_process)
    qtbot.addWidget(dlg)
    dlg.show()
    with qtbot.waitSignal(dlg.failed) as blocker:
        click(qtbot, dlg.next_button)
    message = blocker.args[0]
    assert "正被另一个联络员工作台进程使用" in message and "请先关闭另一个窗口" in message
    assert dlg.folder_error.isVisible() and dlg.folder_error.text() == message
    assert dlg.stack.currentIndex() == 0 and dlg.ws is None and dlg.next_button.isEnabled()


def test_unusable_folder_is_explained(qtbot, tmp_path):
    blocker_file = tmp_path / "不是文件夹.txt"
    blocker_file.write_text("x", encoding="utf-8")
    dlg = WelcomeDialog(blocker_file / "工作区")
    qtbot.addWidget(dlg)
    dlg.show()
    with qtbot.waitSignal(dlg.failed) as blocker:
        click(qtbot, dlg.next_button)
    assert blocker.args[0].startswith("无法创建工作区文件夹")
    assert dlg.folder_error.text() == blocker.args[0] and dlg.stack.currentIndex() == 0
    dlg.folder.clear()
    assert dlg.folder_status.text() == "请选择一个文件夹。"
    click(qtbot, dlg.next_button)
    assert dlg.folder_error.text() == "请选择工作区文件夹。"


def test_enter_on_the_first_page_goes_on_and_never_opens_the_folder_picker(qtbot, dialog):
    from PySide6.QtCore import Qt

    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.folder.setFocus()
    with qtbot.waitSignal(dialog.workspace_ready, timeout=20_000):
        qtbot.keyClick(dialog.folder, Qt.Key.Key_Return)
    assert dialog.stack.currentIndex() == 1
