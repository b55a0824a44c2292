"""Taking the units' signed packets into the office's workspace.

Each packet is copied into the workspace first (so what is checked is what is kept, even if the USB stick is pulled
or the file changes), verified (both signatures, every hash, a trusted signer, this bureau), then kept exactly as
received under received/ab/abcdef… and its report.xlsx read into the rollup tables. A refused packet leaves nothing
behind. The same packet twice changes nothing; a newer packet of the same unit and period supersedes the older one,
which stays on record.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from ..errors import Cancelled, InputError, LiaisonError, WorkspaceError
from ..evidence import CHUNK_SIZE
from ..jobs import ProgressFn, phase, report
from ..workspace import Workspace, now_iso
from .sheets import read_report

if TYPE_CHECKING:
    from cryptography import x509

__all__ = [
    "RECEIVED_DIR",
    "AddOutcome",
    "ReceivedPacket",
    "TrustedCertificate",
    "add_packets",
    "expand_packet_paths",
    "trust_certificates",
    "trusted_certificates",
    "list_trusted",
    "list_received",
    "received_path",
    "packet_member",
    "copy_received",
    "check_received",
]

RECEIVED_DIR: Final = "received"
"""In the workspace: every accepted packet as received, named by its SHA-256 (received/ab/abcdef…)."""

Outcome = Literal["added", "superseded", "duplicate", "refused"]


@dataclass(frozen=True)
class AddOutcome:
    """What became of one packet file."""

    path: Path
    outcome: Outcome
    """added (the unit's current packet for its period), superseded (kept, but the unit has sent a newer one),
    duplicate (already here: nothing changed) or refused (nothing stored; see ``reason``)."""
    reason: str = ""
    department: str = ""
    period: str = ""
    packet_id: int | None = None
    replaced: int | None = None
    """The packet this one superseded."""

    @property
    def message(self) -> str:
        """One line for the user."""
        who = f"{self.department} {self.period}" if self.department else ""
        if self.outcome == "added":
            tail = "（取代了之前收到的同期材料包）" if self.replaced else ""
            return f"已收入：{self.path.name}（{who}）{tail}"
        if self.outcome == "superseded":
            return f"已收入但不是最新：{self.path.name}（{who}，已有更新的同期材料包，本包仅留档）"
        if self.outcome == "duplicate":
            return f"已收过，未作改动：{self.path.name}（{who}）"
        return f"拒收：{self.path.name}：{self.reason}"


@dataclass(frozen=True)
class ReceivedPacket:
    id: int
    department: str
    period: str
    period_label: str
    liaison: str
    signer_name: str
    signer_sha256: str
    generated_at: str
    received_at: str
    file_name: str
    sha256: str
    size: int
    superseded_by: int | None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def current(self) -> bool:
        return self.superseded_by is None


@dataclass(frozen=True)
class TrustedCertificate:
    fingerprint: str
    subject: str
    department: str
    added_at: str


def received_path(ws: Workspace, sha256: str) -> Path:
    return ws.root / RECEIVED_DIR / sha256[:2] / sha256


# ----- trust --------------------------------------------------------------------------------------------------------
def trust_certificates(ws: Workspace, certificates: Sequence[x509.Certificate]) -> int:
    """Remember certificates as trusted signers of units' packets; returns how many were new."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.x509.oid import NameOID

    from ..packets.identity import fingerprint, subject_name

    added = 0
    with ws.transaction():
        for cert in certificates:
            fp = fingerprint(cert)
            if ws.conn.execute("SELECT 1 FROM rollup_trust WHERE fingerprint = ?", (fp,)).fetchone():
                continue
            ou = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
            dept = str(ou[0].value) if ou else ""
            pem = cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
            ws.conn.execute("INSERT INTO rollup_trust(fingerprint, subject, department, pem, added_at) "
                            "VALUES (?, ?, ?, ?, ?)", (fp, subject_name(cert), dept, pem, now_iso()))
            ws.audit("rollup.trust", f"certificate:{fp}", {"subject": subject_name(cert), "department": dept})
            added += 1
    return added


def trusted_certificates(ws: Workspace) -> list[x509.Certificate]:
    from cryptography import x509

    return [x509.load_pem_x509_certificate(pem.encode("ascii"))
            for (pem,) in ws.conn.execute("SELECT pem FROM rollup_trust ORDER BY added_at, fingerprint")]


def list_trusted(ws: Workspace) -> list[TrustedCertificate]:
    return [TrustedCertificate(*r) for r in ws.conn.execute(
        "SELECT fingerprint, subject, department, added_at FROM rollup_trust ORDER BY department, subject")]


# ----- taking packets in --------------------------------------------------------------------------------------------
def expand_packet_paths(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """Files as given; a folder stands for the .zip files in it and its subfolders (sorted by name)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted((f for f in p.rglob("*") if f.suffix.lower() == ".zip" and f.is_file()
                           and not f.name.startswith(".")), key=lambda f: str(f).lower())
        else:
            out.append(p)
    return out


def _tmp_dir(ws: Workspace) -> Path:
    path = ws.root / RECEIVED_DIR / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _clean_tmp(ws: Workspace) -> None:
    """Copies left by an add that was interrupted (power cut, killed): only this process writes here (the
    workspace lock), so whatever is found is a leftover."""
    for f in _tmp_dir(ws).glob("incoming-*.part"):
        f.unlink(missing_ok=True)


def _copy_in(ws: Workspace, source: Path, progress: ProgressFn | None) -> tuple[Path, str, int]:
    """A private, durable copy of the packet in received/tmp/ and its SHA-256."""
    part = _tmp_dir(ws) / f"incoming-{secrets.token_hex(6)}.part"
    digest = hashlib.sha256()
    size = 0
    total = source.stat().st_size
    try:
        with open(source, "rb") as src, open(part, "xb") as out:
            while chunk := src.read(CHUNK_SIZE):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
                report(progress, size, total, source.name)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return part, digest.hexdigest(), size


class _Refused(Exception):
    pass


def _manifest_bytes(copy: Path) -> bytes:
    with zipfile.ZipFile(copy) as zf:
        return zf.read("manifest.json")


def _check_belongs(ws: Workspace, manifest: dict[str, Any], signer_department: str | None) -> None:
    if manifest.get("kind") == "rollup":
        raise _Refused("这是一个汇总材料包，不是科室报送的材料包。")
    bureau = ws.get_setting("bureau") or ""
    theirs = str(manifest.get("bureau") or "")
    if bureau and theirs and theirs != bureau:
        raise _Refused(f"这是「{theirs}」的材料包，不是本局（{bureau}）的。")
    dept = str(manifest.get("department") or "")
    if not dept:
        raise _Refused("材料包的清单没有写明科室。")
    if signer_department and signer_department != dept:
        raise _Refused(f"材料包是「{dept}」的，签名证书却属于「{signer_department}」。")
    period = manifest.get("period") or {}
    if not period.get("slug"):
        raise _Refused("材料包的清单没有写明报送期间。")


def _check_counts(manifest: dict[str, Any], records: Any) -> None:
    """The rows read from report.xlsx must be as many as the signed manifest counts: anything else means the
    workbook was not read as written, and the bureau view would be wrong without anyone noticing."""
    counts = manifest.get("counts") or {}
    read = {"tasks": len(records.tasks), "evidence": len(records.evidence), "cases": len(records.cases),
            "indicators": len(records.indicators)}
    wrong = [f"{key} {counts[key]}/{n}" for key, n in read.items() if isinstance(counts.get(key), int)
             and counts[key] != n]
    if wrong:
        raise _Refused(f"report.xlsx 中读出的行数与签名清单记录的不一致（{'，'.join(wrong)}），无法汇总。"
                       "可能是更新版本的联络员工作台生成的材料包。")


def _add_one(ws: Workspace, source: Path, trusted: Sequence[x509.Certificate],
             progress: ProgressFn | None) -> AddOutcome:
    from ..packets.verify import verify_packet

    if not source.is_file():
        return AddOutcome(source, "refused", "找不到这个文件。")
    try:
        copy, sha, size = _copy_in(ws, source, phase(progress, 0, 300))
    except OSError as exc:
        return AddOutcome(source, "refused", f"无法读取：{exc.strerror or exc}。")
    keep = False
    try:
        known = ws.conn.execute("SELECT id, department, period FROM rollup_packets WHERE sha256 = ?",
                                (sha,)).fetchone()
        if known:
            return AddOutcome(source, "duplicate", department=known[1], period=known[2], packet_id=known[0])
        try:
            result = verify_packet(copy, trusted=trusted, progress=phase(progress, 300, 900))
        except Cancelled:
            raise
        except LiaisonError as exc:
            return AddOutcome(source, "refused", str(exc))
        # Trust first: verify_packet may also list an untrusted signer among the problems; one plain reason is
        # clearer than a list that starts with it.
        if result.signer_fingerprint and not result.trusted:
            return AddOutcome(source, "refused",
                              f"签名人 {result.signer_name or '未知'}（{result.signer_department or ''}，证书指纹 "
                              f"{result.signer_fingerprint[:16]}…）不在信任列表中。",
                              department=str(result.manifest.get("department") or ""))
        if not result.intact:
            problems = "；".join(f"{p.file or '材料包'}：{p.message}" for p in result.problems[:5])
            more = f"（另有 {len(result.problems) - 5} 个问题）" if len(result.problems) > 5 else ""
            return AddOutcome(source, "refused", f"核验未通过：{problems}{more}")
        manifest = result.manifest
        manifest_raw = _manifest_bytes(copy)
        manifest_sha = hashlib.sha256(manifest_raw).hexdigest()
        _check_belongs(ws, manifest, result.signer_department)
        known = ws.conn.execute("SELECT id, department, period FROM rollup_packets WHERE manifest_sha256 = ?",
                                (manifest_sha,)).fetchone()
        if known:  # the same signed packet, zipped again
            return AddOutcome(source, "duplicate", department=known[1], period=known[2], packet_id=known[0])
        with zipfile.ZipFile(copy) as zf:
            records = read_report(zf.read("report.xlsx"))
        _check_counts(manifest, records)
        report(progress, 920, 1000, "登记")
        target = received_path(ws, sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(copy, target)
        keep = True
        try:
            outcome = _record(ws, source, sha, size, manifest, manifest_sha, result.signer_name or "",
                              result.signer_fingerprint or "", records)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return outcome
    except _Refused as exc:
        return AddOutcome(source, "refused", str(exc))
    except InputError as exc:
        return AddOutcome(source, "refused", str(exc))
    finally:
        if not keep:
            copy.unlink(missing_ok=True)


def _record(ws: Workspace, source: Path, sha: str, size: int, manifest: dict[str, Any], manifest_sha: str,
            signer_name: str, signer_sha: str, records: Any) -> AddOutcome:
    period = manifest["period"]
    dept = str(manifest["department"])
    generated = str(manifest.get("generated_at") or "")
    # sqlite-utils for the batch inserts of the sheets' rows (records straight from the reader); plain SQL for the
    # one packet row and the superseding, where the statement is the clearer way to say it.
    db = ws.db
    with ws.transaction():
        cur = ws.conn.execute(
            "INSERT INTO rollup_packets(manifest_sha256, sha256, file_name, size, department, bureau, liaison, "
            "period, period_label, generated_at, data_date, signer_name, signer_sha256, received_at, counts_json) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (manifest_sha, sha, source.name, size, dept, str(manifest.get("bureau") or ""),
             str(manifest.get("liaison") or ""), str(period["slug"]), str(period.get("label") or period["slug"]),
             generated, records.data_date, signer_name, signer_sha, now_iso(),
             json.dumps(manifest.get("counts") or {}, ensure_ascii=False)))
        pid = int(cur.lastrowid or 0)
        for table, rows in (("rollup_tasks", records.tasks), ("rollup_evidence", records.evidence),
                            ("rollup_cases", records.cases), ("rollup_indicators", records.indicators)):
            if rows:
                db.table(table).insert_all(({"packet_id": pid, **r} for r in rows), batch_size=500)
        # The newest (by the time the unit generated it) of the unit's packets for the period is current.
        others = ws.conn.execute(
            "SELECT id, generated_at FROM rollup_packets WHERE department = ? AND period = ? AND id != ? "
            "AND superseded_by IS NULL", (dept, period["slug"], pid)).fetchall()
        replaced = None
        outcome: Outcome = "added"
        for other_id, other_generated in others:
            if (other_generated, other_id) > (generated, pid):
                ws.conn.execute("UPDATE rollup_packets SET superseded_by = ? WHERE id = ?", (other_id, pid))
                outcome = "superseded"
            else:
                ws.conn.execute("UPDATE rollup_packets SET superseded_by = ? WHERE id = ?", (pid, other_id))
                replaced = other_id
        ws.audit("rollup.add", f"rollup_packet:{pid}", {
            "file": source.name, "sha256": sha, "department": dept, "period": period["slug"],
            "signer_sha256": signer_sha, "outcome": outcome, "replaced": replaced})
    return AddOutcome(source, outcome, department=dept, period=str(period["slug"]), packet_id=pid, replaced=replaced)


def add_packets(ws: Workspace, paths: Sequence[str | os.PathLike[str]], *,
                trust: Sequence[x509.Certificate] = (), progress: ProgressFn | None = None) -> list[AddOutcome]:
    """Take packets (files, or folders of them) in. Certificates in ``trust`` are remembered first. Every file gets
    an outcome; a refused one names its reason and stores nothing. Cancelling (through ``progress``) stops before
    the next packet is stored; the packets taken in before it stay."""
    if ws.read_only:
        raise WorkspaceError("工作区以只读方式打开，不能收入材料包。")
    files = expand_packet_paths(paths)
    if not files:
        raise InputError("没有找到材料包（.zip 文件）。")
    _clean_tmp(ws)
    if trust:
        trust_certificates(ws, trust)
    trusted = trusted_certificates(ws)
    out = []
    for n, path in enumerate(files):
        step = phase(progress, n * 1000 // len(files), (n + 1) * 1000 // len(files))
        out.append(_add_one(ws, path, trusted, step))
    report(progress, 1000, 1000, "完成")
    return out


# ----- what is on record --------------------------------------------------------------------------------------------
def list_received(ws: Workspace, *, period: str | None = None, department: str | None = None,
                  current_only: bool = False) -> list[ReceivedPacket]:
    """Packets on record, by unit and period, newest first within each."""
    sql = ("SELECT id, department, period, period_label, liaison, signer_name, signer_sha256, generated_at, "
           "received_at, file_name, sha256, size, superseded_by, counts_json FROM rollup_packets WHERE 1=1")
    args: list[Any] = []
    if period:
        sql += " AND period = ?"
        args.append(period)
    if department:
        sql += " AND department = ?"
        args.append(department)
    if current_only:
        sql += " AND superseded_by IS NULL"
    sql += " ORDER BY department, period, generated_at DESC, id DESC"
    return [ReceivedPacket(id=r[0], department=r[1], period=r[2], period_label=r[3], liaison=r[4], signer_name=r[5],
                           signer_sha256=r[6], generated_at=r[7], received_at=r[8], file_name=r[9], sha256=r[10],
                           size=r[11], superseded_by=r[12], counts=json.loads(r[13] or "{}"))
            for r in ws.conn.execute(sql, args)]


def packet_member(ws: Workspace, packet_id: int, member: str) -> bytes:
    """One file of a received packet (e.g. an evidence file to show), checked against the SHA-256 its signed
    report recorded when there is one."""
    row = ws.conn.execute("SELECT sha256 FROM rollup_packets WHERE id = ?", (packet_id,)).fetchone()
    if row is None:
        raise InputError(f"没有编号为 {packet_id} 的材料包。")
    path = received_path(ws, row[0])
    try:
        with zipfile.ZipFile(path) as zf:
            data = zf.read(member)
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise WorkspaceError(f"无法从收到的材料包中读取 {member}：{exc}。",
                             hint="收到的材料包文件可能已被删除或损坏。") from exc
    expected = ws.conn.execute("SELECT sha256 FROM rollup_evidence WHERE packet_id = ? AND path = ?",
                               (packet_id, member)).fetchone()
    if expected and hashlib.sha256(data).hexdigest() != expected[0]:
        raise WorkspaceError(f"收到的材料包中的 {member} 与登记的 SHA-256 不符，文件已损坏。")
    return data


def copy_received(ws: Workspace, packet_id: int, dest: str | os.PathLike[str]) -> Path:
    """Save a received packet (current or superseded) exactly as it came, e.g. to show an inspector; checked against
    its SHA-256 on the way. ``dest`` is a folder (the packet keeps its name) or a file name; nothing is overwritten."""
    row = ws.conn.execute("SELECT sha256, file_name FROM rollup_packets WHERE id = ?", (packet_id,)).fetchone()
    if row is None:
        raise InputError(f"没有编号为 {packet_id} 的材料包。")
    sha, name = row
    target = Path(dest)
    if target.is_dir():
        target = target / name
    if target.exists():
        raise InputError(f"{target} 已经存在，为免覆盖，未保存。", hint="请换一个文件名。")
    part = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    digest = hashlib.sha256()
    try:
        with open(received_path(ws, sha), "rb") as src, open(part, "xb") as out:
            while chunk := src.read(CHUNK_SIZE):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != sha:
            raise WorkspaceError(f"收到的材料包 {name} 在工作区中已损坏（SHA-256 不符），未保存。")
        os.replace(part, target)
    except FileNotFoundError:
        part.unlink(missing_ok=True)
        raise WorkspaceError(f"收到的材料包 {name} 在工作区中缺失。") from None
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise WorkspaceError(f"无法保存到 {target}：{exc.strerror or exc}。") from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return target


def check_received(ws: Workspace, *, progress: ProgressFn | None = None) -> list[str]:
    """Problems with the packets on record, in plain words: a kept packet missing or no longer matching its
    SHA-256 (the consolidated packet could not carry it). Empty when all are sound."""
    rows = ws.conn.execute("SELECT DISTINCT sha256, file_name, department, period FROM rollup_packets").fetchall()
    problems = []
    for n, (sha, name, dept, period) in enumerate(rows):
        path = received_path(ws, sha)
        report(progress, n, len(rows), name)
        if not path.is_file():
            problems.append(f"收到的材料包 {name}（{dept} {period}）在工作区中缺失（{RECEIVED_DIR}/{sha[:2]}/{sha}）。")
            continue
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK_SIZE):
                digest.update(chunk)
        if digest.hexdigest() != sha:
            problems.append(f"收到的材料包 {name}（{dept} {period}）已损坏（与登记的 SHA-256 不符）。")
    report(progress, len(rows), len(rows), "完成")
    return problems
