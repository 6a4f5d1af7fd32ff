"""Celery tasks for accounts: thin wrappers that take ids and call one service."""

from celery import shared_task

from notifications import outbox


@shared_task(acks_late=True, ignore_result=True)
def deliver_emails_task(email_ids: list[int]) -> dict:
    return outbox.emails_deliver(email_ids=email_ids)


@shared_task(acks_late=True, ignore_result=True)
def sweep_outbox_task() -> int:
    """Re-enqueue everything due: rows whose first enqueue was lost (broker down) or whose worker died."""
    due = outbox.emails_due()
    for start in range(0, len(due), outbox.BATCH_SIZE):
        deliver_emails_task.delay(due[start : start + outbox.BATCH_SIZE])
    return len(due)
