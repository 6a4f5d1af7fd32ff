"""Thin Celery tasks for insights: each calls one service and is safe to run twice."""

from celery import shared_task

from insights.services.snapshots import snapshot_run, snapshot_take_monthly


@shared_task(acks_late=True)
def take_monthly_snapshot_task():
    """Beat runs this daily; the month's snapshot is taken once (unique constraint), a failed one again."""
    snapshot = snapshot_take_monthly()
    return snapshot.pk if snapshot else None


@shared_task(acks_late=True)
def take_snapshot_task(snapshot_id: int):
    snapshot = snapshot_run(snapshot_id=snapshot_id)
    return snapshot.pk if snapshot else None
