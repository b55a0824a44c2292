"""Working days across the State Council's holidays and 调休 weekends, and the years the schedule is known for."""

from __future__ import annotations

import datetime as dt

from liaison_app import workdays


def test_a_make_up_saturday_counts_and_the_spring_festival_does_not() -> None:
    # 2024: 春节 10–17 February off; Sunday 4 and Sunday 18 February worked (调休).
    assert workdays.is_workday(dt.date(2024, 2, 4)) and dt.date(2024, 2, 4).weekday() == 6
    assert not workdays.is_workday(dt.date(2024, 2, 12)) and dt.date(2024, 2, 12).weekday() == 0
    # After Friday 2 February up to Monday 19 February: Sun 4, Mon 5–Fri 9, Sun 18, Mon 19 = 8 working days.
    count = workdays.workdays_left(dt.date(2024, 2, 2), dt.date(2024, 2, 19))
    assert count == workdays.WorkdayCount(8, True)
    # The same span counted Monday to Friday would say 11.
    plain = sum(1 for n in range(1, 18) if (dt.date(2024, 2, 2) + dt.timedelta(days=n)).weekday() < 5)
    assert plain == 11


def test_national_day_week_with_its_two_make_up_weekend_days() -> None:
    # 2023: 29 September – 6 October off; Saturday 7 and Sunday 8 October worked.
    count = workdays.workdays_left(dt.date(2023, 9, 27), dt.date(2023, 10, 9))
    assert count.days == 4 and count.exact  # Thu 28 Sep, Sat 7, Sun 8, Mon 9 October


def test_a_year_without_an_announced_schedule_is_counted_as_an_estimate() -> None:
    first, last = workdays.known_years()
    assert first <= 2023 and last >= 2026
    later = last + 1
    count = workdays.workdays_left(dt.date(later, 3, 6), dt.date(later, 3, 13))
    assert not count.exact and count.days == 5
    assert not workdays.is_known_year(later)
    assert workdays.workdays_left(dt.date(2023, 6, 30), dt.date(2023, 6, 30)).days == 0
