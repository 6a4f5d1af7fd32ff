"""Dates, times and distances written the way a person writes them (NHS.UK style), in one place.

Pages, emails, the certificate and CSV exports all use these, so "4 January 2027", "4 to 8 January 2027",
"8:50am" and "less than 1 km" read the same everywhere. Templates: ``{% load wording %}``; Python code
imports the functions.
"""

import datetime

from django import template
from django.conf import settings
from django.utils import timezone

register = template.Library()


def _as_date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return _local(value).date()
    return value


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def day(value) -> str:
    """A date as "4 January 2027" (a datetime gives its local date)."""
    value = _as_date(value)
    return f"{value.day} {value:%B %Y}" if value else ""


@register.filter
def weekday(value) -> str:
    """A date as "Monday 4 January 2027"."""
    value = _as_date(value)
    return f"{value:%A} {day(value)}" if value else ""


@register.filter
def day_range(start, end) -> str:
    """Two dates as a range: "4 January 2027" (one day), "4 to 8 January 2027", "30 January to 3 February 2027"."""
    start, end = _as_date(start), _as_date(end)
    if not start or not end:
        return day(start or end)
    if start == end:
        return day(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} to {day(end)}"
    if start.year == end.year:
        return f"{start.day} {start:%B} to {day(end)}"
    return f"{day(start)} to {day(end)}"


@register.filter
def on_or_from(start, end) -> str:
    """A range after a verb: "on 4 January 2027" for one day, "from 4 to 8 January 2027" for more."""
    start_day, end_day = _as_date(start), _as_date(end)
    if not start_day and not end_day:
        return ""
    if not start_day or not end_day or start_day == end_day:
        return f"on {day(start_day or end_day)}"
    return f"from {day_range(start_day, end_day)}"


@register.filter
def weekday_range(start, end) -> str:
    """Like day_range with the days of the week: "Monday 4 January to Friday 8 January 2027"."""
    start, end = _as_date(start), _as_date(end)
    if not start or not end:
        return weekday(start or end)
    if start == end:
        return weekday(start)
    if start.year == end.year:
        return f"{start:%A} {start.day} {start:%B} to {weekday(end)}"
    return f"{weekday(start)} to {weekday(end)}"


@register.filter
def time_of_day(value) -> str:
    """A time as "8:50am", "9am", "2:30pm", "midday" or "midnight" (NHS.UK style: no dots, no space)."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value)
    if (value.hour, value.minute) == (0, 0):
        return "midnight"
    if (value.hour, value.minute) == (12, 0):
        return "midday"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


@register.filter
def deadline(value) -> str:
    """A moment to act by, in a sentence: "8:50am on Friday 8 January 2027"."""
    if value in (None, ""):
        return ""
    return f"{time_of_day(value)} on {weekday(value)}"


@register.filter
def timestamp(value) -> str:
    """When something happened, for lists, timelines and exports: "4 January 2027, 8:50am"."""
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime.datetime):
        return day(value)
    return f"{day(value)}, {time_of_day(value)}"


@register.filter
def distance(km) -> str:
    """A distance in words: "less than 1 km", "about 3 km"; empty when unknown."""
    if km in (None, ""):
        return ""
    km = float(km)
    if km < 1:
        return "less than 1 km"
    return f"about {round(km)} km"


@register.filter
def up_to_km(km) -> str:
    """A travel limit the student chose: "up to 10 km"; empty when not answered."""
    if km in (None, ""):
        return ""
    return f"up to {int(km)} km"


@register.simple_tag
def support_email() -> str:
    """The address people can write to with a question (emails have no request, so no context processor)."""
    return settings.SUPPORT_EMAIL
