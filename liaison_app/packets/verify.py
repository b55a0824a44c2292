"""Verifying a packet someone sent: is the archive safe to read, do both signatures hold, does every file match its
hash, is anything missing or extra, and is the signer someone we trust. Nothing is extracted to disk.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import json
import logging
import os
import re
import stat
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Final

from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import (
    SignatureCoverageLevel,
    async_validate_detached_cms,
    validate_pdf_signature,
)
from pyhanko_certvalidator import ValidationContext

from ..errors import InputError
from ..filenames import printable
from ..jobs import ProgressFn, report
from ..vault import CHUNK_SIZE
from .identity import fingerprint
from .package import MANIFEST, MANIFEST_SIGNATURE, PACKET_FORMAT, REPORT_PDF, SIGNER_CERT, SUMS
from .signing import to_asn1_certificate

__all__ = ["Problem", "VerifyReport", "UnsafeArchive", "Limits", "verify_packet", "parse_manifest",
           "check_signed_manifest"]


class UnsafeArchive(InputError):
    """The zip could write outside its folder, holds links, or would expand to an absurd size: not read at all."""


@dataclass(frozen=True)
class Limits:
    """What a packet may hold before it is refused unread (zip bombs, archives built to exhaust the disk)."""

    max_members: int = 100_000
    max_total_size: int = 64 << 30
    """Sum of the uncompressed sizes the archive declares."""
    max_ratio: int = 200
    """Uncompressed/compressed size of one member larger than ``ratio_floor``."""
    ratio_floor: int = 16 << 20
    max_small_file: int = 64 << 20
    """manifest.json, manifest.p7s, SHA256SUMS and signer.pem are read into memory: they must be small."""
    max_pdf: int = 1 << 30


@dataclass(frozen=True)
class Problem:
    file: str
    """The member of the packet the problem is about ('' for the packet as a whole), control characters escaped:
    a member name comes from whoever made the zip and must never act on the terminal that shows it."""
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "file", printable(self.file))


@dataclass(frozen=True)
class VerifyReport:
    packet: Path
    problems: tuple[Problem, ...]
    trusted: bool
    """The signer's certificate is one the user trusts (or is issued by one)."""
    signer_name: str | None = None
    signer_department: str | None = None
    signer_fingerprint: str | None = None
    signed_at: dt.datetime | None = None
    manifest: dict[str, Any] = field(default_factory=dict)
    """The manifest, only when its signature verified and it has the expected shape (else empty)."""
    files_checked: int = 0
    trust_list_given: bool = False
    """Trusted certificates were given: then a signer outside them is one of the problems."""

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def verdict(self) -> str:
        """One sentence for the user. Intact content from an unconfirmed signer is never called plainly 完好."""
        if self.problems:
            return f"发现 {len(self.problems)} 个问题"
        if self.trusted:
            return "完好：所有文件与签名一致，签名人受信任"
        return "内容完好；签名人未经确认（没有指定信任的证书，无法确认是谁签的名）"

    def as_dict(self) -> dict[str, Any]:
        period = self.manifest.get("period") or {}
        return {
            "packet": str(self.packet),
            "intact": self.intact,
            "trusted": self.trusted,
            "trust_list_given": self.trust_list_given,
            "verdict": self.verdict,
            "signer": {"name": self.signer_name, "department": self.signer_department,
                       "certificate_sha256": self.signer_fingerprint},
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "department": self.manifest.get("department"),
            "period": period.get("label"),
            "files_checked": self.files_checked,
            "problems": [{"file": p.file, "problem": p.message} for p in self.problems],
        }


# ----- archive safety ----------------------------------------------------------------------------------------------
def _unsafe_name(name: str) -> str | None:
    if not name or "\x00" in name:
        return "文件名为空或含有非法字符"
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "使用了绝对路径"
    if "\\" in name:
        return "文件名中含有反斜杠"
    if any(part == ".." for part in PurePosixPath(name).parts):
        return "含有“..”，会写到材料包文件夹之外"
    return None


def _check_safe(zf: zipfile.ZipFile, limits: Limits, archive_size: int) -> list[zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise UnsafeArchive(f"压缩包含有 {len(infos)} 个文件，超过上限 {limits.max_members}，拒绝处理。")
    seen: set[str] = set()
    total = 0
    for info in infos:
        why = _unsafe_name(info.filename)
        shown = printable(info.filename)
        if why:
            raise UnsafeArchive(f"压缩包中的“{shown}”{why}，这是不安全的压缩包，拒绝处理，未解压任何文件。")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise UnsafeArchive(f"压缩包中的“{shown}”是符号链接，这是不安全的压缩包，拒绝处理，未解压任何文件。")
        if info.flag_bits & 0x1:
            raise UnsafeArchive(f"压缩包中的“{shown}”已加密，无法核验。")
        key = info.filename.rstrip("/").lower()
        if key in seen:
            raise UnsafeArchive(f"压缩包中“{shown}”出现了不止一次，拒绝处理。")
        seen.add(key)
        total += info.file_size
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(1, info.compress_size):
            raise UnsafeArchive(f"压缩包中的“{shown}”压缩比异常（{info.compress_size} 字节解压后为 "
                                f"{info.file_size} 字节），疑似压缩炸弹，拒绝处理。")
    if total > limits.max_total_size:
        raise UnsafeArchive(f"压缩包解压后共 {total} 字节，超过上限，拒绝处理。")
    # Many members each just under the per-member ratio still add up: bound the sum against the file itself.
    if total > max(limits.ratio_floor, limits.max_ratio * archive_size):
        raise UnsafeArchive(f"压缩包只有 {archive_size} 字节，却声称解压后共 {total} 字节，疑似压缩炸弹，"
                            "拒绝处理，未读取任何文件。")
    return [i for i in infos if not i.is_dir()]


# ----- reading members ---------------------------------------------------------------------------------------------
def _read_small(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise ValueError(f"{info.filename} 大得异常（{info.file_size} 字节）")
    return zf.read(info)


def _hash_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, progress: ProgressFn | None, done: int,
                 total: int) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with zf.open(info) as fh:
        while chunk := fh.read(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
            report(progress, done + size, total, info.filename)
    return digest.hexdigest(), size


@contextmanager
def _quiet_pyhanko() -> Iterator[None]:
    """pyHanko logs a traceback for every certificate it cannot chain to a trust root; for a self-issued liaison
    certificate that is the normal case, which the report states in one line instead."""
    loggers = [logging.getLogger(n) for n in ("pyhanko", "pyhanko_certvalidator")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _validation_context(trusted: Sequence[x509.Certificate]) -> ValidationContext:
    roots = [to_asn1_certificate(c.public_bytes(serialization.Encoding.DER)) for c in trusted]
    # An explicit (possibly empty) list: never the operating system's trust store, never the network.
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


def _cert_fp(asn1_cert: Any) -> str:
    return hashlib.sha256(asn1_cert.dump()).hexdigest()


def _check_manifest_signature(manifest: bytes, signature: bytes, vc: ValidationContext,
                              problems: list[Problem]) -> tuple[Any, bool, dt.datetime | None]:
    """(signer certificate as asn1crypto, chain trusted, signing time) or (None, False, None) with a problem."""
    try:
        content = cms.ContentInfo.load(signature)
        if content["content_type"].native != "signed_data":
            raise ValueError("not SignedData")
        signed_data = content["content"]
        status = asyncio.run(async_validate_detached_cms(manifest, signed_data, signer_validation_context=vc))
    except Exception as exc:  # a damaged signature file can fail anywhere in the ASN.1 parser
        problems.append(Problem(MANIFEST_SIGNATURE, f"清单签名无法读取（文件已损坏或不是 CMS 签名）：{type(exc).__name__}"))
        return None, False, None
    if not (status.intact and status.valid):
        problems.append(Problem(MANIFEST, "清单签名不符：manifest.json 在签名之后被改动过（或签名文件与它不配套）。"))
    return status.signing_cert, bool(status.trusted), status.signer_reported_dt


def _check_pdf(data: bytes, vc: ValidationContext, signer_fp: str | None, problems: list[Problem]) -> None:
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        problems.append(Problem(REPORT_PDF, f"PDF 已损坏，无法读取其中的签名：{exc}"))
        return
    if not sigs:
        problems.append(Problem(REPORT_PDF, "PDF 中没有电子签名。"))
        return
    if len(sigs) > 1:
        problems.append(Problem(REPORT_PDF, f"PDF 中有 {len(sigs)} 个签名，材料包的报告只应有一个。"))
    sig = sigs[0]
    try:
        status = validate_pdf_signature(sig, signer_validation_context=vc)
    except Exception as exc:  # pyHanko raises many kinds on damaged signature dictionaries
        problems.append(Problem(REPORT_PDF, f"PDF 签名无法验证（签名数据已损坏）：{type(exc).__name__}"))
        return
    if not (status.intact and status.valid):
        problems.append(Problem(REPORT_PDF, "PDF 签名不符：报告在签名之后被改动过。"))
    elif status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        problems.append(Problem(REPORT_PDF, "PDF 在签名之后被追加了内容（签名只覆盖原来的部分）。"))
    if signer_fp and _cert_fp(status.signing_cert) != signer_fp:
        problems.append(Problem(REPORT_PDF, "PDF 的签名人与材料包清单的签名人不是同一张证书。"))


def _parse_sums(data: bytes) -> dict[str, str] | None:
    out: dict[str, str] = {}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    for line in text.splitlines():
        if not line.strip():
            continue
        sha, sep, name = line.partition("  ")
        if not sep or len(sha) != 64:
            return None
        out[name.lstrip("*")] = sha.lower()
    return out


_HEX64: Final = re.compile(r"^[0-9a-f]{64}$")
_MAX_MANIFEST_DEPTH: Final = 16


def _depth(text: str) -> int:
    """How deeply brackets nest in a JSON text (strings skipped), without recursing."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _schema_problem(m: Any) -> str | None:
    if not isinstance(m, dict) or m.get("format") != PACKET_FORMAT:
        return f"格式标记不是 {PACKET_FORMAT}"
    for key in ("bureau", "department", "liaison", "generated_at"):
        if not isinstance(m.get(key, ""), str):
            return f"“{key}”应为文字"
    period = m.get("period")
    if not isinstance(period, dict) or not all(isinstance(period.get(k), str) for k in ("slug", "label")):
        return "“period”格式不对"
    signer = m.get("signer")
    if not isinstance(signer, dict) or not _HEX64.match(str(signer.get("certificate_sha256", ""))):
        return "“signer”格式不对"
    head = m.get("audit_head")
    if head is not None and not (isinstance(head, dict) and _is_int(head.get("id"))
                                 and _HEX64.match(str(head.get("hash", "")))):
        return "“audit_head”格式不对"
    files = m.get("files")
    if not isinstance(files, list):
        return "“files”应为文件列表"
    seen: set[str] = set()
    for n, f in enumerate(files, start=1):
        if not isinstance(f, dict) or not isinstance(f.get("path"), str) or not f["path"]:
            return f"“files”第 {n} 项没有文件路径"
        if not _is_int(f.get("size")) or not isinstance(f.get("sha256"), str) or not _HEX64.match(f["sha256"]):
            return f"“files”中 {printable(f['path'])} 的大小或 SHA-256 格式不对"
        if f["path"] in seen:
            return f"“files”中 {printable(f['path'])} 出现了不止一次"
        seen.add(f["path"])
    return None


def parse_manifest(data: bytes) -> tuple[dict[str, Any], str | None]:
    """A packet's manifest.json checked against the shape this program writes: (manifest, None), or ({}, why).

    Call it only on a manifest whose signature verified."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return {}, "不是 UTF-8 文本"
    if _depth(text) > _MAX_MANIFEST_DEPTH:
        return {}, "嵌套层数异常"
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        return {}, "不是有效的 JSON"
    why = _schema_problem(obj)
    return ({}, why) if why else (obj, None)


def check_signed_manifest(manifest: bytes, signature: bytes) -> tuple[dict[str, Any], str | None]:
    """A manifest and its detached signature as a workspace keeps them: (manifest, None) when the signature holds
    and the manifest has the expected shape, else ({}, why)."""
    problems: list[Problem] = []
    with _quiet_pyhanko():
        _check_manifest_signature(manifest, signature, _validation_context(()), problems)
    if problems:
        return {}, problems[0].message
    parsed, why = parse_manifest(manifest)
    return parsed, (f"清单格式不对：{why}" if why else None)


def verify_packet(path: str | os.PathLike[str], *, trusted: Sequence[x509.Certificate] = (),
                  limits: Limits | None = None, progress: ProgressFn | None = None) -> VerifyReport:
    """Check a packet. Raises InputError (UnsafeArchive) when the file cannot or must not be read at all;
    otherwise returns a report whose ``problems`` name each file that is missing, extra, changed or unsigned."""
    limits = limits or Limits()
    packet = Path(path)
    if not packet.is_file():
        raise InputError(f"找不到材料包 {packet}。")
    try:
        zf = zipfile.ZipFile(packet)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{packet.name} 不是有效的 zip 材料包：{exc}。") from exc
    with zf, _quiet_pyhanko():
        infos = _check_safe(zf, limits, packet.stat().st_size)
        by_name = {i.filename: i for i in infos}
        problems: list[Problem] = []
        small: dict[str, bytes] = {}
        for name in (MANIFEST, MANIFEST_SIGNATURE, SIGNER_CERT, SUMS):
            info = by_name.get(name)
            if info is None:
                problems.append(Problem(name, "缺少这个文件。"))
                continue
            try:
                small[name] = _read_small(zf, info, limits.max_small_file)
            except (zipfile.BadZipFile, ValueError, OSError) as exc:
                problems.append(Problem(name, f"无法读取（压缩数据已损坏）：{exc}"))

        vc = _validation_context(trusted)
        trusted_fps = {fingerprint(c) for c in trusted}
        signer_cert = None
        chain_trusted = False
        signed_at = None
        signature_holds = False
        if MANIFEST in small and MANIFEST_SIGNATURE in small:
            before = len(problems)
            signer_cert, chain_trusted, signed_at = _check_manifest_signature(
                small[MANIFEST], small[MANIFEST_SIGNATURE], vc, problems)
            signature_holds = len(problems) == before
        signer_fp = _cert_fp(signer_cert) if signer_cert is not None else None

        # An unsigned (or wrongly signed) manifest is not read at all: its shape is whatever an attacker chose.
        manifest: dict[str, Any] = {}
        if signature_holds:
            manifest, why = parse_manifest(small[MANIFEST])
            if why:
                problems.append(Problem(MANIFEST, f"不是联络员工作台材料包的清单（{why}）。"))
        if SIGNER_CERT in small and signer_fp:
            try:
                pem_certs = x509.load_pem_x509_certificates(small[SIGNER_CERT])
                if fingerprint(pem_certs[0]) != signer_fp:
                    problems.append(Problem(SIGNER_CERT, "signer.pem 与清单签名所用的证书不一致。"))
            except ValueError:
                problems.append(Problem(SIGNER_CERT, "signer.pem 不是有效的证书文件。"))
        claimed = (manifest.get("signer") or {}).get("certificate_sha256")
        if manifest and signer_fp and claimed != signer_fp:
            problems.append(Problem(MANIFEST, "清单中记录的签名人证书指纹与实际签名的证书不一致。"))

        # Every file: hashed once, compared with the manifest and with SHA256SUMS.
        listed = {f["path"]: f for f in manifest.get("files", [])}
        actual: dict[str, str] = {}
        total = sum(i.file_size for i in infos)
        done = 0
        for info in infos:
            try:
                sha, size = _hash_member(zf, info, progress, done, total)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                problems.append(Problem(info.filename, f"无法读取（压缩数据已损坏）：{exc}"))
                continue
            done += info.file_size
            actual[info.filename] = sha
            entry = listed.get(info.filename)
            if entry is not None and (entry.get("sha256") != sha or entry.get("size") != size):
                problems.append(Problem(info.filename, "内容已被改动（与清单记录的 SHA-256 不符）。"))
        if manifest:
            for name in listed:
                if name not in by_name:
                    problems.append(Problem(name, "清单中列出的文件在材料包中缺失。"))
            own = {MANIFEST, MANIFEST_SIGNATURE, SUMS}
            for name in by_name:
                if name not in listed and name not in own:
                    problems.append(Problem(name, "材料包中多出了清单里没有的文件。"))
        if SUMS in small:
            sums = _parse_sums(small[SUMS])
            if sums is None:
                problems.append(Problem(SUMS, "SHA256SUMS 格式不对或已损坏。"))
            else:
                wrong = [n for n, s in sums.items() if actual.get(n, s) != s]
                unlisted = [n for n in actual if n != SUMS and n not in sums]
                if wrong or unlisted or any(n not in by_name for n in sums):
                    problems.append(Problem(SUMS, "SHA256SUMS 与材料包中的文件不符。"))

        if REPORT_PDF in by_name and REPORT_PDF in actual:
            info = by_name[REPORT_PDF]
            if info.file_size > limits.max_pdf:
                problems.append(Problem(REPORT_PDF, "PDF 大得异常，未核验其签名。"))
            else:
                _check_pdf(zf.read(info), vc, signer_fp, problems)

        if manifest.get("kind") == "rollup":  # a bureau's consolidated packet: check the units' packets inside too
            from ..rollup.inner import check_inner_packets

            problems += check_inner_packets(zf, by_name, manifest, limits=limits)

    signer_name = signer_dept = None
    if signer_cert is not None:
        subject = signer_cert.subject.native
        signer_name = subject.get("common_name")
        signer_dept = subject.get("organizational_unit_name")
    is_trusted = bool(signer_fp) and (signer_fp in trusted_fps or chain_trusted)
    if trusted and signer_fp and not is_trusted:
        # A certificate with the same name and unit proves nothing: only the fingerprint says who signed.
        problems.append(Problem("", f"签名人不受信任：签名证书的 SHA-256 指纹是 {signer_fp}，不是信任的证书"
                                    f"（{'、'.join(sorted(trusted_fps))}）之一，也不是由它们签发的。"))
    report(progress, total, total, "完成")
    return VerifyReport(packet=packet, problems=tuple(problems), trusted=is_trusted, signer_name=signer_name,
                        signer_department=signer_dept, signer_fingerprint=signer_fp, signed_at=signed_at,
                        manifest=manifest, files_checked=len(actual), trust_list_given=bool(trusted))
