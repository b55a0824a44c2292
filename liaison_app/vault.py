"""The evidence vault: files stored once under their SHA-256 (vault/ab/abcdef…), copied in, checked and cleaned.

A file is streamed into a temporary file in vault/tmp/ while it is hashed, fsynced, and renamed into place; only then
is its row committed (by the caller, inside ``staged_files``). A marker in vault/tmp/ names each file being attached
until its row is committed, so the check can tell the leftovers of an interrupted attach from files that truly lost
their record. This module knows files and hashes; the evidence records and their links live in ``evidence``.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import queue
import re
import secrets
import stat
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from .errors import InputError, VaultError
from .filenames import display_name, printable
from .fsutil import replace_with_retry
from .jobs import ProgressFn, report
from .workspace import Workspace

__all__ = [
    "CHUNK_SIZE",
    "VaultReport",
    "StagedFile",
    "staged_files",
    "vault_path",
    "vault_report",
    "check_vault",
    "sha256_file",
    "stored_files",
]

CHUNK_SIZE: Final = 1 << 20
"""Bytes read, hashed and written at a time: memory use stays flat whatever the file size."""

TMP_DIR: Final = "tmp"
PART_SUFFIX: Final = ".part"
_PENDING_SUFFIX: Final = ".pending"
_SHA_RE: Final = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class VaultReport:
    problems: tuple[str, ...] = ()
    """Missing, corrupted and unregistered (orphaned) files, by name."""
    cleaned: tuple[str, ...] = ()
    """Leftovers of interrupted attaches that were found (and removed when cleaning was allowed)."""
    checked: int = 0
    """How many stored files were hashed."""


@dataclass
class StagedFile:
    """A file copied into the vault whose row is not committed yet."""

    sha256: str
    size: int
    name: str
    mtime_date: dt.date
    marker: Path
    created: bool
    """True when this attach put the file in the vault (it was not there before)."""
    repaired: bool = False
    """True when the vault held a damaged copy of this content and this attach put the good bytes in its place."""


# ----- paths -------------------------------------------------------------------------------------------------------
def vault_path(ws: Workspace, sha256: str) -> Path:
    """Where the file with this SHA-256 lives: vault/ab/abcdef…"""
    sha = sha256.lower()
    if not _SHA_RE.match(sha):
        raise InputError(f"{sha256!r} 不是有效的 SHA-256 值。")
    return ws.vault_dir / sha[:2] / sha


def _tmp_dir(ws: Workspace) -> Path:
    return ws.vault_dir / TMP_DIR


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
    name = printable(name)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return VaultError(
            f"磁盘空间不足，未能把“{name}”存入证据库，已撤销这次附加。", hint="请清理磁盘空间后重试。"
        )
    return VaultError(f"无法把“{name}”写入证据库：{exc.strerror or exc}。已撤销这次附加。")


def _read_error(exc: OSError, source: Path) -> VaultError:
    if isinstance(exc, FileNotFoundError):
        return VaultError(f"找不到文件 {printable(str(source))}，它可能已被移动或删除。")
    if isinstance(exc, IsADirectoryError) or _is_dir(source):
        return VaultError(f"{printable(str(source))} 是一个文件夹，不能作为佐证材料；请选择其中的文件。")
    if isinstance(exc, PermissionError):
        return VaultError(
            f"没有权限读取文件 {printable(str(source))}。", hint="请检查文件权限，或先把它复制到本机再附加。"
        )
    return VaultError(f"读取文件 {printable(str(source))} 时出错：{exc.strerror or exc}。已撤销这次附加。")


def _is_dir(path: Path) -> bool:
    # Path.is_dir() raises when a parent folder cannot be searched; that case is reported when the file is opened.
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def remove_quietly(path: Path) -> None:
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
        raise VaultError(f"{printable(str(source))} 是一个文件夹，不能作为佐证材料；请选择其中的文件。")
    try:
        fh = open(source, "rb", buffering=0)  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise _read_error(exc, source) from exc
    st = os.fstat(fh.fileno())
    if not stat.S_ISREG(st.st_mode):
        fh.close()
        raise VaultError(f"{printable(str(source))} 不是普通文件，不能作为佐证材料。")
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


def pump(
    src: Any,
    out: Any,
    digest: Any,
    buf: bytearray,
    source: Path,
    name: str,
    progress: ProgressFn | None,
    done_before: int,
    total: int | None,
) -> int:
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


def _pump_threaded(
    src: Any,
    out: Any,
    digest: Any,
    source: Path,
    name: str,
    progress: ProgressFn | None,
    done_before: int,
    total: int | None,
) -> int:
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


def _copy(
    ws: Workspace,
    source: Path,
    buf: bytearray,
    progress: ProgressFn | None,
    done_before: int,
    total: int | None,
    *,
    sync: bool,
) -> _Part:
    """Stream ``source`` into a temporary file in the vault, hashing it on the way (one pass, one buffer)."""
    name = display_name(source)
    src, st = _open_source(source)
    tmp_dir = _tmp_dir(ws)
    part = tmp_dir / f"{secrets.token_hex(8)}{PART_SUFFIX}"
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
                copied = pump(src, out, digest, buf, source, name, progress, done_before, total)
            try:
                after = os.fstat(src.fileno())
                still_there = os.stat(source)
            except OSError as exc:
                raise VaultError(
                    f"文件 {printable(str(source))} 在复制过程中消失了，已撤销这次附加。"
                ) from exc
            if (
                copied != st.st_size
                or after.st_size != st.st_size
                or after.st_mtime_ns != st.st_mtime_ns
                or (still_there.st_ino, still_there.st_dev) != (st.st_ino, st.st_dev)
            ):
                raise VaultError(
                    f"文件 {printable(str(source))} 在复制过程中被改动或替换了，已撤销这次附加。",
                    hint="请等它保存完毕后再附加。",
                )
            if sync:
                try:
                    os.fsync(out.fileno())
                except OSError as exc:
                    raise _write_error(exc, name) from exc
    except BaseException:
        remove_quietly(part)
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


def _place(ws: Workspace, p: _Part) -> StagedFile:
    """Put a durable copy under its hash, after leaving the pending marker that vault_report relies on.

    A copy already there is kept only when its bytes still hash to its name: re-attaching the original is how a
    user repairs a damaged vault file, so a damaged copy is replaced by the good bytes just hashed."""
    final = vault_path(ws, p.sha256)
    marker = _tmp_dir(ws) / f"{p.sha256}.{p.path.stem}{_PENDING_SUFFIX}"
    try:
        final.parent.mkdir(exist_ok=True)
        # The marker must exist before the file appears under its final name (see _clean_tmp).
        marker.touch(exist_ok=False)
        existing = final.stat().st_size if final.exists() else None
        sound = existing == p.size and _hash_file(final, bytearray(CHUNK_SIZE)) == p.sha256
        if sound:
            p.path.unlink()
        else:
            replace_with_retry(p.path, final)
    except OSError as exc:
        remove_quietly(marker)
        raise _write_error(exc, p.name) from exc
    return StagedFile(
        p.sha256,
        p.size,
        p.name,
        p.mtime_date,
        marker,
        created=existing is None,
        repaired=existing is not None and not sound,
    )


def _referenced(ws: Workspace, sha256: str) -> bool:
    return (
        ws.conn.execute("SELECT 1 FROM evidence WHERE sha256 = ? LIMIT 1", (sha256,)).fetchone() is not None
    )


def _abandon(ws: Workspace, staged: Iterable[StagedFile]) -> None:
    """Undo the vault side of attaches whose rows were not committed."""
    for s in staged:
        if s.created and not _referenced(ws, s.sha256):
            remove_quietly(vault_path(ws, s.sha256))
        remove_quietly(s.marker)


def _finish(staged: Iterable[StagedFile]) -> None:
    for s in staged:
        remove_quietly(s.marker)


def _source_sizes(sources: Sequence[Path]) -> int:
    total = 0
    for source in sources:
        try:
            if _is_dir(source):
                raise VaultError(
                    f"{printable(str(source))} 是一个文件夹，不能作为佐证材料；请选择其中的文件。"
                )
            total += source.stat().st_size
        except OSError as exc:
            raise _read_error(exc, source) from exc
    return total


def _stage(ws: Workspace, paths: Sequence[Path], progress: ProgressFn | None) -> list[StagedFile]:
    total = _source_sizes(paths)
    buf = bytearray(CHUNK_SIZE)
    single = len(paths) == 1
    parts: list[_Part] = []
    staged: list[StagedFile] = []
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
        for p in parts[len(staged) :]:
            remove_quietly(p.path)
        _abandon(ws, staged)
        raise
    return staged


@contextmanager
def staged_files(
    ws: Workspace, sources: Sequence[str | os.PathLike[str]], *, progress: ProgressFn | None = None
) -> Iterator[list[StagedFile]]:
    """Copy files durably into the vault, then let the caller commit their rows inside the ``with`` block.

    Leaving the block by an exception (the caller's transaction rolled back, or Cancelled) takes back the files this
    attach added; leaving it normally removes the pending markers. attach_many and cases.add_case use it."""
    if ws.read_only:
        raise VaultError("工作区以只读方式打开，不能附加证据。")
    paths = [Path(os.fspath(s)) for s in sources]
    staged = _stage(ws, paths, progress) if paths else []
    try:
        yield staged
    except BaseException:
        _abandon(ws, staged)
        raise
    _finish(staged)


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


def stored_files(ws: Workspace) -> tuple[dict[str, Path], list[Path]]:
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


def names_by_sha(ws: Workspace) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for sha, name in ws.conn.execute("SELECT sha256, original_name FROM evidence ORDER BY id"):
        names.setdefault(sha, []).append(name)
    return names


def rel_path(ws: Workspace, path: Path) -> str:
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
                    messages.append(f"{verb}中断的附加留下的文件 {rel_path(ws, target)}（未登记）。")
                    if clean:
                        remove_quietly(target)
        elif f.name.endswith(PART_SUFFIX):
            messages.append(f"{verb}中断的复制留下的临时文件 {rel_path(ws, f)}。")
        else:
            messages.append(f"{verb}证据库临时文件夹中的多余文件 {rel_path(ws, f)}。")
        if clean:
            remove_quietly(f)
    return messages, leftover_shas


def vault_report(
    ws: Workspace, *, clean_temp: bool = True, progress: ProgressFn | None = None
) -> VaultReport:
    """Hash every stored file; report missing, corrupted and orphaned files by name, and temporary leftovers."""
    names = names_by_sha(ws)
    clean = clean_temp and not ws.read_only
    cleaned, leftover_shas = _clean_tmp(ws, names, clean=clean)
    files, strays = stored_files(ws)
    problems: list[str] = []
    for sha, evidence_names in names.items():
        if sha not in files:
            problems.append(
                f"证据文件缺失：{'、'.join(evidence_names)}（应在 {rel_path(ws, vault_path(ws, sha))}）。"
            )
    total = sum(p.stat().st_size for sha, p in files.items() if sha in names)
    done = 0
    buf = bytearray(CHUNK_SIZE)
    checked = 0
    for sha, path in files.items():
        if sha not in names:
            if sha not in leftover_shas:  # a leftover is already listed (and gone, when cleaning)
                problems.append(f"证据库中有未登记的文件：{rel_path(ws, path)}（没有任何证据记录指向它）。")
            continue
        try:
            actual = _hash_file(path, buf)
        except OSError as exc:
            problems.append(
                f"证据文件无法读取：{'、'.join(names[sha])}（{rel_path(ws, path)}：{exc.strerror or exc}）。"
            )
            continue
        checked += 1
        if actual != sha:
            problems.append(
                f"证据文件已损坏（内容与登记的 SHA-256 不符）：{'、'.join(names[sha])}（{rel_path(ws, path)}）。"
            )
        done += path.stat().st_size
        report(progress, done, total, "核对证据文件")
    for stray in strays:
        problems.append(f"证据库中有不属于它的文件：{rel_path(ws, stray)}。")
    if not clean:
        problems.extend(cleaned)
        cleaned = []
    return VaultReport(problems=tuple(problems), cleaned=tuple(cleaned), checked=checked)


def check_vault(ws: Workspace, *, clean_temp: bool = True) -> list[str]:
    """Problems in the vault, in plain words (empty when sound). Temporary leftovers are cleaned unless told not to,
    and are then not problems; with ``clean_temp=False`` they are reported among the problems."""
    return list(vault_report(ws, clean_temp=clean_temp).problems)
