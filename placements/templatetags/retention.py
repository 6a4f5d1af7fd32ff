"""Retention periods in words, read from ``settings.RETENTION`` so the privacy notice and emails say what the
retention job does (ADR 0009). Templates: ``{% load retention %}{% retention_period "sign_in_logs" %}``."""

from django import template
from django.conf import settings

register = template.Library()


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def days_in_words(days: int) -> str:
    """730 -> "2 years", 180 -> "6 months", 45 -> "45 days".

    Years and months are used only when the days divide exactly into 365s or 30s, which always reads as no longer
    than the days really are: data goes no later than the notice says.
    """
    days = int(days)
    if days and days % 365 == 0:
        return _plural(days // 365, "year")
    if days >= 60 and days % 30 == 0:
        return _plural(days // 30, "month")
    return _plural(days, "day")


@register.simple_tag
def retention_period(name: str) -> str:
    """The retention period called ``name`` in settings.RETENTION, in words."""
    return days_in_words(settings.RETENTION[name])
