"""设置 as a user meets it: unit, liaison and bureau that the next packet carries; reminder rules the dashboard
follows; trusted certificates with their fingerprints; a backup made and restored from the window."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from liaison_app import catalog
from liaison_app.packets.identity import create_identity
from liaison_app.packets.package import build_packet
from liaison_app.workspace import Workspace
from ui import app
from ui.main_window import MainWindow
from ui.settings import app_settings
from ui.settings_view import SettingsView

TODAY = dt.date(2023, 7, 1)


@pytest.fixture
def window(qtbot: QtBot, sample_workspace: Workspace) -> Iterator[MainWindow]:
    w = MainWindow(sample_workspace, today=TODAY, remember=False)
    qtbot.addWidget(w)
    yield w
    w.close()


def settings_of(w: MainWindow) -> SettingsView:
    w.show_view("settings")
    view = w.view("settings")
    assert isinstance(view, SettingsView)
    return view


def test_unit_liaison_and_bureau_changed_in_settings_are_in_the_next_packet(window, sample_workspace, tmp_path):
    view = settings_of(window)
    assert view.department.currentText() == "法制科"
    view.set_identity(department="办公室", liaison="李四", bureau="上海市松江区生态环境局")
    assert "已保存" in view.message_bar.text()
    assert "办公室（李四）" in window.windowTitle()
    assert window.department == "办公室"  # the unit selector follows
    mine = {r.task.id for r in catalog.list_tasks(sample_workspace, department="办公室")}
    assert {window.tasks_view.model.record(i).task.id for i in range(window.tasks_view.model.rowCount())
            if window.tasks_view.model.record(i).reach is not catalog.Reach.BUREAU} == mine

    identity = create_identity(tmp_path / "李四.p12", name="李四", department="办公室", bureau="上海市松江区生态环境局",
                               password="pw-123456")
    result = build_packet(sample_workspace, period="2023", identity=identity, out_dir=tmp_path / "out", today=TODAY)
    with zipfile.ZipFile(result.path) as z:
        manifest = json.loads(z.read("manifest.json"))
    assert (manifest["bureau"], manifest["department"], manifest["liaison"]) == (
        "上海市松江区生态环境局", "办公室", "李四")
    # The bureau's rule applies: the city's 办公室 is not this bureau's, so only the district's tasks are listed.
    assert manifest["counts"]["tasks"] == len(mine) < 34

    view.set_identity(department="")
    assert "不能为空" in view.message_bar.text() and sample_workspace.department == "办公室"


def test_reminder_rules_change_what_the_dashboard_calls_due_soon(qtbot, sample_workspace):
    window = MainWindow(sample_workspace, today=dt.date(2023, 8, 15), remember=False)  # 9 月底 is 46 days away
    qtbot.addWidget(window)
    window.set_department("办公室")  # named in the city's plan too, whose tasks have deadlines
    window.show_view("dashboard")
    before = int(window.dashboard.cards["due_soon"].number.text())
    view = settings_of(window)
    view.soon_days.setValue(60)
    view.soon_days.editingFinished.emit()
    view.report_day.setValue(5)
    view.report_day.editingFinished.emit()
    assert sample_workspace.get_setting("soon_days") == "60"
    window.show_view("dashboard")
    assert window.dashboard.cards["due_soon"].caption.text() == "60 天内到期"
    assert int(window.dashboard.cards["due_soon"].number.text()) > before


def test_trusted_certificates_show_their_fingerprint_and_can_be_removed(window, tmp_path):
    identity = create_identity(tmp_path / "王五.p12", name="王五", department="法制科", bureau="", password="pw-123456")
    cert = tmp_path / "王五.pem"
    cert.write_bytes(identity.certificate_pem())
    view = settings_of(window)
    view.add_trusted(str(cert))
    assert app_settings().value("packets/trusted_certificates", [], type=list) == [str(cert)]
    text = view.trusted.item(0).text()
    fp = identity.fingerprint.upper()
    assert "王五" in text and f"{fp[:4]} {fp[4:8]}" in text
    (tmp_path / "junk.pem").write_text("not a certificate", encoding="utf-8")
    view.add_trusted(str(tmp_path / "junk.pem"))
    assert view.trusted.count() == 1 and not view.message_bar.isHidden() and view.message_bar.kind == "error"
    view.trusted.item(0).setSelected(True)
    view.remove_selected_trusted()
    assert view.trusted.count() == 0 and app_settings().value("packets/trusted_certificates", [], type=list) == []


def test_backup_from_the_window_and_restore_into_a_new_folder(qtbot, window, sample_workspace, tmp_path):
    view = settings_of(window)
    dest = tmp_path / "备份" / "法制科.zip"
    job = view.back_up(dest)
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass
    assert dest.is_file() and "已备份" in view.message_bar.text()
    job = view.restore(dest, tmp_path / "恢复的工作区")
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass
    assert "已核对并恢复" in view.message_bar.text()
    with Workspace.open(tmp_path / "恢复的工作区", read_only=True) as restored:
        assert restored.department == "法制科"
        assert restored.counts()["tasks"] == sample_workspace.counts()["tasks"]
    assert view.restore(dest, sample_workspace.root) is None
    assert "正在使用" in view.message_bar.text()


def test_screenshot_of_the_settings_view(qapp, sample_workspace_dir, tmp_path):
    shot = tmp_path / "settings.png"
    assert app.main(["--workspace", str(sample_workspace_dir), "--screenshot", str(shot), "--view", "settings"]) == 0
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
