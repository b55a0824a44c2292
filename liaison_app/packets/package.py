"""Building a packet: one zip with the signed PDF, the Excel workbook, the evidence, a signed manifest, the signer's
certificate, SHA256SUMS and a how-to-verify text, written under a temporary name and renamed only when complete."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import secrets
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from .. import __version__
from ..errors import SigningError, VaultError, WorkspaceError
from ..fsutil import replace_with_retry
from ..jobs import ProgressFn, phase, report
from ..vault import CHUNK_SIZE, sha256_file
from ..workspace import Workspace, parse_head
from .content import PacketContent, Period, SignerInfo, gather, safe_file_name
from .guide import guide_text
from .identity import Identity
from .signing import sign_detached, sign_pdf

__all__ = [
    "PACKET_FORMAT",
    "MANIFEST",
    "MANIFEST_SIGNATURE",
    "SUMS",
    "SIGNER_CERT",
    "GUIDE",
    "REPORT_PDF",
    "REPORT_XLSX",
    "REPORT_DOCX",
    "PacketResult",
    "PacketRecord",
    "build_packet",
    "list_packets",
    "verification_guide",
    "leftover_partials",
    "remove_leftover_partials",
    "packet_folders",
]

PACKET_FORMAT: Final = "liaison-desk-packet/1"
MANIFEST: Final = "manifest.json"
MANIFEST_SIGNATURE: Final = "manifest.p7s"
SUMS: Final = "SHA256SUMS"
SIGNER_CERT: Final = "signer.pem"
GUIDE: Final = "核验说明.txt"
REPORT_PDF: Final = "report.pdf"
REPORT_XLSX: Final = "report.xlsx"
REPORT_DOCX: Final = "report.docx"

# Already-compressed formats gain nothing from deflate and cost time.
_STORED_TYPES: Final = ("image/jpeg", "image/png", "image/gif", "image/webp", "video/", "audio/", "application/zip",
                        "application/vnd.openxmlformats", "application/pdf", "application/ofd")


@dataclass(frozen=True)
class PacketResult:
    path: Path
    """The finished zip."""
    sha256: str
    """Of the zip file, as recorded in the audit log."""
    size: int
    content: PacketContent
    manifest: dict[str, Any]


@dataclass(frozen=True)
class PacketRecord:
    """A packet made in this workspace, as the audit log recorded it."""

    made_at: str
    path: Path
    period: str
    """YYYY, YYYY-Qn or YYYY-MM."""
    department: str
    sha256: str
    size: int
    evidence: int

    @property
    def exists(self) -> bool:
        return self.path.is_file()


def list_packets(ws: Workspace) -> list[PacketRecord]:
    """Packets made in this workspace, newest first (from the audit log, so moved or deleted ones are listed too)."""
    rows = ws.conn.execute("SELECT at, detail FROM audit_log WHERE action = 'packet.build' ORDER BY id DESC")
    out = []
    for at, detail_text in rows:
        d = json.loads(detail_text or "{}")
        out.append(PacketRecord(made_at=at, path=Path(d.get("path", "")), period=str(d.get("period", "")),
                                department=str(d.get("department", "")), sha256=str(d.get("sha256", "")),
                                size=int(d.get("size", 0)), evidence=int(d.get("evidence", 0))))
    return out


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verification_guide(content: PacketContent, zip_name: str = "") -> str:
    """The 核验说明 text: what the packet is and how anyone can check it, with or without Liaison Desk (the same
    instructions as the PDF's last section; see guide.py)."""
    return guide_text(content)


def _packet_base(content: PacketContent) -> str:
    return safe_file_name(f"{content.department}-{content.period.slug}-材料包", limit=60)


def _candidate(out_dir: Path, base: str, n: int) -> Path:
    return out_dir / (f"{base}.zip" if n == 1 else f"{base}({n}).zip")


def _packet_path(out_dir: Path, content: PacketContent) -> Path:
    """The first free name, for the guide's text; the name is only claimed (exclusively) when the zip is done."""
    base = _packet_base(content)
    n = 1
    while _candidate(out_dir, base, n).exists():
        n += 1
    return _candidate(out_dir, base, n)


# ----- partial files and the final name ------------------------------------------------------------------------
PARTIAL_SUFFIX: Final = ".partial"
_PARTIAL_RE: Final = re.compile(r"^\..+\.[0-9a-f]{8}\.partial$")
_YOUNG_SECONDS: Final = 10.0
"""An empty partial file this new may belong to a build that has created it but not locked it yet."""


def _lock_partial(fh: Any) -> bool:
    """Hold an exclusive lock on a partial file while it is written (POSIX). On Windows an open file cannot be
    deleted by another process, which protects it the same way."""
    if os.name == "nt":
        return True
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _abandoned(path: Path) -> bool:
    """True when no running build is writing this partial file."""
    try:
        st = path.stat()
        if st.st_size == 0 and time.time() - st.st_mtime < _YOUNG_SECONDS:
            return False
        if os.name == "nt":
            # A file a running build holds open cannot be renamed (it was not opened for sharing deletes).
            probe = path.with_name(path.name + ".probe")
            os.rename(path, probe)
            os.rename(probe, path)
            return True
        with open(path, "rb") as fh:
            return _lock_partial(fh)  # released when closed
    except OSError:
        return False


def leftover_partials(folder: Path) -> list[Path]:
    """Partial packet files in ``folder`` left by builds that were killed or crashed (not by running ones)."""
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    return [p for p in entries if _PARTIAL_RE.match(p.name) and p.is_file() and _abandoned(p)]


def remove_leftover_partials(folder: Path) -> list[Path]:
    """Remove what ``leftover_partials`` finds; returns what was removed."""
    removed = []
    for path in leftover_partials(folder):
        try:
            path.unlink()
        except OSError:
            continue  # in use after all (Windows), or not ours to remove: the check lists it again
        removed.append(path)
    return removed


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _claim(partial: Path, folder: Path, base: str) -> Path:
    """Give the finished zip the first free name, exclusively: a name another build (of this or another
    workspace) took in the meantime is never overwritten; the next number is tried instead."""
    for n in range(1, 10_000):
        final = _candidate(folder, base, n)
        try:
            if os.name == "nt":
                # Windows refuses to rename onto an existing file; an antivirus may hold the new one a moment
                replace_with_retry(partial, final, replace=os.rename)
            else:
                try:
                    os.link(partial, final)  # fails if the name exists: an atomic, exclusive claim
                except FileExistsError:
                    raise
                except OSError:
                    # No hard links on this file system (some network shares): reserve the name, then fill it.
                    os.close(os.open(final, os.O_WRONLY | os.O_CREAT | os.O_EXCL))
                    os.replace(partial, final)
                else:
                    partial.unlink()
        except FileExistsError:
            continue
        _fsync_dir(folder)
        return final
    raise WorkspaceError(f"文件夹 {folder} 中已有太多同名材料包。", hint="请换一个文件夹。")


def _keep_signed_manifest(ws: Workspace, manifest: bytes, signature: bytes, when: dt.datetime) -> str:
    """A copy of every manifest this workspace signs, kept in the workspace: ``liaison check`` holds the audit log to
    the heads they record. Returns the copy's name (without extension)."""
    folder = ws.manifests_dir
    name = f"{when.strftime('%Y%m%d-%H%M%S')}-{_sha256(manifest)[:16]}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for suffix, data in ((".p7s", signature), (".json", manifest)):  # the .json last: it marks a whole pair
            tmp = folder / f".{name}{suffix}.{secrets.token_hex(4)}.tmp"
            with open(tmp, "xb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            replace_with_retry(tmp, folder / f"{name}{suffix}")
        _fsync_dir(folder)
    except OSError as exc:
        raise WorkspaceError(f"无法在工作区保存签名清单的副本：{exc.strerror or exc}。未生成材料包。",
                             hint="请检查磁盘空间和文件夹权限。") from exc
    return name


def _remember_folder(ws: Workspace, folder: Path) -> None:
    """Record an output folder outside the workspace, so ``liaison check`` can find what a killed build left."""
    try:
        if folder.resolve() == ws.packets_dir.resolve():
            return
    except OSError:
        return
    known = packet_folders(ws)
    if str(folder.resolve()) not in known:
        ws.set_setting(PACKET_FOLDERS_SETTING, json.dumps([*known, str(folder.resolve())], ensure_ascii=False))


PACKET_FOLDERS_SETTING: Final = "packet_folders"


def packet_folders(ws: Workspace) -> list[str]:
    """Folders outside the workspace that packets were written to (besides packets/)."""
    try:
        value = json.loads(ws.get_setting(PACKET_FOLDERS_SETTING) or "[]")
    except ValueError:
        return []
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _zip_info(name: str, when: dt.datetime, *, compress: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    # The same bytes from every OS: "made on Unix" with Unix permissions. A zip that says MS-DOS (what Python
    # writes on Windows by default) makes Info-ZIP unzip decode every Chinese name as cp437, so on Linux and the
    # 信创 desktops `sha256sum -c SHA256SUMS` would find no file. The UTF-8 flag is set by zipfile for such names.
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


def _stream_evidence(zf: zipfile.ZipFile, info: zipfile.ZipInfo, source: Path, expected_sha: str, name: str,
                     progress: ProgressFn | None, done: int, total: int) -> int:
    """Copy a vault file into the zip while hashing it: a vault file that no longer matches its hash stops the
    packet (it would otherwise carry a file the manifest vouches for wrongly)."""
    digest = hashlib.sha256()
    copied = 0
    try:
        with open(source, "rb") as src, zf.open(info, "w", force_zip64=True) as dst:
            while chunk := src.read(CHUNK_SIZE):
                digest.update(chunk)
                dst.write(chunk)
                copied += len(chunk)
                report(progress, done + copied, total, name)
    except FileNotFoundError:
        raise VaultError(f"证据文件“{name}”在证据库中缺失，无法生成材料包。", hint="请运行 `liaison check` 查看。") from None
    if digest.hexdigest() != expected_sha:
        raise VaultError(f"证据文件“{name}”已损坏（与登记的 SHA-256 不符），无法生成材料包。",
                         hint="请运行 `liaison check` 查看，并重新附加原始文件。")
    return copied


def build_packet(
    ws: Workspace,
    *,
    period: Period | str,
    identity: Identity,
    out_dir: str | os.PathLike[str] | None = None,
    department: str | None = None,
    today: dt.date | None = None,
    progress: ProgressFn | None = None,
) -> PacketResult:
    """Gather, render, sign and zip a packet for the unit (default: the workspace's own) into ``out_dir``
    (default: the workspace's packets/ folder). An existing packet is never overwritten."""
    from .pdf import render_report  # reportlab is loaded only when a packet is made
    from .word import report_docx_bytes
    from .xlsx import render_xlsx_bytes

    if ws.read_only:
        raise WorkspaceError("工作区以只读方式打开（另一个窗口正在使用它），不能生成材料包。", hint="请在那个窗口中生成。")
    now = dt.datetime.now(dt.UTC)
    cert = identity.certificate
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise SigningError(
            f"签名证书的有效期是 {cert.not_valid_before_utc.date()} 至 {cert.not_valid_after_utc.date()}，"
            "现在不在有效期内，签出的材料包将无法通过核验。",
            hint="请新建签名身份（或向局里申领新证书），并把新证书交给办公室。")
    signer = SignerInfo(name=identity.name, department=identity.department, fingerprint_sha256=identity.fingerprint,
                        not_after=identity.certificate.not_valid_after_utc)
    report(progress, 0, 1000, "汇总任务和证据")
    content = gather(ws, period, department=department, today=today, signer=signer)
    head = parse_head(ws.get_setting("audit_head") or "")
    when = content.generated_at

    pdf = render_report(content, progress=phase(progress, 10, 450))
    report(progress, 450, 1000, "签名 PDF")
    signed_pdf = sign_pdf(pdf.data, identity, reason=f"{content.department} {content.period.label} 材料包",
                          location=content.bureau or "", box=pdf.signature_box)
    xlsx = render_xlsx_bytes(content, progress=phase(progress, 460, 540))
    report(progress, 540, 1000, "生成 Word 版报告")
    docx = report_docx_bytes(content)

    folder = Path(out_dir) if out_dir is not None else ws.packets_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(f"无法创建文件夹 {folder}：{exc.strerror or exc}。") from exc
    final = _packet_path(folder, content)
    guide = verification_guide(content, final.name).encode("utf-8-sig")
    cert_pem = identity.certificate_pem()
    generated: list[tuple[str, bytes]] = [(REPORT_PDF, signed_pdf), (REPORT_XLSX, xlsx), (REPORT_DOCX, docx),
                                          (SIGNER_CERT, cert_pem), (GUIDE, guide)]
    files: list[dict[str, Any]] = [{"path": name, "size": len(data), "sha256": _sha256(data)}
                                   for name, data in generated]
    files += [{"path": e.packet_name, "size": e.evidence.size, "sha256": e.evidence.sha256,
               "original_name": e.evidence.original_name,
               "evidence_date": e.evidence.evidence_date.isoformat() if e.evidence.evidence_date else None}
              for e in content.evidence]
    counts = content.status_counts
    manifest: dict[str, Any] = {
        "format": PACKET_FORMAT,
        "generator": f"liaison-desk {__version__}",
        "bureau": content.bureau,
        "department": content.department,
        "liaison": content.liaison,
        "period": {"kind": content.period.kind, "slug": content.period.slug, "label": content.period.label,
                   "start": content.period.start.isoformat(), "end": content.period.end.isoformat(),
                   "as_of": content.today.isoformat()},
        "basis": [{"doc_number": s.doc_number, "title": s.title, "file_name": s.file_name, "sha256": s.sha256}
                  for s in content.sources],
        "generated_at": when.isoformat(timespec="seconds"),
        "signer": {"name": signer.name, "department": signer.department,
                   "certificate_sha256": signer.fingerprint_sha256},
        "counts": {"tasks": len(content.tasks), **{s.value: n for s, n in counts.items()},
                   "evidence": len(content.evidence), "cases": len(content.cases),
                   "indicators": len(content.indicators), "done_in_period": len(content.done_in_period)},
        "drafts_left_out": [{"month": d.month, "title": d.title} for d in content.drafts],
        "files": files,
    }
    if head is not None:
        # The packet carries the log's head out of the workspace: a log rewritten later no longer contains it.
        manifest["audit_head"] = {"id": head[0], "hash": head[1]}
    manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    signature = sign_detached(manifest_bytes, identity)
    sums = [(MANIFEST, _sha256(manifest_bytes)), (MANIFEST_SIGNATURE, _sha256(signature))]
    sums += [(f["path"], f["sha256"]) for f in files]
    sums_bytes = "".join(f"{sha}  {path}\n" for path, sha in sums).encode("utf-8")

    members: Iterable[tuple[str, bytes]] = [(MANIFEST, manifest_bytes), (MANIFEST_SIGNATURE, signature),
                                            (SUMS, sums_bytes), *generated]
    _remember_folder(ws, folder)
    remove_leftover_partials(folder)  # what earlier builds into this folder left when they were killed
    base = _packet_base(content)
    partial = folder / f".{base}.{secrets.token_hex(4)}{PARTIAL_SUFFIX}"
    evidence_total = sum(e.evidence.size for e in content.evidence)
    copy_progress = phase(progress, 560, 990)
    try:
        # The handle that writes is the handle that is fsynced: Windows refuses FlushFileBuffers on a read-only one.
        with open(partial, "xb") as raw, zipfile.ZipFile(raw, "w", allowZip64=True) as zf:
            _lock_partial(raw)
            for name, data in members:
                zf.writestr(_zip_info(name, when, compress=name not in (REPORT_XLSX, REPORT_DOCX)), data)
            done = 0
            for e in content.evidence:
                compress = not e.evidence.media_type.startswith(_STORED_TYPES)
                done += _stream_evidence(zf, _zip_info(e.packet_name, when, compress=compress), e.path,
                                         e.evidence.sha256, e.evidence.original_name, copy_progress, done,
                                         evidence_total)
            zf.close()
            raw.flush()
            os.fsync(raw.fileno())
        zip_sha = sha256_file(partial)
        kept = _keep_signed_manifest(ws, manifest_bytes, signature, when)
        final = _claim(partial, folder, base)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise WorkspaceError(f"写入材料包 {final} 失败：{exc.strerror or exc}。未留下不完整的文件。",
                             hint="请检查磁盘空间和文件夹权限。") from exc
    except BaseException:  # cancelled, a damaged vault file, a bug: never leave a half-written packet
        partial.unlink(missing_ok=True)
        raise
    size = final.stat().st_size
    with ws.transaction():
        ws.audit("packet.build", f"packet:{final.name}", {
            "path": str(final), "sha256": zip_sha, "size": size, "period": content.period.slug,
            "department": content.department, "signer_sha256": signer.fingerprint_sha256,
            "evidence": len(content.evidence), "manifest": kept,
            "audit_head": manifest.get("audit_head"),
        })
    report(progress, 1000, 1000, "完成")
    return PacketResult(path=final, sha256=zip_sha, size=size, content=content, manifest=manifest)
