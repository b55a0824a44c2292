"""The one period rule, tried the way the issue found it broken: a workspace holding the 2023 and the 2024 plans.
Every part of a packet (manifest, PDF text, Excel rows, evidence files) must speak of that period only."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

from liaison_app import cases, catalog, evidence, periods, progress
from liaison_app.errors import InputError
from liaison_app.importing import import_text
from liaison_app.model import Status
from liaison_app.packets.content import gather
from liaison_app.packets.identity import create_identity
from liaison_app.workspace import Workspace

PASSWORD = "two-years"
BUREAU = "上海市松江区生态环境局"
TABLE = "序号\t任务内容\t牵头部门\t配合部门\t时间节点\n"

# 2023: five tasks of 法制科 (and one of another unit); 2024: three of 法制科.
PLAN_2023 = "沪松环〔2023〕14号 2023年“一网通办”工作要点\n" + TABLE + "".join(
    f"{n}\t二〇二三年任务{n}：梳理许可事项清单第{n}批\t法制科\t办公室\t{n + 3}月底\n" for n in range(1, 6)
) + "6\t二〇二三年任务6：办公室自己的事\t办公室\t\t6月底\n"
PLAN_2024 = "沪松环〔2024〕9号 2024年“一网通办”工作要点\n" + TABLE + "".join(
    f"{n}\t二〇二四年任务{n}：推进告知承诺第{n}项\t法制科\t\t{n + 1}月底\n" for n in range(1, 4)
)


@dataclass(frozen=True)
class TwoYears:
    root: Path
    identity: Path
    tasks_2023: tuple[int, ...]
    tasks_2024: tuple[int, ...]


def _build(base: Path) -> TwoYears:
    root = base / "ws"
    files = base / "files"
    files.mkdir(parents=True)
    with Workspace.open(root, create=True) as ws:
        for key, value in (("department", "法制科"), ("liaison", "张三"), ("bureau", BUREAU)):
            ws.set_setting(key, value)
        import_text(ws, PLAN_2023, name="2023要点.txt", year=2023)
        import_text(ws, PLAN_2024, name="2024要点.txt", year=2024)
        rows = catalog.list_tasks(ws, department="法制科")
        t23 = tuple(r.task.id for r in rows if "二〇二三" in r.task.content)
        t24 = tuple(r.task.id for r in rows if "二〇二四" in r.task.content)
        # 2024 task 1 done in February, task 2 done in May, task 3 not applicable; 2023 tasks all done in 2023.
        for n, tid in enumerate(t23):
            progress.set_status(ws, "task", tid, Status.DONE, completed_on=dt.date(2023, 3 + n, 15), note="二三年办结")
        progress.set_status(ws, "task", t24[0], Status.DONE, completed_on=dt.date(2024, 2, 10), note="二月办结")
        progress.set_status(ws, "task", t24[1], Status.DONE, completed_on=dt.date(2024, 5, 6), note="五月办结")
        progress.set_status(ws, "task", t24[2], Status.NA, note="不涉及")

        def attach(name: str, task: int, day: str) -> None:
            (files / name).write_text(f"{name} 的内容", encoding="utf-8")
            evidence.attach(ws, files / name, links=[("task", task)], evidence_date=day)

        attach("二三年纪要.txt", t23[0], "2023-04-01")
        attach("二四年二月纪要.txt", t24[0], "2024-02-08")
        attach("二四年五月纪要.txt", t24[1], "2024-05-06")
        final = cases.add_case(ws, month="2023-05", title="二三年五月案例", body="正文")
        cases.finalise_case(ws, final.id, on=dt.date(2023, 5, 31))
        final = cases.add_case(ws, month="2024-02", title="二四年二月案例", body="正文")
        cases.finalise_case(ws, final.id, on=dt.date(2024, 2, 28))
        cases.add_case(ws, month="2024-02", title="二四年二月草稿", body="还没写完")
    identity = base / "张三.p12"
    create_identity(identity, name="张三", department="法制科", bureau=BUREAU, password=PASSWORD)
    return TwoYears(root, identity, t23, t24)


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> TwoYears:
    return _build(tmp_path_factory.mktemp("two-years"))


@dataclass
class Opened:
    manifest: dict
    members: list[str]
    pdf_text: str
    task_rows: list[tuple]
    case_titles: list[str]
    about: dict[str, str]


def _open_packet(path: Path, into: Path) -> Opened:
    with zipfile.ZipFile(path) as zf:
        zf.extractall(into)
        members = zf.namelist()
    manifest = json.loads((into / "manifest.json").read_text(encoding="utf-8"))
    text = ""
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(into / "report.pdf"), "-"], capture_output=True,
                              check=True).stdout.decode("utf-8")
    wb = load_workbook(into / "report.xlsx", read_only=True)
    tasks = [r for r in wb["任务清单"].iter_rows(min_row=2, values_only=True) if r[0] is not None]
    titles = [r[2] for r in wb["每月案例"].iter_rows(min_row=2, values_only=True) if r[2]]
    about = {r[0]: str(r[1]) for r in wb["说明"].iter_rows(values_only=True) if r[0]}
    wb.close()
    return Opened(manifest, members, text, tasks, titles, about)


@pytest.fixture(scope="module")
def packets(two_years: TwoYears, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Opened]:
    """Packets for 2023, 2024, 2024-Q1 and 2024-02 made with the `liaison packet` command, opened."""
    from tests.conftest import run_cli

    base = tmp_path_factory.mktemp("two-year-packets")
    out: dict[str, Opened] = {}
    for period in ("2023", "2024", "2024-Q1", "2024-02"):
        r = run_cli("--workspace", two_years.root, "packet", "--period", period, "--identity", two_years.identity,
                    "--out", base / "out", "--json", env={"LIAISON_PASSWORD": PASSWORD}, timeout=300)
        assert r.returncode == 0, r.stderr
        out[period] = _open_packet(Path(json.loads(r.stdout)["path"]), base / period)
    return out


def test_rule_in_the_core(two_years: TwoYears) -> None:
    with Workspace.open(two_years.root, read_only=True) as ws:
        assert periods.document_years(ws) == [2024, 2023]
        assert [s.doc_number for s in periods.period_sources(ws, periods.Period.parse("2024"))] == ["沪松环〔2024〕9号"]
        assert [r.task.id for r in periods.tasks_in_period(ws, "2024")] == list(two_years.tasks_2024)
        assert [r.task.id for r in periods.tasks_in_period(ws, "2023-Q2")] == list(two_years.tasks_2023)
        q1 = periods.scope(ws, "2024-Q1", today=dt.date(2024, 12, 1))
        assert q1.as_of == dt.date(2024, 3, 31)
        states = [q1.states[t].status for t in two_years.tasks_2024]
        # Done in February: done. Done only in May: not yet at the quarter's end. 不涉及 holds all year.
        assert states == [Status.DONE, Status.TODO, Status.NA]
        assert q1.done_in_period == (two_years.tasks_2024[0],)
        assert [c.title for c in q1.reports] == ["二四年二月案例"] and [c.title for c in q1.drafts] == ["二四年二月草稿"]
        running = periods.scope(ws, "2024", today=dt.date(2024, 4, 1))
        assert running.as_of == dt.date(2024, 4, 1)
        with pytest.raises(InputError, match="2025 年的文件中没有任务"):
            gather(ws, "2025", today=dt.date(2025, 6, 1))


@pytest.mark.parametrize("period, year, other", [("2023", 2023, 2024), ("2024", 2024, 2023),
                                                 ("2024-Q1", 2024, 2023), ("2024-02", 2024, 2023)])
def test_every_part_of_the_packet_covers_its_period_only(packets: dict[str, Opened], period: str, year: int,
                                                         other: int) -> None:
    p = packets[period]
    doc, other_doc = f"沪松环〔{year}〕", f"沪松环〔{other}〕"
    own, foreign = ("二〇二三", "二〇二四") if year == 2023 else ("二〇二四", "二〇二三")
    # Basis: only that year's document.
    assert [b["doc_number"] for b in p.manifest["basis"]] == [f"{doc}{'14' if year == 2023 else '9'}号"]
    assert other_doc not in p.about["依据文件"] and doc in p.about["依据文件"]
    # Tasks: the year's document's tasks of 法制科 only (not 办公室's own task).
    expected = 5 if year == 2023 else 3
    assert p.manifest["counts"]["tasks"] == expected == len(p.task_rows)
    assert all(own in row[2] and foreign not in row[2] for row in p.task_rows)
    # Evidence: dated in the period.
    names = sorted(m.split("_", 1)[1] for m in p.members if m.startswith("evidence/"))
    assert names == {"2023": ["二三年纪要.txt"], "2024": ["二四年二月纪要.txt", "二四年五月纪要.txt"],
                     "2024-Q1": ["二四年二月纪要.txt"], "2024-02": ["二四年二月纪要.txt"]}[period]
    # Reports: finalised ones of the period's months; the draft is named apart.
    assert p.case_titles == (["二三年五月案例"] if year == 2023 else ["二四年二月案例"])
    assert "二四年二月草稿" not in p.case_titles
    drafts = [d["title"] for d in p.manifest["drafts_left_out"]]
    assert drafts == ([] if year == 2023 else ["二四年二月草稿"])
    if p.pdf_text:
        flat = "".join(p.pdf_text.split())
        assert doc in flat and other_doc not in flat
        assert foreign not in flat and own in flat
        assert ("草稿，未纳入" in flat) == (year == 2024)


def test_states_are_those_at_the_periods_end(packets: dict[str, Opened]) -> None:
    status = {period: [row[8] for row in p.task_rows] for period, p in packets.items()}
    assert status["2024"] == ["已完成", "已完成", "不涉及"]
    assert status["2024-Q1"] == ["已完成", "未开始", "不涉及"]
    assert status["2024-02"] == ["已完成", "未开始", "不涉及"]
    assert status["2023"] == ["已完成"] * 5
    assert packets["2024-Q1"].manifest["period"]["as_of"] == "2024-03-31"
    assert packets["2024-02"].manifest["counts"]["done_in_period"] == 1


def test_packet_without_bureau_unit_or_liaison_is_refused_saying_where_to_fill_them_in(
        two_years: TwoYears, tmp_path: Path) -> None:
    from liaison_app.workspace import copy_workspace
    from tests.conftest import run_cli

    root = tmp_path / "ws"
    copy_workspace(two_years.root, root)
    with Workspace.open(root) as ws:
        ws.set_setting("bureau", "")
        ws.set_setting("liaison", " ")
    r = run_cli("--workspace", root, "packet", "--period", "2024", "--identity", two_years.identity,
                "--out", tmp_path / "out", env={"LIAISON_PASSWORD": PASSWORD})
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "局名称、联络员姓名" in r.stderr and "设置" in r.stderr and "liaison init" in r.stderr
    assert not (tmp_path / "out").exists()
