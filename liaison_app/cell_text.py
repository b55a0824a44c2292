"""Text of table cells: cleaning what readers extract (markup, PDF spaces inside Chinese words) and comparing
names. Shared by the importer and by unit names (units.py)."""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["clean_cell", "needs_cleaning", "strip_controls", "squeeze_cjk", "name_key", "is_blank", "is_separator", "strip_markup"]

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’《》"
# Whitespace between two CJK characters (or CJK punctuation) comes from PDF extraction or justified text,
# never from the author: "政务服务 标准化便利化" is one word.
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t\u3000\u00a0]+(?=[{_CJK}])")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
_SEPARATOR = re.compile(r"^[\s\-—–_=~·.．…:：|*]*$")
_MARKUP = re.compile(r"^\s*#+\s*|\*\*")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Control characters (C0 but tab and line ends, DEL, C1) and invisible marks never belong in a task's text; a NUL
# inside a unit name ("办\x00公室") would make it a different unit.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\ufeff]")
# What clean_cell would change: a quick test, so the common clean cell is returned as it is.
_UNCLEAN = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b\ufeff\u3000\u00a0]|  |^\s|\s$")


def strip_controls(text: str) -> str:
    """Text without control characters (tab and line breaks are kept)."""
    return _CONTROLS.sub("", text)


def needs_cleaning(text: str) -> bool:
    """Whether :func:`clean_cell` would change the text."""
    return _UNCLEAN.search(text) is not None


def clean_cell(value: object) -> str:
    """A cell as text: no surrounding blanks, Windows line ends unified, runs of spaces collapsed."""
    if value is None:
        return ""
    text = _CONTROLS.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def squeeze_cjk(text: str) -> str:
    """Remove spaces inside Chinese words ("政务服务 标准化便利化" -> "政务服务标准化便利化")."""
    return _CJK_GAP.sub("", text)


# Cached: the same group and unit names are compared on every row of a big table, and NFKC is not cheap.
@functools.lru_cache(maxsize=8192)
def name_key(text: str) -> str:
    """A comparison key: full-width folded, no whitespace or punctuation ("“一件事”" == "一件事")."""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", text)).lower()


def is_blank(cells: list[str] | tuple[str, ...]) -> bool:
    return not any(cells)


def is_separator(cells: list[str] | tuple[str, ...]) -> bool:
    """A row such as "----  ------" (Markdown rules, dashed lines): nothing but rule characters."""
    return any(cells) and all(_SEPARATOR.match(c) for c in cells)


def strip_markup(line: str) -> str:
    """Drop Markdown heading marks and bold stars that text exports put around titles."""
    return _MARKUP.sub("", line).strip()
