from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboundEmail
from placements.models import Application, Cohort, MatchingRun, RunKind
from placements.services import offers
from placements.workflow import Status
from tests.factories import CohortFactory, CoordinatorFactory, PlacementFactory
from tests.placements.helpers import make_application


def _offered(student, *, capacity=2, **placement):
    application = make_application(student, age=19)
    Application.objects.filter(pk=application.pk).update(status=Status.OFFERED)
    application.refresh_from_db()
    cohort = CohortFactory(capacity=capacity, start_date=application.round.placements_from + timedelta(days=7))
    CoordinatorFactory(organisation=cohort.opportunity.organisation)
    return application, PlacementFactory(application=application, cohort=cohort, **placement)


@pytest.mark.django_db
def test_accepting_books_one_seat_and_tells_the_host(student):
    application, placement = _offered(student)
    offers.offer_accept(actor=student, application=application)
    application.refresh_from_db()
    placement.refresh_from_db()
    assert application.status == Status.ACCEPTED and placement.booked_seat and placement.accepted_at
    assert Cohort.objects.get(pk=placement.cohort_id).booked == 1
    assert OutboundEmail.objects.filter(template="coordinator_offer_accepted").count() == 1
    with pytest.raises(ValidationError, match="do not have an offer"):
        offers.offer_accept(actor=student, application=application)
    assert Cohort.objects.get(pk=placement.cohort_id).booked == 1


@pytest.mark.django_db
def test_a_full_cohort_says_so_and_changes_nothing(student):
    application, placement = _offered(student, capacity=1)
    Cohort.objects.filter(pk=placement.cohort_id).update(booked=1)
    with pytest.raises(ValidationError, match="this placement is now full"):
        offers.offer_accept(actor=student, application=application)
    application.refresh_from_db()
    assert application.status == Status.OFFERED and Cohort.objects.get(pk=placement.cohort_id).booked == 1


@pytest.mark.django_db
def test_an_expired_offer_cannot_be_accepted(student):
    application, _ = _offered(student, offer_expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="expired"):
        offers.offer_accept(actor=student, application=application)


@pytest.mark.django_db
def test_declining_releases_the_place(student):
    application, placement = _offered(student)
    offers.offer_decline(actor=student, application=application, reason="Dates clash with exams")
    application.refresh_from_db()
    placement.refresh_from_db()
    assert application.status == Status.DECLINED and placement.released_at and not placement.booked_seat
    assert application.status_changes.last().reason == "Dates clash with exams"
    # The next applicant in line does not wait for the nightly run.
    assert MatchingRun.objects.filter(round=application.round, kind=RunKind.BACKFILL).count() == 1


@pytest.mark.django_db
def test_the_dashboard_shows_the_offer_and_accepts_it(client, student):
    application, placement = _offered(student)
    client.force_login(student)
    page = client.get(reverse("placements:student-home")).content.decode()
    assert "You have an offer" in page and placement.cohort.opportunity.title in page and "Accept or decline by" in page
    form = client.get(reverse("placements:offer-accept"))
    assert "Emergency contact" in form.content.decode()
    missing = client.post(reverse("placements:offer-accept"), {"emergency_contact_name": "Pat"})
    assert "Enter their phone number" in missing.content.decode() and 'value="Pat"' in missing.content.decode()
    client.post(
        reverse("placements:offer-accept"),
        {"emergency_contact_name": "Pat Lee", "emergency_contact_phone": "07700 900982"},
    )
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED and application.emergency_contact_phone == "07700 900982"
    assert "Your placement" in client.get(reverse("placements:student-home")).content.decode()


@pytest.mark.django_db
def test_another_student_cannot_answer_my_offer(client, student, other_student):
    application, _ = _offered(student)
    client.force_login(other_student)
    assert (
        client.post(
            reverse("placements:offer-accept"),
            {"emergency_contact_name": "X", "emergency_contact_phone": "07700 900982"},
        ).status_code
        == 404
    )
    assert client.get(reverse("placements:offer-decline")).status_code == 404
    application.refresh_from_db()
    assert application.status == Status.OFFERED
