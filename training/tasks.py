"""Celery tasks for simulation suites: thin, take ids (or nothing), safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from training.services import cutoff, reminders

RETRY_TRANSIENT = {
    "acks_late": True,
    "ignore_result": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**RETRY_TRANSIENT)
def check_session_cutoffs_task() -> int:
    """Sessions past their booking cut-off: cancel those below their minimum, confirm the rest (each once)."""
    return cutoff.sessions_check_cutoffs()


@shared_task(**RETRY_TRANSIENT)
def remind_upcoming_sessions_task() -> int:
    """Reminders to people booked on sessions in the next 2 days, and to bookers with seats not named yet."""
    return reminders.sessions_remind()
