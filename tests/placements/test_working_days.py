"""Working days for hosts' decide-by dates: weekends and England and Wales bank holidays do not count."""

from datetime import date

import pytest

from placements.working_days import add_working_days, is_working_day


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2026, 11, 30), 5, date(2026, 12, 7)),  # Monday + 5 = next Monday
        (date(2026, 12, 4), 1, date(2026, 12, 7)),  # Friday + 1 = Monday
        (date(2026, 12, 5), 1, date(2026, 12, 7)),  # Saturday + 1 = Monday
        # Christmas 2026: Friday 25th, and Boxing Day falls on Saturday, so Monday 28th is the holiday.
        (date(2026, 12, 22), 5, date(2026, 12, 31)),
        # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
        (date(2027, 3, 25), 1, date(2027, 3, 30)),
        # New Year 2028 is a Saturday: Monday 3 January is the holiday.
        (date(2027, 12, 31), 1, date(2028, 1, 4)),
        (date(2026, 12, 7), -2, date(2026, 12, 3)),
    ],
)
def test_add_working_days_skips_weekends_and_bank_holidays(start, count, expected):
    assert add_working_days(start, count) == expected


def test_regular_bank_holidays_are_not_working_days():
    for holiday in (date(2026, 5, 4), date(2026, 5, 25), date(2026, 8, 31), date(2027, 12, 27), date(2027, 12, 28)):
        assert not is_working_day(holiday), holiday
    assert is_working_day(date(2026, 12, 29))


def test_one_off_bank_holidays_come_from_settings(settings):
    settings.EXTRA_BANK_HOLIDAYS = ["2026-12-01"]
    assert not is_working_day(date(2026, 12, 1))
    assert add_working_days(date(2026, 11, 30), 1) == date(2026, 12, 2)
