"""The one place the desktop program keeps per-user preferences (last workspace, window geometry, last view,
language, the PDF font)."""

from __future__ import annotations

import os
from typing import Final

from PySide6.QtCore import QSettings

from liaison_app.paths import APP_NAME

__all__ = ["ORGANISATION", "PDF_FONT_KEY", "TRUSTED_KEY", "LANGUAGE_KEY", "app_settings", "apply_pdf_font"]

ORGANISATION = APP_NAME
"""QSettings organisation: "LiaisonDesk"."""
PDF_FONT_KEY: Final = "pdf/font"
"""A TrueType font file chosen in 设置 for the packets' PDF ("" or missing: chosen automatically)."""
TRUSTED_KEY: Final = "packets/trusted_certificates"
"""Certificate files the 材料包 view verifies against (kept in app_settings(), an INI file on every platform)."""
LANGUAGE_KEY: Final = "ui/language"
_FONT_ENV: Final = "LIAISON_PDF_FONT"
_STARTUP_FONT: Final = os.environ.get(_FONT_ENV)


def app_settings() -> QSettings:
    """An INI file in the user's configuration folder, the same format on every platform (tests redirect it with
    ``QSettings.setPath``)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APP_NAME)


def apply_pdf_font() -> None:
    """Hand the font chosen in 设置 to the packet code, which reads it from the environment as the command line
    does; without a choice, whatever the environment said when the program started applies again."""
    chosen = str(app_settings().value(PDF_FONT_KEY, "") or "")
    value = chosen or _STARTUP_FONT
    if value:
        os.environ[_FONT_ENV] = value
    else:
        os.environ.pop(_FONT_ENV, None)
