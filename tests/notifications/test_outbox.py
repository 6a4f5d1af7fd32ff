from datetime import timedelta
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications import outbox
from notifications.models import EmailStatus, OutboundEmail
from notifications.tasks import deliver_emails_task, sweep_outbox_task


def _enqueue(key="k1", **extra):
    return outbox.email_enqueue(
        dedupe_key=key,
        template="password_reset",
        to_email="sam@example.test",
        context={"reset_url": "http://x/reset/", "valid_hours": 2},
        **extra,
    )


@pytest.mark.django_db
def test_same_event_twice_makes_one_row():
    first, second = _enqueue(), _enqueue()
    assert first.pk == second.pk and OutboundEmail.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_rolled_back_change_sends_nothing():
    with mock.patch.object(outbox, "_enqueue_delivery") as enqueue:
        with pytest.raises(RuntimeError), transaction.atomic():
            _enqueue()
            raise RuntimeError("the change failed")
    assert not OutboundEmail.objects.exists()
    enqueue.assert_not_called()


@pytest.mark.django_db(transaction=True)
def test_delivery_is_enqueued_only_after_commit():
    with mock.patch.object(outbox, "_enqueue_delivery") as enqueue:
        with transaction.atomic():
            email = _enqueue()
            enqueue.assert_not_called()
        enqueue.assert_called_once_with([email.pk])


@pytest.mark.django_db
def test_delivery_task_run_twice_sends_once():
    email = _enqueue()
    assert deliver_emails_task.run([email.pk]) == {email.pk: EmailStatus.SENT}
    assert deliver_emails_task.run([email.pk]) == {}  # the second delivery finds nothing to claim
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject.startswith("[test] Reset your password")
    assert sent.alternatives and "Choose a new password" in sent.alternatives[0].content
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 1 and email.sent_at


@pytest.mark.django_db
def test_transport_failure_backs_off_then_fails_and_admin_can_resend():
    email = _enqueue()
    broken = mock.Mock(send_messages=mock.Mock(side_effect=SMTPServerDisconnected("gone")))
    delays = []
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
        status = outbox.email_deliver(email_id=email.pk, connection=broken)
        email.refresh_from_db()
        delays.append((email.next_attempt_at - timezone.now()).total_seconds())
        assert email.attempts == attempt and "gone" in email.last_error
    assert status == EmailStatus.FAILED and email.status == EmailStatus.FAILED
    assert delays[1] > delays[0] * 1.2  # grows: exponential backoff
    outbox.email_resend(email=email)
    email.refresh_from_db()
    assert email.status == EmailStatus.PENDING and email.attempts == 0
    assert outbox.email_deliver(email_id=email.pk) == EmailStatus.SENT


@pytest.mark.django_db
def test_not_yet_due_rows_are_left_alone():
    email = _enqueue()
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=5))
    assert outbox.email_deliver(email_id=email.pk) == EmailStatus.PENDING
    assert not mail.outbox


@pytest.mark.django_db
def test_a_row_abandoned_by_a_dead_worker_is_swept_and_sent_once():
    email = _enqueue()
    # A worker claimed it and died before sending.
    OutboundEmail.objects.filter(pk=email.pk).update(status=EmailStatus.SENDING, claimed_at=timezone.now(), attempts=1)
    assert outbox.emails_due() == []  # a live worker might still be sending it
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_at=timezone.now() - outbox.STALE_CLAIM_AFTER * 2)
    with mock.patch.object(deliver_emails_task, "delay", side_effect=lambda ids: deliver_emails_task.run(ids)):
        assert sweep_outbox_task.run() == 1
        assert sweep_outbox_task.run() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_broker_down_does_not_break_the_request():
    with mock.patch("notifications.tasks.deliver_emails_task.delay", side_effect=ConnectionError("broker down")):
        outbox._enqueue_delivery([_enqueue().pk])  # logs, does not raise
    assert outbox.emails_due() == [OutboundEmail.objects.get().pk]


def test_backoff_grows_and_has_jitter():
    first = {outbox.backoff_delay(1).total_seconds() for _ in range(20)}
    third = [outbox.backoff_delay(3).total_seconds() for _ in range(20)]
    assert len(first) > 1 and max(first) <= 30 and min(third) >= 60


@pytest.mark.django_db(transaction=True)
def test_one_transaction_publishes_its_emails_in_a_few_batches():
    with mock.patch.object(outbox, "_enqueue_delivery") as enqueue:
        with transaction.atomic():
            for n in range(outbox.BATCH_SIZE + 3):
                _enqueue(key=f"batch-{n}")
        assert [len(call.args[0]) for call in enqueue.call_args_list] == [outbox.BATCH_SIZE, 3]
        enqueue.reset_mock()
        _enqueue(key="alone")  # outside a transaction: published at once
        assert len(enqueue.call_args_list) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_does_not_strand_later_emails():
    with mock.patch.object(outbox, "_enqueue_delivery") as enqueue:
        with transaction.atomic():
            with pytest.raises(RuntimeError), transaction.atomic():
                _enqueue(key="rolled-back")
                raise RuntimeError
            kept = _enqueue(key="kept")
        assert [call.args[0] for call in enqueue.call_args_list] == [[kept.pk]]
