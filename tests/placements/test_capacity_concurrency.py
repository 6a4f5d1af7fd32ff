"""Capacity is never over-booked: 50 students, each on their own connection, accept at once, 200 times over."""

import os
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from placements.models import Application, Cohort, Placement
from placements.services import offers
from placements.workflow import Status
from tests.conftest import BARRIER_SECONDS
from tests.factories import CohortFactory, PlacementFactory, RoundFactory, StudentFactory
from tests.placements.helpers import make_application

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("many_connections"),
]
THREADS = 50
ROUNDS = int(os.environ.get("OVERBOOKING_ROUNDS", "200"))
CAPACITY = 3


def test_fifty_students_accepting_three_places_never_overbook():
    round_ = RoundFactory()
    cohort = CohortFactory(capacity=CAPACITY, start_date=round_.placements_from + timedelta(days=7))
    applications = []
    for _ in range(THREADS):
        application = make_application(StudentFactory(), round_=round_, age=19)
        PlacementFactory(application=application, cohort=cohort)
        applications.append(application)
    ids = [a.pk for a in applications]
    totals = {"accepted": 0, "full": 0, "other": []}

    for _ in range(ROUNDS):
        Cohort.objects.filter(pk=cohort.pk).update(booked=0)
        Application.objects.filter(pk__in=ids).update(status=Status.OFFERED)
        Placement.objects.filter(application_id__in=ids).update(
            booked_seat=False, accepted_at=None, offer_expires_at=timezone.now() + timedelta(days=1)
        )
        outcomes = _accept_all_at_once(ids)
        booked = Cohort.objects.get(pk=cohort.pk).booked
        accepted = outcomes.count("accepted")
        assert accepted == CAPACITY == booked, (accepted, booked, outcomes)
        assert Application.objects.filter(pk__in=ids, status=Status.ACCEPTED).count() == CAPACITY
        totals["accepted"] += accepted
        totals["full"] += outcomes.count("full")
        totals["other"] += [o for o in outcomes if o.startswith("other")]

    assert totals["other"] == [], totals["other"][:5]  # no deadlocks, no server errors, no surprises
    assert totals["accepted"] == CAPACITY * ROUNDS and totals["full"] == (THREADS - CAPACITY) * ROUNDS


def _accept_all_at_once(application_ids: list[int]) -> list[str]:
    """Each student accepts on their own connection, all released by one barrier; returns what each was told."""
    barrier = threading.Barrier(len(application_ids), timeout=BARRIER_SECONDS)
    outcomes: list[str] = []

    def accept(application_id):
        try:
            application = Application.objects.select_related("student").get(pk=application_id)
            barrier.wait()
            offers.offer_accept(actor=application.student, application=application)
            outcomes.append("accepted")
        except ValidationError as error:
            outcomes.append("full" if error.code == "full" else f"other: {error.messages}")
        except Exception as error:  # noqa: BLE001 — a deadlock or server error would land here
            outcomes.append(f"other: {type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(pk,)) for pk in application_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes
