from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from notifications.models import OutboundEmail
from placements.models import Application, MatchingRun, Placement, RunKind
from placements.services import host_decisions
from placements.services.matching_runs import matching_run_create, matching_run_execute
from placements.workflow import Status
from tests.factories import CohortFactory, RoundFactory
from tests.placements.helpers import ready_application


@pytest.fixture
def proposed(coordinator):
    """Two students matched to a two-place cohort hosted by the coordinator's trust."""
    round_ = RoundFactory()
    cohort = CohortFactory(
        capacity=2,
        start_date=round_.placements_from + timedelta(days=7),
        opportunity__site__organisation=coordinator.organisation,
    )
    apps = [ready_application(round_, [cohort], access_needs="Step-free access") for _ in range(2)]
    matching_run_execute(run_id=matching_run_create(actor=None, round_=round_).pk)
    return cohort, [Placement.objects.get(application=a) for a in apps]


@pytest.mark.django_db
def test_approving_turns_a_match_into_an_offer_and_emails_the_student(coordinator, proposed):
    _, (placement, _) = proposed
    host_decisions.placement_approve(actor=coordinator, placement=placement)
    placement.refresh_from_db()
    assert placement.application.status == Status.OFFERED and placement.offer_expires_at > placement.offered_at
    email = OutboundEmail.objects.get(template="student_offer_made")
    assert email.recipient == placement.application.student and "Accept or decline" in email.body_text
    change = placement.application.status_changes.last()
    assert change.actor == coordinator and change.to_status == Status.OFFERED


@pytest.mark.django_db
def test_a_host_cannot_approve_more_than_it_has_room_for(coordinator, proposed):
    cohort, (first, second) = proposed
    cohort.capacity = 1
    cohort.save()
    host_decisions.placement_approve(actor=coordinator, placement=first)
    with pytest.raises(ValidationError, match="no room left"):
        host_decisions.placement_approve(actor=coordinator, placement=second)
    second.application.refresh_from_db()
    assert second.application.status == Status.MATCHED


@pytest.mark.django_db
def test_declining_needs_a_coded_reason_returns_the_student_to_the_pool_and_queues_a_backfill(
    coordinator, proposed, django_capture_on_commit_callbacks
):
    _, (placement, _) = proposed
    with pytest.raises(ValidationError):
        host_decisions.placement_decline(actor=coordinator, placement=placement, reason="other", note="")
    with django_capture_on_commit_callbacks() as callbacks:
        host_decisions.placement_decline(actor=coordinator, placement=placement, reason="requirements")
    placement.refresh_from_db()
    assert placement.released_at and placement.host_decline_reason == "requirements"
    assert Application.objects.get(pk=placement.application_id).status == Status.READY_FOR_MATCHING
    assert MatchingRun.objects.filter(kind=RunKind.BACKFILL).count() == 1 and len(callbacks) == 1


@pytest.mark.django_db
def test_another_trusts_coordinator_can_neither_see_nor_decide(client, other_trust_coordinator, proposed):
    _, (placement, _) = proposed
    with pytest.raises(PermissionDenied):
        host_decisions.placement_approve(actor=other_trust_coordinator, placement=placement)
    client.force_login(other_trust_coordinator)
    assert placement.application.reference not in client.get(reverse("placements:coordinator-home")).content.decode()
    assert client.get(reverse("placements:match-decline", args=[placement.pk])).status_code == 404
    client.post(reverse("placements:matches-approve"), {"placement": [placement.pk]})
    assert Application.objects.get(pk=placement.application_id).status == Status.MATCHED


@pytest.mark.django_db
def test_queue_bulk_approves_and_shows_what_a_host_needs_without_widening_participation(client, coordinator, proposed):
    _, placements = proposed
    client.force_login(coordinator)
    page = client.get(reverse("placements:coordinator-home")).content.decode()
    assert "Step-free access" in page and "free_school_meals" not in page
    response = client.post(reverse("placements:matches-approve"), {"placement": [p.pk for p in placements]})
    assert response.status_code == 302
    assert set(
        Application.objects.filter(pk__in=[p.application_id for p in placements]).values_list("status", flat=True)
    ) == {Status.OFFERED}


@pytest.mark.django_db
def test_decline_page_validates_the_reason(client, coordinator, proposed):
    _, (placement, _) = proposed
    client.force_login(coordinator)
    url = reverse("placements:match-decline", args=[placement.pk])
    assert "Choose a reason" in client.post(url, {}).content.decode()
    assert "when the reason is" in client.post(url, {"reason": "other"}).content.decode()
    assert client.post(url, {"reason": "fully_booked"}).status_code == 302


@pytest.mark.django_db
def test_queue_does_a_bounded_number_of_queries(client, coordinator, django_assert_max_num_queries):
    round_ = RoundFactory()
    cohort = CohortFactory(
        capacity=60,
        start_date=round_.placements_from + timedelta(days=7),
        opportunity__site__organisation=coordinator.organisation,
    )
    for _ in range(60):
        ready_application(round_, [cohort])
    matching_run_execute(run_id=matching_run_create(actor=None, round_=round_).pk)
    client.force_login(coordinator)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("placements:coordinator-home"))
    assert response.context["page"].paginator.count == 60 and len(response.context["page"]) == 25


@pytest.mark.django_db
def test_coordinator_page_stays_bounded_with_1000_applications(client, coordinator, django_assert_max_num_queries):
    from placements.models import Application
    from tests.factories import StudentFactory

    round_ = RoundFactory()
    cohort = CohortFactory(
        capacity=500,
        start_date=round_.placements_from + timedelta(days=7),
        opportunity__site__organisation=coordinator.organisation,
    )
    statuses = [Status.MATCHED, Status.ACCEPTED, Status.CONFIRMED, Status.IN_PROGRESS]
    students = StudentFactory.create_batch(1000)
    applications = Application.objects.bulk_create(
        Application(
            student=s,
            round=round_,
            reference=f"Q{n}",
            status=statuses[n % 4],
            first_name="S",
            last_name=str(n),
            date_of_birth=round_.placements_from.replace(year=2008),
        )
        for n, s in enumerate(students)
    )
    Placement.objects.bulk_create(Placement(application=a, cohort=cohort) for a in applications)
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("placements:coordinator-home"), {"page": "2", "accepted_page": "3"})
    assert response.context["page"].paginator.count == 250 and len(response.context["page"]) == 25
    assert response.context["accepted"].paginator.count == 250 and response.context["hosting"].paginator.count == 500
