"""The evidence vault: files stored once under their SHA-256 (vault/ab/abcdef…) and linked to tasks, indicators, cases.

A file is streamed into a temporary file in the vault while it is hashed, fsynced, and renamed into place; only then
is its row committed. A marker in vault/tmp/ names each file being attached until its row is committed, so the check
can tell the leftovers of an interrupted attach from files that truly lost their record.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import mimetypes
import os
import queue
import re
import secrets
import stat
import sys
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from .errors import InputError, NotFound, VaultError
from .jobs import ProgressFn, report
from .model import Evidence
from .workspace import Workspace, now_iso

__all__ = [
    "CHUNK_SIZE",
    "VaultReport",
    "attach",
    "attach_many",
    "link",
    "unlink",
    "get_evidence",
    "list_evidence",
    "evidence_counts",
    "copy_out",
    "vault_path",
    "check_vault",
    "vault_report",
    "clean_unreferenced",
    "media_type_for",
    "sha256_file",
    "safe_file_name",
]

CHUNK_SIZE: Final = 1 << 20
"""Bytes read, hashed and written at a time: memory use stays flat whatever the file size."""

TMP_DIR: Final = "tmp"
_PART_SUFFIX: Final = ".part"
_PENDING_SUFFIX: Final = ".pending"
_SHA_RE: Final = re.compile(r"^[0-9a-f]{64}$")
LINK_KINDS: Final = ("task", "indicator", "case")
_LINK_TABLE: Final = {"task": "tasks", "indicator": "indicators", "case": "cases"}
_LINK_LABEL: Final = {"task": "任务", "indicator": "考核指标", "case": "月度案例"}

# Formats common in Chinese government offices that the platform's MIME table may not know.
_EXTRA_TYPES: Final = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ofd": "application/ofd",
    ".wps": "application/vnd.ms-works",
    ".et": "application/vnd.ms-excel",
    ".md": "text/markdown",
}


@dataclass(frozen=True)
class VaultReport:
    problems: tuple[str, ...] = ()
    """Missing, corrupted and unregistered (orphaned) files, by name."""
    cleaned: tuple[str, ...] = ()
    """Leftovers of interrupted attaches that were found (and removed when cleaning was allowed)."""
    checked: int = 0
    """How many stored files were hashed."""


@dataclass
class _Staged:
    """A file copied into the vault whose row is not committed yet."""

    sha256: str
    size: int
    name: str
    mtime_date: dt.date
    marker: Path
    created: bool
    """True when this attach put the file in the vault (it was not there before)."""


# ----- paths -------------------------------------------------------------------------------------------------------
def vault_path(ws: Workspace, sha256: str) -> Path:
    """Where the file with this SHA-256 lives: vault/ab/abcdef…"""
    sha = sha256.lower()
    if not _SHA_RE.match(sha):
        raise InputError(f"{sha256!r} 不是有效的 SHA-256 值。")
    return ws.vault_dir / sha[:2] / sha


def _tmp_dir(ws: Workspace) -> Path:
    return ws.vault_dir / TMP_DIR


def media_type_for(name: str) -> str:
    ext = os.path.splitext(name)[1].lower()
    if ext in _EXTRA_TYPES:
        return _EXTRA_TYPES[ext]
    return mimetypes.guess_type(name, strict=False)[0] or "application/octet-stream"


def _display_name(path: Path) -> str:
    # A name that is not valid UTF-8 (possible on Linux) must still be storable and showable.
    return os.fsencode(path.name).decode("utf-8", "replace") if os.name != "nt" else path.name


def _fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (POSIX; Windows has no directory handles to sync)."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_error(exc: OSError, name: str) -> VaultError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return VaultError(f"磁盘空间不足，未能把“{name}”存入证据库，已撤销这次附加。", hint="请清理磁盘空间后重试。")
    return VaultError(f"无法把“{name}”写入证据库：{exc.strerror or exc}。已撤销这次附加。")


def _read_error(exc: OSError, source: Path) -> VaultError:
    if isinstance(exc, FileNotFoundError):
        return VaultError(f"找不到文件 {source}，它可能已被移动或删除。")
    if isinstance(exc, IsADirectoryError) or _is_dir(source):
        return VaultError(f"{source} 是一个文件夹，不能作为佐证材料；请选择其中的文件。")
    if isinstance(exc, PermissionError):
        return VaultError(f"没有权限读取文件 {source}。", hint="请检查文件权限，或先把它复制到本机再附加。")
    return VaultError(f"读取文件 {source} 时出错：{exc.strerror or exc}。已撤销这次附加。")


def _is_dir(path: Path) -> bool:
    # Path.is_dir() raises when a parent folder cannot be searched; that case is reported when the file is opened.
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        # Left for the check to report and clean; failing here would hide the error that brought us here.
        pass


# ----- attaching ---------------------------------------------------------------------------------------------------
def _open_source(source: Path) -> tuple[Any, os.stat_result]:
    if _is_dir(source):
        raise VaultError(f"{source} 是一个文件夹，不能作为佐证材料；请选择其中的文件。")
    try:
        fh = open(source, "rb", buffering=0)  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise _read_error(exc, source) from exc
    st = os.fstat(fh.fileno())
    if not stat.S_ISREG(st.st_mode):
        fh.close()
        raise VaultError(f"{source} 不是普通文件，不能作为佐证材料。")
    return fh, st


@dataclass
class _Part:
    """A complete copy in vault/tmp/, hashed, not yet under its final name."""

    path: Path
    sha256: str
    size: int
    name: str
    mtime_date: dt.date


def _write_all(out: Any, chunk: memoryview, name: str) -> None:
    try:
        written = 0
        while written < len(chunk):
            written += out.write(chunk[written:])
    except OSError as exc:
        raise _write_error(exc, name) from exc


def _read_into(src: Any, buf: bytearray, source: Path) -> int:
    try:
        return int(src.readinto(buf))
    except OSError as exc:
        raise _read_error(exc, source) from exc


def _pump(src: Any, out: Any, digest: Any, buf: bytearray, source: Path, name: str, progress: ProgressFn | None,
          done_before: int, total: int | None) -> int:
    """Read, hash and write one buffer at a time."""
    view = memoryview(buf)
    copied = 0
    while n := _read_into(src, buf, source):
        chunk = view[:n]
        digest.update(chunk)
        _write_all(out, chunk, name)
        copied += n
        report(progress, done_before + copied, total, name)
    return copied


def _pump_threaded(src: Any, out: Any, digest: Any, source: Path, name: str, progress: ProgressFn | None,
                   done_before: int, total: int | None) -> int:
    """Like _pump, but a second thread writes while this one reads and hashes the next buffer.

    hashlib and file writes release the GIL, so a big file costs about max(hash, write) instead of their sum.
    Memory stays at a few fixed buffers.
    """
    free: queue.Queue[bytearray] = queue.Queue()
    for _ in range(3):
        free.put(bytearray(CHUNK_SIZE))
    full: queue.Queue[tuple[bytearray, int] | None] = queue.Queue()
    failure: list[BaseException] = []

    def writer() -> None:
        while (item := full.get()) is not None:
            buf, n = item
            if not failure:
                try:
                    _write_all(out, memoryview(buf)[:n], name)
                except BaseException as exc:  # handed to the reading thread, which raises it
                    failure.append(exc)
            free.put(buf)

    thread = threading.Thread(target=writer, name="vault-writer", daemon=True)
    thread.start()
    copied = 0
    try:
        while not failure:
            buf = free.get()
            n = _read_into(src, buf, source)
            if not n:
                break
            digest.update(memoryview(buf)[:n])
            full.put((buf, n))
            copied += n
            report(progress, done_before + copied, total, name)
    finally:
        full.put(None)
        thread.join()
    if failure:
        raise failure[0]
    return copied


def _copy(ws: Workspace, source: Path, buf: bytearray, progress: ProgressFn | None, done_before: int,
          total: int | None, *, sync: bool) -> _Part:
    """Stream ``source`` into a temporary file in the vault, hashing it on the way (one pass, one buffer)."""
    name = _display_name(source)
    src, st = _open_source(source)
    tmp_dir = _tmp_dir(ws)
    part = tmp_dir / f"{secrets.token_hex(8)}{_PART_SUFFIX}"
    digest = hashlib.sha256()
    try:
        try:
            tmp_dir.mkdir(parents=True, exist_ok=True)
            out = open(part, "xb", buffering=0)  # noqa: SIM115 - closed below
        except OSError as exc:
            raise _write_error(exc, name) from exc
        with out:
            if st.st_size > 2 * CHUNK_SIZE:
                copied = _pump_threaded(src, out, digest, source, name, progress, done_before, total)
            else:
                copied = _pump(src, out, digest, buf, source, name, progress, done_before, total)
            try:
                after = os.fstat(src.fileno())
                still_there = os.stat(source)
            except OSError as exc:
                raise VaultError(f"文件 {source} 在复制过程中消失了，已撤销这次附加。") from exc
            if copied != st.st_size or after.st_size != st.st_size or after.st_mtime_ns != st.st_mtime_ns \
                    or (still_there.st_ino, still_there.st_dev) != (st.st_ino, st.st_dev):
                raise VaultError(f"文件 {source} 在复制过程中被改动或替换了，已撤销这次附加。", hint="请等它保存完毕后再附加。")
            if sync:
                try:
                    os.fsync(out.fileno())
                except OSError as exc:
                    raise _write_error(exc, name) from exc
    except BaseException:
        _remove_quietly(part)
        raise
    finally:
        src.close()
    return _Part(part, digest.hexdigest(), copied, name, dt.datetime.fromtimestamp(st.st_mtime).date())


def _syncfs(folder: Path) -> bool:
    """Flush the whole file system holding ``folder`` in one call (Linux syncfs); False where unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fd = os.open(folder, os.O_RDONLY)
        try:
            return int(libc.syncfs(fd)) == 0
        finally:
            os.close(fd)
    except (OSError, AttributeError):
        return False


def _flush_parts(ws: Workspace, parts: Sequence[_Part]) -> None:
    """Make every copied byte durable before any file appears under its final name."""
    # One file-system flush costs about what one fsync does; a batch of many small files would pay one per file.
    if _syncfs(_tmp_dir(ws)):
        return
    for p in parts:
        try:
            fd = os.open(p.path, os.O_RDWR | getattr(os, "O_BINARY", 0))
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise _write_error(exc, p.name) from exc


def _place(ws: Workspace, p: _Part) -> _Staged:
    """Put a durable copy under its hash, after leaving the pending marker that vault_report relies on."""
    final = vault_path(ws, p.sha256)
    marker = _tmp_dir(ws) / f"{p.sha256}.{p.path.stem}{_PENDING_SUFFIX}"
    try:
        final.parent.mkdir(exist_ok=True)
        # The marker must exist before the file appears under its final name (see _clean_tmp).
        marker.touch(exist_ok=False)
        existing = final.stat().st_size if final.exists() else None
        if existing == p.size:
            p.path.unlink()
            created = False
        else:
            # Absent, or a damaged copy whose size no longer matches: put the good bytes in place.
            os.replace(p.path, final)
            created = existing is None
    except OSError as exc:
        _remove_quietly(marker)
        raise _write_error(exc, p.name) from exc
    return _Staged(p.sha256, p.size, p.name, p.mtime_date, marker, created)


def _referenced(ws: Workspace, sha256: str) -> bool:
    return ws.conn.execute("SELECT 1 FROM evidence WHERE sha256 = ? LIMIT 1", (sha256,)).fetchone() is not None


def _abandon(ws: Workspace, staged: Iterable[_Staged]) -> None:
    """Undo the vault side of attaches whose rows were not committed."""
    for s in staged:
        if s.created and not _referenced(ws, s.sha256):
            _remove_quietly(vault_path(ws, s.sha256))
        _remove_quietly(s.marker)


def _finish(staged: Iterable[_Staged]) -> None:
    for s in staged:
        _remove_quietly(s.marker)


def _check_links(ws: Workspace, links: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    out = []
    for kind, target_id in links:
        if kind not in LINK_KINDS:
            raise InputError(f"证据只能关联到任务、考核指标或月度案例，不能关联到 {kind!r}。")
        table = _LINK_TABLE[kind]
        if ws.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (int(target_id),)).fetchone() is None:
            raise NotFound(f"找不到编号为 {target_id} 的{_LINK_LABEL[kind]}。")
        if (kind, int(target_id)) not in out:
            out.append((kind, int(target_id)))
    return out


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(f"证据日期 {value!r} 不是 YYYY-MM-DD 格式的日期。") from None


def _record(ws: Workspace, s: _Staged, links: Sequence[tuple[str, int]], note: str,
            evidence_date: dt.date | None) -> int:
    """Insert (or reuse) the evidence row for a staged file and its links; inside the caller's transaction."""
    now = now_iso()
    row = ws.conn.execute(
        "SELECT id FROM evidence WHERE sha256 = ? AND original_name = ? ORDER BY id LIMIT 1", (s.sha256, s.name)
    ).fetchone()
    if row:
        # The same file attached again: one record, with the new links added.
        evidence_id = int(row[0])
        for kind, target_id in links:
            cur = ws.conn.execute(
                "INSERT OR IGNORE INTO evidence_links(evidence_id, target_kind, target_id, linked_at) VALUES (?,?,?,?)",
                (evidence_id, kind, target_id, now),
            )
            if cur.rowcount:
                ws.audit("evidence.link", f"evidence:{evidence_id}",
                         {"name": s.name, "sha256": s.sha256, "link": f"{kind}:{target_id}"})
        return evidence_id
    when = evidence_date or s.mtime_date
    cur = ws.conn.execute(
        "INSERT INTO evidence(sha256, original_name, size, media_type, evidence_date, note, added_at, added_by)"
        " VALUES (?,?,?,?,?,?,?,?)",
        (s.sha256, s.name, s.size, media_type_for(s.name), when.isoformat(), note.strip(), now,
         ws.actor or ws.liaison or None),
    )
    evidence_id = int(cur.lastrowid or 0)
    ws.conn.executemany(
        "INSERT INTO evidence_links(evidence_id, target_kind, target_id, linked_at) VALUES (?,?,?,?)",
        [(evidence_id, kind, target_id, now) for kind, target_id in links],
    )
    ws.audit("evidence.attach", f"evidence:{evidence_id}", {
        "name": s.name, "sha256": s.sha256, "size": s.size, "evidence_date": when.isoformat(),
        "links": [f"{k}:{i}" for k, i in links], "stored_new_file": s.created,
    })
    return evidence_id


def _source_sizes(sources: Sequence[Path]) -> int:
    total = 0
    for source in sources:
        try:
            if _is_dir(source):
                raise VaultError(f"{source} 是一个文件夹，不能作为佐证材料；请选择其中的文件。")
            total += source.stat().st_size
        except OSError as exc:
            raise _read_error(exc, source) from exc
    return total


def stage_files(ws: Workspace, sources: Sequence[str | os.PathLike[str]], *,
                progress: ProgressFn | None = None) -> list[_Staged]:
    """Copy files into the vault for a caller that commits their rows itself (with record_staged, then
    finish_staged; or abandon_staged on failure). attach_many and cases.add_case use it."""
    if ws.read_only:
        raise VaultError("工作区以只读方式打开，不能附加证据。")
    paths = [Path(os.fspath(s)) for s in sources]
    total = _source_sizes(paths)
    buf = bytearray(CHUNK_SIZE)
    single = len(paths) == 1
    parts: list[_Part] = []
    staged: list[_Staged] = []
    try:
        done = 0
        for path in paths:
            parts.append(_copy(ws, path, buf, progress, done, total, sync=single))
            done += parts[-1].size
        if not single:
            _flush_parts(ws, parts)
        for p in parts:
            staged.append(_place(ws, p))
        # The renames must be durable before the rows that point at them are committed.
        if single or not _syncfs(ws.vault_dir):
            for folder in sorted({vault_path(ws, s.sha256).parent for s in staged}):
                try:
                    _fsync_dir(folder)
                except OSError as exc:
                    raise _write_error(exc, staged[0].name) from exc
    except BaseException:
        for p in parts[len(staged):]:
            _remove_quietly(p.path)
        _abandon(ws, staged)
        raise
    return staged


def record_staged(ws: Workspace, staged: Sequence[_Staged], *, links: Sequence[tuple[str, int]], note: str = "",
                  evidence_date: dt.date | str | None = None) -> list[int]:
    with ws.transaction():
        return [_record(ws, s, links, note, _as_date(evidence_date)) for s in staged]


def abandon_staged(ws: Workspace, staged: Sequence[_Staged]) -> None:
    _abandon(ws, staged)


def finish_staged(staged: Sequence[_Staged]) -> None:
    _finish(staged)


def attach_many(ws: Workspace, sources: Sequence[str | os.PathLike[str]], *,
                links: Sequence[tuple[str, int]] = (), note: str = "",
                evidence_date: dt.date | str | None = None, progress: ProgressFn | None = None) -> list[Evidence]:
    """Attach several files as one change: all of them, or (on any error or Cancelled) none."""
    checked = _check_links(ws, links)
    when = _as_date(evidence_date)
    staged = stage_files(ws, sources, progress=progress)
    try:
        ids = record_staged(ws, staged, links=checked, note=note, evidence_date=when)
    except BaseException:
        _abandon(ws, staged)
        raise
    _finish(staged)
    total = sum(s.size for s in staged)
    report(progress, total, total, "完成")
    return [get_evidence(ws, i) for i in ids]


def attach(ws: Workspace, source: str | os.PathLike[str], *, links: Sequence[tuple[str, int]] = (),
           note: str = "", evidence_date: dt.date | str | None = None,
           progress: ProgressFn | None = None) -> Evidence:
    """Copy one file into the vault (stored once per content) and record it, linked to tasks/indicators/cases.

    ``evidence_date`` (the date the evidence is about) defaults to the file's modified date.
    """
    return attach_many(ws, [source], links=links, note=note, evidence_date=evidence_date, progress=progress)[0]


# ----- reading and linking -----------------------------------------------------------------------------------------
_EVIDENCE_COLS = "id, sha256, original_name, size, media_type, evidence_date, note, added_at"


def _links_of(ws: Workspace, evidence_id: int) -> tuple[tuple[str, int], ...]:
    rows = ws.conn.execute(
        "SELECT target_kind, target_id FROM evidence_links WHERE evidence_id = ? ORDER BY target_kind, target_id",
        (evidence_id,),
    )
    return tuple((k, int(i)) for k, i in rows)


def _to_evidence(ws: Workspace, row: Any) -> Evidence:
    return Evidence(
        id=int(row[0]), sha256=row[1], original_name=row[2], size=int(row[3]), media_type=row[4],
        evidence_date=dt.date.fromisoformat(row[5]) if row[5] else None, note=row[6] or "", added_at=row[7],
        links=_links_of(ws, int(row[0])),
    )


def get_evidence(ws: Workspace, evidence_id: int) -> Evidence:
    row = ws.conn.execute(f"SELECT {_EVIDENCE_COLS} FROM evidence WHERE id = ?", (int(evidence_id),)).fetchone()
    if row is None:
        raise NotFound(f"找不到编号为 {evidence_id} 的证据。")
    return _to_evidence(ws, row)


def list_evidence(ws: Workspace, *, target_kind: str | None = None, target_id: int | None = None) -> list[Evidence]:
    """All evidence, or the evidence linked to one target (or to any target of one kind), oldest first."""
    sql = f"SELECT {_EVIDENCE_COLS} FROM evidence"
    args: list[Any] = []
    if target_kind is not None:
        sql += " WHERE id IN (SELECT evidence_id FROM evidence_links WHERE target_kind = ?"
        args.append(target_kind)
        if target_id is not None:
            sql += " AND target_id = ?"
            args.append(int(target_id))
        sql += ")"
    sql += " ORDER BY id"
    return [_to_evidence(ws, r) for r in ws.conn.execute(sql, args).fetchall()]


def evidence_counts(ws: Workspace, target_kind: str) -> dict[int, int]:
    """target_id -> how many pieces of evidence are linked to it, for every target of one kind that has any."""
    rows = ws.conn.execute(
        "SELECT target_id, count(*) FROM evidence_links WHERE target_kind = ? GROUP BY target_id", (target_kind,))
    return {int(target_id): int(n) for target_id, n in rows}


_UNSAFE: Final = re.compile(r'[\x00-\x1f<>:"/\\|?*]')
_RESERVED: Final = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_file_name(name: str, *, limit: int = 80) -> str:
    """A name that every file system accepts: no separators or control characters, not reserved on Windows
    (CON, aux.txt …), not ending in a dot or space, at most ``limit`` characters with the extension kept."""
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE.sub("_", name).strip().rstrip(". ") or "file"
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 10:
        stem, ext = name, ""
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    ext = f".{ext}" if ext else ""
    return stem[: max(1, limit - len(ext))] + ext


def copy_out(ws: Workspace, evidence_id: int, folder: str | os.PathLike[str], *,
             progress: ProgressFn | None = None) -> Path:
    """Copy a stored file out of the vault as ``folder/<first 16 hex digits of its SHA-256>/<original name>``,
    checking the hash on the way, and return the copy's path.

    For viewing: the vault file has no extension and must never be opened by an editor that could change it.
    The copy is made read-only; a copy of the same content and name already there is reused.
    """
    ev = get_evidence(ws, evidence_id)
    source = vault_path(ws, ev.sha256)
    target = Path(os.fspath(folder)) / ev.sha256[:16] / safe_file_name(ev.original_name)
    try:
        if target.is_file() and target.stat().st_size == ev.size:
            return target
    except OSError:
        pass
    part = target.with_name(target.name + _PART_SUFFIX)
    digest = hashlib.sha256()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(source, "rb", buffering=0) as src, open(part, "wb", buffering=0) as out:
            buf = bytearray(CHUNK_SIZE)
            _pump(src, out, digest, buf, source, ev.original_name, progress, 0, ev.size)
    except FileNotFoundError as exc:
        _remove_quietly(part)
        raise VaultError(f"证据文件“{ev.original_name}”在证据库中缺失（应在 {_rel(ws, source)}）。",
                         hint="请运行 `liaison check` 检查证据库。") from exc
    except OSError as exc:
        _remove_quietly(part)
        raise VaultError(f"无法把“{ev.original_name}”复制出证据库：{exc.strerror or exc}。") from exc
    except BaseException:
        _remove_quietly(part)
        raise
    if digest.hexdigest() != ev.sha256:
        _remove_quietly(part)
        raise VaultError(f"证据文件“{ev.original_name}”已损坏（内容与登记的 SHA-256 不符）。",
                         hint="请运行 `liaison check` 检查证据库。")
    try:
        if target.exists():
            target.chmod(stat.S_IRUSR | stat.S_IWUSR)
        os.replace(part, target)
        target.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    except OSError as exc:
        _remove_quietly(part)
        raise VaultError(f"无法把“{ev.original_name}”复制出证据库：{exc.strerror or exc}。") from exc
    return target


def link(ws: Workspace, evidence_id: int, target_kind: str, target_id: int) -> Evidence:
    """Link existing evidence to a task, indicator or case (also the undo of unlink)."""
    ev = get_evidence(ws, evidence_id)
    [(kind, tid)] = _check_links(ws, [(target_kind, target_id)])
    with ws.transaction():
        cur = ws.conn.execute(
            "INSERT OR IGNORE INTO evidence_links(evidence_id, target_kind, target_id, linked_at) VALUES (?,?,?,?)",
            (ev.id, kind, tid, now_iso()),
        )
        if cur.rowcount:
            ws.audit("evidence.link", f"evidence:{ev.id}",
                     {"name": ev.original_name, "sha256": ev.sha256, "link": f"{kind}:{tid}"})
    return get_evidence(ws, ev.id)


def unlink(ws: Workspace, evidence_id: int, target_kind: str, target_id: int) -> Evidence:
    """Remove evidence from a task, indicator or case. The file stays in the vault (see clean_unreferenced)."""
    ev = get_evidence(ws, evidence_id)
    with ws.transaction():
        cur = ws.conn.execute(
            "DELETE FROM evidence_links WHERE evidence_id = ? AND target_kind = ? AND target_id = ?",
            (ev.id, target_kind, int(target_id)),
        )
        if not cur.rowcount:
            label = _LINK_LABEL.get(target_kind, target_kind)
            raise NotFound(f"证据“{ev.original_name}”没有关联到{label} {target_id}。")
        ws.audit("evidence.unlink", f"evidence:{ev.id}",
                 {"name": ev.original_name, "sha256": ev.sha256, "link": f"{target_kind}:{int(target_id)}"})
    return get_evidence(ws, ev.id)


# ----- checking and cleaning ---------------------------------------------------------------------------------------
def _hash_file(path: Path, buf: bytearray) -> str:
    digest = hashlib.sha256()
    view = memoryview(buf)
    with open(path, "rb", buffering=0) as fh:
        while n := fh.readinto(buf):
            digest.update(view[:n])
    return digest.hexdigest()


def sha256_file(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file in hex, read a buffer at a time."""
    return _hash_file(Path(path), bytearray(CHUNK_SIZE))


def _stored_files(ws: Workspace) -> tuple[dict[str, Path], list[Path]]:
    """sha256 -> path for files named like vault entries, and anything else found in the vault."""
    files: dict[str, Path] = {}
    strays: list[Path] = []
    if not ws.vault_dir.is_dir():
        return files, strays
    for entry in sorted(ws.vault_dir.iterdir()):
        if entry.name == TMP_DIR and entry.is_dir():
            continue
        if not entry.is_dir():
            strays.append(entry)
            continue
        for f in sorted(entry.iterdir()):
            if _SHA_RE.match(f.name) and f.name[:2] == entry.name and f.is_file():
                files[f.name] = f
            else:
                strays.append(f)
    return files, strays


def _names_by_sha(ws: Workspace) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for sha, name in ws.conn.execute("SELECT sha256, original_name FROM evidence ORDER BY id"):
        names.setdefault(sha, []).append(name)
    return names


def _rel(ws: Workspace, path: Path) -> str:
    try:
        return path.relative_to(ws.root).as_posix()
    except ValueError:
        return str(path)


def _clean_tmp(ws: Workspace, names: dict[str, list[str]], *, clean: bool) -> tuple[list[str], set[str]]:
    """Leftovers of interrupted attaches: partial copies, and files renamed into place whose row never committed.

    Returns messages and the hashes whose unregistered vault file is such a leftover (so it is not an orphan).
    """
    messages: list[str] = []
    leftover_shas: set[str] = set()
    tmp = _tmp_dir(ws)
    if not tmp.is_dir():
        return messages, leftover_shas
    verb = "已清理" if clean else "发现"
    for f in sorted(tmp.iterdir()):
        if f.name.endswith(_PENDING_SUFFIX):
            sha = f.name.split(".", 1)[0]
            if _SHA_RE.match(sha) and sha not in names:
                leftover_shas.add(sha)
                target = ws.vault_dir / sha[:2] / sha
                if target.exists():
                    messages.append(f"{verb}中断的附加留下的文件 {_rel(ws, target)}（未登记）。")
                    if clean:
                        _remove_quietly(target)
        elif f.name.endswith(_PART_SUFFIX):
            messages.append(f"{verb}中断的复制留下的临时文件 {_rel(ws, f)}。")
        else:
            messages.append(f"{verb}证据库临时文件夹中的多余文件 {_rel(ws, f)}。")
        if clean:
            _remove_quietly(f)
    return messages, leftover_shas


def vault_report(ws: Workspace, *, clean_temp: bool = True, progress: ProgressFn | None = None) -> VaultReport:
    """Hash every stored file; report missing, corrupted and orphaned files by name, and temporary leftovers."""
    names = _names_by_sha(ws)
    clean = clean_temp and not ws.read_only
    cleaned, leftover_shas = _clean_tmp(ws, names, clean=clean)
    files, strays = _stored_files(ws)
    problems: list[str] = []
    for sha, evidence_names in names.items():
        if sha not in files:
            problems.append(f"证据文件缺失：{'、'.join(evidence_names)}（应在 {_rel(ws, vault_path(ws, sha))}）。")
    total = sum(p.stat().st_size for sha, p in files.items() if sha in names)
    done = 0
    buf = bytearray(CHUNK_SIZE)
    checked = 0
    for sha, path in files.items():
        if sha not in names:
            if sha not in leftover_shas:  # a leftover is already listed (and gone, when cleaning)
                problems.append(f"证据库中有未登记的文件：{_rel(ws, path)}（没有任何证据记录指向它）。")
            continue
        try:
            actual = _hash_file(path, buf)
        except OSError as exc:
            problems.append(f"证据文件无法读取：{'、'.join(names[sha])}（{_rel(ws, path)}：{exc.strerror or exc}）。")
            continue
        checked += 1
        if actual != sha:
            problems.append(f"证据文件已损坏（内容与登记的 SHA-256 不符）：{'、'.join(names[sha])}（{_rel(ws, path)}）。")
        done += path.stat().st_size
        report(progress, done, total, "核对证据文件")
    for stray in strays:
        problems.append(f"证据库中有不属于它的文件：{_rel(ws, stray)}。")
    if not clean:
        problems.extend(cleaned)
        cleaned = []
    return VaultReport(problems=tuple(problems), cleaned=tuple(cleaned), checked=checked)


def check_vault(ws: Workspace, *, clean_temp: bool = True) -> list[str]:
    """Problems in the vault, in plain words (empty when sound). Temporary leftovers are cleaned unless told not to,
    and are then not problems; with ``clean_temp=False`` they are reported among the problems."""
    return list(vault_report(ws, clean_temp=clean_temp).problems)


def clean_unreferenced(ws: Workspace) -> list[str]:
    """Remove evidence linked to nothing, and vault files no record points to. The only way a file leaves the vault.

    Returns what was removed, by name.
    """
    removed: list[str] = []
    with ws.transaction():
        rows = ws.conn.execute(
            f"SELECT {_EVIDENCE_COLS} FROM evidence WHERE id NOT IN (SELECT evidence_id FROM evidence_links)"
            " ORDER BY id"
        ).fetchall()
        for row in rows:
            ws.conn.execute("DELETE FROM evidence WHERE id = ?", (row[0],))
            ws.audit("evidence.remove", f"evidence:{row[0]}",
                     {"name": row[2], "sha256": row[1], "size": row[3], "reason": "unreferenced"})
            removed.append(f"证据记录 {row[0]}：{row[2]}")
    # Files go only after the rows are committed: a crash in between leaves an orphan, never a missing file.
    names = _names_by_sha(ws)
    files, _strays = _stored_files(ws)
    for sha, path in files.items():
        if sha not in names:
            try:
                path.unlink()
            except OSError as exc:
                raise VaultError(f"无法删除证据库文件 {_rel(ws, path)}：{exc.strerror or exc}。") from exc
            removed.append(_rel(ws, path))
    return removed

