"""The 材料汇总 view as the office uses it: packets dropped in, refused ones named, the bureau view's tables, the
task filter, a task opened with every unit's notes and evidence, reminders exported, the consolidated packet."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDropEvent  # noqa: E402

from liaison_app import paths  # noqa: E402
from liaison_app.packets.verify import verify_packet  # noqa: E402
from liaison_app.workspace import Workspace  # noqa: E402
from ui.rollup_view import RollupView  # noqa: E402

from .conftest import PASSWORD, TODAY, UNITS, RollupFacts, certificates  # noqa: E402


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.delenv(paths.WORKSPACE_ENV, raising=False)
    monkeypatch.setattr(paths, "viewing_dir", lambda: tmp_path / "viewing")
    yield
    from ui import jobs

    jobs.shutdown()


@pytest.fixture
def view(qtbot, office: Workspace, rollup_facts: RollupFacts) -> RollupView:
    widget = RollupView(office, today=TODAY)
    qtbot.addWidget(widget)
    widget.trust(certificates(rollup_facts))
    return widget


def _drop(widget: RollupView, files: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(event)


def test_empty_view_says_what_to_do(qtbot, office: Workspace) -> None:
    widget = RollupView(office, today=TODAY)
    qtbot.addWidget(widget)
    assert "还没有收入任何科室的材料包" in widget.summary.text()
    assert not widget.packet_button.isEnabled() and widget.model.rowCount() == 0


def test_dropped_folder_fills_the_bureau_view(qtbot, view: RollupView, inbox: Path, rollup_facts: RollupFacts,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QDesktopServices

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    with qtbot.waitSignal(view.added, timeout=60_000) as added:
        _drop(view, [inbox])
    assert [o.outcome for o in added.args[0]] == ["added"] * 3
    assert "应报送" in view.summary.text() and "已报送 3 个" in view.summary.text()
    assert "未报送：办公室" in view.summary.text()

    units = {view.units_table.item(r, 0).text(): view.units_table.item(r, 1).text()
             for r in range(view.units_table.rowCount())}
    assert all(units[u] == "已报送" for u in UNITS) and units["办公室"] == "未报送"
    assert view.overdue_table.rowCount() == 1 and view.overdue_table.item(0, 0).text() == "法制科"
    assert view.received_table.rowCount() == 3

    total = view.model.rowCount()
    # Typing on narrows the rows already shown; deleting a character searches them all again.
    from liaison_app.rollup.view import filter_tasks

    assert view.view is not None
    for text in ("推", "推进", "推进 说明", "推进 说明。", "推进", "推", ""):
        view.search.setText(text)
        assert view.model.rowCount() == len(filter_tasks(view.view.tasks, text=text)), text
    assert view.model.rowCount() == total
    view.search.setText("没有这样的任务内容")
    assert view.model.rowCount() == 0 and "显示 0 /" in view.count.text()
    view.search.clear()
    view.unit.setCurrentIndex(view.unit.findData("水气科"))
    view.status.setCurrentIndex(view.status.findData("todo"))
    expected = sum(1 for s in rollup_facts.units["水气科"].status.values() if s == "todo")
    assert view.model.rowCount() == expected < total
    view.status.setCurrentIndex(0)
    view.unit.setCurrentIndex(0)
    view.overdue_only.setChecked(True)
    assert view.model.rowCount() == 1

    # The task opens with every unit's notes and the evidence each sent; an evidence file opens as a checked copy.
    view.overdue_only.setChecked(False)
    row = next(r for r in range(view.model.rowCount()) if len(view.model.task(r).reports) == 3)
    view.table.selectRow(row)
    html = view.detail.toPlainText()
    task = view.model.task(row)
    for r in task.reports:
        assert r.note in html
    with_evidence = next(r for r in range(view.model.rowCount())
                         if any(x.evidence_count for x in view.model.task(r).reports))
    view.table.selectRow(with_evidence)
    assert view.evidence.count() >= 1
    # A file several units sent is listed once, with the units that sent it.
    texts = [view.evidence.item(i).toolTip() for i in range(view.evidence.count())]
    assert len(texts) == len(set(texts))
    copy = view.open_evidence(view.evidence.item(0))
    assert copy is not None and [Path(p) for p in opened] == [copy]
    import hashlib

    assert view.evidence.item(0).toolTip() == f"SHA-256 {hashlib.sha256(copy.read_bytes()).hexdigest()}"


def test_refused_packets_are_named(qtbot, view: RollupView, rollup_facts: RollupFacts, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: shown.append(text))
    stranger = tmp_path / "外来 材料包.zip"
    shutil.copy2(rollup_facts.stranger_packet, stranger)
    with qtbot.waitSignal(view.added, timeout=60_000):
        view.add([stranger])
    assert "拒收：外来 材料包.zip" in view.last_result.text() and "不在信任列表中" in view.last_result.text()
    assert shown and "外来 材料包.zip" in shown[0]
    assert view.received_table.rowCount() == 0


def test_supersede_reminders_and_consolidated_packet(qtbot, view: RollupView, inbox: Path,
                                                     rollup_facts: RollupFacts, tmp_path: Path) -> None:
    with qtbot.waitSignal(view.added, timeout=60_000):
        view.add([inbox])
    with qtbot.waitSignal(view.added, timeout=60_000):
        view.add([rollup_facts.newer_packet])
    states = [view.received_table.item(r, 6).text() for r in range(view.received_table.rowCount())]
    assert states.count("当前") == 3 and sum("取代" in s for s in states) == 1
    older = next(r for r, s in enumerate(states) if "取代" in s)
    saved = view.save_received(older, str(tmp_path / "旧版.zip"))
    assert saved is not None and saved.read_bytes() == rollup_facts.units["法制科"].packet.read_bytes()

    out = view.export_reminders(str(tmp_path / "提醒.xlsx"))
    assert out is not None
    from openpyxl import load_workbook

    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert any(r[0] == "办公室" and "尚未报送" in r[1] for r in rows[1:])

    with qtbot.waitSignal(view.consolidated, timeout=120_000) as made:
        view.make_consolidated(str(rollup_facts.office_identity), PASSWORD)
    result = made.args[0]
    assert "汇总材料包已生成" in view.last_result.text()
    assert verify_packet(result.path).intact


def test_screenshot_of_the_bureau_view(qtbot, view: RollupView, inbox: Path, tmp_path: Path) -> None:
    with qtbot.waitSignal(view.added, timeout=60_000):
        view.add([inbox])
    view.resize(1300, 800)
    view.table.selectRow(0)
    image = view.grab()
    assert image.width() >= 1200
    assert image.save(str(tmp_path / "rollup.png"))
    # Overdue is judged on the view's date (2023-12-20), not the machine's.
    assert "逾期 1 项次" in view.summary.text()


def test_the_main_window_lists_and_opens_the_view(qtbot, office: Workspace, inbox: Path,
                                                  rollup_facts: RollupFacts) -> None:
    from liaison_app.rollup.store import add_packets
    from ui.main_window import MainWindow, available_views

    from .test_intake import _certs

    add_packets(office, [inbox], trust=_certs(rollup_facts))
    assert "rollup" in available_views()
    window = MainWindow(office, today=TODAY, remember=False)
    qtbot.addWidget(window)
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert "材料汇总" in labels
    window.show_view("rollup")
    page = window.stack.currentWidget()
    assert isinstance(page, RollupView) and "已报送 3 个" in page.summary.text()
