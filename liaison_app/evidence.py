"""Evidence records: what a stored file is (name, date, note) and what it is linked to (tasks, indicators, cases).

The files themselves live in the vault (``vault``); this module adds, links, unlinks, lists and copies out the
records, and is the one place that removes an unreferenced file from the vault.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from .errors import InputError, NotFound, VaultError
from .filenames import safe_file_name
from .fsutil import replace_with_retry
from .jobs import ProgressFn, report
from .model import Evidence
from .vault import (
    CHUNK_SIZE,
    PART_SUFFIX,
    StagedFile,
    VaultReport,
    check_vault,
    names_by_sha,
    pump,
    rel_path,
    remove_quietly,
    sha256_file,
    staged_files,
    stored_files,
    vault_path,
    vault_report,
)
from .workspace import Workspace, now_iso

__all__ = [
    "attach",
    "attach_many",
    "link",
    "unlink",
    "get_evidence",
    "list_evidence",
    "evidence_counts",
    "record_staged",
    "copy_out",
    "clean_unreferenced",
    "media_type_for",
    # The vault and file names, re-exported for callers that knew them here.
    "CHUNK_SIZE",
    "VaultReport",
    "vault_path",
    "check_vault",
    "vault_report",
    "sha256_file",
    "safe_file_name",
]

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


def media_type_for(name: str) -> str:
    ext = os.path.splitext(name)[1].lower()
    if ext in _EXTRA_TYPES:
        return _EXTRA_TYPES[ext]
    return mimetypes.guess_type(name, strict=False)[0] or "application/octet-stream"


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


def _record(
    ws: Workspace, s: StagedFile, links: Sequence[tuple[str, int]], note: str, evidence_date: dt.date | None
) -> int:
    """Insert (or reuse) the evidence row for a staged file and its links; inside the caller's transaction."""
    now = now_iso()
    if s.repaired:
        ws.audit(
            "evidence.repair", f"sha256:{s.sha256}", {"name": s.name, "sha256": s.sha256, "size": s.size}
        )
    row = ws.conn.execute(
        "SELECT id FROM evidence WHERE sha256 = ? AND original_name = ? ORDER BY id LIMIT 1",
        (s.sha256, s.name),
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
                ws.audit(
                    "evidence.link",
                    f"evidence:{evidence_id}",
                    {"name": s.name, "sha256": s.sha256, "link": f"{kind}:{target_id}"},
                )
        return evidence_id
    when = evidence_date or s.mtime_date
    cur = ws.conn.execute(
        "INSERT INTO evidence(sha256, original_name, size, media_type, evidence_date, note, added_at, added_by)"
        " VALUES (?,?,?,?,?,?,?,?)",
        (
            s.sha256,
            s.name,
            s.size,
            media_type_for(s.name),
            when.isoformat(),
            note.strip(),
            now,
            ws.actor or ws.liaison or None,
        ),
    )
    evidence_id = int(cur.lastrowid or 0)
    ws.conn.executemany(
        "INSERT INTO evidence_links(evidence_id, target_kind, target_id, linked_at) VALUES (?,?,?,?)",
        [(evidence_id, kind, target_id, now) for kind, target_id in links],
    )
    ws.audit(
        "evidence.attach",
        f"evidence:{evidence_id}",
        {
            "name": s.name,
            "sha256": s.sha256,
            "size": s.size,
            "evidence_date": when.isoformat(),
            "links": [f"{k}:{i}" for k, i in links],
            "stored_new_file": s.created,
        },
    )
    return evidence_id


def record_staged(
    ws: Workspace,
    staged: Sequence[StagedFile],
    *,
    links: Sequence[tuple[str, int]],
    note: str = "",
    evidence_date: dt.date | str | None = None,
) -> list[int]:
    """The rows of files staged with ``vault.staged_files``, in one transaction (joining the caller's, if open)."""
    with ws.transaction():
        return [_record(ws, s, links, note, _as_date(evidence_date)) for s in staged]


def attach_many(
    ws: Workspace,
    sources: Sequence[str | os.PathLike[str]],
    *,
    links: Sequence[tuple[str, int]] = (),
    note: str = "",
    evidence_date: dt.date | str | None = None,
    progress: ProgressFn | None = None,
) -> list[Evidence]:
    """Attach several files as one change: all of them, or (on any error or Cancelled) none."""
    checked = _check_links(ws, links)
    when = _as_date(evidence_date)
    with staged_files(ws, sources, progress=progress) as staged:
        ids = record_staged(ws, staged, links=checked, note=note, evidence_date=when)
    total = sum(s.size for s in staged)
    report(progress, total, total, "完成")
    return [get_evidence(ws, i) for i in ids]


def attach(
    ws: Workspace,
    source: str | os.PathLike[str],
    *,
    links: Sequence[tuple[str, int]] = (),
    note: str = "",
    evidence_date: dt.date | str | None = None,
    progress: ProgressFn | None = None,
) -> Evidence:
    """Copy one file into the vault (stored once per content) and record it, linked to tasks/indicators/cases.

    ``evidence_date`` (the date the evidence is about) defaults to the file's modified date.
    """
    return attach_many(ws, [source], links=links, note=note, evidence_date=evidence_date, progress=progress)[
        0
    ]


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
        id=int(row[0]),
        sha256=row[1],
        original_name=row[2],
        size=int(row[3]),
        media_type=row[4],
        evidence_date=dt.date.fromisoformat(row[5]) if row[5] else None,
        note=row[6] or "",
        added_at=row[7],
        links=_links_of(ws, int(row[0])),
    )


def get_evidence(ws: Workspace, evidence_id: int) -> Evidence:
    row = ws.conn.execute(
        f"SELECT {_EVIDENCE_COLS} FROM evidence WHERE id = ?", (int(evidence_id),)
    ).fetchone()
    if row is None:
        raise NotFound(f"找不到编号为 {evidence_id} 的证据。")
    return _to_evidence(ws, row)


def list_evidence(
    ws: Workspace, *, target_kind: str | None = None, target_id: int | None = None
) -> list[Evidence]:
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
        "SELECT target_id, count(*) FROM evidence_links WHERE target_kind = ? GROUP BY target_id",
        (target_kind,),
    )
    return {int(target_id): int(n) for target_id, n in rows}


def copy_out(
    ws: Workspace, evidence_id: int, folder: str | os.PathLike[str], *, progress: ProgressFn | None = None
) -> Path:
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
    part = target.with_name(target.name + PART_SUFFIX)
    digest = hashlib.sha256()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(source, "rb", buffering=0) as src, open(part, "wb", buffering=0) as out:
            buf = bytearray(CHUNK_SIZE)
            pump(src, out, digest, buf, source, ev.original_name, progress, 0, ev.size)
    except FileNotFoundError as exc:
        remove_quietly(part)
        raise VaultError(
            f"证据文件“{ev.original_name}”在证据库中缺失（应在 {rel_path(ws, source)}）。",
            hint="请运行 `liaison check` 检查证据库。",
        ) from exc
    except OSError as exc:
        remove_quietly(part)
        raise VaultError(f"无法把“{ev.original_name}”复制出证据库：{exc.strerror or exc}。") from exc
    except BaseException:
        remove_quietly(part)
        raise
    if digest.hexdigest() != ev.sha256:
        remove_quietly(part)
        raise VaultError(
            f"证据文件“{ev.original_name}”已损坏（内容与登记的 SHA-256 不符）。",
            hint="请运行 `liaison check` 检查证据库。",
        )
    try:
        if target.exists():
            target.chmod(stat.S_IRUSR | stat.S_IWUSR)
        replace_with_retry(part, target)
        target.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    except OSError as exc:
        remove_quietly(part)
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
            ws.audit(
                "evidence.link",
                f"evidence:{ev.id}",
                {"name": ev.original_name, "sha256": ev.sha256, "link": f"{kind}:{tid}"},
            )
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
        ws.audit(
            "evidence.unlink",
            f"evidence:{ev.id}",
            {"name": ev.original_name, "sha256": ev.sha256, "link": f"{target_kind}:{int(target_id)}"},
        )
    return get_evidence(ws, ev.id)


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
            ws.audit(
                "evidence.remove",
                f"evidence:{row[0]}",
                {"name": row[2], "sha256": row[1], "size": row[3], "reason": "unreferenced"},
            )
            removed.append(f"证据记录 {row[0]}：{row[2]}")
    # Files go only after the rows are committed: a crash in between leaves an orphan, never a missing file.
    names = names_by_sha(ws)
    files, _strays = stored_files(ws)
    for sha, path in files.items():
        if sha not in names:
            try:
                path.unlink()
            except OSError as exc:
                raise VaultError(f"无法删除证据库文件 {rel_path(ws, path)}：{exc.strerror or exc}。") from exc
            removed.append(rel_path(ws, path))
    return removed
