"""Show a file in the system's file manager with the file selected (Explorer on Windows, the desktop's file manager
through the freedesktop FileManager1 interface elsewhere, else just its folder)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

__all__ = ["reveal_command", "reveal_in_file_manager"]


def reveal_command(path: Path, *, windows: bool | None = None) -> str | list[str] | None:
    """The command that opens the file manager on ``path`` with it selected; None where there is none."""
    if windows if windows is not None else os.name == "nt":
        # Explorer takes "/select,<path>" as one argument and its own quoting, not the C runtime's: a string.
        return f'explorer.exe /select,"{path}"'
    gdbus = shutil.which("gdbus")
    if gdbus and os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        uri = QUrl.fromLocalFile(str(path)).toString(QUrl.ComponentFormattingOption.FullyEncoded)
        return [gdbus, "call", "--session", "--dest", "org.freedesktop.FileManager1",
                "--object-path", "/org/freedesktop/FileManager1",
                "--method", "org.freedesktop.FileManager1.ShowItems", f"['{uri}']", ""]
    return None


def reveal_in_file_manager(path: Path, *,
                           launch: Callable[[str | list[str]], object] | None = None) -> None:
    command = reveal_command(path)
    if command is not None:
        try:
            (launch or _launch)(command)
            return
        except OSError:
            pass
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


def _launch(command: str | list[str]) -> object:
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, close_fds=True)
