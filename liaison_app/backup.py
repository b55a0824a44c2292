"""Back up a whole workspace into one zip, and restore one into a folder.

A backup holds a consistent copy of the database (SQLite's backup API, taken while the program runs), every file of
the evidence vault and the identity folder, and ``backup.json`` listing each file's size and SHA-256. Restoring
checks every file against that list (and every vault file against its own name, which is its SHA-256) in a
temporary folder before anything is replaced; a folder that already holds a workspace is moved aside, never
deleted, and put back if anything fails.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Final

from .errors import InputError, LiaisonError, WorkspaceError
from .jobs import ProgressFn, report
from .workspace import DB_NAME, LOCK_NAME, Workspace, schema_version

__all__ = ["BackupResult", "RestoreResult", "backup_workspace", "restore_workspace", "MANIFEST_NAME"]

MANIFEST_NAME: Final = "backup.json"
FORMAT: Final = "liaison-desk-backup/1"
_FOLDERS: Final = ("vault", "identity", "signed-manifests", "received")
"""Everything of a workspace besides its database: evidence, signing identities, the signed manifests that anchor the
audit log (without them `check` would miss the log's anchors after a restore) and the packets an office received.
packets/ holds outputs that can be made again, backups/ older copies: neither is copied."""
_CHUNK: Final = 1 << 20
_VAULT_FILE: Final = re.compile(r"[0-9a-f]{2}/[0-9a-f]{64}")


@dataclass(frozen=True)
class BackupResult:
    path: Path
    files: int
    """Files in the backup, the database included."""
    size: int
    """Bytes of the files before compression."""


@dataclass(frozen=True)
class RestoreResult:
    workspace: Path
    files: int
    previous: Path | None
    """Where the workspace that was in the target folder before was moved (None when the folder was empty)."""


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _workspace_files(ws: Workspace) -> list[tuple[str, Path]]:
    out = []
    for folder in _FOLDERS:
        base = ws.root / folder
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                # Half-written files of an attach still under way live in vault/<temp folder>: not evidence yet.
                if path.is_file() and not (folder == "vault" and not _VAULT_FILE.fullmatch(
                        path.relative_to(base).as_posix())):
                    out.append((path.relative_to(ws.root).as_posix(), path))
    return out


def backup_workspace(ws: Workspace, dest: str | os.PathLike[str], *, progress: ProgressFn | None = None,
                     overwrite: bool = False) -> BackupResult:
    """Write the workspace into one zip at ``dest`` (written under a temporary name and renamed when complete)."""
    dest = Path(dest).expanduser().absolute()
    if dest.suffix.lower() != ".zip":
        raise InputError(f"备份文件应以 .zip 结尾：{dest.name}")
    if dest.exists() and not overwrite:
        raise InputError(f"{dest} 已存在，为免覆盖，没有备份。", hint="请换一个文件名。")
    if dest.is_relative_to(ws.root):
        raise InputError("备份文件不能放在工作区文件夹里面。", hint="请选择工作区以外的位置，最好是另一块磁盘或U盘。")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"无法创建文件夹 {dest.parent}：{exc.strerror or exc}。") from exc
    files = _workspace_files(ws)
    total = sum(p.stat().st_size for _n, p in files)
    report(progress, 0, total or 1, "复制数据库")
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-backup-", suffix=".zip", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    db_copy = tmp.with_suffix(".sqlite3")
    try:
        target = sqlite3.connect(db_copy)
        with target:
            ws.conn.backup(target)
        target.close()
        listing: dict[str, dict[str, Any]] = {}
        done = 0
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as z:
            listing[DB_NAME] = {"size": db_copy.stat().st_size, "sha256": _sha256_file(db_copy)}
            z.write(db_copy, DB_NAME)
            for name, path in files:
                size = path.stat().st_size
                listing[name] = {"size": size, "sha256": _sha256_file(path)}
                # Evidence is mostly photos and PDFs, already compressed: stored, it costs no time.
                z.write(path, name, compress_type=zipfile.ZIP_STORED if name.startswith("vault/") else None)
                done += size
                report(progress, done, total or 1, name)
            manifest = {"format": FORMAT, "created_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                        "schema_version": ws.user_version, "department": ws.department or "",
                        "files": listing}
            z.writestr(MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except OSError as exc:
        raise WorkspaceError(f"写入备份 {dest} 失败：{exc.strerror or exc}。", hint="请检查磁盘空间；工作区没有被改动。") from exc
    finally:
        tmp.unlink(missing_ok=True)
        db_copy.unlink(missing_ok=True)
    with ws.transaction():
        ws.audit("workspace.backup", "workspace", {"path": str(dest), "files": len(listing)})
    return BackupResult(dest, len(listing), sum(int(v["size"]) for v in listing.values()))


def _safe_member(name: str) -> bool:
    p = PurePosixPath(name)
    return not (name.startswith(("/", "\\")) or "\\" in name or ":" in name or ".." in p.parts or not p.parts)


def _read_manifest(z: zipfile.ZipFile, source: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(z.read(MANIFEST_NAME))
    except KeyError:
        raise InputError(f"{source.name} 不是联络员工作台的备份（缺少 {MANIFEST_NAME}）。") from None
    except (ValueError, UnicodeDecodeError):
        raise InputError(f"{source.name} 中的 {MANIFEST_NAME} 已损坏。") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(
            manifest.get("files"), dict):
        raise InputError(f"{source.name} 不是本程序能读的备份格式。")
    if int(manifest.get("schema_version") or 0) > schema_version():
        raise InputError(f"{source.name} 由更新版本的联络员工作台备份，请先安装新版本再恢复。")
    return manifest


def _check_and_extract(z: zipfile.ZipFile, manifest: dict[str, Any], into: Path, source: Path,
                       progress: ProgressFn | None) -> int:
    listed: dict[str, dict[str, Any]] = manifest["files"]
    members = {i.filename: i for i in z.infolist() if not i.is_dir()}
    problems = []
    for name in members:
        if not _safe_member(name):
            raise InputError(f"{source.name} 含有不安全的路径「{name}」，已拒绝恢复。")
    for name in sorted(set(listed) - set(members)):
        problems.append(f"缺少 {name}")
    for name in sorted(set(members) - set(listed) - {MANIFEST_NAME}):
        problems.append(f"多出清单之外的 {name}")
    if DB_NAME not in listed:
        problems.append(f"缺少数据库 {DB_NAME}")
    if problems:
        raise InputError(f"备份 {source.name} 不完整，没有恢复：" + "；".join(problems[:5]) + "。")
    total = sum(int(v.get("size") or 0) for v in listed.values()) or 1
    done = 0
    for name, facts in sorted(listed.items()):
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        h = hashlib.sha256()
        size = 0
        with z.open(members[name]) as src, open(target, "wb") as out:
            while chunk := src.read(_CHUNK):
                size += len(chunk)
                if size > int(facts.get("size") or 0):
                    break  # longer than listed: no need to read on
                h.update(chunk)
                out.write(chunk)
        digest = h.hexdigest()
        if size != int(facts.get("size") or 0) or digest != facts.get("sha256"):
            problems.append(name)
        elif name.startswith("vault/") and PurePosixPath(name).name != digest:
            problems.append(name)
        done += size
        report(progress, done, total, name)
    if problems:
        raise InputError(f"备份 {source.name} 中有 {len(problems)} 个文件与清单中的 SHA-256 不符（已损坏或被改动），"
                         f"没有恢复：{'、'.join(problems[:5])}。")
    return len(listed)


def _replace_folder(staged: Path, target: Path) -> Path | None:
    """Put ``staged`` at ``target``; a workspace already there is moved aside first (returned), put back on failure."""
    previous = None
    if target.is_dir() and not any(target.iterdir()):
        target.rmdir()  # an empty folder chosen as the target: nothing to keep
    if target.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        previous = target.with_name(f"{target.name}.恢复前-{stamp}")
        n = 1
        while previous.exists():
            n += 1
            previous = target.with_name(f"{target.name}.恢复前-{stamp}-{n}")
        os.replace(target, previous)
    try:
        os.replace(staged, target)
    except OSError:
        if previous is not None:
            os.replace(previous, target)
        raise
    return previous


def restore_workspace(source: str | os.PathLike[str], target: str | os.PathLike[str], *,
                      progress: ProgressFn | None = None) -> RestoreResult:
    """Restore the backup ``source`` into the folder ``target``.

    Every file is checked before anything is replaced. ``target`` may be missing, empty, or a workspace that no
    program is using; an existing workspace is moved to ``<target>.恢复前-<time>`` (kept, never deleted).
    """
    source = Path(source).expanduser().absolute()
    target = Path(target).expanduser().absolute()
    if not source.is_file():
        raise InputError(f"找不到备份文件 {source}。")
    if target.exists():
        if not target.is_dir():
            raise InputError(f"{target} 是一个文件，不是文件夹。")
        if any(target.iterdir()):
            if not (target / DB_NAME).exists():
                raise InputError(f"{target} 不是空文件夹，也不是工作区；为免覆盖别的文件，没有恢复。",
                                 hint="请指定一个新的或空的文件夹。")
            Workspace.open(target).close()  # refuses (WorkspaceLocked) while a window or command uses it
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=".tmp-restore-", dir=target.parent))
    except OSError as exc:
        raise InputError(f"无法在 {target.parent} 中创建文件夹：{exc.strerror or exc}。") from exc
    try:
        try:
            with zipfile.ZipFile(source) as z:
                manifest = _read_manifest(z, source)
                count = _check_and_extract(z, manifest, staged, source, progress)
        except zipfile.BadZipFile:
            raise InputError(f"{source.name} 不是有效的 zip 文件（可能已损坏）。") from None
        with Workspace.open(staged) as ws:  # migrates an older backup, refuses a damaged database
            problems = ws.check_database() + ws.verify_audit_chain()
            if problems:
                raise InputError("备份中的数据库未通过检查，没有恢复：" + "；".join(problems[:3]))
            with ws.transaction():
                ws.audit("workspace.restore", "workspace", {"from": str(source), "files": count})
        (staged / LOCK_NAME).unlink(missing_ok=True)
        for sub in ("packets", "backups"):
            (staged / sub).mkdir(exist_ok=True)
        previous = _replace_folder(staged, target)
    except LiaisonError:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    except OSError as exc:
        shutil.rmtree(staged, ignore_errors=True)
        raise WorkspaceError(f"恢复到 {target} 失败：{exc.strerror or exc}。原来的工作区没有改动。") from exc
    return RestoreResult(target, count, previous)
