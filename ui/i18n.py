"""The window's language: Chinese as written in the source, or English from resources/translations/liaison_en.qm.

The choice is a per-user preference; changing it installs the translators at once, and the main window is built
again so every label is read through them.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from liaison_app import paths

from .settings import LANGUAGE_KEY, app_settings

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "current_language", "set_language", "install_translators",
           "translation_file"]

LANGUAGES: Final = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE: Final = "zh_CN"
_installed: list[QTranslator] = []


def translation_file(code: str) -> str:
    """The compiled translation of the program's own strings for ``code`` (none for Chinese, the source)."""
    return str(paths.resources_dir() / "translations" / f"liaison_{code}.qm")


def current_language() -> str:
    code = str(app_settings().value(LANGUAGE_KEY, DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE)
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def install_translators(app: QCoreApplication, code: str | None = None) -> bool:
    """Install the translators for ``code`` (default: the user's choice) in place of earlier ones. False when the
    translation file could not be loaded (the window then stays Chinese)."""
    code = code or current_language()
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    ok = True
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if code == "zh_CN":
        # Standard buttons and dialogs (确定/取消, file dialogs) in Chinese, like the rest of the program.
        qt = QTranslator(app)
        if qt.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", qt_dir):
            app.installTranslator(qt)
            _installed.append(qt)
    else:
        own = QTranslator(app)
        ok = own.load(translation_file(code))
        if ok:
            app.installTranslator(own)
            _installed.append(own)
    return ok


def set_language(code: str) -> bool:
    """Remember the user's choice and switch the translators now."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}")
    app_settings().setValue(LANGUAGE_KEY, code)
    app = QCoreApplication.instance()
    return install_translators(app, code) if app is not None else True
