"""The 证据库 view on real files in a real vault: what each file is linked to, search and filter, numeric sorting,
a damaged file found by the check, the confirmed clean-up of an unlinked file, and opening a checked copy."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from liaison_app import cases, catalog, evidence
from liaison_app.evidence import VaultReport
from liaison_app.model import Evidence
from liaison_app.workspace import Workspace
from ui.evidence_view import (
    COL_DATE,
    COL_LINKS,
    COL_NAME,
    COL_SHA,
    COL_SIZE,
    EvidenceView,
    kind_label,
)

MINUTES = "会议纪要（6月）.pdf"


def _file(folder: Path, name: str, size: int, seed: int) -> Path:
    path = folder / name
    path.write_bytes(bytes((seed + i * 7) % 251 for i in range(size)))
    return path


class Filled:
    """A sample workspace with three files in its vault: two linked, one unlinked."""

    def __init__(self, ws: Workspace, folder: Path) -> None:
        folder.mkdir()
        tasks = [r.task for r in catalog.list_tasks(ws, department="法制科")]
        self.task_a, self.task_b = tasks[0], tasks[1]
        self.case = cases.add_case(ws, month="2023-05", title="“一网通办”窗口帮办", practice="做法")
        self.minutes = evidence.attach(ws, _file(folder, MINUTES, 3_000, 1), links=[("task", self.task_a.id)],
                                       note="六月例会", evidence_date="2023-06-28")
        self.photo = evidence.attach(ws, _file(folder, "photo.png", 150_000, 2),
                                     links=[("task", self.task_b.id), ("case", self.case.id)],
                                     evidence_date="2023-05-10")
        draft = evidence.attach(ws, _file(folder, "draft.docx", 500, 3), links=[("task", self.task_a.id)],
                                evidence_date="2023-04-01")
        self.draft = evidence.unlink(ws, draft.id, "task", self.task_a.id)


@pytest.fixture
def filled(sample_workspace: Workspace, tmp_path: Path) -> Filled:
    return Filled(sample_workspace, tmp_path / "files")


@pytest.fixture
def view(qtbot, sample_workspace: Workspace, filled: Filled, tmp_path: Path) -> EvidenceView:
    widget = EvidenceView(sample_workspace, today=dt.date(2023, 6, 30))
    widget.viewing_folder = tmp_path / "viewing"
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    return widget


def names(view: EvidenceView) -> list[str]:
    return [r.evidence.original_name for r in view.visible_rows()]


def row_of(view: EvidenceView, name: str) -> int:
    return names(view).index(name)


def cell(view: EvidenceView, name: str, col: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
    return view.proxy.index(row_of(view, name), col).data(role)


def select(view: EvidenceView, ev: Evidence) -> None:
    assert view.select_evidence(ev.id)
    assert view.selected_evidence() == ev


def test_lists_every_file_with_what_it_is_linked_to(view: EvidenceView, filled: Filled) -> None:
    assert sorted(names(view)) == sorted([MINUTES, "photo.png", "draft.docx"])
    assert cell(view, MINUTES, COL_LINKS) == f"任务 {filled.task_a.seq}"
    assert cell(view, "photo.png", COL_LINKS) == f"任务 {filled.task_b.seq}；案例 2023-05"
    assert cell(view, "draft.docx", COL_LINKS) == "未关联"
    assert filled.task_b.content[:20] in cell(view, "photo.png", COL_LINKS, Qt.ItemDataRole.ToolTipRole)
    assert cell(view, MINUTES, COL_DATE) == "2023-06-28" and cell(view, MINUTES, 3) == "PDF"
    assert cell(view, "photo.png", 3) == "图片" and cell(view, "draft.docx", 3) == "Word"
    assert cell(view, MINUTES, COL_SHA) == filled.minutes.sha256[:16]
    assert cell(view, MINUTES, COL_SHA, Qt.ItemDataRole.ToolTipRole) == filled.minutes.sha256
    assert "六月例会" in cell(view, MINUTES, COL_NAME, Qt.ItemDataRole.ToolTipRole)
    assert view.summary.text().startswith("3 件，共 ")
    assert view.clean_button.isEnabled() and not view.empty.isVisible()


def test_search_and_link_filter_narrow_the_rows(qtbot, view: EvidenceView) -> None:
    view.search.insert("会议")  # QTest types ASCII only; insert() is what an input method does
    assert names(view) == [MINUTES]
    assert view.summary.text().startswith("1 件") and "（全部 3 件）" in view.summary.text()
    view.search.clear()
    view.search.insert("案例 2023")  # every word must match; links are searched too
    assert names(view) == ["photo.png"]
    qtbot.keyClicks(view.search, "x")
    assert names(view) == [] and view.summary.text().startswith("0 件")
    view.search.clear()
    assert len(names(view)) == 3

    view.link_filter.setCurrentIndex(view.link_filter.findText("未关联"))
    assert names(view) == ["draft.docx"]
    view.link_filter.setCurrentIndex(view.link_filter.findText("已关联"))
    assert sorted(names(view)) == sorted([MINUTES, "photo.png"])


def click_header(qtbot, view: EvidenceView, col: int) -> None:
    header = view.table.horizontalHeader()
    pos = QPoint(header.sectionViewportPosition(col) + header.sectionSize(col) // 2, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_sorting_by_size_and_date_is_numeric(qtbot, view: EvidenceView) -> None:
    click_header(qtbot, view, COL_SIZE)
    assert view.table.horizontalHeader().sortIndicatorSection() == COL_SIZE
    order = names(view)
    if view.table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder:
        order.reverse()
    assert order == ["draft.docx", MINUTES, "photo.png"]  # 500 B, 2.9 KB, 146.5 KB: not as text
    click_header(qtbot, view, COL_SIZE)
    assert names(view) == list(reversed(order))
    view.table.sortByColumn(COL_DATE, Qt.SortOrder.AscendingOrder)
    assert names(view) == ["draft.docx", "photo.png", MINUTES]


def flip_a_byte(path: Path) -> None:
    path.chmod(path.stat().st_mode | stat.S_IWUSR)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_check_names_a_damaged_file(qtbot, view: EvidenceView, filled: Filled, sample_workspace: Workspace) -> None:
    with qtbot.waitSignal(view.checked, timeout=30_000) as done:
        view.check_button.click()
    assert done.args[0] == VaultReport(checked=3)
    assert view.check_text().startswith("✔ 全部 3 个文件完好")

    flip_a_byte(evidence.vault_path(sample_workspace, filled.minutes.sha256))
    with qtbot.waitSignal(view.checked, timeout=30_000) as done:
        view.check_vault()
    report: VaultReport = done.args[0]
    assert len(report.problems) == 1 and "已损坏" in report.problems[0] and MINUTES in report.problems[0]
    shown = view.check_text().splitlines()
    assert shown[0].startswith("✘ 发现 1 个问题") and shown[1] == report.problems[0]
    assert view.check_details.isVisible() and report.problems[0] in view.check_details.toPlainText()
    assert "已损坏" in cell(view, MINUTES, COL_NAME, Qt.ItemDataRole.ToolTipRole)
    assert cell(view, "photo.png", COL_NAME, Qt.ItemDataRole.BackgroundRole) is None


def test_check_reports_cleaned_leftovers(qtbot, view: EvidenceView, sample_workspace: Workspace) -> None:
    tmp = sample_workspace.vault_dir / "tmp"
    tmp.mkdir(exist_ok=True)
    (tmp / "0123456789abcdef.part").write_bytes(b"half a file")
    with qtbot.waitSignal(view.checked, timeout=30_000) as done:
        view.check_vault()
    assert done.args[0].problems == () and len(done.args[0].cleaned) == 1
    assert view.check_text().startswith("✔ 全部 3 个文件完好")
    assert view.check_text().splitlines()[1].startswith("已清理中断的复制留下的临时文件")
    assert not (tmp / "0123456789abcdef.part").exists()


def test_clean_up_asks_then_removes_the_unlinked_file(qtbot, view: EvidenceView, filled: Filled,
                                                      sample_workspace: Workspace) -> None:
    stored = evidence.vault_path(sample_workspace, filled.draft.sha256)
    assert stored.is_file()
    box = view.ask_to_clean()
    assert box is not None and box.isVisible()
    assert "1 件" in box.text() and "draft.docx" in box.informativeText() and "无法撤销" in box.informativeText()
    box.button(QMessageBox.StandardButton.No).click()  # cancelled: nothing happens
    assert view.job is None and stored.is_file()

    box = view.ask_to_clean()
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()
    assert view.job is not None
    with qtbot.waitSignals([view.changed, view.job.finished], timeout=30_000):
        pass
    assert [e.id for e in evidence.list_evidence(sample_workspace)] == [filled.minutes.id, filled.photo.id]
    assert not stored.exists()
    assert evidence.vault_path(sample_workspace, filled.minutes.sha256).is_file()
    assert sorted(names(view)) == sorted([MINUTES, "photo.png"])
    assert "draft.docx" in view.status.text()
    assert not view.clean_button.isEnabled() and view.ask_to_clean() is None


def test_clean_up_is_disabled_in_a_read_only_workspace(qtbot, filled: Filled, sample_workspace: Workspace) -> None:
    root = sample_workspace.root
    sample_workspace.close()
    ws = Workspace.open(root, read_only=True)
    try:
        widget = EvidenceView(ws)
        qtbot.addWidget(widget)
        assert len(widget.unlinked()) == 1
        assert not widget.clean_button.isEnabled() and "只读" in widget.clean_button.toolTip()
        assert widget.ask_to_clean() is None and widget.clean_unlinked() is None
    finally:
        ws.close()


def test_linked_task_is_requested(qtbot, view: EvidenceView, filled: Filled) -> None:
    select(view, filled.photo)
    assert view.task_button.isEnabled()
    with qtbot.waitSignal(view.task_requested) as requested:
        view.task_button.click()
    assert requested.args == [filled.task_b.id]
    select(view, filled.draft)
    assert not view.task_button.isEnabled()


def test_double_click_opens_a_checked_copy_outside_the_vault(qtbot, view: EvidenceView, filled: Filled,
                                                             sample_workspace: Workspace,
                                                             monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    index = view.proxy.index(row_of(view, MINUTES), COL_NAME)
    pos = view.table.visualRect(index).center()
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert view.job is not None
    with qtbot.waitSignal(view.job.finished, timeout=30_000):
        pass
    assert len(opened) == 1
    copy = Path(opened[0].toLocalFile())
    assert copy.name == MINUTES and copy.is_relative_to(tmp_path / "viewing")
    assert not copy.is_relative_to(sample_workspace.vault_dir)
    assert copy.read_bytes() == (tmp_path / "files" / MINUTES).read_bytes()
    assert not copy.stat().st_mode & stat.S_IWUSR  # read-only: a viewer cannot save over it


def test_opening_a_damaged_file_says_so(qtbot, view: EvidenceView, filled: Filled, sample_workspace: Workspace,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    flip_a_byte(evidence.vault_path(sample_workspace, filled.minutes.sha256))
    select(view, filled.minutes)
    with qtbot.waitSignal(view.failed, timeout=30_000) as failed:
        view.open_button.click()
    assert "已损坏" in failed.args[0] and view.message.isVisible() and view.message.text() == failed.args[0]
    assert opened == []


def test_shows_files_attached_elsewhere_when_shown_again(view: EvidenceView, filled: Filled,
                                                         sample_workspace: Workspace, tmp_path: Path) -> None:
    view.hide()
    evidence.attach(sample_workspace, _file(tmp_path / "files", "通知.xlsx", 800, 4),
                    links=[("task", filled.task_b.id)])
    view.show()
    assert "通知.xlsx" in names(view) and cell(view, "通知.xlsx", 3) == "Excel"


def test_kind_labels() -> None:
    assert kind_label("image/jpeg") == "图片" and kind_label("video/mp4") == "视频"
    assert kind_label("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") == "Excel"
    assert kind_label("application/msword") == "Word" and kind_label("application/ofd") == "其他"


def test_an_empty_vault(qtbot, sample_workspace: Workspace) -> None:
    widget = EvidenceView(sample_workspace)
    qtbot.addWidget(widget)
    assert widget.model.rowCount() == 0 and not widget.empty.isHidden()
    assert widget.summary.text().startswith("0 件") and not widget.clean_button.isEnabled()
