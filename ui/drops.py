"""Files dragged from the desktop or a file manager: the one reading of a drag's data that every drop target uses."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData

__all__ = ["dropped_files"]


def dropped_files(mime: QMimeData | None) -> list[Path]:
    """The local files a drag carries (links to web pages and the like are not files, and are left out)."""
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]
