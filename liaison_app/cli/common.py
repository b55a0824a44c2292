"""Helpers every `liaison` verb shares: opening the workspace, JSON output, a progress bar on stderr."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from .. import paths
from ..jobs import ProgressFn
from ..workspace import Workspace

__all__ = ["workspace_path", "open_workspace", "print_json", "progress_bar"]


def workspace_path(args: argparse.Namespace) -> Path:
    return Path(args.workspace).expanduser() if getattr(args, "workspace", None) else paths.default_workspace()


def open_workspace(args: argparse.Namespace, *, create: bool = False, read_only: bool = False) -> Workspace:
    return Workspace.open(workspace_path(args), create=create, read_only=read_only)


def print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def progress_bar(label: str = "") -> ProgressFn:
    """A ProgressFn drawing a bar on stderr when it is a terminal, and nothing otherwise."""
    interactive = sys.stderr.isatty()
    last = [0.0]

    def update(done: int, total: int | None, message: str) -> None:
        if not interactive:
            return
        now = time.monotonic()
        if now - last[0] < 0.1 and (total is None or done < total):
            return
        last[0] = now
        if total:
            width = 30
            filled = int(width * min(done, total) / total)
            bar = "#" * filled + "-" * (width - filled)
            text = f"\r{label} [{bar}] {done}/{total} {message}"
        else:
            text = f"\r{label} {done} {message}"
        sys.stderr.write(text[:120].ljust(120))
        if total is not None and done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return update
