"""Chinese working days: Monday to Friday, less the State Council's public holidays, plus the weekend days worked
instead (调休). The schedule comes from the ``chinese-calendar`` package, which knows the years the State Council
has announced (each year's schedule is published around November, and the package follows within weeks); for a
year it does not know, Monday to Friday is counted and the answer says it is an estimate.

Why chinese-calendar and not ``holidays``: ``holidays`` covers China among 200 countries and releases monthly, but
for a year without an announced schedule it quietly derives the holidays from rules, so a count could be wrong
without anyone knowing; chinese-calendar is about this one schedule and refuses a year it has no data for, which is
what lets the window say "not announced yet" instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

__all__ = ["WorkdayCount", "known_years", "is_known_year", "is_workday", "workdays_left"]


@dataclass(frozen=True)
class WorkdayCount:
    days: int
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
    exact: bool
    """False when a year in the range has no announced schedule (its Monday-to-Friday days were counted)."""


@functools.cache
def known_years() -> tuple[int, int]:
    """The first and last year whose holidays and make-up days are known."""
    try:
        from chinese_calendar import constants
    except ImportError:  # pragma: no cover - a broken installation: count Monday to Friday everywhere
        return (0, -1)
    years = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    return min(years), max(years)


def is_known_year(year: int) -> bool:
    first, last = known_years()
    return first <= year <= last


@functools.lru_cache(maxsize=4096)
def is_workday(day: dt.date) -> bool:
    """Whether people work on ``day`` (a 调休 Saturday is a working day, a holiday Monday is not)."""
    if is_known_year(day.year):
        import chinese_calendar

        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


@functools.lru_cache(maxsize=8192)
def workdays_left(start: dt.date, end: dt.date) -> WorkdayCount:
    """Working days from the day after ``start`` through ``end``: "还剩 3 个工作日"."""
    exact = is_known_year(start.year) and is_known_year(end.year)
    days = 0
    day = start + dt.timedelta(days=1)
    while day <= end:
        days += is_workday(day)
        day += dt.timedelta(days=1)
    return WorkdayCount(days, exact)
