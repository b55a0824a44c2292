"""The 考核指标 view: the unit's indicators with shared scores, self-assessment saved through the core, the cap
enforced, 不涉及 rows greyed and left out of the maximum, and another unit on request."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLineEdit

from liaison_app import catalog, progress
from liaison_app.model import Status
from liaison_app.workspace import Workspace
from ui.icons import MUTED_COLOUR
from ui.indicators_view import COL_LEVEL2, COL_NOTE, COL_SCORE, COL_SELF_SCORE, COL_STATUS, IndicatorsView


@pytest.fixture
def view(qtbot, sample_workspace: Workspace) -> IndicatorsView:
    widget = IndicatorsView(sample_workspace, today=dt.date(2023, 6, 15))
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    return widget


def row_named(view: IndicatorsView, level2: str) -> int:
    return next(i for i, r in enumerate(view.model.rows) if r.indicator.level2 == level2)


def text(view: IndicatorsView, row: int, col: int) -> str:
    return view.model.index(row, col).data()


def open_editor(view: IndicatorsView, row: int, col: int, kind: type):
    index = view.model.index(row, col)
    view.table.setCurrentIndex(index)
    view.table.edit(index)
    editor = view.table.viewport().findChild(kind)
    assert editor is not None and editor.isVisible()
    return editor


def test_lists_the_units_indicators_with_shared_scores(view: IndicatorsView, sample_workspace: Workspace) -> None:
    expected = catalog.list_indicators(sample_workspace, department="法制科")
    assert view.model.rowCount() == len(expected) == 19
    assert "法制科" in view.unit_label.text()
    assert text(view, row_named(view, "宣传推广"), COL_SCORE) == "10 分"
    shared = row_named(view, "企业专属网页")
    assert text(view, shared, COL_SCORE) == "共享 20 分（每项 5）"
    assert "4 项共享合并单元格的 20 分" in view.model.index(shared, COL_SCORE).data(Qt.ItemDataRole.ToolTipRole)
    ind = view.model.rows[shared].indicator
    assert view.model.index(shared, COL_LEVEL2).data(Qt.ItemDataRole.ToolTipRole) == ind.explanation
    assert view.total_text() == "自评合计 0 分 / 满分 104 分"


def test_self_score_through_the_editor_updates_total_and_progress(qtbot, view: IndicatorsView,
                                                                  sample_workspace: Workspace) -> None:
    row = row_named(view, "“好差评”工作")
    spin = open_editor(view, row, COL_SELF_SCORE, QDoubleSpinBox)
    assert spin.maximum() == 8
    spin.setValue(6.5)
    with qtbot.waitSignal(view.changed):
        qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert text(view, row, COL_SELF_SCORE) == "6.5"
    assert view.total_text() == "自评合计 6.5 分 / 满分 104 分"
    assert "已自评 1 / 19 项" in view.total_detail.text()
    saved = progress.get_progress(sample_workspace, "indicator", view.model.rows[row].indicator.id)
    assert saved is not None and saved.self_score == 6.5 and saved.status == Status.TODO


def test_a_score_above_the_cap_is_refused(qtbot, view: IndicatorsView, sample_workspace: Workspace) -> None:
    row = row_named(view, "智能办")  # one of three rows sharing a merged 20-point cell with two other units' rows
    spin = open_editor(view, row, COL_SELF_SCORE, QDoubleSpinBox)
    assert spin.maximum() == 4
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "7")
    assert spin.value() <= 4 and spin.text() != "7"
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert text(view, row, COL_SELF_SCORE) != "7"
    # A value from outside the editor (a paste, a script) meets the core's check and its plain sentence.
    with qtbot.waitSignal(view.failed) as failed:
        assert not view.set_self_score(row, 7)
    assert failed.args[0] == "自评分 7 超过了该指标的分值 4。"
    assert view.message.isVisible() and view.message.text() == failed.args[0]
    indicator_id = view.model.rows[row].indicator.id
    assert progress.get_progress(sample_workspace, "indicator", indicator_id) is None
    assert view.total_text() == "自评合计 0 分 / 满分 104 分"


def test_not_applicable_rows_are_grey_and_leave_the_maximum(qtbot, view: IndicatorsView,
                                                           sample_workspace: Workspace) -> None:
    row = row_named(view, "宣传推广")
    assert view.set_self_score(row, 9)
    combo = open_editor(view, row, COL_STATUS, QComboBox)
    with qtbot.waitSignal(view.changed):
        combo.setCurrentIndex(combo.findData(Status.NA.value))
        combo.activated.emit(combo.currentIndex())
    assert text(view, row, COL_STATUS) == "不涉及"
    brush = view.model.index(row, COL_LEVEL2).data(Qt.ItemDataRole.ForegroundRole)
    assert brush.color() == MUTED_COLOUR
    assert view.total_text() == "自评合计 0 分 / 满分 94 分"
    assert "1 项不涉及" in view.total_detail.text()
    indicator_id = view.model.rows[row].indicator.id
    assert progress.get_progress(sample_workspace, "indicator", indicator_id).status == Status.NA


def test_note_is_saved(qtbot, view: IndicatorsView, sample_workspace: Workspace) -> None:
    row = row_named(view, "办件质量")
    line = open_editor(view, row, COL_NOTE, QLineEdit)
    line.setText("已整改 3 件退件")
    with qtbot.waitSignal(view.changed):
        qtbot.keyClick(line, Qt.Key.Key_Return)
    indicator_id = view.model.rows[row].indicator.id
    assert progress.get_progress(sample_workspace, "indicator", indicator_id).note == "已整改 3 件退件"
    assert text(view, row, COL_NOTE) == "已整改 3 件退件"


def test_another_unit(view: IndicatorsView, sample_workspace: Workspace) -> None:
    view.set_department("办公室")
    assert view.model.rowCount() == len(catalog.list_indicators(sample_workspace, department="办公室"))
    assert "办公室" in view.unit_label.text()
    row = row_named(view, "组织推进")
    assert view.set_self_score(row, 8)
    indicator_id = view.model.rows[row].indicator.id
    assert progress.get_progress(sample_workspace, "indicator", indicator_id, department="办公室").self_score == 8
    assert progress.get_progress(sample_workspace, "indicator", indicator_id) is None
    view.set_department(catalog.ALL_DEPARTMENTS)  # 全部单位: a self-assessment is always one's own unit's
    assert "法制科" in view.unit_label.text() and view.model.rowCount() == 19
