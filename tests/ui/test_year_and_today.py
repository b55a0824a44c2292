"""One year at a time, one today: the year selector drives the views, an import of another year switches to it, a
year that is over is shown as over, and the demo's window and packet agree on the day."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from liaison_app import progress
from liaison_app.demo import DEMO_TODAY, run_demo
from liaison_app.importing import import_text
from liaison_app.model import Status
from liaison_app.workspace import Workspace
from ui.main_window import MainWindow

TABLE_2024 = ("序号\t任务内容\t牵头部门\t配合部门\t时间节点\n"
              "1\t二〇二四年新增：推进政务服务码应用\t法制科\t办公室\t6月底前\n"
              "2\t二〇二四年新增：完善事项清单\t法制科\t\t9月底前\n")


@pytest.fixture
def window_at(qtbot: QtBot, sample_workspace: Workspace) -> Iterator:
    made: list[MainWindow] = []

    def make(today: dt.date) -> MainWindow:
        w = MainWindow(sample_workspace, today=today, remember=False)
        qtbot.addWidget(w)
        made.append(w)
        return w

    yield make
    for w in made:
        w.close()


def shown_contents(w: MainWindow) -> set[str]:
    proxy = w.tasks_view.proxy
    return {proxy.record(r).task.content for r in range(proxy.rowCount())}


def test_there_is_no_all_years_choice_and_the_window_opens_on_the_documents_year(window_at) -> None:
    w = window_at(dt.date(2023, 7, 1))
    years = [w.year_combo.itemData(i) for i in range(w.year_combo.count())]
    assert years == [2023] and w.year == 2023


def test_an_import_of_another_year_switches_the_window_to_it_and_says_so(window_at, sample_workspace) -> None:
    w = window_at(dt.date(2024, 3, 1))
    assert w.year == 2023  # no 2024 document yet: the latest year up to today
    w.show_view("tasks")
    report = import_text(sample_workspace, TABLE_2024, name="2024年分工表.txt", year=2024)
    wizard = w.open_import_wizard()
    wizard.imported.emit(report)  # what the wizard emits after an import
    wizard.close()

    assert w.year == 2024 and w.year_combo.currentText() == "2024 年"
    assert "已切换到 2024 年度" in w.message_bar.text()
    assert shown_contents(w) == {"二〇二四年新增：推进政务服务码应用", "二〇二四年新增：完善事项清单"}
    w.show_view("dashboard")
    assert w.dashboard.cards["total"].number.text() == "2"
    # The year drives the other views too: 每月案例 shows 2024 and has no year selector of its own.
    w.show_view("cases")
    cases_view = w.view("cases")
    assert cases_view.year.value() == 2024 and cases_view.year.isHidden()
    w.set_year(2023)
    assert cases_view.year.value() == 2023
    assert "二〇二四年新增：完善事项清单" not in shown_contents(w)


def test_a_past_years_dashboard_says_the_year_is_over_and_lists_what_stayed_undone(window_at,
                                                                                  sample_workspace) -> None:
    rows = progress._unit_tasks(sample_workspace, "法制科", dt.date(2023, 12, 31), 14)
    progress.set_status(sample_workspace, "task", rows[0].task_id, "done", today=dt.date(2023, 5, 1))
    progress.set_status(sample_workspace, "task", rows[1].task_id, "doing")
    w = window_at(dt.date(2026, 12, 3))
    w.show_view("dashboard")
    d = w.dashboard
    d.refresh()
    undone = [r for r in w.tasks_view.model.records() if r.status in (Status.TODO, Status.DOING)]
    assert d.heading.text().startswith("2023 年度已经结束")
    assert d.cards["overdue"].caption.text() == "年度结束时未完成"
    assert d.cards["overdue"].number.text() == str(len(undone)) and undone
    assert d.cards["due_soon"].isHidden()
    items = [d.overdue_list.topLevelItem(i) for i in range(d.overdue_list.topLevelItemCount())]
    texts = " ".join(item.text(0) for item in items)
    assert "天" not in texts and "进行中" in texts and "未开始" in texts  # no days counted to 2026
    assert "2026" not in d.months_note.text() and "2023年1月" in d.months_note.text()
    assert all("2026" not in c.text() and "本月待写" not in c.text() for c in d.month_cells)
    # The task list does not count days to 2026 either.
    w.show_view("tasks")
    deadlines = [w.tasks_view.proxy.index(r, 7).data() for r in range(w.tasks_view.proxy.rowCount())]
    assert not any("逾期" in t and "天" in t for t in deadlines if t)


def test_the_demos_window_and_packet_agree_on_today(qtbot: QtBot, tmp_path: Path) -> None:
    result = run_demo(tmp_path / "demo")
    with zipfile.ZipFile(result.packet) as z:
        pdf = tmp_path / "report.pdf"
        pdf.write_bytes(z.read("report.pdf"))
    with Workspace.open(result.workspace) as ws:
        w = MainWindow(ws, remember=False)  # no date given: the window finds the demo's day itself
        qtbot.addWidget(w)
        assert w.today() == DEMO_TODAY
        assert "以 2023-11-20 为今天" in w.path_label.text()
        w.dashboard.refresh()
        window_overdue = int(w.dashboard.cards["overdue"].number.text())
        window_total = int(w.dashboard.cards["total"].number.text())
        assert window_overdue == len(progress.summary(ws, today=DEMO_TODAY).overdue)
        w.close()
    try:
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    except FileNotFoundError:
        pytest.skip("pdftotext is not installed")
    assert f"已逾期的任务：{window_overdue} 项" in text
    with zipfile.ZipFile(result.packet) as z:
        assert json.loads(z.read("manifest.json"))["counts"]["tasks"] == window_total


def test_dashboard_cards_and_month_tiles_lead_to_what_they_count(window_at, sample_workspace) -> None:
    progress.set_status(sample_workspace, "task", 60, "done", today=dt.date(2023, 6, 1))
    w = window_at(dt.date(2023, 7, 1))
    w.show_view("dashboard")
    d = w.dashboard
    d.cards[Status.DONE.value].clicked.emit()
    assert w.current_view == "tasks"
    proxy = w.tasks_view.proxy
    assert [proxy.record(r).task.id for r in range(proxy.rowCount())] == [60]
    assert proxy.rowCount() == int(d.cards[Status.DONE.value].number.text())
    w.show_view("dashboard")
    d.cards["total"].clicked.emit()
    assert proxy.rowCount() == int(d.cards["total"].number.text())
    w.show_view("dashboard")
    d.month_tiles[4].clicked.emit()  # May
    assert w.current_view == "cases"
    assert w.view("cases").month_state(5) in ("missing", "draft", "final")
    assert w.view("cases")._selected_month == 5
    # Empty reminder lists take no room; their titles say there is nothing.
    w.show_view("dashboard")
    if d.due_soon_list.topLevelItemCount() == 0:
        assert d.due_soon_list.isHidden() and "没有" in d.due_soon_title.text()
