"""Taking the units' packets in: verified first, refused with the reason and the file named, nothing stored from a
refused packet, the same packet twice changes nothing, a newer packet supersedes the older (kept on record)."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from liaison_app.packets.identity import load_certificates
from liaison_app.rollup.store import (
    RECEIVED_DIR,
    add_packets,
    copy_received,
    list_received,
    list_trusted,
    packet_member,
)
from liaison_app.rollup.view import bureau_view
from liaison_app.workspace import Workspace

from .conftest import TODAY, UNITS, RollupFacts, certificates, task_label

_TABLES = ("rollup_packets", "rollup_tasks", "rollup_evidence", "rollup_cases", "rollup_indicators", "rollup_trust",
           "audit_log")


def _certs(facts: RollupFacts) -> list:
    return [c for p in certificates(facts) for c in load_certificates(p)]


def _snapshot(ws: Workspace) -> tuple[dict[str, int], list[str]]:
    counts = {t: ws.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _TABLES}
    stored = sorted(p.relative_to(ws.root).as_posix() for p in (ws.root / RECEIVED_DIR).rglob("*") if p.is_file())
    return counts, stored


def _tamper(src: Path, dst: Path, member_prefix: str) -> str:
    """Copy a packet, changing one byte of the first member whose name starts with ``member_prefix``."""
    changed = ""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if not changed and info.filename.startswith(member_prefix):
                data = data[:-1] + bytes([data[-1] ^ 0x01])
                changed = info.filename
            zout.writestr(info, data)
    assert changed
    return changed


def test_three_units_added_and_view_matches_what_each_reported(office: Workspace, inbox: Path,
                                                               rollup_facts: RollupFacts) -> None:
    outcomes = add_packets(office, [inbox], trust=_certs(rollup_facts))
    assert sorted((o.outcome, o.department, o.period) for o in outcomes) == sorted(
        ("added", u, "2023") for u in UNITS)

    view = bureau_view(office, "2023", today=TODAY)
    reported = {u.department for u in view.units if u.reported}
    assert reported == set(UNITS)
    # Units the bureau's own document names but that sent nothing are listed as missing; city offices are not.
    assert "办公室" in view.missing_units and "执法大队" in view.missing_units
    assert "许可处" not in view.missing_units

    for dept, unit in rollup_facts.units.items():
        seen = {task_label(t.seq, t.content): r for t in view.tasks for r in t.reports if r.department == dept}
        assert {k: r.status for k, r in seen.items()} == unit.status
        assert {k: r.note for k, r in seen.items()} == unit.notes
        # Dates come back as dates (Excel keeps them as serial numbers).
        assert {r.completed_on for r in seen.values() if r.status == "done"} == {"2023-06-01"}
        status_counts = {s: list(unit.status.values()).count(s) for s in ("todo", "doing", "done", "na")}
        u = next(u for u in view.units if u.department == dept)
        assert {s: u.counts[s] for s in status_counts} == status_counts
        assert u.counts["tasks"] == len(unit.status)
        scores = {i.level2: i.by_unit[dept][1] for i in view.indicators if dept in i.by_unit
                  and i.by_unit[dept][1] is not None}
        assert scores == unit.self_scores
        assert tuple(m.title for m in view.reports if m.department == dept) == unit.case_titles

    # Each unit claimed half of 宣传推广's 10 points: the parts add up to more than the whole, and the bureau total
    # counts the indicator once, at most at its value.
    by_level2: dict[str, float] = {}
    for u in rollup_facts.units.values():
        for level2, score in u.self_scores.items():
            by_level2[level2] = by_level2.get(level2, 0.0) + score
    flagged = {i.level2 for i in view.indicator_problems}
    limits = {i.level2: i.available for i in view.indicators}
    assert flagged == {k for k, total in by_level2.items() if total > limits[k]}
    assert "宣传推广" in flagged
    assert round(view.self_score_total, 2) == round(sum(min(t, limits[k]) for k, t in by_level2.items()), 2)
    # A task two units share shows both side by side, the lead unit first.
    shared = [t for t in view.tasks if len(t.reports) > 1]
    assert shared
    for t in shared:
        roles = [r.role for r in t.reports]
        assert roles == sorted(roles, key=lambda r: r != "lead")
    # Every file of every packet is kept as received.
    for o in outcomes:
        stored = list_received(office, department=o.department)[0]
        assert (office.root / RECEIVED_DIR / stored.sha256[:2] / stored.sha256).read_bytes() == o.path.read_bytes()


def test_evidence_keeps_its_hash_and_is_found_once_across_units(office: Workspace, inbox: Path,
                                                                rollup_facts: RollupFacts) -> None:
    add_packets(office, [inbox], trust=_certs(rollup_facts))
    rows = office.conn.execute(
        "SELECT p.department, e.path FROM rollup_evidence e JOIN rollup_packets p ON p.id = e.packet_id "
        "WHERE e.sha256 = ?", (rollup_facts.shared_evidence_sha,)).fetchall()
    assert {d for d, _ in rows} == set(UNITS)
    pid = list_received(office, department="环评科")[0].id
    path = next(p for d, p in rows if d == "环评科")
    assert "联席会议纪要" in packet_member(office, pid, path).decode("utf-8")


def test_tampered_and_untrusted_packets_are_refused_named_and_leave_nothing(
        office: Workspace, rollup_facts: RollupFacts, tmp_path: Path) -> None:
    trusted = _certs(rollup_facts)
    add_packets(office, [rollup_facts.units["水气科"].packet], trust=trusted)
    before = _snapshot(office)

    tampered = tmp_path / "法制科-改过.zip"
    changed = _tamper(rollup_facts.units["法制科"].packet, tampered, "evidence/")
    outcomes = add_packets(office, [tampered, rollup_facts.stranger_packet])
    by_file = {o.path.name: o for o in outcomes}
    assert all(o.outcome == "refused" for o in outcomes)
    assert changed in by_file[tampered.name].reason and "核验未通过" in by_file[tampered.name].reason
    assert tampered.name in by_file[tampered.name].message
    stranger = by_file[rollup_facts.stranger_packet.name]
    assert "不在信任列表中" in stranger.reason and "冒名者" in stranger.reason
    assert _snapshot(office) == before
    assert not list((office.root / RECEIVED_DIR / "tmp").iterdir())


def test_same_packet_twice_changes_nothing(office: Workspace, rollup_facts: RollupFacts, tmp_path: Path) -> None:
    packet = rollup_facts.units["环评科"].packet
    first = add_packets(office, [packet], trust=_certs(rollup_facts))
    assert first[0].outcome == "added"
    before = _snapshot(office)
    renamed = tmp_path / "再发一次.zip"
    shutil.copy2(packet, renamed)
    again = add_packets(office, [packet, renamed])
    assert [o.outcome for o in again] == ["duplicate", "duplicate"]
    assert all(o.packet_id == first[0].packet_id for o in again)
    assert _snapshot(office) == before

    # Unzipped and zipped again by someone on the way: the same signed manifest, so still the same packet.
    rezipped = tmp_path / "重新压缩.zip"
    with zipfile.ZipFile(packet) as zin, zipfile.ZipFile(rezipped, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in reversed(zin.infolist()):
            zout.writestr(info.filename, zin.read(info))
    assert add_packets(office, [rezipped])[0].outcome == "duplicate"
    assert _snapshot(office) == before


def test_newer_packet_supersedes_and_the_older_stays_on_record(office: Workspace, rollup_facts: RollupFacts,
                                                               tmp_path: Path) -> None:
    old = rollup_facts.units["法制科"].packet
    first = add_packets(office, [old], trust=_certs(rollup_facts))[0]
    newer = add_packets(office, [rollup_facts.newer_packet])[0]
    assert newer.outcome == "added" and newer.replaced == first.packet_id

    records = list_received(office, department="法制科")
    assert [r.id for r in records] == [newer.packet_id, first.packet_id]
    assert records[0].current and records[1].superseded_by == newer.packet_id

    # The older one can still be shown: saved exactly as it came.
    saved = copy_received(office, first.packet_id, tmp_path)
    assert saved.name == old.name and saved.read_bytes() == old.read_bytes()

    view = bureau_view(office, "2023", today=TODAY)
    status = {task_label(t.seq, t.content): r.status for t in view.tasks for r in t.reports
              if r.department == "法制科"}
    assert status[rollup_facts.newer_task] == "done"
    assert rollup_facts.units["法制科"].status[rollup_facts.newer_task] != "done"
    assert next(u for u in view.units if u.department == "法制科").superseded == 1


def test_an_older_packet_arriving_late_does_not_replace_the_newer(office: Workspace,
                                                                  rollup_facts: RollupFacts) -> None:
    newer = add_packets(office, [rollup_facts.newer_packet], trust=_certs(rollup_facts))[0]
    late = add_packets(office, [rollup_facts.units["法制科"].packet])[0]
    assert late.outcome == "superseded"
    current = list_received(office, department="法制科", current_only=True)
    assert [r.id for r in current] == [newer.packet_id]


def test_trusted_certificates_are_remembered(office: Workspace, rollup_facts: RollupFacts) -> None:
    add_packets(office, [rollup_facts.units["法制科"].packet], trust=_certs(rollup_facts))
    assert {t.department for t in list_trusted(office)} == set(UNITS)
    assert add_packets(office, [rollup_facts.units["水气科"].packet])[0].outcome == "added"


def test_packet_of_another_bureau_is_refused(office: Workspace, rollup_facts: RollupFacts) -> None:
    office.set_setting("bureau", "上海市青浦区生态环境局")
    out = add_packets(office, [rollup_facts.units["法制科"].packet], trust=_certs(rollup_facts))[0]
    assert out.outcome == "refused" and "不是本局" in out.reason


def test_cli_add_status_and_reminders(rollup_facts: RollupFacts, inbox: Path, tmp_path: Path, cli) -> None:
    root = tmp_path / "office"
    with Workspace.open(root, create=True) as ws:
        ws.set_setting("bureau", "上海市松江区生态环境局")
    trust = [a for p in certificates(rollup_facts) for a in ("--trust", str(p))]
    r = cli("rollup", "add", inbox, *trust, workspace=root)
    assert r.returncode == 0, r.stderr
    assert "收入 3 个" in r.stdout

    r = cli("rollup", "add", rollup_facts.stranger_packet, workspace=root)
    assert r.returncode == 1
    assert f"拒收：{rollup_facts.stranger_packet.name}" in r.stdout

    with Workspace.open(root):  # the window has the workspace open: looking still works
        r = cli("rollup", "status", "--period", "2023", "--today", TODAY.isoformat(), "--json", workspace=root)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    units = {u["department"]: u for u in data["units"]}
    for dept, unit in rollup_facts.units.items():
        assert units[dept]["reported"]
        assert units[dept]["counts"]["done"] == list(unit.status.values()).count("done")
    assert "办公室" in data["missing_units"]

    out = tmp_path / "提醒 各科室.xlsx"
    r = cli("rollup", "reminders", "--today", TODAY.isoformat(), "--out", out, workspace=root)
    assert r.returncode == 0, r.stderr
    from openpyxl import load_workbook

    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    owed = {row[0]: row[1] for row in rows[1:]}
    assert "尚未报送" in owed["办公室"]
    # 水气科 wrote a report for May only: June onwards is owed.
    assert "6月" in owed["水气科"] and "5月" not in owed["水气科"].split("：", 1)[-1].split("、")[0]


def test_cancelled_while_verifying_stores_nothing_of_that_packet(office: Workspace, rollup_facts: RollupFacts) -> None:
    from liaison_app.errors import Cancelled

    add_packets(office, [rollup_facts.units["水气科"].packet], trust=_certs(rollup_facts))
    before = _snapshot(office)
    calls = []

    def progress(done: int, total: int | None, message: str) -> None:
        calls.append(done)
        if done >= 400:  # inside verification
            raise Cancelled("已取消")

    with pytest.raises(Cancelled):
        add_packets(office, [rollup_facts.units["法制科"].packet], progress=progress)
    assert _snapshot(office) == before
    assert not list((office.root / RECEIVED_DIR / "tmp").iterdir())


def test_report_rows_that_disagree_with_the_signed_counts_are_refused(office: Workspace, rollup_facts: RollupFacts,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A workbook read wrongly (a newer layout, say) must not slip into the bureau view."""
    from liaison_app.rollup import store

    real = store.read_report

    def one_row_short(data: bytes):  # type: ignore[no-untyped-def]
        records = real(data)
        records.tasks.pop()
        return records

    monkeypatch.setattr(store, "read_report", one_row_short)
    out = add_packets(office, [rollup_facts.units["法制科"].packet], trust=_certs(rollup_facts))[0]
    assert out.outcome == "refused" and "行数与签名清单记录的不一致" in out.reason and "tasks" in out.reason
    assert list_received(office) == []


def test_check_finds_a_received_packet_that_went_missing(office: Workspace, inbox: Path,
                                                        rollup_facts: RollupFacts) -> None:
    from liaison_app.checks import run_checks
    from liaison_app.rollup.store import received_path

    add_packets(office, [inbox], trust=_certs(rollup_facts))
    assert run_checks(office).ok
    kept = office.conn.execute("SELECT sha256, file_name FROM rollup_packets LIMIT 1").fetchone()
    received_path(office, kept[0]).unlink()
    report = run_checks(office)
    assert not report.ok and any(kept[1] in p for p in report.sections["收到的材料包"])
