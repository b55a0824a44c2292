"""Point 8 of issue 10: 每月 / 每季度 / 每半年 / 每年×月 are recurring deadlines. The recurrence is stored with the
deadline, the text stays as written, and reminders and the overdue count use each period's due date."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from liaison_app import paths, progress
from liaison_app.importing import due_in_period, import_text, parse_deadline
from liaison_app.workspace import Workspace

TABLE = ("序号\t任务内容\t牵头部门\t时间节点\n"
         "1\t报送政务服务数据\t法制科\t每月10日前\n"
         "2\t开展好差评分析\t法制科\t每季度\n"
         "3\t总结半年工作\t法制科\t每半年\n"
         "4\t更新办事指南\t法制科\t每年3月底前\n"
         "5\t完成方案\t法制科\t6月底前\n")


@pytest.mark.parametrize(("text", "recurrence", "day", "due"), [
    ("每月", "monthly", dt.date(2024, 2, 3), dt.date(2024, 2, 29)),
    ("每月10日前", "monthly:10", dt.date(2024, 5, 17), dt.date(2024, 5, 10)),
    ("每季度", "quarterly", dt.date(2024, 5, 17), dt.date(2024, 6, 30)),
    ("每季度末报送", "quarterly", dt.date(2024, 11, 1), dt.date(2024, 12, 31)),
    ("每半年", "half-yearly", dt.date(2024, 7, 1), dt.date(2024, 12, 31)),
    ("每年3月底前", "yearly:3", dt.date(2024, 5, 17), dt.date(2024, 3, 31)),
    ("每年十一月", "yearly:11", dt.date(2025, 1, 2), dt.date(2025, 11, 30)),
])
def test_recurrences_and_their_due_dates(text, recurrence, day, due):
    parsed = parse_deadline(text, 2024)
    assert parsed.recurrence == recurrence and parsed.understood and parsed.text == text
    assert parsed.date is None  # no one date: each period has its own
    assert due_in_period(recurrence, day) == due


def test_recurring_deadlines_are_stored_and_drive_reminders(workspace):
    import_text(workspace, TABLE, year=2024)
    stored = dict(workspace.conn.execute("SELECT deadline_text, deadline_recurrence FROM tasks"))
    assert stored == {"每月10日前": "monthly:10", "每季度": "quarterly", "每半年": "half-yearly",
                      "每年3月底前": "yearly:3", "6月底前": ""}
    may = progress.reminders(workspace, today=dt.date(2024, 5, 17))
    overdue = {t.deadline_text: t.deadline for t in may.overdue}
    soon = {t.deadline_text: t.deadline for t in may.due_soon}
    assert overdue == {"每月10日前": dt.date(2024, 5, 10), "每年3月底前": dt.date(2024, 3, 31)}
    assert soon == {}
    june = progress.reminders(workspace, today=dt.date(2024, 6, 20))
    assert {t.deadline_text for t in june.due_soon} == {"每季度", "每半年", "6月底前"}
    # Next month the monthly task is due again, on the 10th.
    july = progress.reminders(workspace, today=dt.date(2024, 7, 1))
    assert {t.deadline_text: t.deadline for t in july.due_soon}["每月10日前"] == dt.date(2024, 7, 10)
    assert "6月底前" in {t.deadline_text for t in july.overdue}


def test_older_workspaces_get_the_recurrence_of_rows_already_imported(tmp_path, monkeypatch):
    first = tmp_path / "db"
    first.mkdir()
    shutil.copy(paths.migrations_dir() / "0001_initial.sql", first)
    monkeypatch.setattr(paths, "migrations_dir", lambda: first)
    root = tmp_path / "ws"
    with Workspace.open(root, create=True) as ws, ws.transaction():
        for text in ("每季度报送", "按月", "9月底"):
            ws.conn.execute("INSERT INTO tasks(content, deadline_text) VALUES (?, ?)", ("任务", text))
    monkeypatch.undo()
    with Workspace.open(root) as ws:
        got = dict(ws.conn.execute("SELECT deadline_text, deadline_recurrence FROM tasks"))
    assert got == {"每季度报送": "quarterly", "按月": "monthly", "9月底": ""}


def test_reminders_load_only_the_deadline_module_and_names_stay_functions():
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, liaison_app.importing.deadlines\n"
            "assert 'liaison_app.importing.readers' not in sys.modules, 'the readers were loaded'\n"
            "import liaison_app.importing.store\n"
            "from liaison_app.importing import recognise, read_document, import_file\n"
            "assert all(callable(f) and type(f).__name__ == 'function' for f in (recognise, read_document,"
            " import_file))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 0, proc.stderr
