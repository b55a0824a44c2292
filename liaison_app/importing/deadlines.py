"""Deadlines as written in tables ("9 月底", "6月底前…12月底前", "三季度", "全年") turned into dates of the document's year."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

__all__ = ["ParsedDeadline", "parse_deadline", "chinese_number", "recurrence_of", "due_in_period", "current_due",
           "RECURRENCE_LABELS"]

_NUM = "0-9０-９一二三四五六七八九十两〇零"
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

# Phrases that deliberately carry no date: the text is kept and the date left empty.
_OPEN_ENDED = ("全年", "持续", "长期", "常态", "每季", "每月", "每年", "每周", "每半年", "定期", "按月", "按季",
               "适时", "根据", "按需", "随时", "日常", "经常", "动态", "逐步")

_FULL_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_YEAR_MONTH = re.compile(rf"(\d{{4}})\s*年\s*([{_NUM}]{{1,3}})\s*月(?:份)?\s*(上旬|中旬|下旬|底|末)?")
_YEAR_ONLY_END = re.compile(r"(\d{4})\s*年\s*(?:底|末|年底|年末|内)")
_MONTH_DAY = re.compile(rf"([{_NUM}]{{1,3}})\s*月\s*([{_NUM}]{{1,3}})\s*[日号]")
_MONTH = re.compile(rf"([{_NUM}]{{1,3}})\s*月(?:份)?\s*(上旬|中旬|下旬|底|末|初)?")
_QUARTER = re.compile(r"第?\s*([一二三四1-4１-４])\s*季度")
_HALF = re.compile(r"(上半年|下半年)")
_YEAR_END = re.compile(r"(年底|年末|年内|年度内|本年度|今年内|年前)")


@dataclass(frozen=True)
class ParsedDeadline:
    text: str
    """The deadline exactly as written."""
    date: dt.date | None
    """The last day it allows; None when open-ended or not understood."""
    understood: bool
    """False when the text was not understood (the caller warns); True for dates and for open-ended phrases."""
    needs_year: bool = False
    """True when a date was written without a year and no year was known."""
    recurrence: str = ""
    """For a recurring deadline (每月, 每季度, 每半年, 每年×月): 'monthly', 'monthly:DD', 'quarterly', 'half-yearly' or
    'yearly:MM'; the date is then None and :func:`due_in_period` gives each period's due date. '' otherwise."""


def chinese_number(text: str) -> int | None:
    """'9', '１２', '十二', '三' -> int; None if it is not a small number."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        value = (_CN_DIGITS.get(tens, 0) if tens else 1) * 10
        return value + (_CN_DIGITS.get(ones, 0) if ones else 0)
    if len(text) == 1:
        return _CN_DIGITS[text]
    return None


def _month_end(year: int, month: int) -> dt.date:
    # The day before the first of the next month (not calendar.monthrange: importing calendar loads locale, which
    # costs the window's start-up more than all of this module).
    following = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return following - dt.timedelta(days=1)


def _month_date(year: int, month: int, part: str | None) -> dt.date:
    if part == "上旬" or part == "初":
        return dt.date(year, month, 10)
    if part == "中旬":
        return dt.date(year, month, 20)
    return _month_end(year, month)


def _candidates(text: str, year: int | None) -> tuple[list[dt.date], bool]:
    """Every date the text names (a staged deadline names several), and whether a year was missing."""
    found: list[dt.date] = []
    needs_year = False
    rest = text

    def take(pattern: re.Pattern[str], make) -> None:  # type: ignore[no-untyped-def]
        nonlocal rest, needs_year
        for m in pattern.finditer(rest):
            try:
                value = make(m)
            except ValueError:
                continue
            if value is _NO_YEAR:
                needs_year = True
            elif value is not None:
                found.append(value)
        rest = pattern.sub(" ", rest)

    take(_FULL_DATE, lambda m: dt.date(int(m[1]), int(m[2]), int(m[3])))

    def year_month(m: re.Match[str]) -> dt.date | None:
        month = chinese_number(m[2])
        return _month_date(int(m[1]), month, m[3]) if month and 1 <= month <= 12 else None

    take(_YEAR_MONTH, year_month)
    take(_YEAR_ONLY_END, lambda m: dt.date(int(m[1]), 12, 31))

    def month_day(m: re.Match[str]) -> object:
        month, day = chinese_number(m[1]), chinese_number(m[2])
        if not month or not day or not 1 <= month <= 12:
            return None
        return _NO_YEAR if year is None else dt.date(year, month, day)

    take(_MONTH_DAY, month_day)

    def month(m: re.Match[str]) -> object:
        value = chinese_number(m[1])
        if not value or not 1 <= value <= 12:
            return None
        return _NO_YEAR if year is None else _month_date(year, value, m[2])

    take(_MONTH, month)

    def quarter(m: re.Match[str]) -> object:
        q = chinese_number(m[1]) or int(m[1].translate(str.maketrans("１２３４", "1234")))
        return _NO_YEAR if year is None else _month_end(year, q * 3)

    take(_QUARTER, quarter)
    take(_HALF, lambda m: _NO_YEAR if year is None else _month_end(year, 6 if m[1] == "上半年" else 12))
    take(_YEAR_END, lambda m: _NO_YEAR if year is None else dt.date(year, 12, 31))
    return found, needs_year


_NO_YEAR: object = object()

_RECURRING = (
    (re.compile(rf"(?:每(?:个)?月|按月)(?:的?\s*([{_NUM}]{{1,3}})\s*[日号])?"), "monthly"),
    (re.compile(r"每(?:个)?季(?:度)?|按季(?:度)?"), "quarterly"),
    (re.compile(r"每半年|每半年度"), "half-yearly"),
    (re.compile(rf"每年(?:度)?(?:的?\s*([{_NUM}]{{1,3}})\s*月)?"), "yearly"),
)
RECURRENCE_LABELS = {"monthly": "每月", "quarterly": "每季度", "half-yearly": "每半年", "yearly": "每年"}


@functools.lru_cache(maxsize=4096)
def recurrence_of(text: str) -> str:
    """The recurrence a deadline text states ('' when none): 每月 -> 'monthly', 每月10日前 -> 'monthly:10',
    每季度 -> 'quarterly', 每半年 -> 'half-yearly', 每年3月底前 -> 'yearly:3', 每年 -> 'yearly:12'."""
    compact = re.sub(r"\s+", "", text)
    for pattern, kind in _RECURRING:
        m = pattern.search(compact)
        if not m:
            continue
        if kind == "monthly":
            day = chinese_number(m.group(1)) if m.group(1) else None
            return f"monthly:{day}" if day and 1 <= day <= 31 else "monthly"
        if kind == "yearly":
            month = chinese_number(m.group(1)) if m.group(1) else None
            return f"yearly:{month if month and 1 <= month <= 12 else 12}"
        return kind
    return ""


def due_in_period(recurrence: str, day: dt.date) -> dt.date:
    """The due date of the period (month, quarter, half year, year) containing ``day``, for a recurrence code."""
    kind, _, arg = recurrence.partition(":")
    if kind == "monthly":
        end = _month_end(day.year, day.month)
        return end.replace(day=min(int(arg), end.day)) if arg.isdigit() else end
    if kind == "quarterly":
        return _month_end(day.year, (day.month - 1) // 3 * 3 + 3)
    if kind == "half-yearly":
        return _month_end(day.year, 6 if day.month <= 6 else 12)
    if kind == "yearly":
        return _month_end(day.year, int(arg) if arg.isdigit() and 1 <= int(arg) <= 12 else 12)
    raise ValueError(f"unknown recurrence {recurrence!r}")


def current_due(text: str, date: dt.date | None, today: dt.date) -> dt.date | None:
    """The date a deadline is due as of ``today``: a recurring one's due date in today's period, else its date."""
    recurrence = recurrence_of(text) if text else ""
    return due_in_period(recurrence, today) if recurrence else date


# A table repeats a handful of deadline texts ("全年", "6月底前") over thousands of rows; the answer depends on
# nothing else, so it is worked out once per text and year.
@functools.lru_cache(maxsize=4096)
def parse_deadline(text: str, year: int | None) -> ParsedDeadline:
    """Turn a deadline cell into the last date it allows, in ``year`` when the text gives none."""
    original = text.strip()
    compact = re.sub(r"\s+", "", original)
    if not compact:
        return ParsedDeadline(original, None, True)
    recurrence = recurrence_of(compact)
    if recurrence:
        return ParsedDeadline(original, None, True, recurrence=recurrence)
    dates, needs_year = _candidates(compact, year)
    if dates:
        # A staged deadline ("6月底前…12月底前") is met when its last stage is.
        return ParsedDeadline(original, max(dates), True)
    if needs_year:
        return ParsedDeadline(original, None, False, needs_year=True)
    if any(word in compact for word in _OPEN_ENDED):
        return ParsedDeadline(original, None, True)
    return ParsedDeadline(original, None, False)
