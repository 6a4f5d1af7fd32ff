"""Seats are never over-booked: 50 employer coordinators, each on their own connection, book the last 3 seats."""

import os
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests import factories
from tests.conftest import BARRIER_SECONDS
from tests.training.conftest import at
from training.models import Booking, Session
from training.services.seats import SESSION_FULL, seats_book
from training.services.sessions import session_create

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("many_connections"),
]
THREADS = 50
ROUNDS = int(os.environ.get("OVERBOOKING_ROUNDS", "200"))
LAST_SEATS = 3


def test_fifty_coordinators_booking_the_last_three_seats_never_overbook(college_coordinator, entry, room):
    session = session_create(
        actor=college_coordinator, entry=entry, room=room, starts_at=at(9), ends_at=at(12), facilitators=[], seats=8
    )
    bookers = [
        factories.CoordinatorFactory(email=f"booker{n}@example.test", organisation=factories.CareProviderFactory())
        for n in range(THREADS)
    ]
    totals = {"booked": 0, "full": 0, "other": []}

    for _ in range(ROUNDS):
        Booking.objects.filter(session=session).delete()
        Session.objects.filter(pk=session.pk).update(seats_taken=session.seats - LAST_SEATS)
        outcomes = _book_all_at_once(session.pk, bookers)
        booked = outcomes.count("booked")
        assert booked == LAST_SEATS, outcomes
        assert Session.objects.get(pk=session.pk).seats_taken == session.seats
        assert Booking.objects.filter(session=session).count() == LAST_SEATS
        totals["booked"] += booked
        totals["full"] += outcomes.count("full")
        totals["other"] += [o for o in outcomes if o not in ("booked", "full")]

    assert totals["other"] == [], totals["other"][:5]  # no deadlocks, no server errors, no surprises
    assert totals["booked"] == LAST_SEATS * ROUNDS and totals["full"] == (THREADS - LAST_SEATS) * ROUNDS


def _book_all_at_once(session_id: int, bookers) -> list[str]:
    """Each coordinator books one seat on their own connection, all released by one barrier."""
    barrier = threading.Barrier(len(bookers), timeout=BARRIER_SECONDS)
    outcomes: list[str] = []

    def book(actor):
        try:
            session = Session.objects.get(pk=session_id)
            barrier.wait()
            seats_book(actor=actor, session=session, count=1)
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append("full" if error.messages == [SESSION_FULL] else f"other: {error.messages}")
        except Exception as error:  # noqa: BLE001 — a deadlock or server error would land here
            outcomes.append(f"other: {type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(actor,)) for actor in bookers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes
