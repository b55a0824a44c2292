"""The bureau's consolidated packet: signed by the office, verified by the same `liaison verify` (which checks the
inner packets too), and each unit's packet inside still verifying on its own with openssl and pdfsig."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from liaison_app.errors import WorkspaceError
from liaison_app.packets.identity import load_certificates, load_identity
from liaison_app.packets.verify import verify_packet
from liaison_app.rollup.consolidated import build_consolidated
from liaison_app.rollup.store import add_packets, list_received, received_path
from liaison_app.workspace import Workspace

from .conftest import BUREAU, PASSWORD, TODAY, UNITS, RollupFacts
from .test_intake import _certs, _tamper

needs = {tool: pytest.mark.skipif(shutil.which(tool) is None, reason=f"{tool} is not installed")
         for tool in ("pdfsig", "openssl", "pdftotext")}


@pytest.fixture(scope="module")
def consolidated(rollup_facts: RollupFacts, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The office's 2023 packet over the three units' packets (built once for this module; tests only read it)."""
    base = tmp_path_factory.mktemp("consolidated")
    with Workspace.open(base / "office", create=True) as office:
        office.set_setting("bureau", BUREAU)
        office.set_setting("department", "办公室")
        add_packets(office, [u.packet for u in rollup_facts.units.values()], trust=_certs(rollup_facts))
        identity = load_identity(rollup_facts.office_identity, PASSWORD)
        result = build_consolidated(office, period="2023", identity=identity, out_dir=base / "汇总 输出",
                                    today=TODAY)
    assert len(result.inner) == 3 and "办公室" in result.missing
    return result.path


def test_consolidated_packet_verifies_with_the_inner_packets(consolidated: Path, rollup_facts: RollupFacts) -> None:
    office_cert = load_certificates(rollup_facts.office_certificate)
    result = verify_packet(consolidated, trusted=office_cert)
    assert result.intact, result.problems
    assert result.trusted and result.signer_department == "办公室"
    inner = result.manifest["packets"]
    assert sorted(p["department"] for p in inner) == sorted(UNITS)
    with zipfile.ZipFile(consolidated) as zf:
        for p in inner:
            # The unit's packet exactly as it was sent.
            assert zf.read(p["path"]) == rollup_facts.units[p["department"]].packet.read_bytes()


def test_cli_verify_checks_the_inner_packets(consolidated: Path, rollup_facts: RollupFacts, cli) -> None:
    r = cli("verify", consolidated, "--trust", rollup_facts.office_certificate)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "内含 3 个科室材料包" in r.stdout and "完好" in r.stdout


@needs["openssl"]
@needs["pdfsig"]
def test_each_inner_packet_verifies_alone_with_openssl_and_pdfsig(consolidated: Path, tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    with zipfile.ZipFile(consolidated) as zf:
        zf.extractall(outer)
    inner = sorted((outer / "packets").glob("*.zip"))
    assert len(inner) == 3
    for packet in [consolidated, *inner]:
        folder = tmp_path / f"x-{packet.stem}"
        with zipfile.ZipFile(packet) as zf:
            zf.extractall(folder)
        r = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "manifest.p7s",
                            "-content", "manifest.json", "-CAfile", "signer.pem", "-out", os.devnull],
                           capture_output=True, text=True, cwd=folder)
        assert r.returncode == 0 and "Verification successful" in r.stderr, (packet.name, r.stderr)
        out = subprocess.run(["pdfsig", "-no-ocsp", str(folder / "report.pdf")], capture_output=True,
                             text=True).stdout
        assert "Signature is Valid" in out and "Digest Mismatch" not in out, (packet.name, out)
        assert "Total document signed" in out
        if shutil.which("sha256sum"):
            r = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], capture_output=True, text=True,
                               cwd=folder)
            assert r.returncode == 0, (packet.name, r.stdout)


@needs["pdftotext"]
def test_consolidated_report_reads_the_bureau_view(consolidated: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(consolidated) as zf:
        (tmp_path / "r.pdf").write_bytes(zf.read("report.pdf"))
        manifest = json.loads(zf.read("manifest.json"))
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True,
                          text=True).stdout
    assert "工作材料汇总" in text and "未报送" in text and "办公室" in text
    for p in manifest["packets"]:
        assert p["sha256"] in text.replace(" ", "").replace("\n", "") or p["sha256"][:32] in text
    from openpyxl import load_workbook

    with zipfile.ZipFile(consolidated) as zf:
        (tmp_path / "r.xlsx").write_bytes(zf.read("report.xlsx"))
    wb = load_workbook(tmp_path / "r.xlsx", read_only=True)
    units = {row[0]: row[1] for row in wb["科室报送"].iter_rows(min_row=2, values_only=True)}
    assert all(units[u] == "已报送" for u in UNITS) and units["办公室"] == "未报送"


def test_a_changed_inner_packet_is_named(consolidated: Path, rollup_facts: RollupFacts, tmp_path: Path) -> None:
    """Someone swaps a unit's packet inside the consolidated one: the outer hashes fail, and the inner packet's own
    problem is named down to the file."""
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(consolidated) as zin, zipfile.ZipFile(changed, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("packets/法制科"):
                src, dst = tmp_path / "a.zip", tmp_path / "b.zip"
                src.write_bytes(data)
                member = _tamper(src, dst, "report.xlsx")
                data = dst.read_bytes()
            zout.writestr(info, data)
    result = verify_packet(changed, trusted=load_certificates(rollup_facts.office_certificate))
    names = [p.file for p in result.problems]
    inner_name = next(n for n in names if n.startswith("packets/法制科") and "→" not in n)
    assert f"{inner_name} → {member}" in names


def test_office_that_signs_a_damaged_unit_packet_is_caught(office: Workspace, inbox: Path,
                                                          rollup_facts: RollupFacts, tmp_path: Path) -> None:
    """Even when the office's own signature covers it, a unit's packet that does not verify is named."""
    add_packets(office, [inbox], trust=_certs(rollup_facts))
    record = list_received(office, department="环评科")[0]
    damaged = tmp_path / "damaged.zip"
    member = _tamper(received_path(office, record.sha256), damaged, "evidence/")
    import hashlib

    sha = hashlib.sha256(damaged.read_bytes()).hexdigest()
    received_path(office, sha).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(damaged, received_path(office, sha))
    with office.transaction():
        office.conn.execute("UPDATE rollup_packets SET sha256 = ?, size = ? WHERE id = ?",
                            (sha, damaged.stat().st_size, record.id))
    identity = load_identity(rollup_facts.office_identity, PASSWORD)
    result = build_consolidated(office, period="2023", identity=identity, out_dir=tmp_path / "out", today=TODAY)
    check = verify_packet(result.path, trusted=load_certificates(rollup_facts.office_certificate))
    assert not check.intact
    assert all(p.file.startswith("packets/环评科") for p in check.problems), check.problems
    assert any(p.file.endswith(f"→ {member}") for p in check.problems)


def test_a_received_packet_damaged_on_disk_stops_the_consolidated_packet(office: Workspace, inbox: Path,
                                                                         rollup_facts: RollupFacts,
                                                                         tmp_path: Path) -> None:
    add_packets(office, [inbox], trust=_certs(rollup_facts))
    record = list_received(office, department="水气科")[0]
    path = received_path(office, record.sha256)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    from liaison_app.rollup.store import check_received

    assert check_received(office) == [f"收到的材料包 {record.file_name}（水气科 2023）已损坏（与登记的 SHA-256 不符）。"]
    identity = load_identity(rollup_facts.office_identity, PASSWORD)
    with pytest.raises(WorkspaceError, match="水气科"):
        build_consolidated(office, period="2023", identity=identity, out_dir=tmp_path / "out", today=TODAY)
    assert not list((tmp_path / "out").iterdir())


def test_cli_rollup_packet(rollup_facts: RollupFacts, inbox: Path, tmp_path: Path, cli) -> None:
    root = tmp_path / "office"
    with Workspace.open(root, create=True) as ws:
        ws.set_setting("bureau", "上海市松江区生态环境局")
        ws.set_setting("department", "办公室")
    trust = [a for u in rollup_facts.units.values() for a in ("--trust", str(u.certificate))]
    assert cli("rollup", "add", inbox, *trust, workspace=root).returncode == 0
    out = tmp_path / "输出"
    r = cli("rollup", "packet", "--period", "2023", "--identity", rollup_facts.office_identity, "--out", out,
            "--today", TODAY.isoformat(), workspace=root, env={"LIAISON_PASSWORD": PASSWORD})
    assert r.returncode == 0, r.stderr
    assert "内含 3 个科室材料包" in r.stdout
    made = list(out.glob("*.zip"))
    assert len(made) == 1 and verify_packet(made[0]).intact
