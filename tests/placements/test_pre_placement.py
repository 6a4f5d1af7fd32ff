from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboundEmail
from placements.models import Application, GuardianConsent, Placement
from placements.services import pre_placement
from placements.workflow import Status
from tests.factories import CohortFactory, PlacementFactory
from tests.placements.helpers import make_application


@pytest.fixture
def accepted(coordinator, student):
    """An accepted placement at the coordinator's trust, needing DBS, for a 17-year-old with consent given."""
    application = make_application(student, age=17)
    Application.objects.filter(pk=application.pk).update(status=Status.ACCEPTED)
    application.refresh_from_db()
    GuardianConsent.objects.create(
        application=application,
        guardian_email="parent@example.test",
        token_hash="x" * 64,
        expires_at=timezone.now(),
        given_at=timezone.now(),
    )
    cohort = CohortFactory(
        start_date=application.round.placements_from + timedelta(days=7),
        opportunity__requires_dbs=True,
        opportunity__site__organisation=coordinator.organisation,
    )
    return PlacementFactory(application=application, cohort=cohort, booked_seat=True, accepted_at=timezone.now())


@pytest.mark.django_db
def test_confirm_only_when_the_checklist_is_complete_then_the_student_gets_joining_instructions(coordinator, accepted):
    with pytest.raises(ValidationError, match="Identity seen.*DBS status checked.*Joining instructions"):
        pre_placement.placement_confirm(actor=coordinator, placement=accepted)
    pre_placement.placement_update_checks(
        actor=coordinator,
        placement=accepted,
        ticked={"identity_seen"},
        joining_instructions="Reception, 9am, ask for Sam.",
    )
    with pytest.raises(ValidationError, match="DBS status checked"):
        pre_placement.placement_confirm(actor=coordinator, placement=accepted)
    pre_placement.placement_update_checks(
        actor=coordinator,
        placement=accepted,
        ticked={"identity_seen", "dbs_checked"},
        joining_instructions="Reception, 9am, ask for Sam.",
    )
    assert accepted.checks["identity_seen"]["by"] == coordinator.pk
    pre_placement.placement_confirm(actor=coordinator, placement=accepted)
    accepted.application.refresh_from_db()
    assert accepted.application.status == Status.CONFIRMED and accepted.confirmed_at
    email = OutboundEmail.objects.get(template="student_placement_confirmed")
    assert "Reception, 9am, ask for Sam." in email.body_text
    change = accepted.application.status_changes.last()
    assert change.actor == coordinator and change.to_status == Status.CONFIRMED


@pytest.mark.django_db
def test_an_under_18_without_guardian_consent_cannot_be_confirmed(coordinator, accepted):
    GuardianConsent.objects.update(given_at=None)
    accepted = Placement.objects.select_related("application", "cohort__opportunity").get(pk=accepted.pk)
    pre_placement.placement_update_checks(
        actor=coordinator, placement=accepted, ticked={"identity_seen", "dbs_checked"}, joining_instructions="Gate 2"
    )
    with pytest.raises(ValidationError, match="guardian consent"):
        pre_placement.placement_confirm(actor=coordinator, placement=accepted)


@pytest.mark.django_db
def test_another_organisation_cannot_check_or_confirm(client, other_trust_coordinator, accepted):
    with pytest.raises(PermissionDenied):
        pre_placement.placement_confirm(actor=other_trust_coordinator, placement=accepted)
    client.force_login(other_trust_coordinator)
    assert client.get(reverse("placements:placement-checks", args=[accepted.pk])).status_code == 404


@pytest.mark.django_db
def test_checks_page_saves_then_confirms(client, coordinator, accepted):
    client.force_login(coordinator)
    url = reverse("placements:placement-checks", args=[accepted.pk])
    assert "Pre-placement checks" in client.get(url).content.decode()
    early = client.post(url, {"checks": ["identity_seen"], "joining_instructions": "Gate 2", "confirm": "1"})
    # What is missing is said next to the checklist, and what was ticked is kept.
    assert "Tick every check before you confirm the placement: DBS status checked" in early.content.decode()
    accepted.refresh_from_db()
    assert set(accepted.checks) == {"identity_seen"} and accepted.joining_instructions == "Gate 2"
    assert Application.objects.get(pk=accepted.application_id).status == Status.ACCEPTED
    done = client.post(
        url, {"checks": ["identity_seen", "dbs_checked"], "joining_instructions": "Gate 2, 9am", "confirm": "1"}
    )
    assert done.status_code == 302
    assert Application.objects.get(pk=accepted.application_id).status == Status.CONFIRMED


def _confirmed(accepted, coordinator):
    pre_placement.placement_update_checks(
        actor=coordinator, placement=accepted, ticked={"identity_seen", "dbs_checked"}, joining_instructions="Gate 2"
    )
    return pre_placement.placement_confirm(actor=coordinator, placement=accepted)


@pytest.mark.django_db
def test_attendance_then_completion_then_the_student_prints_a_certificate(client, coordinator, accepted):
    placement = _confirmed(accepted, coordinator)
    start, end = placement.cohort.start_date, placement.cohort.end_date
    with pytest.raises(ValidationError, match="from the first day"):
        pre_placement.placement_record_attendance(
            actor=coordinator, placement=placement, attended=True, today=start - timedelta(days=1)
        )
    pre_placement.placement_record_attendance(actor=coordinator, placement=placement, attended=True, today=start)
    with pytest.raises(ValidationError, match="last day"):
        pre_placement.placement_complete(actor=coordinator, placement=placement, feedback="Great", today=start)
    pre_placement.placement_complete(actor=coordinator, placement=placement, feedback="Curious and kind.", today=end)
    application = Application.objects.get(pk=placement.application_id)
    assert application.status == Status.COMPLETED
    assert [
        c.actor for c in application.status_changes.filter(to_status__in=[Status.IN_PROGRESS, Status.COMPLETED])
    ] == [coordinator] * 2
    client.force_login(application.student)
    certificate = client.get(reverse("placements:certificate")).content.decode()
    assert "Certificate of completion" in certificate and "Curious and kind." in certificate
    assert application.last_name in certificate


@pytest.mark.django_db
def test_did_not_attend_is_recorded_and_no_certificate(client, coordinator, accepted):
    placement = _confirmed(accepted, coordinator)
    pre_placement.placement_record_attendance(
        actor=coordinator, placement=placement, attended=False, today=placement.cohort.start_date
    )
    application = Application.objects.get(pk=placement.application_id)
    assert application.status == Status.DID_NOT_ATTEND
    client.force_login(application.student)
    assert client.get(reverse("placements:certificate")).status_code == 404


@pytest.mark.django_db
def test_another_trust_cannot_record_attendance(client, coordinator, other_trust_coordinator, accepted):
    placement = _confirmed(accepted, coordinator)
    client.force_login(other_trust_coordinator)
    assert (
        client.post(reverse("placements:placement-attendance", args=[placement.pk]), {"attended": "yes"}).status_code
        == 404
    )
    assert Application.objects.get(pk=placement.application_id).status == Status.CONFIRMED
