"""Test helpers: a factory inserting tasks and indicators with plain SQL into the real schema, and file writers.

The importer is written elsewhere; until it is merged these rows stand in for an imported table.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from liaison_app.workspace import Workspace, now_iso


@dataclass
class Factory:
    ws: Workspace
    source_id: int | None = None

    def source(self, year: int = 2023) -> int:
        if self.source_id is None:
            cur = self.ws.conn.execute(
                "INSERT INTO sources(file_name, sha256, title, year, imported_at) VALUES (?,?,?,?,?)",
                ("测试分工表.txt", "0" * 64, "测试分工表", year, now_iso()),
            )
            self.source_id = int(cur.lastrowid)
        return self.source_id

    def task(self, content: str, *, lead: Sequence[str] = ("法制科",), cooperating: Sequence[str] = (),
             deadline: dt.date | None = None, deadline_text: str = "", seq: str = "") -> int:
        src = self.source()
        cur = self.ws.conn.execute(
            "INSERT INTO tasks(source_id, seq, group_name, content, lead_text, cooperating_text, deadline_text,"
            " deadline, cells_json) VALUES (?,?,?,?,?,?,?,?,?)",
            (src, seq, "测试分组", content, "、".join(lead), "、".join(cooperating),
             deadline_text or (f"{deadline.month}月底" if deadline else "全年"),
             deadline.isoformat() if deadline else None, json.dumps({})),
        )
        task_id = int(cur.lastrowid)
        for name in lead:
            self.ws.conn.execute("INSERT INTO task_departments VALUES (?,?, 'lead')", (task_id, name))
        for name in cooperating:
            self.ws.conn.execute("INSERT INTO task_departments VALUES (?,?, 'cooperating')", (task_id, name))
        for name in (*lead, *cooperating):
            self.ws.conn.execute("INSERT OR IGNORE INTO departments VALUES (?, ?)", (name, now_iso()))
        return task_id

    def indicator(self, level2: str, *, score: float | None = None, shared_group: int | None = None,
                  departments: Sequence[str] = ("法制科",)) -> int:
        src = self.source()
        cur = self.ws.conn.execute(
            "INSERT INTO indicators(source_id, category, level1, level2, score, score_text, shared_group,"
            " departments_text) VALUES (?,?,?,?,?,?,?,?)",
            (src, "一网通办", "政务服务", level2, score, "" if score is None else f"{score:g}", shared_group,
             "、".join(departments)),
        )
        ind = int(cur.lastrowid)
        for name in departments:
            self.ws.conn.execute("INSERT INTO indicator_departments VALUES (?,?)", (ind, name))
        return ind


def write_file(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def open_ws(root: Path) -> Workspace:
    return Workspace.open(root)
