"""The one place the desktop program keeps per-user preferences (last workspace, window geometry, last view)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from liaison_app.paths import APP_NAME

__all__ = ["ORGANISATION", "app_settings"]

ORGANISATION = APP_NAME
"""QSettings organisation: "LiaisonDesk"."""


def app_settings() -> QSettings:
    """An INI file in the user's configuration folder, the same format on every platform (tests redirect it with
    ``QSettings.setPath``)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APP_NAME)
