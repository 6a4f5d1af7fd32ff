"""Two coordinators, each on their own connection, name two different people into the last unnamed seat at once:
exactly one succeeds, the other is told every seat has a name (the booking row is locked while counting)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.conftest import BARRIER_SECONDS
from training.models import Attendee, AttendeeStatus
from training.services.employer import ALL_SEATS_NAMED, attendee_name
from training.services.seats import seats_book

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("many_connections"),
]
ROUNDS = 20


def test_two_connections_naming_into_the_last_seat_name_exactly_one(
    care_provider_coordinator, session, carers, django_user_model
):
    colleague = django_user_model.objects.create(
        email="colleague@example.test",
        role="coordinator",
        organisation=care_provider_coordinator.organisation,
    )
    booking = seats_book(actor=care_provider_coordinator, session=session, count=2)
    attendee_name(actor=care_provider_coordinator, booking=booking, person=carers[0])
    for _ in range(ROUNDS):
        Attendee.objects.filter(booking=booking).exclude(person=carers[0]).delete()
        outcomes = _name_at_once(booking.pk, [(care_provider_coordinator, carers[1]), (colleague, carers[2])])
        assert sorted(outcomes) == ["all_named", "named"], outcomes
        assert booking.attendees.exclude(status=AttendeeStatus.CANCELLED).count() == 2


def _name_at_once(booking_id, pairs) -> list[str]:
    from training.models import Booking

    barrier = threading.Barrier(len(pairs), timeout=BARRIER_SECONDS)
    outcomes: list[str] = []

    def name(actor, person):
        try:
            booking = Booking.objects.get(pk=booking_id)
            barrier.wait()
            attendee_name(actor=actor, booking=booking, person=person)
            outcomes.append("named")
        except ValidationError as error:
            outcomes.append("all_named" if error.messages == [ALL_SEATS_NAMED] else f"other: {error.messages}")
        except Exception as error:  # noqa: BLE001 — a deadlock or server error would land here
            outcomes.append(f"other: {type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=name, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes
