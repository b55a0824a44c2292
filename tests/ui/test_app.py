"""Starting the program: which workspace opens, a workspace held by another window, the first run, and the
--screenshot mode that renders the window without any dialog."""

from __future__ import annotations

import sys
import types
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from liaison_app import paths
from liaison_app.workspace import Workspace, copy_workspace
from ui import app
from ui.icons import OVERDUE_COLOUR
from ui.settings import app_settings


def test_screenshot_writes_the_task_list_as_a_png(qapp, sample_workspace_dir, tmp_path):
    shot = tmp_path / "tasks.png"
    with Workspace.open(sample_workspace_dir) as ws:  # a unit whose tasks have deadlines, some of them past
        ws.set_setting("department", "办公室")

    assert app.main(["--workspace", str(sample_workspace_dir), "--screenshot", str(shot), "--view", "tasks"]) == 0

    image = QImage(str(shot))
    assert not image.isNull() and (image.width(), image.height()) == app.SCREENSHOT_SIZE
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)  # kept alive while its bits are read
    pixels = bytes(rgb.constBits())
    red = bytes((OVERDUE_COLOUR.red(), OVERDUE_COLOUR.green(), OVERDUE_COLOUR.blue()))
    assert red in pixels, "the overdue lights of the sample tasks are drawn"
    assert app_settings().value("workspace/last") is None, "a screenshot leaves no trace in the settings"


def test_screenshot_without_a_workspace_fails_plainly(qapp, tmp_path, capsys):
    shot = tmp_path / "tasks.png"
    assert app.main(["--workspace", str(tmp_path / "nothing"), "--screenshot", str(shot)]) == 2
    assert "找不到工作区" in capsys.readouterr().err
    assert not shot.exists()


def test_the_workspace_given_wins_then_the_environment_then_the_last_one_then_the_default(
        sample_workspace_dir, tmp_path, monkeypatch):
    other = tmp_path / "other"
    copy_workspace(sample_workspace_dir, other)
    default = tmp_path / "default"
    monkeypatch.setattr(paths, "default_workspace", lambda: default)

    assert app.find_workspace(None) is None, "first run: nothing anywhere"
    copy_workspace(sample_workspace_dir, default)
    assert app.find_workspace(None) == default
    app_settings().setValue("workspace/last", str(other))
    assert app.find_workspace(None) == other
    monkeypatch.setenv(paths.WORKSPACE_ENV, str(default))
    assert app.find_workspace(None) == default
    assert app.find_workspace(sample_workspace_dir) == sample_workspace_dir
    assert app.find_workspace(tmp_path / "missing") is None


def answer_message_box(button_text: str, seen: list[str]) -> None:
    """Click a button of the message box that is about to be shown, as the user would."""

    def click() -> None:
        for box in QApplication.topLevelWidgets():
            if isinstance(box, QMessageBox) and box.isVisible():
                seen.append(box.text())
                next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, click)


def test_a_workspace_in_use_is_explained_and_can_be_opened_read_only(qapp, sample_workspace):
    seen: list[str] = []
    answer_message_box("以只读方式打开", seen)

    ws = app.open_workspace(sample_workspace.root)

    assert ws is not None and ws.read_only
    ws.close()
    [text] = seen
    assert "正被另一个联络员工作台进程使用" in text and "Traceback" not in text


def test_declining_read_only_opens_nothing(qapp, sample_workspace):
    seen: list[str] = []
    answer_message_box("退出", seen)
    assert app.open_workspace(sample_workspace.root) is None
    assert len(seen) == 1


def test_first_run_hands_over_the_workspace_the_welcome_dialog_opened(qapp, sample_workspace_dir, monkeypatch,
                                                                        tmp_path):
    given: list[Path] = []

    class FakeWelcomeDialog(QObject):
        completed = Signal(object)

        def __init__(self, default_dir: Path, parent: object = None) -> None:
            super().__init__()
            given.append(default_dir)

        def exec(self) -> int:
            self.completed.emit(Workspace.open(sample_workspace_dir))
            return 1

    monkeypatch.setitem(sys.modules, "ui.welcome", types.SimpleNamespace(WelcomeDialog=FakeWelcomeDialog))

    ws = app.run_first_run(tmp_path / "new")

    assert given == [tmp_path / "new"]
    assert ws is not None and ws.root == sample_workspace_dir and not ws.read_only
    ws.close()


def test_a_start_without_a_display_says_so_in_one_sentence(tmp_path):
    import subprocess
    import sys

    from tests.conftest import REPO_ROOT, cli_env

    env = cli_env()
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    if sys.platform in ("win32", "darwin"):
        return  # those always have a display
    r = subprocess.run([sys.executable, "-m", "ui", "--workspace", str(tmp_path / "ws")], capture_output=True,
                       text=True, encoding="utf-8", env=env, cwd=REPO_ROOT, timeout=60)
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "没有可用的图形显示" in r.stderr
    assert "xcb" not in r.stderr and "Traceback" not in r.stderr
    # A screenshot renders offscreen by itself.
    shot = tmp_path / "shot.png"
    env["LIAISON_WORKSPACE"] = ""
    r = subprocess.run([sys.executable, "-m", "ui", "--workspace", str(tmp_path / "none"), "--screenshot", str(shot)],
                       capture_output=True, text=True, encoding="utf-8", env=env, cwd=REPO_ROOT, timeout=60)
    assert r.returncode == 2 and "找不到工作区" in r.stderr and "xcb" not in r.stderr


def test_the_window_is_built_again_for_a_language_or_another_workspace(qapp, qtbot, sample_workspace_dir, tmp_path):
    from liaison_app.workspace import Workspace, copy_workspace
    from ui import i18n

    other = tmp_path / "另一个 工作区"
    copy_workspace(sample_workspace_dir, other)
    session = app._Session(Workspace.open(sample_workspace_dir))
    try:
        first = session.window
        first.show()
        i18n.set_language("en")
        session.reopen(None)  # what 设置 asks for after a language change
        assert session.window is not first and session.window.nav.item(1).text() == "Tasks"
        assert session.ws.root == sample_workspace_dir.absolute()
        i18n.set_language("zh_CN")
        session.window.show_view("settings")
        session.window.view("settings").reopen_requested.emit(other)  # 打开其他工作区…
        assert session.ws.root == other.absolute() and session.window.current_view == "settings"
        assert app_settings().value("workspace/last") == str(other.absolute())
        # The first workspace was closed: another program may open it for writing now.
        Workspace.open(sample_workspace_dir).close()
        session.reopen(tmp_path / "不是工作区")
        assert session.ws.root == other.absolute()
        assert "不是联络员工作台的工作区" in session.window.message_bar.text()
    finally:
        i18n.set_language("zh_CN")
        session.window.close()
        session.close()
