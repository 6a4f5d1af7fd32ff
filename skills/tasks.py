"""Celery tasks for skills: thin, take nothing, safe to run twice (the outbox's dedupe keys send each email once)."""

from celery import shared_task
from django.db import OperationalError

from skills import services_reminders

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
def chase_skills_not_started_task() -> int:
    """One chaser to staff who joined a week ago and have not started the self-assessment."""
    return services_reminders.chasers_send()


@shared_task(**RETRY_TRANSIENT)
def remind_skills_check_again_task() -> int:
    """One reminder per result older than the employer's re-assessment period."""
    return services_reminders.reassessment_reminders_send()
