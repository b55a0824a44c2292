"""A workspace folder: the SQLite database (WAL), the evidence vault, packets, backups and the writer lock.

``Workspace.open`` is the one way in. It takes the writer lock, applies migrations from db/ (after copying the
database to backups/), and refuses a database written by a newer program. Every change runs inside
``Workspace.transaction()`` and leaves a row in the hash-chained audit log through ``Workspace.audit()``.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import hashlib
import json
import os
import re
import shutil
import socket
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import paths
from .errors import InputError, SchemaTooNew, WorkspaceError, WorkspaceLocked, WorkspaceReadOnly
from .filenames import printable
from .fsutil import refuse_network_workspace

if TYPE_CHECKING:
    import sqlite_utils

__all__ = [
    "Workspace",
    "AuditRow",
    "DB_NAME",
    "LOCK_NAME",
    "GENESIS_HASH",
    "schema_version",
    "now_iso",
    "resolve_department",
    "parse_head",
    "sqlite_error",
]

DB_NAME = "liaison.sqlite3"
LOCK_NAME = "liaison.lock"
GENESIS_HASH = "0" * 64
_MIGRATION_RE = re.compile(r"^(\d{4})_[\w-]+\.sql$")


def now_iso() -> str:
    """The current local time with offset, to the second (what the audit log and 'updated_at' store)."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _migrations() -> list[tuple[int, Path]]:
    found = []
    for path in sorted(paths.migrations_dir().glob("*.sql")):
        m = _MIGRATION_RE.match(path.name)
        if m:
            found.append((int(m.group(1)), path))
    return found


def schema_version() -> int:
    """The schema version this program writes: the number of its newest migration."""
    migrations = _migrations()
    return migrations[-1][0] if migrations else 0


class _Connection(sqlite3.Connection):
    """A connection whose ``with conn:`` blocks do nothing while a Workspace transaction is open.

    sqlite-utils wraps its writes in ``with conn:``, which would otherwise commit our outer transaction halfway.
    """

    tx_depth = 0

    def __enter__(self) -> _Connection:
        if self.tx_depth:
            return self
        return super().__enter__()

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:  # type: ignore[override]
        if self.tx_depth:
            return False
        return bool(super().__exit__(exc_type, exc, tb))


class _Lock:
    """An exclusive OS lock on a file in the workspace, released when the process ends (even by SIGKILL)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: Any = None

    def acquire(self) -> None:
        try:
            fh = open(self.path, "a+b")  # noqa: SIM115 - held open for the lifetime of the workspace
        except OSError as exc:
            raise _lock_open_error(self.path, exc) from exc
        try:
            if os.name == "nt":
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = self._read_holder()
            fh.close()
            raise WorkspaceLocked(
                f"工作区 {self.path.parent} 正被另一个联络员工作台进程使用{holder}，同一时间只能有一个程序写入。",
                hint="请先关闭另一个窗口或命令，或以只读方式打开。",
            ) from None
        # Record who holds it, for the message the next process shows. Byte 0 stays the lock byte on Windows.
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(f"\n{os.getpid()} {socket.gethostname()}\n".encode())
            fh.flush()
        except OSError:
            pass  # the lock is held; the holder's name is only a courtesy to the next process
        self._fh = fh

    def _read_holder(self) -> str:
        try:
            with open(self.path, "rb") as fh:
                fh.seek(1)  # byte 0 is the lock byte, which Windows will not let another process read
                parts = fh.read(200).decode("utf-8", "replace").split()
        except OSError:
            return ""
        if len(parts) < 2 or not parts[0].isdigit():
            return ""  # written by something else, or garbage: say nothing rather than repeat it
        return f"（进程 {parts[0]}，计算机 {printable(parts[1][:64])}）"

    def release(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def _lock_open_error(path: Path, exc: OSError) -> WorkspaceError:
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM) and not path.is_dir():
        return WorkspaceReadOnly(
            f"工作区 {path.parent} 是只读的（{exc.strerror or exc}），不能写入。",
            hint="可以只读方式查看；要修改，请把工作区复制到可写的文件夹，或检查共享文件夹的权限。")
    return WorkspaceError(f"无法打开工作区的锁文件 {path}：{exc.strerror or exc}。",
                          hint=f"{LOCK_NAME} 应是一个普通文件；如果它是文件夹或已损坏，请关闭所有联络员工作台后删除它。")


# SQLite's primary result codes (the low byte of sqlite_errorcode): the same whatever the library's language or
# version, unlike its English message text.
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_NOMEM, _SQLITE_READONLY = 3, 5, 6, 7, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 10, 11, 13, 14, 26


def sqlite_error(exc: sqlite3.Error, *, saving: bool = True) -> WorkspaceError | None:
    """The plain error for a SQLite failure the user can act on, chosen by its result code; None for a bug."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = code & 0xFF
    unchanged = "未能保存，数据没有被改动。" if saving else "操作没有完成。"
    if primary == _SQLITE_FULL:
        return WorkspaceError(f"磁盘已满，{unchanged}", hint="请清理磁盘空间后重试。")
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return WorkspaceLocked(f"数据库正忙（被另一个程序占用），{unchanged}", hint="请稍后重试。")
    if primary in (_SQLITE_READONLY, _SQLITE_PERM):
        return WorkspaceReadOnly(f"数据库文件或工作区文件夹是只读的，{unchanged}",
                                 hint="请检查文件夹权限，或把工作区复制到可写的文件夹。")
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return WorkspaceError(f"数据库文件已损坏，{unchanged}",
                              hint="请运行 `liaison check`，必要时用 backups/ 中的备份恢复。")
    if primary == _SQLITE_IOERR:
        return WorkspaceError(f"读写数据库文件时出错（磁盘故障、网络共享断开或空间不足），{unchanged}",
                              hint="请检查磁盘或网络连接后重试。")
    if primary == _SQLITE_CANTOPEN:
        return WorkspaceError(f"无法打开数据库文件（文件夹不可访问或文件已被移走），{unchanged}")
    if primary == _SQLITE_NOMEM:
        return WorkspaceError(f"内存不足，{unchanged}", hint="请关闭其他程序后重试。")
    return None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: str
    actor: str
    action: str
    target: str
    detail: dict[str, Any]


def _audit_hash(prev_hash: str, row_id: int, at: str, actor: str, action: str, target: str, detail: str) -> str:
    payload = json.dumps([prev_hash, row_id, at, actor, action, target, detail], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Workspace:
    """An open workspace. Use ``Workspace.open(path)`` (or ``create=True`` for a new one) and ``close()``."""

    def __init__(self, root: Path, conn: _Connection, lock: _Lock | None, *, read_only: bool) -> None:
        self.root = root
        self.conn = conn
        self.read_only = read_only
        self._lock = lock
        self._tx_lock = threading.RLock()
        """Held for the whole of a transaction: the desktop window's worker thread and its UI thread share this
        connection, and a change made by one while the other is inside a transaction must wait for it, not join
        it."""
        self.actor = ""
        """Who is acting (the liaison's name); stored in audit rows and progress changes."""

    # ----- opening and closing -------------------------------------------------------------------------------
    @staticmethod
    def hold_lock(root: str | os.PathLike[str]) -> _Lock:
        """Take the writer lock of a workspace folder without opening it (before deleting or replacing what is in
        it); hand it to ``open(lock=...)`` or ``release()`` it. Raises WorkspaceLocked while another process writes."""
        lock = _Lock(Path(root).expanduser().absolute() / LOCK_NAME)
        lock.acquire()
        return lock

    @classmethod
    def open(cls, root: str | os.PathLike[str], *, create: bool = False, read_only: bool = False,
             lock: _Lock | None = None) -> Workspace:
        """Open (or with ``create`` make) the workspace at ``root``; ``lock`` is one already taken by hold_lock."""
        root = Path(root).expanduser().absolute()
        if not read_only:
            refuse_network_workspace(root)  # SQLite's locks and WAL are not safe on a network share
        held = lock
        db_path = root / DB_NAME
        if not db_path.exists():
            if not create:
                raise WorkspaceError(
                    f"{root} 不是联络员工作台的工作区（找不到 {DB_NAME}）。",
                    hint="请先运行 `liaison init` 创建工作区，或用 --workspace 指定正确的文件夹。",
                )
            if read_only:
                raise WorkspaceError(f"工作区 {root} 还不存在，无法以只读方式打开。")
        try:
            if not read_only:
                for sub in ("vault", "packets", "backups"):
                    (root / sub).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(f"无法创建工作区文件夹 {root}：{exc.strerror or exc}。") from exc

        lock = held
        if not read_only and lock is None:
            lock = _Lock(root / LOCK_NAME)
            lock.acquire()
        try:
            conn = cls._connect(db_path, read_only=read_only)
            ws = cls(root, conn, lock, read_only=read_only)
            if not read_only:
                ws._migrate()
            else:
                ws._refuse_newer(ws.user_version)
            return ws
        except BaseException:
            if lock:
                lock.release()
            raise

    @staticmethod
    def _connect(db_path: Path, *, read_only: bool) -> _Connection:
        try:
            if read_only:
                uri = db_path.as_uri() + "?mode=ro"
                conn = sqlite3.connect(uri, uri=True, factory=_Connection, isolation_level=None,
                                       check_same_thread=False)
                try:
                    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                except sqlite3.OperationalError:
                    # A WAL database on a read-only share: SQLite cannot make its -shm file. Closed cleanly, it has
                    # no -wal content, so reading the file as immutable loses nothing.
                    wal = db_path.with_name(db_path.name + "-wal")
                    if wal.exists() and wal.stat().st_size:
                        raise
                    conn.close()
                    conn = sqlite3.connect(uri + "&immutable=1", uri=True, factory=_Connection,
                                           isolation_level=None, check_same_thread=False)
            else:
                conn = sqlite3.connect(db_path, factory=_Connection, isolation_level=None, timeout=10,
                                       check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=10000")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
            if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
                raise WorkspaceError(f"无法打开数据库 {db_path}：文件已损坏，或不是联络员工作台的数据库。",
                                     hint="请用 backups/ 中的备份恢复。") from exc
            if code in (_SQLITE_READONLY, _SQLITE_PERM, _SQLITE_CANTOPEN):
                raise WorkspaceReadOnly(f"无法打开数据库 {db_path}：文件或文件夹是只读的，或不可访问。",
                                        hint="请检查文件夹权限；只读的工作区只能查看。") from exc
            raise sqlite_error(exc, saving=False) or WorkspaceError(f"无法打开数据库 {db_path}：{exc}。") from exc
        return conn  # type: ignore[return-value]

    def close(self) -> None:
        try:
            self.conn.close()
        finally:
            if self._lock:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @functools.cached_property
    def db(self) -> sqlite_utils.Database:
        """The database through sqlite-utils, made on first use: importing it and loading its plugins takes longer
        than everything else a window needs to start."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    # ----- folders ---------------------------------------------------------------------------------------------
    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    @property
    def vault_dir(self) -> Path:
        return self.root / "vault"

    @property
    def packets_dir(self) -> Path:
        return self.root / "packets"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def manifests_dir(self) -> Path:
        """Copies of the manifests this workspace signed (packets/ may be emptied; these anchor the audit log)."""
        return self.root / "signed-manifests"

    @property
    def identity_dir(self) -> Path:
        """Signing identities made from the window (``*.p12``)."""
        return self.root / "identity"

    # ----- schema ----------------------------------------------------------------------------------------------
    @property
    def user_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _refuse_newer(self, current: int) -> None:
        ours = schema_version()
        if current > ours:
            raise SchemaTooNew(
                f"这个工作区的数据库由更新版本的联络员工作台创建（数据库版本 {current}，本程序支持到 {ours}）。",
                hint="请安装新版本后再打开；为避免损坏数据，本程序不会改动它。",
            )

    def _migrate(self) -> None:
        current = self.user_version
        self._refuse_newer(current)
        pending = [(n, p) for n, p in _migrations() if n > current]
        if not pending:
            return
        if current > 0:
            self._backup(f"before-migration-v{current}-to-v{pending[-1][0]}")
        for number, path in pending:
            script = path.read_text(encoding="utf-8")
            try:
                # executescript commits anything pending first; BEGIN..COMMIT keeps one migration atomic.
                self.conn.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
            except sqlite3.Error as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise WorkspaceError(f"数据库升级到版本 {number}（{path.name}）失败：{exc}。数据库未被改动。") from exc

    def _backup(self, label: str) -> Path:
        """Copy the database (consistently, through SQLite's backup API) into backups/."""
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.backups_dir / f"{DB_NAME}.{stamp}.{label}"
        n = 1
        while target.exists():
            n += 1
            target = self.backups_dir / f"{DB_NAME}.{stamp}.{label}.{n}"
        try:
            dest = sqlite3.connect(target)
            with dest:
                self.conn.backup(dest)
            dest.close()
        except (OSError, sqlite3.Error) as exc:
            raise WorkspaceError(f"升级前备份数据库失败（{exc}），未做任何改动。", hint="请检查磁盘空间。") from exc
        return target

    def backup(self, label: str = "manual") -> Path:
        return self._backup(label)

    # ----- transactions ----------------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Workspace]:
        """All or nothing. Nested use joins the outer transaction (a savepoint, so an inner failure can be caught).

        One thread at a time: another thread's transaction waits until this one has committed or rolled back."""
        if self.read_only:
            raise WorkspaceError("工作区以只读方式打开，不能修改。")
        with self._tx_lock:
            conn = self.conn
            depth = conn.tx_depth
            savepoint = f"sp{depth}"
            try:
                if depth == 0:
                    conn.execute("BEGIN IMMEDIATE")
                else:
                    conn.execute(f"SAVEPOINT {savepoint}")
            except sqlite3.Error as exc:
                raise self._known_error(exc) from exc
            conn.tx_depth = depth + 1
            try:
                yield self
            except BaseException as exc:
                conn.tx_depth = depth
                try:
                    if depth == 0:
                        if conn.in_transaction:
                            conn.execute("ROLLBACK")
                    else:
                        conn.execute(f"ROLLBACK TO {savepoint}")
                        conn.execute(f"RELEASE {savepoint}")
                except sqlite3.Error:
                    pass  # SQLite rolls back by itself when the connection or process ends; the first error matters
                mapped = sqlite_error(exc) if isinstance(exc, sqlite3.Error) else None
                if mapped is not None:
                    raise mapped from exc
                raise
            conn.tx_depth = depth
            try:
                conn.execute("COMMIT" if depth == 0 else f"RELEASE {savepoint}")
            except sqlite3.Error as exc:
                if depth == 0 and conn.in_transaction:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                raise self._known_error(exc) from exc

    @staticmethod
    def _known_error(exc: sqlite3.Error) -> WorkspaceError:
        return sqlite_error(exc) or WorkspaceError(f"数据库错误，未能保存：{exc}")

    # ----- settings --------------------------------------------------------------------------------------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        if row is None or row[0] is None:
            return default
        value = row[0]
        # Settings are text; a value written by another tool as a number or bytes is shown, not trusted as a type.
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace")
        return value if isinstance(value, str) else str(value)

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            old = self.get_setting(key)
            if old == value:
                return
            self.conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
            self.audit("setting", f"setting:{key}", {"old": old, "new": value})

    @property
    def department(self) -> str | None:
        """The liaison's own unit (科室), chosen at ``init``."""
        return self.get_setting("department")

    @property
    def liaison(self) -> str | None:
        return self.get_setting("liaison")

    # ----- audit log -------------------------------------------------------------------------------------------
    def audit(self, action: str, target: str = "", detail: dict[str, Any] | None = None) -> int:
        """Append one chained audit row. Must run inside ``transaction()`` so it commits with the change it records."""
        if self.conn.tx_depth == 0:
            raise RuntimeError("audit() must be called inside Workspace.transaction()")
        last = self.conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        prev_hash = last[1] if last else GENESIS_HASH
        row_id = (last[0] + 1) if last else 1
        at = now_iso()
        actor = self.actor or (self.liaison or "")
        detail_text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str)
        digest = _audit_hash(prev_hash, row_id, at, actor, action, target, detail_text)
        self.conn.execute(
            "INSERT INTO audit_log(id, at, actor, action, target, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)",
            (row_id, at, actor, action, target, detail_text, prev_hash, digest),
        )
        self.conn.execute(
            "INSERT INTO settings(key, value) VALUES ('audit_head', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (f"{row_id}:{digest}",),
        )
        return row_id

    def audit_rows(self, target: str | None = None, *, limit: int | None = None) -> list[AuditRow]:
        """Audit rows, newest first; optionally only those about one target (e.g. 'task:12')."""
        sql = "SELECT id, at, actor, action, target, detail FROM audit_log"
        args: list[Any] = []
        if target is not None:
            sql += " WHERE target = ?"
            args.append(target)
        sql += " ORDER BY id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [
            AuditRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5] or "{}"))
            for r in self.conn.execute(sql, args)
        ]

    def verify_audit_chain(self) -> list[str]:
        """Problems with the audit chain, in plain words; empty when every row is as it was written."""
        problems: list[str] = []
        prev_hash = GENESIS_HASH
        expected_id = 1
        last_id = 0
        last_hash = GENESIS_HASH
        rows = self.conn.execute(
            "SELECT id, at, actor, action, target, detail, prev_hash, hash FROM audit_log ORDER BY id"
        )
        for row_id, at, actor, action, target, detail, stored_prev, stored_hash in rows:
            if row_id != expected_id:
                missing = f"{expected_id}" if row_id == expected_id + 1 else f"{expected_id}–{row_id - 1}"
                problems.append(f"审计日志第 {missing} 条被删除（记录编号不连续）。")
            elif stored_prev != prev_hash:
                problems.append(f"审计日志第 {row_id} 条之前的记录被删除或改动（链接哈希不符）。")
            recomputed = _audit_hash(stored_prev, row_id, at, actor, action, target, detail)
            if recomputed != stored_hash:
                problems.append(f"审计日志第 {row_id} 条（{action} {target}）的内容被改动（哈希不符）。")
            prev_hash = stored_hash
            expected_id = row_id + 1
            last_id, last_hash = row_id, stored_hash
        head = self.get_setting("audit_head")
        if head:
            parsed = parse_head(head)
            if parsed is None:
                problems.append(f"记录的审计日志链尾（audit_head）已损坏：{printable(head[:80])!r}。")
            elif parsed[0] > last_id:
                problems.append(f"审计日志最后的第 {last_id + 1}–{parsed[0]} 条被删除。")
            elif parsed[0] == last_id and parsed[1] != last_hash:
                problems.append(f"审计日志第 {last_id} 条与记录的链尾不符。")
            elif parsed[0] < last_id:
                problems.append(f"记录的审计日志链尾（第 {parsed[0]} 条）落后于日志（第 {last_id} 条），"
                                "日志在本程序之外被改动过。")
        return problems

    # ----- database health -------------------------------------------------------------------------------------
    def check_database(self) -> list[str]:
        problems: list[str] = []
        for (line,) in self.conn.execute("PRAGMA integrity_check"):
            if line != "ok":
                problems.append(f"数据库完整性检查：{line}")
        for table, rowid, parent, _fk in self.conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"数据库外键错误：{table} 第 {rowid} 行引用了不存在的 {parent}。")
        return problems

    def counts(self) -> dict[str, int]:
        """Row counts a status line shows."""
        out = {}
        for table in ("sources", "tasks", "indicators", "items", "evidence", "cases", "audit_log"):
            out[table] = int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        return out


def parse_head(text: str) -> tuple[int, str] | None:
    """An audit head as stored ("ID:SHA256"), or None when it is not one."""
    head_id, sep, head_hash = text.strip().partition(":")
    if not sep or not head_id.isdigit() or len(head_id) > 18 or not re.fullmatch(r"[0-9a-f]{64}", head_hash):
        return None
    return int(head_id), head_hash


def resolve_department(ws: Workspace, department: str | None) -> str:
    """The unit to act for: the one given (through the alias list), else the workspace's own."""
    name = (department or ws.department or "").strip()
    if not name:
        raise InputError("还没有设置本科室。", hint="请先运行 `liaison init --department 科室名称`。")
    row = ws.conn.execute("SELECT name FROM department_aliases WHERE alias = ?", (name,)).fetchone()
    return row[0] if row else name


def copy_workspace(src: Path, dst: Path) -> None:
    """Copy a closed workspace folder (tests and demos use it to start from a prepared state)."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(LOCK_NAME))
