"""Two workers run the cut-off job at the same moment, each on its own connection: one decides each session,
one set of emails goes out, nothing changes twice (PostgreSQL: the claim is a conditional UPDATE)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from notifications.models import OutboundEmail
from tests.conftest import BARRIER_SECONDS
from tests.training.after.helpers import hold_seats, make_session, name_people, staff
from tests.training.conftest import at
from training.models import AttendeeStatus, Booking, SessionStatus, WaitlistEntry, WaitlistStatus
from training.services.cutoff import session_check_cutoff, sessions_check_cutoffs

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("many_connections"),
]
ROUNDS = 10
WORKERS = 2


def _run_together(now, session_id=None) -> list:
    """Both workers run the whole job, or (with ``session_id``) both try to claim that one session."""
    barrier = threading.Barrier(WORKERS, timeout=BARRIER_SECONDS)
    outcomes: list = []

    def work():
        try:
            barrier.wait()
            if session_id is None:
                outcomes.append(sessions_check_cutoffs(now=now))
            else:
                outcomes.append(session_check_cutoff(session_id=session_id, now=now))
        except Exception as error:  # noqa: BLE001 — a deadlock or server error would land here
            outcomes.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def test_two_workers_at_once_cancel_a_session_below_its_minimum_once(
    college_coordinator, entry, room, care_provider, care_provider_coordinator, other_trust_coordinator
):
    for n in range(ROUNDS):
        session = make_session(college_coordinator, entry, room, at(9) + timedelta(days=n), minimum=3)
        booking = hold_seats(session, care_provider_coordinator, 2)
        name_people(booking, staff(care_provider, 1, f"round{n}-"))
        WaitlistEntry.objects.create(
            session=session,
            employer_id=other_trust_coordinator.organisation_id,
            requested_by=other_trust_coordinator,
            seats=1,
        )
        outcomes = _run_together(session.booking_cutoff + timedelta(minutes=1), session_id=session.pk)
        assert sorted(map(str, outcomes)) == ["None", "cancelled"], outcomes
        session.refresh_from_db()
        assert session.status == SessionStatus.CANCELLED and session.seats_taken == 0
        about = OutboundEmail.objects.filter(dedupe_key__startswith=f"training-session-{session.pk}-")
        assert sorted(about.values_list("template", flat=True)) == [
            "attendee_session_cancelled",
            "booker_session_cancelled",
            "requester_session_cancelled",
        ]


def test_two_workers_at_once_confirm_a_session_and_release_places_once(
    college_coordinator, entry, room, care_provider, care_provider_coordinator, care_staff_member
):
    for n in range(ROUNDS):
        session = make_session(college_coordinator, entry, room, at(9) + timedelta(days=n), minimum=2)
        name_people(hold_seats(session, care_provider_coordinator, 2), staff(care_provider, 2, f"round{n}-"))
        own = hold_seats(session, care_staff_member, 1)
        name_people(own, [care_staff_member], AttendeeStatus.AWAITING_APPROVAL)
        outcomes = _run_together(session.booking_cutoff + timedelta(minutes=1))
        assert sorted(outcomes) == [0, 1], outcomes
        session.refresh_from_db()
        assert session.status == SessionStatus.SCHEDULED and session.seats_taken == 2
        assert Booking.objects.get(pk=own.pk).seats == 0
        about = OutboundEmail.objects.filter(dedupe_key__startswith=f"training-session-{session.pk}-")
        assert sorted(about.values_list("template", flat=True)) == [
            "attendee_place_not_approved_in_time",
            "coordinator_session_final_list",
        ]
        assert not WaitlistEntry.objects.filter(session=session, status=WaitlistStatus.WAITING).exists()
