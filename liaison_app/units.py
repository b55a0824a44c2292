"""Splitting a cell such as "许可处 配合：科信处、市大数据中心" into unit names, with the editable alias list applied."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from .cell_text import clean_cell, squeeze_cjk

__all__ = [
    "UnitSplit",
    "split_units",
    "normalise_unit",
    "is_collective",
    "DEFAULT_ALIASES",
    "NONE_MARKERS",
]

DEFAULT_ALIASES: dict[str, str] = {"市大数据中心": "大数据中心"}
"""Installed into a workspace's alias list on its first import; the user may edit or remove them."""

NONE_MARKERS = frozenset({"", "无", "/", "／", "-", "—", "——", "--", "－", "暂无", "空", "×", "\\"})

_LEAD = r"牵头(?:部门|单位|处室|科室)?"
_COOP = r"(?:配合|协同|协办|参与)(?:部门|单位|处室|科室)?"
# "A、B负责落实", "由A负责": the units named are responsible (the column's role, or cooperating when the cell
# also names a lead). Longest first, so a unit never ends in 负责落实.
_RESP = r"(?:负责组织实施|负责落实|负责实施|组织实施|负责|落实)"
_MARKER = re.compile(rf"(?P<lead>{_LEAD})\s*[:：]?|(?P<coop>{_COOP})\s*[:：]?|(?P<resp>{_RESP})")
_PAREN_MARKER = re.compile(rf"[(（]\s*({_LEAD}|{_COOP})\s*[)）]")
# "等" before a collective ("B等政府各有关部门") separates a unit from the collective that follows it.
_SPLIT = re.compile(r"[、，,；;/／\s]+|等(?=(?:政府|各|相关|有关|其他|其它|市|区))")
# "A会同B": A leads, B cooperates.
_WITH = re.compile(r"会同|协调")
_BY = re.compile(r"^由|(?<=[，,；;、])由")
# "各科室、单位" is one collective ("every section and unit"), not a unit called "单位".
_GENERIC_TAIL = frozenset({"单位", "部门", "科室", "处室", "单位等", "部门等"})
_COLLECTIVE_PREFIXES = ("各", "局各", "相关", "有关", "其他", "其它")
_COLLECTIVE_INSIDE = ("各有关", "各相关", "各级", "有关部门", "相关部门", "有关单位", "相关单位")


@dataclass(frozen=True)
class UnitSplit:
    lead: tuple[str, ...]
    """Units marked 牵头 inside the cell."""
    cooperating: tuple[str, ...]
    """Units marked 配合 inside the cell."""
    unmarked: tuple[str, ...]
    """Units with no marker: they take the role of the column they stand in."""


def normalise_unit(name: str, aliases: Mapping[str, str] | None = None) -> str:
    """One unit name as stored: folded brackets, no stray punctuation or spaces, alias applied."""
    name = _folded_unit(name)
    if aliases:
        name = aliases.get(name, name)
    return name


# Cached because a big table names the same few dozen units tens of thousands of times.
@functools.lru_cache(maxsize=4096)
def _folded_unit(name: str) -> str:
    name = squeeze_cjk(name.strip())
    name = name.replace("(", "（").replace(")", "）")
    return unicodedata.normalize("NFC", name).strip(" 。.:：;；,，、\"'“”")


def is_collective(name: str) -> bool:
    """Whether a name stands for several units ("各相关科室", "各科室、单位", "相关区林业部门", "政府各有关部门")."""
    return name.startswith(_COLLECTIVE_PREFIXES) or any(word in name for word in _COLLECTIVE_INSIDE)


def _names(chunk: str, aliases: Mapping[str, str] | None) -> list[str]:
    out: list[str] = []
    for token in _SPLIT.split(chunk):
        token = normalise_unit(token, aliases)
        if token in NONE_MARKERS:
            continue
        if token in _GENERIC_TAIL and out and out[-1].startswith("各"):
            out[-1] = f"{out[-1]}、{token}"
            continue
        if token not in out:
            out.append(token)
    return out


def split_units(text: str, aliases: Mapping[str, str] | None = None) -> UnitSplit:
    """Split a department cell. Honours "牵头：A 配合：B", "A牵头，B配合" and "A（牵头）、B"."""
    if not aliases and isinstance(text, str):
        return _split_plain(text)
    return _split(text, aliases)


# The recogniser splits without aliases, and the same cell text comes back on row after row.
@functools.lru_cache(maxsize=4096)
def _split_plain(text: str) -> UnitSplit:
    return _split(text, None)


def _split(text: str, aliases: Mapping[str, str] | None) -> UnitSplit:
    text = clean_cell(text)
    if text in NONE_MARKERS:
        return UnitSplit((), (), ())
    text = _PAREN_MARKER.sub(lambda m: m.group(1), text)
    text = _BY.sub("", text)
    joint = bool(_WITH.search(text)) and "牵头" not in text
    if joint:
        # "A会同B负责落实" reads as "A牵头，B负责落实"; B cooperates.
        text = _WITH.sub("牵头，", text, count=1)
    markers = list(_MARKER.finditer(text))
    if not markers:
        return UnitSplit((), (), tuple(_names(text, aliases)))
    lead: list[str] = []
    coop: list[str] = []
    unmarked: list[str] = []
    responsible: list[str] = []

    def add(role: str | None, chunk: str) -> None:
        target = {"lead": lead, "coop": coop, "resp": responsible}.get(role or "", unmarked)
        for name in _names(chunk, aliases):
            if name not in target:
                target.append(name)

    # "配合：B" (a colon, or at the very start) names the units after it; "A牵头" and "A负责" name those before it.
    start = 0
    for i, m in enumerate(markers):
        before = text[start : m.start()]
        is_prefix = m.lastgroup != "resp" and (
            m.group(0).rstrip().endswith((":", "：")) or not before.strip(" 　,，;；、"))
        if is_prefix:
            # "许可处 配合：科信处": with no 牵头 marker, what stands before 配合 is the lead unit.
            implicit = "lead" if i == 0 and not any(x.lastgroup == "lead" for x in markers) else None
            add(implicit if m.lastgroup == "coop" else None, before)
            end = markers[i + 1].start() if i + 1 < len(markers) else len(text)
            add(m.lastgroup, text[m.end() : end])
            start = end
        else:
            add(m.lastgroup, before)
            start = m.end()
    add(None, text[start:])
    # Units said to be responsible take the column's role, unless the cell names a lead of its own: then they
    # are the cooperating ones ("A牵头，B等政府各有关部门负责落实").
    for name in responsible:
        target = coop if lead else unmarked
        if name not in target and name not in lead:
            target.append(name)
    if joint:
        coop.extend(u for u in unmarked if u not in coop and u not in lead)
        unmarked.clear()
    return UnitSplit(tuple(lead), tuple(coop), tuple(unmarked))
