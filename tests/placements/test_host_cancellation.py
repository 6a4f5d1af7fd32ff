"""Hosts cancel a place (coded reason, student told, seat back, backfill run); students who cancel tell the host."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboundEmail
from placements.models import Application, Cohort, MatchingRun, Placement, RunKind
from placements.services import applications, host_cancellation
from placements.workflow import Status
from tests.factories import CohortFactory, CoordinatorFactory, PlacementFactory, RoundFactory
from tests.placements.helpers import ready_application


def _place(coordinator, status=Status.ACCEPTED, *, booked=True):
    """A student's place at the coordinator's trust, at ``status``, with the seat booked if accepted or later."""
    round_ = RoundFactory()
    cohort = CohortFactory(
        capacity=3,
        start_date=round_.placements_from + timedelta(days=7),
        opportunity__site__organisation=coordinator.organisation,
    )
    application = ready_application(round_, [cohort], status=status)
    if booked:
        Cohort.objects.filter(pk=cohort.pk).update(booked=1)
    return PlacementFactory(application=application, cohort=cohort, booked_seat=booked, accepted_at=timezone.now())


def _status(placement):
    return Application.objects.get(pk=placement.application_id).status


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.CONFIRMED, Status.IN_PROGRESS])
def test_a_host_cancels_a_place_with_a_reason_the_seat_returns_a_backfill_runs_and_the_student_is_told(
    coordinator, status, django_capture_on_commit_callbacks
):
    placement = _place(coordinator, status)
    with django_capture_on_commit_callbacks() as callbacks:
        host_cancellation.placement_cancel_by_host(
            actor=coordinator, placement=placement, reason="staffing", note="Our supervisor is off sick."
        )
    placement.refresh_from_db()
    assert _status(placement) == Status.CANCELLED_BY_HOST
    assert placement.released_at and placement.release_reason == "cancelled_by_host"
    assert placement.host_cancel_reason == "staffing" and placement.host_cancel_note == "Our supervisor is off sick."
    assert Cohort.objects.get(pk=placement.cohort_id).booked == 0
    assert MatchingRun.objects.filter(kind=RunKind.BACKFILL).count() == 1 and len(callbacks) >= 1
    change = placement.application.status_changes.last()
    assert change.actor == coordinator and "Not enough staff" in change.reason
    email = OutboundEmail.objects.get(template="student_placement_cancelled_by_host")
    assert email.recipient == placement.application.student
    assert email.dedupe_key.endswith(f":application:{placement.application_id}")
    assert "Not enough staff to supervise the placement" in email.body_text
    assert '"Our supervisor is off sick."' in email.body_text and "do not go to the placement" in email.body_text


@pytest.mark.django_db
def test_a_cancellation_needs_a_coded_reason_and_a_note_for_other(coordinator):
    placement = _place(coordinator)
    with pytest.raises(ValidationError):
        host_cancellation.placement_cancel_by_host(actor=coordinator, placement=placement, reason="bored")
    with pytest.raises(ValidationError, match="when the reason is"):
        host_cancellation.placement_cancel_by_host(actor=coordinator, placement=placement, reason="other", note=" ")
    assert _status(placement) == Status.ACCEPTED


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.MATCHED, Status.OFFERED, Status.COMPLETED])
def test_only_places_the_student_holds_can_be_cancelled(coordinator, status):
    placement = _place(coordinator, status, booked=False)
    with pytest.raises(ValidationError, match="can be cancelled"):
        host_cancellation.placement_cancel_by_host(actor=coordinator, placement=placement, reason="staffing")
    assert _status(placement) == status


@pytest.mark.django_db
def test_another_trusts_coordinator_cannot_cancel(client, coordinator, other_trust_coordinator):
    placement = _place(coordinator)
    with pytest.raises(PermissionDenied):
        host_cancellation.placement_cancel_by_host(
            actor=other_trust_coordinator, placement=placement, reason="staffing"
        )
    client.force_login(other_trust_coordinator)
    url = reverse("placements:placement-cancel", args=[placement.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "staffing"}).status_code == 404
    assert _status(placement) == Status.ACCEPTED


@pytest.mark.django_db
def test_the_cancel_page_validates_then_cancels(client, coordinator):
    placement = _place(coordinator, Status.CONFIRMED)
    client.force_login(coordinator)
    home = client.get(reverse("placements:coordinator-home")).content.decode()
    url = reverse("placements:placement-cancel", args=[placement.pk])
    assert url in home
    page = client.get(url).content.decode()
    assert "Cancel this place" in page and "Message to the student (optional)" in page
    assert "Choose why you are cancelling" in client.post(url, {}).content.decode()
    assert "when the reason is" in client.post(url, {"reason": "other"}).content.decode()
    response = client.post(url, {"reason": "dates_changed"}, follow=True)
    assert "Place cancelled" in response.content.decode()
    assert _status(placement) == Status.CANCELLED_BY_HOST
    assert client.get(url).status_code == 404  # nothing left to cancel


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "had_accepted"), [(Status.ACCEPTED, True), (Status.CONFIRMED, True), (Status.OFFERED, False)]
)
def test_when_a_student_cancels_or_withdraws_from_an_offer_each_host_coordinator_is_told(
    coordinator, other_trust_coordinator, status, had_accepted
):
    colleague = CoordinatorFactory(organisation=coordinator.organisation)
    placement = _place(coordinator, status, booked=had_accepted)
    student = placement.application.student
    applications.application_withdraw(actor=student, application=placement.application, reason="Exams moved")
    emails = OutboundEmail.objects.filter(template="coordinator_place_cancelled_by_student")
    assert {e.recipient for e in emails} == {coordinator, colleague}
    email = emails.get(recipient=coordinator)
    assert placement.application.reference in email.body_text and placement.cohort.opportunity.title in email.subject
    assert ("cancelled their place" in email.subject) is had_accepted
    assert Cohort.objects.get(pk=placement.cohort_id).booked == 0


@pytest.mark.django_db
def test_a_student_withdrawing_before_any_offer_does_not_email_the_host(coordinator):
    placement = _place(coordinator, Status.MATCHED, booked=False)
    applications.application_withdraw(
        actor=placement.application.student, application=placement.application, reason="Changed my mind"
    )
    assert not OutboundEmail.objects.filter(template="coordinator_place_cancelled_by_student").exists()
    assert Placement.objects.get(pk=placement.pk).released_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "heading", "told"),
    [
        (Status.ACCEPTED, "Cancel your place", "to tell them you have cancelled"),
        (Status.CONFIRMED, "Cancel your place", "to tell them you have cancelled"),
        (Status.OFFERED, "Withdraw your application", "to tell them you will not be taking the offer"),
    ],
)
def test_the_students_cancel_page_says_the_host_will_be_told(client, coordinator, status, heading, told):
    placement = _place(coordinator, status, booked=status != Status.OFFERED)
    client.force_login(placement.application.student)
    page = client.get(reverse("placements:application-withdraw")).content.decode()
    assert heading in page and told in page
    assert f"We will email {coordinator.organisation.name}" in page
    assert placement.cohort.opportunity.title in page


@pytest.mark.django_db
def test_the_withdraw_page_before_any_offer_promises_no_email_to_a_host(client, coordinator):
    placement = _place(coordinator, Status.MATCHED, booked=False)
    client.force_login(placement.application.student)
    page = client.get(reverse("placements:application-withdraw")).content.decode()
    assert "Withdraw your application" in page and "We will email" not in page
