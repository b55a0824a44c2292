"""The command line as a user runs it: set-status, attach, case add, cases and status."""

from __future__ import annotations

import datetime as dt
import json
import os

from liaison_app.workspace import Workspace

from .helpers import Factory, write_file


def _tasks(workspace_dir, *specs):
    with Workspace.open(workspace_dir) as ws:
        f = Factory(ws)
        return [f.task(content, deadline=deadline) for content, deadline in specs]


def test_set_status_and_status_summary(workspace_dir, cli):
    late, soon, later = _tasks(workspace_dir, ("梳理事项清单", dt.date(2023, 3, 31)),
                               ("完善办事指南", dt.date(2023, 6, 30)), ("年底总结", dt.date(2023, 12, 31)))

    r = cli("set-status", str(soon), "doing", "--note", "已起草", workspace=workspace_dir)
    assert r.returncode == 0, r.stderr
    assert "未开始 → 进行中" in r.stdout
    r = cli("set-status", str(later), "done", "--completed-on", "2023-06-01", workspace=workspace_dir)
    assert "已完成" in r.stdout and "2023-06-01" in r.stdout

    r = cli("status", "--json", "--today", "2023-06-21", workspace=workspace_dir)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["tasks"] == {"todo": 1, "doing": 1, "done": 1, "na": 0}
    assert [t["id"] for t in data["overdue"]] == [late]
    assert [t["id"] for t in data["due_soon"]] == [soon]
    assert data["missing_months"] == [f"2023-{m:02d}" for m in range(1, 7)]

    text = cli("status", "--today", "2023-06-21", workspace=workspace_dir).stdout
    assert "已逾期" in text and "梳理事项清单" in text and "逾期 82 天" in text
    assert "缺少月度案例" in text


def test_set_status_bad_input_exits_2(workspace_dir, cli):
    [tid] = _tasks(workspace_dir, ("任务", None))
    r = cli("set-status", "999", "done", workspace=workspace_dir)
    assert r.returncode == 2 and "999" in r.stderr and "Traceback" not in r.stderr
    r = cli("set-status", str(tid), "finished", workspace=workspace_dir)
    assert r.returncode == 2


def test_attach_files_and_refuse_a_folder(workspace_dir, cli, tmp_path):
    [tid] = _tasks(workspace_dir, ("收集佐证", None))
    a = write_file(tmp_path / "签到表.pdf", "sign-in")
    # A Windows device name where files can have one; elsewhere a name Windows trims (trailing dot and space).
    second = "aux.txt" if os.name != "nt" else "现场照片 2.jpg"
    b = write_file(tmp_path / second, "reserved name")
    r = cli("attach", str(tid), str(a), str(b), "--note", "第一批", "--json", workspace=workspace_dir)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [x["name"] for x in rows] == ["签到表.pdf", second]
    assert all(x["links"] == [f"task:{tid}"] for x in rows)

    r = cli("attach", str(tid), str(tmp_path), workspace=workspace_dir)
    assert r.returncode == 2 and "文件夹" in r.stderr
    assert cli("check", workspace=workspace_dir).returncode == 0


def test_case_add_and_cases(workspace_dir, cli, tmp_path):
    [tid] = _tasks(workspace_dir, ("帮办服务", None))
    body = write_file(tmp_path / "正文.txt", "背景：……\n做法：……\n成效：……")
    photo = write_file(tmp_path / "现场.jpg", b"\xff\xd8")
    r = cli("case", "add", "--month", "2023-05", "--title", "帮办响应提速", "--body-file", str(body),
            "--kind", "case", "--attach", str(photo), "--task", str(tid), "--json", workspace=workspace_dir)
    assert r.returncode == 0, r.stderr
    added = json.loads(r.stdout)
    assert added["kind"] == "case" and added["body"].startswith("背景") and added["attachments"] == ["现场.jpg"]
    r = cli("case", "add", "--month", "2023-06", "--title", "六月做法", "--body", "正文", "--final",
            workspace=workspace_dir)
    assert r.returncode == 0, r.stderr
    r = cli("case", "add", "--month", "2023-06", "--title", "没有正文", workspace=workspace_dir)
    assert r.returncode == 2

    data = json.loads(cli("cases", "--json", "--year", "2023", workspace=workspace_dir).stdout)
    assert [c["title"] for c in data["cases"]] == ["帮办响应提速", "六月做法"]
    assert data["year_grid"]["2023-05"] == "draft" and data["year_grid"]["2023-06"] == "final"
    assert data["year_grid"]["2023-07"] == "missing"
    text = cli("cases", "--year", "2023", workspace=workspace_dir).stdout
    assert "帮办响应提速" in text and "典型案例" in text and "草稿" in text
