"""The 月度案例 view: write a month's report, finalise it, edit it again (a revision is kept), attach files by
dropping them, and see each month's state in the year grid."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QInputMethodEvent, QTextCursor
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QPlainTextEdit, QWidget

from liaison_app import cases, catalog, evidence
from liaison_app.model import CaseKind, CaseStatus
from liaison_app.workspace import Workspace
from ui import cases_view
from ui.cases_view import FINAL_NOTICE, MONTH_STATES, CasesView, RevisionDialog

TODAY = dt.date(2023, 6, 15)


@pytest.fixture
def make_view(qtbot, sample_workspace: Workspace):
    def make() -> CasesView:
        view = CasesView(sample_workspace, today=TODAY)
        qtbot.addWidget(view)
        view.resize(1200, 800)
        view.show()
        return view

    return make


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Answers for the view's yes/no questions, in order (a question nobody prepared an answer for fails)."""
    queue: list[bool] = []

    def fake_ask(_parent: object, _title: str, question: str) -> bool:
        assert queue, f"unexpected question: {question}"
        return queue.pop(0)

    monkeypatch.setattr(cases_view, "ask", fake_ask)
    return queue


def click(qtbot, button: QAbstractButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_text(widget: QWidget, text: str) -> None:
    """Type Chinese at the end of a field as a user does, through the input method's commit string."""
    widget.setFocus()
    if isinstance(widget, QPlainTextEdit):
        widget.moveCursor(QTextCursor.MoveOperation.End)
    elif isinstance(widget, QLineEdit):
        widget.end(False)
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def cell(view: CasesView, month: int) -> str:
    return view.month_buttons[month - 1].text()


def write_report(qtbot, view: CasesView, month: int, title: str) -> None:
    click(qtbot, view.month_buttons[month - 1])
    assert view.case is None and view.month_edit.date().month() == month
    type_text(view.title, title)
    type_text(view.background, "企业反映环评审批材料多")
    type_text(view.practice, "设立帮办专窗，全程网办")
    type_text(view.effect, "办理时间缩短 40%")


def test_missing_months_before_today_are_red(make_view) -> None:
    view = make_view()
    red = MONTH_STATES["missing"][2]
    for month in range(1, 6):
        assert view.month_state(month) == "missing"
        assert "缺" in cell(view, month) and "✗" in cell(view, month)
        assert red in view.month_buttons[month - 1].styleSheet()
    assert view.month_state(6) == "due" and "待写" in cell(view, 6)
    assert all("未到" in cell(view, m) for m in range(7, 13))
    assert "缺 5 个月" in view.summary.text()
    view.year.setValue(2022)
    assert all(view.month_state(m) == "missing" for m in range(1, 13))


def test_write_save_and_finalise_a_month(qtbot, make_view, sample_workspace: Workspace) -> None:
    view = make_view()
    write_report(qtbot, view, 3, "推行帮办代办")
    assert "3 月还没有案例" in view.message.text()
    with qtbot.waitSignal(view.changed):
        click(qtbot, view.save_button)
    assert view.month_state(3) == "draft" and "草稿" in cell(view, 3)
    assert view.table.rowCount() == 1 and view.table.item(0, 2).text() == "推行帮办代办"
    case_id = view.case.id
    saved = cases.get_case(sample_workspace, case_id)
    assert (saved.month, saved.status, saved.practice) == ("2023-03", CaseStatus.DRAFT, "设立帮办专窗，全程网办")

    # 定稿 with unsaved changes saves them first, on the date chosen.
    type_text(view.effect, "，满意率 100%")
    view.finalise_date.setDate(dt.date(2023, 3, 30))
    with qtbot.waitSignal(view.changed):
        click(qtbot, view.finalise_button)
    assert view.month_state(3) == "final" and "已定稿" in cell(view, 3)
    final = cases.get_case(sample_workspace, case_id)
    assert final.status == CaseStatus.FINAL and final.finalised_on == dt.date(2023, 3, 30)
    assert final.effect == "办理时间缩短 40%，满意率 100%" and final.revision == 1
    assert "已定稿" in view.table.item(0, 3).text()
    assert view.final_notice.isVisible()


def test_editing_a_finalised_report_warns_and_keeps_a_revision(qtbot, make_view, sample_workspace: Workspace) -> None:
    case = cases.add_case(sample_workspace, month="2023-02", title="数源目录扩容", practice="梳理数源目录")
    cases.finalise_case(sample_workspace, case.id, on=dt.date(2023, 2, 27))
    view = make_view()
    click(qtbot, view.month_buttons[1])
    assert view.case is not None and view.case.id == case.id
    assert view.final_notice.isVisible() and view.final_notice.text() == FINAL_NOTICE
    assert "该案例已定稿，修改后将退回草稿并保留原定稿版本" in view.final_notice.text()
    assert "暂无" in view.revisions.item(0).text()

    type_text(view.title, "（修订）")
    assert view.save_button.text() == "保存修改（退回草稿）"
    with qtbot.waitSignal(view.changed):
        click(qtbot, view.save_button)
    assert "已退回草稿" in view.message.text()
    after = cases.get_case(sample_workspace, case.id)
    assert after.status == CaseStatus.DRAFT and after.title == "数源目录扩容（修订）" and after.revision == 2
    revisions = cases.case_revisions(sample_workspace, case.id)
    assert [(r.revision, r.snapshot["title"], r.snapshot["status"]) for r in revisions] == [
        (1, "数源目录扩容", "final")]
    assert "第 1 版" in view.revisions.item(0).text() and "2023-02-27" in view.revisions.item(0).text()
    view.revisions.itemDoubleClicked.emit(view.revisions.item(0))
    dialog = view.findChild(RevisionDialog)
    assert dialog is not None and dialog.isVisible()
    assert "梳理数源目录" in dialog.findChild(QPlainTextEdit).toPlainText()
    dialog.close()
    assert view.month_state(2) == "draft" and not view.final_notice.isVisible()


def test_dropping_a_file_attaches_it(qtbot, make_view, sample_workspace: Workspace, tmp_path: Path) -> None:
    case = cases.add_case(sample_workspace, month="2023-05", title="好差评整改", body="全文")
    view = make_view()
    view.open_case(case.id)
    dropped = tmp_path / "会议纪要.pdf"
    dropped.write_bytes(b"%PDF-1.4 minutes of the meeting")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(view.changed, timeout=30_000):
        view.attachments.dropEvent(event)
        assert view.job is not None
        with qtbot.waitSignal(view.job.finished, timeout=30_000):
            pass
    assert event.isAccepted()
    assert view.attachment_names() == ["会议纪要.pdf"]
    linked = evidence.list_evidence(sample_workspace, target_kind="case", target_id=case.id)
    assert [e.original_name for e in linked] == ["会议纪要.pdf"]


def test_attaching_to_a_new_report_without_title_is_refused_plainly(qtbot, make_view, tmp_path: Path) -> None:
    view = make_view()
    click(qtbot, view.new_button)
    (tmp_path / "photo.jpg").write_bytes(b"jpeg")
    with qtbot.waitSignal(view.failed) as failed:
        view.attach_files([tmp_path / "photo.jpg"])
    assert failed.args[0] == "月度案例需要一个标题。"
    assert view.message.isVisible() and view.message.text() == "月度案例需要一个标题。"
    assert view.job is None and view.attachment_names() == []


def test_removing_an_attachment_asks_first(qtbot, make_view, sample_workspace: Workspace, tmp_path: Path,
                                           answers: list[bool]) -> None:
    case = cases.add_case(sample_workspace, month="2023-04", title="一网通办", body="全文")
    (tmp_path / "通知.docx").write_bytes(b"docx bytes")
    evidence.attach_many(sample_workspace, [tmp_path / "通知.docx"], links=[("case", case.id)])
    view = make_view()
    view.open_case(case.id)
    view.attachments.item(0).setSelected(True)
    answers.append(False)
    click(qtbot, view.remove_button)
    assert view.attachment_names() == ["通知.docx"]
    answers.append(True)
    with qtbot.waitSignal(view.changed):
        click(qtbot, view.remove_button)
    assert view.attachment_names() == [] and "已移除附件" in view.message.text()
    assert evidence.list_evidence(sample_workspace, target_kind="case", target_id=case.id) == []


def test_finalising_without_text_is_refused_plainly(qtbot, make_view, sample_workspace: Workspace) -> None:
    view = make_view()
    click(qtbot, view.month_buttons[0])
    type_text(view.title, "只有标题")
    with qtbot.waitSignal(view.failed) as failed:
        click(qtbot, view.finalise_button)
    assert "还没有正文，不能定稿" in failed.args[0] and "Traceback" not in view.message.text()
    assert view.month_state(1) == "draft"
    assert cases.list_cases(sample_workspace)[0].status == CaseStatus.DRAFT


def test_free_text_kind_and_linked_tasks(qtbot, make_view, sample_workspace: Workspace) -> None:
    view = make_view()
    click(qtbot, view.new_button)
    assert view.month_edit.date().month() == TODAY.month
    type_text(view.title, "典型案例")
    view.kind.setCurrentIndex(view.kind.findData(CaseKind.CASE))
    type_text(view.practice, "做法一")
    click(qtbot, view.free_mode)
    assert "做法：\n做法一" in view.body.toPlainText() and view.practice.toPlainText() == ""
    tasks = catalog.list_tasks(sample_workspace, department="法制科")
    wanted = tasks[1].task
    view.task_filter.setText(wanted.content[:12])
    shown = [view.tasks.item(i) for i in range(view.tasks.count()) if not view.tasks.item(i).isHidden()]
    assert [int(i.data(Qt.ItemDataRole.UserRole)) for i in shown] == [wanted.id]
    shown[0].setCheckState(Qt.CheckState.Checked)
    assert "已关联 1 项" in view.tasks_count.text()
    click(qtbot, view.save_button)
    saved = cases.get_case(sample_workspace, view.case.id)
    assert saved.kind == CaseKind.CASE and saved.task_ids == (wanted.id,)
    assert saved.body.startswith("做法：") and saved.practice == ""
    assert view.table.item(0, 1).text() == "典型案例"


def test_unsaved_changes_are_not_dropped_silently(qtbot, make_view, answers: list[bool]) -> None:
    view = make_view()
    click(qtbot, view.month_buttons[1])
    type_text(view.title, "写了一半")
    answers.append(False)
    click(qtbot, view.month_buttons[2])
    assert view.title.text() == "写了一半" and view.month_buttons[1].isChecked()
    answers.append(True)
    click(qtbot, view.month_buttons[2])
    assert view.title.text() == "" and view.month_edit.date().month() == 3


def test_another_unit_and_year(qtbot, make_view, sample_workspace: Workspace, answers: list[bool]) -> None:
    cases.add_case(sample_workspace, month="2023-01", title="环评审批提速", body="全文", department="环评科")
    view = make_view()
    assert view.table.rowCount() == 0 and "法制科" in view.unit_label.text()
    assert view.set_department("环评科")
    assert "环评科" in view.unit_label.text() and view.table.item(0, 2).text() == "环评审批提速"
    assert view.case is not None and view.title.text() == "环评审批提速" and view.month_state(1) == "draft"
    type_text(view.title, "（改）")
    answers.append(False)
    assert not view.set_department(catalog.ALL_DEPARTMENTS)  # the user keeps the unsaved edit
    assert "环评科" in view.unit_label.text() and view.title.text() == "环评审批提速（改）"
    answers.append(True)
    assert view.set_department(catalog.ALL_DEPARTMENTS)  # 全部单位: reports are written for one's own unit
    assert "法制科" in view.unit_label.text() and view.table.rowCount() == 0
    view.set_year(2024)
    assert view.case is None and view.month_edit.date().year() == 2024
    assert all(view.month_state(m) == "future" for m in range(1, 13))


def test_a_report_exports_alone_as_word(qtbot, make_view, sample_workspace: Workspace, tmp_path: Path) -> None:
    from docx import Document

    view = make_view()
    write_report(qtbot, view, 4, "推行帮办代办")
    target = tmp_path / "四月 案例" / "帮办代办.docx"
    target.parent.mkdir()
    written = view.export_docx(target)  # unsaved: saved as a draft first
    assert written == target and view.case is not None and not view.dirty
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "推行帮办代办" in text and "设立帮办专窗，全程网办" in text and "办理时间缩短 40%" in text
    assert "已导出" in view.message.text()
