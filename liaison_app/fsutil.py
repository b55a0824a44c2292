"""File-system facts that differ by platform.

- A workspace on a network share or mapped drive: SQLite's locks and its write-ahead log need one machine's shared
  memory and byte-range locks, which SMB and NFS do not give reliably. Two PCs writing one workspace there would
  damage it, so such a workspace is refused with a plain sentence (backups may live there).
- Replacing a file that an antivirus scanner (or the search indexer) is still reading: on Windows ``os.replace`` then
  fails with "access denied" or "in use" for a moment. It is tried again for a few seconds, then refused plainly;
  the source file is left where it was, so nothing is lost.
"""

from __future__ import annotations

import errno
import os
import posixpath
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .errors import WorkspaceError

__all__ = ["network_location", "refuse_network_workspace", "replace_with_retry", "NETWORK_FILESYSTEMS"]

NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs", "lustre",
    "fuse.sshfs", "fuse.rclone", "davfs", "fuse.davfs2", "fuse.gvfsd-fuse",
})

# Windows error codes that mean "someone else has the file open for a moment".
_ERROR_ACCESS_DENIED = 5
_ERROR_SHARING_VIOLATION = 32
_ERROR_LOCK_VIOLATION = 33
_TRANSIENT_WINERRORS = frozenset({_ERROR_ACCESS_DENIED, _ERROR_SHARING_VIOLATION, _ERROR_LOCK_VIOLATION})


def _windows_location(path: str) -> str | None:
    full = os.path.abspath(path)
    if full.startswith("\\\\?\\UNC\\") or (full.startswith("\\\\") and not full.startswith("\\\\?\\")):
        return "网络共享（UNC 路径）"
    drive = os.path.splitdrive(full.removeprefix("\\\\?\\"))[0]
    if not drive:
        return None
    if sys.platform != "win32":  # pure path logic only (tests of the rules on other systems)
        return None
    import ctypes

    drive_remote = 4
    if ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == drive_remote:
        return f"映射的网络驱动器 {drive}"
    return None


def _mounts_text() -> str:
    for name in ("/proc/self/mounts", "/proc/mounts"):
        try:
            return Path(name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
    return ""


def _posix_location(path: str, mounts: str) -> str | None:
    full = os.path.realpath(path) if os.name != "nt" else posixpath.normpath(path)
    best, best_type = "", ""
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        # /proc/mounts escapes spaces and other odd characters in octal (\040).
        point = parts[1].encode("latin-1", "backslashreplace").decode("unicode_escape")
        inside = full == point or full.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, parts[2]
    if best_type in NETWORK_FILESYSTEMS:
        return f"网络文件系统（{best_type}，挂载于 {best}）"
    return None


def network_location(path: str | os.PathLike[str], *, windows: bool | None = None,
                     mounts: str | None = None) -> str | None:
    """A short description when ``path`` is on a network share or mapped network drive, else None.

    ``windows`` and ``mounts`` (the text of /proc/mounts) are for tests of the rules on another system."""
    text = os.fspath(path)
    if windows if windows is not None else os.name == "nt":
        return _windows_location(text)
    return _posix_location(text, _mounts_text() if mounts is None else mounts)


def refuse_network_workspace(root: str | os.PathLike[str], *, mounts: str | None = None) -> None:
    """Raise a plain WorkspaceError when the workspace folder is on a network share or network drive."""
    where = network_location(root, mounts=mounts)
    if where:
        raise WorkspaceError(
            f"工作区 {root} 在{where}上。数据库放在网络盘上可能损坏，不能在这里打开工作区。",
            hint="请把工作区放在本机磁盘上（例如默认位置）；备份文件可以放在网络盘上。",
        )


def _transient(exc: OSError) -> bool:
    if getattr(exc, "winerror", None) in _TRANSIENT_WINERRORS:
        return True
    return os.name == "nt" and exc.errno in (errno.EACCES,)


def replace_with_retry(src: str | os.PathLike[str], dst: str | os.PathLike[str], *, timeout: float = 5.0,
                       replace: Callable[[str | os.PathLike[str], str | os.PathLike[str]], None] = os.replace,
                       sleep: Callable[[float], None] = time.sleep) -> None:
    """``os.replace(src, dst)``, tried again for up to ``timeout`` seconds while Windows says the file is in use
    (an antivirus or indexer holding a just-written file). On giving up, a WorkspaceError says so; ``src`` is
    still there. Errors that do not go away by waiting (disk full, no such folder) are raised at once."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    while True:
        try:
            replace(src, dst)
            return
        except PermissionError as exc:
            if not _transient(exc) or time.monotonic() >= deadline:
                if _transient(exc):
                    raise WorkspaceError(
                        f"无法把 {Path(src).name} 放到 {dst}：文件正被其他程序（例如杀毒软件）占用。",
                        hint="原文件没有丢失。请稍后再试；若一直如此，请把本程序的文件夹加入杀毒软件的信任列表。",
                    ) from exc
                raise
        sleep(delay)
        delay = min(delay * 2, 0.5)
