"""Celery tasks for operations: thin wrappers that call one service."""

from celery import shared_task

from operations import services


@shared_task(ignore_result=True)
def record_beat_heartbeat_task() -> None:
    """Sent by beat every minute and run by a worker: its time is the age /health/ reports for beat."""
    services.heartbeat_record(name=services.BEAT)
