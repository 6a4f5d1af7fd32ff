"""The shared wording filters: dates, times and distances as a person writes them."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from placements.templatetags.wording import (
    day,
    day_range,
    deadline,
    distance,
    on_or_from,
    time_of_day,
    timestamp,
    up_to_km,
    weekday,
    weekday_range,
)

LONDON = ZoneInfo("Europe/London")


def test_a_day_is_written_in_full_without_a_leading_zero():
    assert day(dt.date(2027, 1, 4)) == "4 January 2027"
    assert weekday(dt.date(2027, 1, 4)) == "Monday 4 January 2027"
    assert day(None) == ""


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (dt.date(2027, 1, 4), dt.date(2027, 1, 4), "4 January 2027"),
        (dt.date(2027, 1, 4), dt.date(2027, 1, 8), "4 to 8 January 2027"),
        (dt.date(2027, 1, 30), dt.date(2027, 2, 3), "30 January to 3 February 2027"),
        (dt.date(2026, 12, 30), dt.date(2027, 1, 3), "30 December 2026 to 3 January 2027"),
    ],
)
def test_a_range_names_each_part_once_and_a_one_day_range_is_one_date(start, end, expected):
    assert day_range(start, end) == expected


def test_a_range_after_a_verb_says_on_for_one_day_and_from_for_more():
    assert on_or_from(dt.date(2027, 1, 4), dt.date(2027, 1, 4)) == "on 4 January 2027"
    assert on_or_from(dt.date(2027, 1, 4), dt.date(2027, 1, 8)) == "from 4 to 8 January 2027"


def test_a_range_with_weekdays():
    assert weekday_range(dt.date(2027, 1, 4), dt.date(2027, 1, 8)) == "Monday 4 January to Friday 8 January 2027"
    assert weekday_range(dt.date(2027, 1, 4), dt.date(2027, 1, 4)) == "Monday 4 January 2027"
    assert weekday_range(dt.date(2026, 12, 31), dt.date(2027, 1, 1)) == (
        "Thursday 31 December 2026 to Friday 1 January 2027"
    )


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [(8, 50, "8:50am"), (9, 0, "9am"), (14, 30, "2:30pm"), (12, 0, "midday"), (0, 0, "midnight"), (12, 5, "12:05pm")],
)
def test_times_are_written_nhs_style_with_no_dots(hour, minute, expected):
    assert time_of_day(dt.time(hour, minute)) == expected


def test_aware_datetimes_are_shown_in_london_time():
    # 08:50 UTC in July is 09:50 in London (BST).
    moment = dt.datetime(2027, 7, 9, 8, 50, tzinfo=dt.UTC)
    assert deadline(moment) == "9:50am on Friday 9 July 2027"
    assert timestamp(moment) == "9 July 2027, 9:50am"
    assert day(dt.datetime(2027, 7, 9, 23, 30, tzinfo=dt.UTC)) == "10 July 2027"


@pytest.mark.parametrize(
    ("km", "expected"), [(0, "less than 1 km"), (0.4, "less than 1 km"), (1.2, "about 1 km"), (7.6, "about 8 km")]
)
def test_distances_are_never_about_zero(km, expected):
    assert distance(km) == expected


def test_unknown_distance_and_travel_limit_are_empty_not_a_bare_unit():
    assert distance(None) == "" and up_to_km(None) == ""
    assert up_to_km(10) == "up to 10 km"


def test_the_filters_work_in_templates_and_a_sentence_ends_with_one_full_stop():
    moment = dt.datetime(2027, 1, 8, 8, 50, tzinfo=LONDON)
    html = Template("{% load wording %}Answer by {{ moment|deadline }}. {{ start|day_range:end }}.").render(
        Context({"moment": moment, "start": dt.date(2027, 1, 4), "end": dt.date(2027, 1, 4)})
    )
    assert html == "Answer by 8:50am on Friday 8 January 2027. 4 January 2027."
    assert ".." not in html and "a.m." not in html
