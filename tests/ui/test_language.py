"""English: the .qm built from resources/translations is shipped and loaded; switched to English in 设置, the main
window's own labels carry no Chinese (the data — unit names, document numbers — stays as it is)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QMenu, QToolBar
from pytestqt.qtbot import QtBot

from liaison_app.workspace import Workspace
from ui import i18n
from ui.main_window import MainWindow
from ui.settings_view import SettingsView

HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def english(qapp) -> Iterator[None]:
    assert i18n.set_language("en"), "liaison_en.qm could not be loaded"
    yield
    i18n.set_language("zh_CN")


def own_texts(w: MainWindow) -> list[str]:
    """Every label of the window itself: menus and their actions, navigation, the bar on top, the status bar."""
    texts = [w.windowTitle()]
    for menu in w.menuBar().findChildren(QMenu):
        texts.append(menu.title())
        texts += [a.text() for a in menu.actions() if not a.isSeparator()]
    texts += [w.nav.item(i).text() for i in range(w.nav.count())]
    for bar in w.findChildren(QToolBar):
        texts += [label.text() for label in bar.findChildren(QLabel)]
        texts += [a.text() for a in bar.actions() if a.text()]
    texts += [w.year_combo.itemText(i) for i in range(w.year_combo.count())]
    texts += [w.unit_combo.itemText(i) for i in range(w.unit_combo.count())]
    texts += [w.path_label.text(), w.counts_label.text()]
    return texts


def without_data(text: str, ws: Workspace) -> str:
    for value in sorted({ws.department or "", ws.liaison or "", *_unit_names(ws)}, key=len, reverse=True):
        if value:
            text = text.replace(value, "")
    return text


def _unit_names(ws: Workspace) -> list[str]:
    from liaison_app import catalog

    return catalog.list_departments(ws)


def test_the_shipped_translation_exists_and_loads() -> None:
    qm = Path(i18n.translation_file("en"))
    assert qm.is_file() and qm.stat().st_size > 10_000
    ts = qm.with_suffix(".ts").read_text(encoding="utf-8")
    assert "<source>任务清单</source>" in ts and "<translation>Tasks</translation>" in ts


def test_switching_to_english_leaves_no_chinese_in_the_main_windows_labels(qtbot: QtBot, sample_workspace,
                                                                          english) -> None:
    w = MainWindow(sample_workspace, today=dt.date(2023, 7, 1), remember=False)
    qtbot.addWidget(w)
    texts = own_texts(w)
    assert "Tasks" in texts and "&File" in texts and "Dashboard" in texts
    chinese = [t for t in texts if HAN.search(without_data(t, sample_workspace))]
    assert chinese == []
    # Views follow too (the task list's headers and filters, the dashboard's cards).
    w.show_view("tasks")
    headers = [w.tasks_view.model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(w.tasks_view.model.columnCount())]
    assert "Deadline" in headers and not any(HAN.search(h) for h in headers)
    assert w.tasks_view.reach_combo.itemText(0) == "Named tasks"
    w.close()


def test_the_language_is_chosen_in_settings_and_the_window_is_built_again(qtbot: QtBot, sample_workspace) -> None:
    w = MainWindow(sample_workspace, today=dt.date(2023, 7, 1), remember=False)
    qtbot.addWidget(w)
    w.show_view("settings")
    view = w.view("settings")
    assert isinstance(view, SettingsView)
    try:
        with qtbot.waitSignal(w.reopen_requested) as blocker:
            view.choose_language("en")
        assert blocker.args == [None]
        assert i18n.current_language() == "en"
        assert QCoreApplication.translate("MainWindow", "任务清单") == "Tasks"
        again = MainWindow(sample_workspace, today=dt.date(2023, 7, 1), remember=False)
        qtbot.addWidget(again)
        assert again.nav.item(1).text() == "Tasks"
        again.close()
    finally:
        i18n.set_language("zh_CN")
    assert QCoreApplication.translate("MainWindow", "任务清单") == "任务清单"
    w.close()
