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
import stat
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

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
from ..evidence import CHUNK_SIZE
from ..jobs import ProgressFn, report
from .identity import fingerprint
from .package import MANIFEST, MANIFEST_SIGNATURE, PACKET_FORMAT, REPORT_PDF, SIGNER_CERT, SUMS
from .signing import to_asn1_certificate

__all__ = ["Problem", "VerifyReport", "UnsafeArchive", "Limits", "verify_packet"]


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
    """The member of the packet the problem is about ('' for the packet as a whole)."""
    message: str


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
    files_checked: int = 0

    @property
    def intact(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        period = self.manifest.get("period") or {}
        return {
            "packet": str(self.packet),
            "intact": self.intact,
            "trusted": self.trusted,
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


def _check_safe(zf: zipfile.ZipFile, limits: Limits) -> list[zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise UnsafeArchive(f"压缩包含有 {len(infos)} 个文件，超过上限 {limits.max_members}，拒绝处理。")
    seen: set[str] = set()
    total = 0
    for info in infos:
        why = _unsafe_name(info.filename)
        if why:
            raise UnsafeArchive(f"压缩包中的“{info.filename}”{why}，这是不安全的压缩包，拒绝处理，未解压任何文件。")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise UnsafeArchive(f"压缩包中的“{info.filename}”是符号链接，这是不安全的压缩包，拒绝处理，未解压任何文件。")
        if info.flag_bits & 0x1:
            raise UnsafeArchive(f"压缩包中的“{info.filename}”已加密，无法核验。")
        key = info.filename.rstrip("/").lower()
        if key in seen:
            raise UnsafeArchive(f"压缩包中“{info.filename}”出现了不止一次，拒绝处理。")
        seen.add(key)
        total += info.file_size
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(1, info.compress_size):
            raise UnsafeArchive(f"压缩包中的“{info.filename}”压缩比异常（{info.compress_size} 字节解压后为 "
                                f"{info.file_size} 字节），疑似压缩炸弹，拒绝处理。")
    if total > limits.max_total_size:
        raise UnsafeArchive(f"压缩包解压后共 {total} 字节，超过上限，拒绝处理。")
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
        infos = _check_safe(zf, limits)
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
        if MANIFEST in small and MANIFEST_SIGNATURE in small:
            signer_cert, chain_trusted, signed_at = _check_manifest_signature(
                small[MANIFEST], small[MANIFEST_SIGNATURE], vc, problems)
        signer_fp = _cert_fp(signer_cert) if signer_cert is not None else None

        manifest: dict[str, Any] = {}
        if MANIFEST in small:
            try:
                manifest = json.loads(small[MANIFEST].decode("utf-8"))
                if not isinstance(manifest, dict) or manifest.get("format") != PACKET_FORMAT:
                    raise ValueError("format")
            except (ValueError, UnicodeDecodeError):
                problems.append(Problem(MANIFEST, "不是联络员工作台材料包的清单（格式不对或已损坏）。"))
                manifest = {}
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
        listed = {f["path"]: f for f in manifest.get("files", []) if isinstance(f, dict) and "path" in f}
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
    report(progress, total, total, "完成")
    return VerifyReport(packet=packet, problems=tuple(problems), trusted=is_trusted, signer_name=signer_name,
                        signer_department=signer_dept, signer_fingerprint=signer_fp, signed_at=signed_at,
                        manifest=manifest, files_checked=len(actual))
