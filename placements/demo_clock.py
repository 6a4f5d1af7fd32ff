"""A clock for ``seed_demo`` only: run real services as if it were an earlier moment.

Demo students who are mid-placement or finished must have applied, been matched and been confirmed weeks ago,
before their cohort's application deadline. Most services read the time from ``django.utils.timezone.now``
(directly, through ``timezone.localdate()`` or through ``auto_now``); model fields declared with
``default=timezone.now`` hold the original function, so they are pointed at the clock too. Nothing outside
``seed_demo`` uses this, and the clock never runs ahead of the real time.
"""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from unittest import mock

from django.apps import apps
from django.utils import timezone

_REAL_NOW = timezone.now


def _fields_defaulting_to_now():
    return [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if getattr(field, "default", None) is _REAL_NOW
    ]


@contextmanager
def demo_clock(moment: datetime) -> Iterator[datetime]:
    """Within the block, "now" is ``moment`` (or the real time, if that is earlier)."""
    moment = min(moment, _REAL_NOW())

    def now() -> datetime:
        return moment

    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(timezone, "now", now))
        for field in _fields_defaulting_to_now():
            stack.enter_context(mock.patch.object(field, "_get_default", now))
        yield moment
