"""Celery tasks for accounts: thin wrappers that take ids and call one service."""

from celery import shared_task

from accounts import outbox


@shared_task(acks_late=True, ignore_result=True)
def deliver_email_task(email_id: int) -> str:
    return outbox.email_deliver(email_id=email_id)


@shared_task(acks_late=True, ignore_result=True)
def sweep_outbox_task() -> int:
    """Re-enqueue everything due: rows whose first enqueue was lost (broker down) or whose worker died."""
    due = outbox.emails_due()
    for email_id in due:
        deliver_email_task.delay(email_id)
    return len(due)
