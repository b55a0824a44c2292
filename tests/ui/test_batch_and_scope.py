"""Whose tasks the list shows (点名 by default, 泛指 one choice away, another bureau's tasks to assign) and work on
several tasks at once, undone as one step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from liaison_app import catalog, paths, progress
from liaison_app.catalog import Reach
from liaison_app.importing import import_file
from liaison_app.model import Status
from liaison_app.workspace import Workspace, copy_workspace
from ui.main_window import MainWindow
from ui.tasks_model import COL_REACH, COL_SOURCE, REACH_ALL

TODAY = dt.date(2023, 7, 1)


@pytest.fixture(scope="module")
def bureau_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """办公室 of 上海市松江区生态环境局 with both sample documents imported (the city's is another bureau's)."""
    root = tmp_path_factory.mktemp("bureau") / "ws"
    with Workspace.open(root, create=True) as ws:
        ws.set_setting("department", "办公室")
        ws.set_setting("liaison", "张三")
        ws.set_setting("bureau", "上海市松江区生态环境局")
        for table in paths.sample_tables():
            import_file(ws, table)
    return root


@pytest.fixture
def bureau_window(qtbot: QtBot, bureau_template: Path, tmp_path: Path) -> Iterator[MainWindow]:
    copy_workspace(bureau_template, tmp_path / "ws")
    ws = Workspace.open(tmp_path / "ws")
    w = MainWindow(ws, today=TODAY, remember=False)
    qtbot.addWidget(w)
    w.show_view("tasks")
    yield w
    w.close()
    ws.close()


def shown(w: MainWindow) -> list:
    proxy = w.tasks_view.proxy
    return [proxy.record(r) for r in range(proxy.rowCount())]


def test_a_collective_only_task_is_hidden_by_default_and_named_tasks_carry_their_source(bureau_window) -> None:
    w = bureau_window
    rows = shown(w)
    assert rows and all(r.reach is not Reach.COLLECTIVE for r in rows)
    collective = [r for r in w.tasks_view.model.records() if r.reach is Reach.COLLECTIVE]
    assert len(collective) == 1
    assert "另有 1 项泛指" in w.tasks_view.count_label.text()
    # No task of the city bureau's 办公室: 序号 of two documents, told apart by the 来源 column.
    proxy = w.tasks_view.proxy
    sources = {proxy.index(r, COL_SOURCE).data() for r in range(proxy.rowCount())}
    assert sources == {"沪松环〔2023〕14号", "沪绿容〔2023〕177号"}
    city = [proxy.index(r, COL_REACH).data() for r in range(proxy.rowCount())
            if proxy.index(r, COL_SOURCE).data() == "沪绿容〔2023〕177号"]
    assert city == ["待分派·配合"]
    w.tasks_view.reach_combo.setCurrentIndex(w.tasks_view.reach_combo.findData(REACH_ALL))
    assert collective[0].task.id in {r.task.id for r in shown(w)}
    assert "泛指·" in proxy.index(proxy.proxy_row_of(collective[0].task.id), COL_REACH).data()


def test_batch_not_applicable_on_several_tasks_is_one_undo_step(bureau_window) -> None:
    w = bureau_window
    view = w.tasks_view
    ids = [r.task.id for r in shown(w)][:5]
    progress.set_status(w.ws, "task", ids[0], "doing", note="已开会部署")
    view.load()
    view.select_task_ids(ids)
    assert view.selected_task_ids() == ids and not view.batch_bar.isHidden()
    assert view.batch_label.text() == "已选 5 项："
    depth = w.undo_stack.count()

    view.set_selected_status(Status.NA)
    assert w.undo_stack.count() == depth + 1
    assert w.undo_action.text() == "撤销“将 5 项任务标为不涉及”"
    assert all(progress.get_progress(w.ws, "task", i).status is Status.NA for i in ids)
    assert all(view.model.record(view.model.row_of(i)).status is Status.NA for i in ids)

    w.undo_action.trigger()
    assert progress.get_progress(w.ws, "task", ids[0]).status is Status.DOING
    assert progress.get_progress(w.ws, "task", ids[0]).note == "已开会部署"
    assert all(progress.get_progress(w.ws, "task", i).status is Status.TODO for i in ids[1:])
    assert view.model.record(view.model.row_of(ids[1])).status is Status.TODO
    w.redo_action.trigger()
    assert all(progress.get_progress(w.ws, "task", i).status is Status.NA for i in ids)

    view.set_selected_note("本科室不承担该项工作")
    assert all(progress.get_progress(w.ws, "task", i).note == "本科室不承担该项工作" for i in ids)
    w.undo_action.trigger()
    assert progress.get_progress(w.ws, "task", ids[0]).note == "已开会部署"


def test_a_city_task_for_every_district_is_assigned_to_a_unit_and_back(bureau_window) -> None:
    w = bureau_window
    view = w.tasks_view
    bureau = [r for r in shown(w) if r.reach is Reach.BUREAU]
    assert [r.task.seq for r in bureau] == ["26"]
    view.select_task_ids([bureau[0].task.id])
    assert view.batch_assign.isVisibleTo(view)
    view.assign_selected("法制科")
    assert bureau[0].task.id not in {r.task.id for r in shown(w)}
    assert catalog.assigned_department(w.ws, bureau[0].task.id) == "法制科"
    w.set_department("法制科")
    record = next(r for r in shown(w) if r.task.id == bureau[0].task.id)
    assert record.reach is Reach.ASSIGNED
    w.undo_action.trigger()
    assert catalog.assigned_department(w.ws, bureau[0].task.id) is None
    w.set_department("办公室")
    assert bureau[0].task.id in {r.task.id for r in shown(w)}
