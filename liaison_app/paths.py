"""Every path the program uses comes from here: bundled data (db/, resources/) and the default workspace.

Bundled data is found the same way from a source checkout, an installed wheel (where db/ and resources/ are the
packages ``liaison_desk_db`` and ``liaison_desk_resources``) and a PyInstaller bundle (``sys._MEIPASS``).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path

__all__ = [
    "APP_NAME",
    "bundled_dir",
    "migrations_dir",
    "resources_dir",
    "sample_tables",
    "default_workspace",
    "WORKSPACE_ENV",
    "viewing_dir",
    "user_data_dir",
    "log_dir",
]

APP_NAME = "LiaisonDesk"
WORKSPACE_ENV = "LIAISON_WORKSPACE"

_PACKAGE_FOR = {"db": "liaison_desk_db", "resources": "liaison_desk_resources"}


def bundled_dir(name: str) -> Path:
    """The folder ``db`` or ``resources``, wherever this copy of the program keeps it."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidate = Path(frozen_root) / name
        if candidate.is_dir():
            return candidate
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir() and (checkout / "__init__.py").is_file():
        return checkout
    spec = importlib.util.find_spec(_PACKAGE_FOR[name])
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    raise FileNotFoundError(f"bundled folder {name!r} not found; the installation is incomplete")


def migrations_dir() -> Path:
    return bundled_dir("db")


def resources_dir() -> Path:
    return bundled_dir("resources")


def sample_tables() -> list[Path]:
    """The bundled sample documents (the two seed documents), sorted by name."""
    return sorted((resources_dir() / "samples").glob("*.txt"))


def user_data_dir() -> Path:
    """The per-user local data folder (what Qt calls AppLocalDataLocation): on Windows
    ``%LOCALAPPDATA%\\LiaisonDesk``, on Linux ``~/.local/share/LiaisonDesk``. Never the install folder."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def default_workspace() -> Path:
    """``$LIAISON_WORKSPACE``, else ``workspace`` in the per-user local data folder."""
    env = os.environ.get(WORKSPACE_ENV)
    if env:
        return Path(env).expanduser()
    return user_data_dir() / "workspace"


def log_dir() -> Path:
    """Crash reports of the window (whose windowed build has no console to print to)."""
    return user_data_dir() / "logs"


def viewing_dir() -> Path:
    """Where checked, read-only copies of evidence go to be opened by the system's viewer (never the vault itself)."""
    return Path(tempfile.gettempdir()) / APP_NAME
