"""Races that only a real database can show: many connections at once, on PostgreSQL."""

import re
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from accounts import services
from accounts.models import Role, User
from notifications import outbox
from notifications.models import OutboundEmail
from tests.conftest import BARRIER_SECONDS

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("many_connections"),
]
THREADS = 12


def _race(target) -> list:
    """Run ``target`` in THREADS threads, each with its own connection, released together."""
    barrier = threading.Barrier(THREADS, timeout=BARRIER_SECONDS)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as error:  # noqa: BLE001 — collected and asserted on below
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_an_outbox_row_is_sent_once_however_many_workers_race_for_it():
    email = outbox.email_enqueue(
        dedupe_key="race",
        template="password_reset",
        to_email="sam@example.test",
        context={"reset_url": "http://x/", "valid_hours": 2},
    )
    results = _race(lambda: outbox.email_deliver(email_id=email.pk))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == "sent" and email.attempts == 1


def test_the_same_event_enqueued_concurrently_makes_one_row():
    results = _race(
        lambda: (
            outbox.email_enqueue(
                dedupe_key="same-event",
                template="password_reset",
                to_email="sam@example.test",
                context={"reset_url": "http://x/", "valid_hours": 2},
            ).pk
        )
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 1 and OutboundEmail.objects.filter(dedupe_key="same-event").count() == 1


def test_an_invitation_accepted_twice_at_once_creates_one_account(coordinator):
    invitation = services.invitation_create(
        actor=coordinator, email="race@nhs.net", organisation=coordinator.organisation, role=Role.COORDINATOR
    )
    body = OutboundEmail.objects.get(template="staff_invitation").body_text
    token = re.search(r"/accounts/invitations/accept/([^/\s]+)/", body).group(1)
    results = _race(
        lambda: services.invitation_accept(token=token, first_name="R", last_name="C", password="a-long-passphrase-9")
    )
    users = [r for r in results if isinstance(r, User)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    others = [r for r in results if not isinstance(r, User | ValidationError)]
    assert len(users) == 1 and len(refused) == THREADS - 1, others
    assert User.objects.filter(email="race@nhs.net").count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_user == users[0]
