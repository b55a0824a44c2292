"""Crash reports written to disk: the windowed Windows build has no console (``sys.stderr`` is None), so a bug's
traceback would otherwise be lost. The window shows the report and names the file; support asks for that file."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
from pathlib import Path

from . import __version__, paths

__all__ = ["write_crash_report"]

KEEP: int = 50
"""Older reports beyond this many are removed, so a crash loop cannot fill the disk."""


def write_crash_report(details: str, *, folder: Path | None = None) -> Path | None:
    """Write ``details`` (a formatted traceback) with the program's version and platform to a new file in the log
    folder and return its path; None when nothing could be written (the caller still shows the details)."""
    folder = folder or paths.log_dir()
    now = dt.datetime.now()
    header = (f"Liaison Desk {__version__}\n{now.isoformat(timespec='seconds')}\n"
              f"Python {sys.version.split()[0]} on {platform.platform()}\n\n")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for n in range(100):
            path = folder / f"crash-{now:%Y%m%d-%H%M%S}{f'-{n}' if n else ''}.log"
            try:
                with open(path, "x", encoding="utf-8", newline="\n") as fh:
                    fh.write(header + details)
                    fh.flush()
                    os.fsync(fh.fileno())
            except FileExistsError:
                continue
            _prune(folder)
            return path
    except OSError:
        return None
    return None


def _prune(folder: Path) -> None:
    reports = sorted(folder.glob("crash-*.log"))
    for old in reports[:-KEEP]:
        try:
            old.unlink()
        except OSError:
            pass
