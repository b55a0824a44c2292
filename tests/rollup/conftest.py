"""Three units' signed 2023 packets, built once per session from the sample tables with three identities, plus the
packets the tests refuse or supersede with: one signed by a stranger, and a later packet of 法制科.

Tests copy what they need into their own tmp_path and open a fresh office workspace there.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from liaison_app import cases, catalog, evidence, paths, progress
from liaison_app.importing import import_file
from liaison_app.model import Status
from liaison_app.packets.identity import Identity, create_identity, load_identity
from liaison_app.packets.package import build_packet
from liaison_app.workspace import Workspace

BUREAU = "上海市松江区生态环境局"
UNITS = ("法制科", "环评科", "水气科")
TODAY = dt.date(2023, 12, 20)
PASSWORD = "rollup-test-password"


@dataclass(frozen=True)
class UnitFacts:
    department: str
    packet: Path
    certificate: Path
    status: dict[str, str]
    """序号|content -> status as the unit set it (every task of the unit: untouched ones are todo)."""
    notes: dict[str, str]
    self_scores: dict[str, float]
    """二级指标 -> self score."""
    case_titles: tuple[str, ...]


@dataclass(frozen=True)
class RollupFacts:
    units: dict[str, UnitFacts]
    stranger_packet: Path
    """环评科's packet signed by an identity nobody trusts."""
    stranger_certificate: Path
    newer_packet: Path
    """法制科's second 2023 packet (one more task done)."""
    newer_task: str
    """The task (序号|content) that changed to done in the newer packet."""
    late_task: str
    """法制科's task due 2023-09-30 and still 进行中 (序号|content)."""
    office_identity: Path
    office_certificate: Path
    shared_evidence_sha: str
    """An evidence file that two units both sent."""


def task_label(seq: str, content: str) -> str:
    return f"{seq}|{content}"


def _identity(folder: Path, name: str, dept: str) -> tuple[Identity, Path]:
    ident = create_identity(folder / f"{dept}.p12", name=name, department=dept, bureau=BUREAU, password=PASSWORD)
    cert = folder / f"{dept}.pem"
    cert.write_bytes(ident.certificate_pem())
    return ident, cert


def _build(base: Path) -> RollupFacts:
    files = base / "files"
    files.mkdir(parents=True)
    out = base / "packets"
    ids = base / "identities"
    ids.mkdir()
    ws_root = base / "ws"
    units: dict[str, UnitFacts] = {}
    with Workspace.open(ws_root, create=True) as ws:
        ws.set_setting("bureau", BUREAU)
        ws.set_setting("liaison", "联络员")
        for table in paths.sample_tables():
            import_file(ws, table)
        # The district plan gives no dates; a revised plan would (9 月底) — 法制科's task 11 gets one, so the
        # bureau view has a task that runs late.
        ws.conn.execute("UPDATE tasks SET deadline = '2023-09-30', deadline_text = '9 月底' WHERE seq = '11' "
                        "AND source_id = (SELECT id FROM sources WHERE doc_number = '沪松环〔2023〕14号')")
        shared = files / "联席会议纪要.txt"
        shared.write_text("2023年6月15日 各科室一网通办联席会议纪要\n", encoding="utf-8")
        cycles = {
            "法制科": (Status.DONE, Status.DOING, Status.DONE, Status.NA),
            "环评科": (Status.DONE, Status.DONE, Status.DOING, Status.TODO),
            "水气科": (Status.DOING, Status.TODO, Status.DONE),
        }
        facts_status: dict[str, dict[str, str]] = {}
        facts_notes: dict[str, dict[str, str]] = {}
        facts_scores: dict[str, dict[str, float]] = {}
        facts_cases: dict[str, tuple[str, ...]] = {}
        for n_unit, dept in enumerate(UNITS):
            rows = catalog.list_tasks(ws, department=dept)
            status: dict[str, str] = {}
            notes: dict[str, str] = {}
            done_ids = []
            for n, row in enumerate(rows):
                st = cycles[dept][n % len(cycles[dept])]
                note = f"{dept}：第 {n + 1} 项的情况说明。"
                progress.set_status(ws, "task", row.task.id, st, department=dept, note=note,
                                    completed_on=dt.date(2023, 6, 1) if st is Status.DONE else None, today=TODAY)
                status[task_label(row.task.seq, row.task.content)] = st.value
                notes[task_label(row.task.seq, row.task.content)] = note
                if st is Status.DONE:
                    done_ids.append(row.task.id)
            own = files / f"{dept}台账.txt"
            own.write_text(f"{dept} 2023 年办件台账\n", encoding="utf-8")
            evidence.attach(ws, own, links=[("task", done_ids[0])], evidence_date=dt.date(2023, 7, 1))
            evidence.attach(ws, shared, links=[("task", done_ids[-1])], evidence_date=dt.date(2023, 6, 15))
            scores: dict[str, float] = {}
            for k, ind in enumerate(catalog.list_indicators(ws, department=dept)[:2]):
                limit = progress.max_self_score(ws, ind.id)
                score = round((limit or 2.0) * (0.5 + 0.25 * k), 2)
                progress.set_status(ws, "indicator", ind.id, Status.DONE, department=dept, self_score=score,
                                    today=TODAY)
                scores[ind.level2] = score
            titles = []
            for month in ("2023-05", "2023-06")[: 2 - (n_unit == 2)]:
                c = cases.add_case(ws, month=month, title=f"{dept}{month}做法", body="做法和成效。", department=dept)
                cases.finalise_case(ws, c.id, on=dt.date(2023, int(month[5:]), 28))
                titles.append(c.title)
            facts_status[dept], facts_notes[dept] = status, notes
            facts_scores[dept], facts_cases[dept] = scores, tuple(titles)

        for dept in UNITS:
            ident, cert = _identity(ids, f"{dept}联络员", dept)
            result = build_packet(ws, period="2023", identity=ident, out_dir=out / dept, department=dept,
                                  today=TODAY)
            units[dept] = UnitFacts(dept, result.path, cert, facts_status[dept], facts_notes[dept],
                                    facts_scores[dept], facts_cases[dept])

        stranger = create_identity(ids / "stranger.p12", name="冒名者", department="环评科", bureau=BUREAU,
                                   password=PASSWORD)
        stranger_cert = ids / "stranger.pem"
        stranger_cert.write_bytes(stranger.certificate_pem())
        stranger_packet = build_packet(ws, period="2023", identity=stranger, out_dir=out / "stranger",
                                       department="环评科", today=TODAY).path

        # 法制科 finishes one more task and sends the year's packet again.
        rows = catalog.list_tasks(ws, department="法制科")
        changed = next(r for r in rows if r.task.seq != "11"
                       and facts_status["法制科"][task_label(r.task.seq, r.task.content)] != "done")
        progress.set_status(ws, "task", changed.task.id, Status.DONE, department="法制科", note="年底前已完成。",
                            completed_on=dt.date(2023, 12, 18), today=TODAY)
        ident = load_identity(ids / "法制科.p12", PASSWORD)
        newer = build_packet(ws, period="2023", identity=ident, out_dir=out / "newer", department="法制科",
                             today=TODAY).path
        shared_sha = evidence.sha256_file(shared)
        late = next(r.task for r in rows if r.task.seq == "11")

    _, office_cert = _identity(ids, "办公室联络员", "办公室")
    return RollupFacts(units=units, stranger_packet=stranger_packet, stranger_certificate=stranger_cert,
                       newer_packet=newer, newer_task=task_label(changed.task.seq, changed.task.content),
                       late_task=task_label(late.seq, late.content),
                       office_identity=ids / "办公室.p12", office_certificate=office_cert,
                       shared_evidence_sha=shared_sha)


@pytest.fixture(scope="session")
def rollup_facts(tmp_path_factory: pytest.TempPathFactory) -> RollupFacts:
    return _build(tmp_path_factory.mktemp("rollup-template"))


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Workspace]:
    """A fresh office (办公室) workspace of the same bureau."""
    ws = Workspace.open(tmp_path / "办公室 工作区", create=True)
    ws.set_setting("bureau", BUREAU)
    ws.set_setting("department", "办公室")
    yield ws
    ws.close()


@pytest.fixture
def inbox(rollup_facts: RollupFacts, tmp_path: Path) -> Path:
    """A folder (with a space and Chinese in its name) holding copies of the three units' packets."""
    folder = tmp_path / "收到的 材料包"
    folder.mkdir()
    for unit in rollup_facts.units.values():
        shutil.copy2(unit.packet, folder / unit.packet.name)
    return folder


def certificates(facts: RollupFacts) -> list[Path]:
    return [u.certificate for u in facts.units.values()]
