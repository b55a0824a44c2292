"""File names: making a stored name safe for every file system, and showing a name without letting it act.

A name comes from the user's disk or from someone else's packet: it may carry terminal escape codes or
right-to-left overrides. ``printable`` is what every message and listing shows.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import Final

__all__ = ["safe_file_name", "display_name", "printable"]

_UNSAFE: Final = re.compile(r'[\x00-\x1f<>:"/\\|?*]')
_RESERVED: Final = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


def safe_file_name(name: str, *, limit: int = 80) -> str:
    """A name that every file system accepts: no separators or control characters, not reserved on Windows
    (CON, aux.txt …), not ending in a dot or space, at most ``limit`` characters with the extension kept."""
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE.sub("_", name).strip().rstrip(". ") or "file"
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 10:
        stem, ext = name, ""
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    ext = f".{ext}" if ext else ""
    return stem[: max(1, limit - len(ext))] + ext


def display_name(path: Path) -> str:
    """The name of ``path`` as text; a name that is not valid UTF-8 (possible on Linux) is still storable."""
    return os.fsencode(path.name).decode("utf-8", "replace") if os.name != "nt" else path.name


# C0 and C1 controls, DEL, and the bidirectional overrides/isolates that reorder what a terminal shows.
_ACTIVE: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\u202e``), so a name can never
    move the cursor, recolour or rewrite what a terminal or a log already shows."""
    return _ACTIVE.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )
