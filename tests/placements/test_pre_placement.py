from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutboundEmail
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
    assert "Finish the checklist first" in early.content.decode()
    done = client.post(
        url, {"checks": ["identity_seen", "dbs_checked"], "joining_instructions": "Gate 2, 9am", "confirm": "1"}
    )
    assert done.status_code == 302
    assert Application.objects.get(pk=accepted.application_id).status == Status.CONFIRMED
