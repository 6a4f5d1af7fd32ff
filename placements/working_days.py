"""Working days in England and Wales: Monday to Friday, less bank holidays (computed, so no list to go stale).

Used for hosts' decide-by dates. One-off bank holidays (a coronation, a jubilee) go in the
``EXTRA_BANK_HOLIDAYS`` setting as ISO dates.
"""

from datetime import date, timedelta
from functools import cache

from dateutil.easter import easter
from django.conf import settings

MONDAY, SATURDAY, SUNDAY = 0, 5, 6


def _first_monday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(MONDAY - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last = next_month - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - MONDAY) % 7)


def _next_weekday(day: date, taken: set[date]) -> date:
    while day.weekday() >= SATURDAY or day in taken:
        day += timedelta(days=1)
    return day


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    sunday = easter(year)
    days = {
        _next_weekday(date(year, 1, 1), set()),  # New Year's Day, or the Monday after
        sunday - timedelta(days=2),  # Good Friday
        sunday + timedelta(days=1),  # Easter Monday
        _first_monday(year, 5),  # Early May
        _last_monday(year, 5),  # Spring
        _last_monday(year, 8),  # Summer
    }
    christmas = _next_weekday(date(year, 12, 25), set())
    boxing_day = _next_weekday(date(year, 12, 26), {christmas})
    return frozenset(days | {christmas, boxing_day})


def is_working_day(day: date) -> bool:
    extra = {date.fromisoformat(d) for d in getattr(settings, "EXTRA_BANK_HOLIDAYS", ())}
    return day.weekday() < SATURDAY and day not in _bank_holidays(day.year) and day not in extra


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself does not count); negative counts go back."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day
