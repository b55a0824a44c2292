"""The 材料包 view: make a signed packet and verify packets, with plain messages for what goes wrong."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from liaison_app.packets.identity import create_identity
from liaison_app.workspace import Workspace
from ui.packets_view import PacketsView
from ui.settings import app_settings

PASSWORD = "secret-123"


@pytest.fixture
def view(qtbot, sample_workspace: Workspace, tmp_path: Path) -> PacketsView:

    app_settings().remove("packets/trusted_certificates")
    sample_workspace.set_setting("bureau", "上海市松江区生态环境局")
    widget = PacketsView(sample_workspace, today=dt.date(2023, 12, 20))
    qtbot.addWidget(widget)
    identity = create_identity(tmp_path / "me.p12", name="张三", department="法制科", password=PASSWORD)
    widget.identity_path.setText(str(identity.source))
    (tmp_path / "me.pem").write_bytes(identity.certificate_pem())
    return widget


def make(qtbot, view: PacketsView) -> Path:
    with qtbot.waitSignal(view.packet_built, timeout=60_000) as built:
        view.make_packet()
    return built.args[0].path


def test_make_then_verify_a_trusted_packet(qtbot, view: PacketsView, tmp_path: Path) -> None:
    view.kind.setCurrentIndex(view.kind.findData("quarter"))
    view.number.setValue(4)
    view.password.setText(PASSWORD)
    packet = make(qtbot, view)
    assert packet.name == "法制科-2023-Q4-材料包.zip" and packet.parent == view.ws.packets_dir
    assert "已生成" in view.make_status.text() and view.open_folder.isEnabled()
    assert view.ws.get_setting("identity_path") == view.identity_path.text()
    assert view.made.rowCount() == 1 and view.made.item(0, 2).text() == packet.name
    assert view.made.item(0, 1).text() == "2023-Q4"

    view.packet_path.setText(str(packet))
    with qtbot.waitSignal(view.packet_verified, timeout=60_000):
        view.verify()
    assert "不在信任列表" in view.verdict.text()
    view.add_trusted(str(tmp_path / "me.pem"))
    with qtbot.waitSignal(view.packet_verified, timeout=60_000) as done:
        view.verify()
    assert done.args[0].intact and done.args[0].trusted
    assert "签名人受信任" in view.verdict.text() and view.problems.rowCount() == 0


def test_made_packets_are_listed_and_verified_with_a_double_click(qtbot, view: PacketsView) -> None:
    view.password.setText(PASSWORD)
    first = make(qtbot, view)
    view.kind.setCurrentIndex(view.kind.findData("month"))
    view.number.setValue(5)
    second = make(qtbot, view)
    assert [view.made.item(r, 2).text() for r in range(view.made.rowCount())] == [second.name, first.name]
    assert [view.made.item(r, 4).text() for r in range(2)] == [str(second.parent), str(first.parent)]
    first.unlink()
    view.show_made()
    assert "已移走或删除" in view.made.item(1, 2).text()
    with qtbot.waitSignal(view.packet_verified, timeout=60_000) as done:
        view.made.cellDoubleClicked.emit(0, 2)
    assert view.packet_path.text() == str(second) and done.args[0].intact


def test_tampered_packet_lists_the_changed_file(qtbot, view: PacketsView, tmp_path: Path) -> None:
    view.password.setText(PASSWORD)
    packet = make(qtbot, view)
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(packet) as zin, zipfile.ZipFile(tampered, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, data + b"x" if info.filename == "report.xlsx" else data)
    view.packet_path.setText(str(tampered))
    with qtbot.waitSignal(view.packet_verified, timeout=60_000):
        view.verify()
    assert "发现" in view.verdict.text()
    files = [view.problems.item(r, 0).text() for r in range(view.problems.rowCount())]
    assert "report.xlsx" in files


def test_wrong_password_and_bad_input_are_plain_sentences(qtbot, view: PacketsView, tmp_path: Path) -> None:
    view.password.setText("not it")
    with qtbot.waitSignal(view.failed) as failed:
        view.make_packet()
    assert "密码不对" in failed.args[0] and "密码不对" in view.make_status.text()
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    view.packet_path.setText(str(tmp_path / "junk.zip"))
    with qtbot.waitSignal(view.failed, timeout=30_000) as failed:
        view.verify()
    assert "zip" in failed.args[0] and "Traceback" not in view.verdict.text()


def _answer_dialog(qtbot, button_text: str, seen: list[str]) -> None:
    """Click a button of the modal message box once it is shown (it runs its own event loop)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, click)


def test_drafts_are_warned_about_and_can_be_finalised_before_signing(qtbot, view: PacketsView) -> None:
    from liaison_app import cases
    from liaison_app.model import CaseStatus

    draft = cases.add_case(view.ws, month="2023-11", title="十一月做法", body="正文")
    view.kind.setCurrentIndex(view.kind.findData("month"))
    view.number.setValue(11)
    view.password.setText(PASSWORD)

    seen: list[str] = []
    _answer_dialog(qtbot, "取消", seen)
    assert view.make_packet() is None
    assert "十一月做法" in seen[0] and "草稿" in seen[0] and view.make_status.text() == "已取消。"
    assert cases.get_case(view.ws, draft.id).status is CaseStatus.DRAFT

    _answer_dialog(qtbot, "全部定稿后生成", seen)
    with qtbot.waitSignal(view.packet_built, timeout=60_000) as built:
        view.make_packet()
    assert cases.get_case(view.ws, draft.id).status is CaseStatus.FINAL
    assert [c.case.title for c in built.args[0].content.cases] == ["十一月做法"]
    assert built.args[0].manifest["drafts_left_out"] == []


def test_missing_bureau_is_refused_with_where_to_fill_it_in(qtbot, view: PacketsView) -> None:
    view.ws.set_setting("bureau", "")
    view.password.setText(PASSWORD)
    assert view.make_packet() is None
    assert "局名称" in view.make_status.text() and "设置" in view.make_status.text()
    assert view.missing_fields() == ["局名称"]


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory):
    """The workspace with the 2023 and 2024 plans of tests/packets/test_periods.py."""
    from tests.packets.test_periods import _build

    return _build(tmp_path_factory.mktemp("two-years-window"))


def test_window_makes_the_same_packet(qtbot, two_years, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The 材料包 view's year selector offers the documents' years, and its packet follows the same rule."""
    from liaison_app.workspace import copy_workspace
    from tests.packets.test_periods import PASSWORD as TWO_YEARS_PASSWORD
    from tests.packets.test_periods import _open_packet

    root = tmp_path / "ws"
    copy_workspace(two_years.root, root)
    with Workspace.open(root) as ws:
        view = PacketsView(ws, today=dt.date(2024, 12, 20))
        qtbot.addWidget(view)
        assert view.year.value() == 2024
        assert view.year_hint.text() == "工作区中的文件年份：2024、2023"
        view.kind.setCurrentIndex(view.kind.findData("quarter"))
        view.number.setValue(1)
        view.identity_path.setText(str(two_years.identity))
        view.password.setText(TWO_YEARS_PASSWORD)
        asked: list[list[str]] = []
        monkeypatch.setattr(view, "ask_about_drafts",
                            lambda period, drafts: asked.append([d.title for d in drafts]) or "leave")
        with qtbot.waitSignal(view.packet_built, timeout=120_000) as built:
            view.make_packet()
        result = built.args[0]
        assert asked == [["二四年二月草稿"]]
        assert result.manifest["counts"]["tasks"] == 3
        assert [d["title"] for d in result.manifest["drafts_left_out"]] == ["二四年二月草稿"]
        opened = _open_packet(result.path, tmp_path / "opened")
        assert [row[8] for row in opened.task_rows] == ["已完成", "未开始", "不涉及"]
