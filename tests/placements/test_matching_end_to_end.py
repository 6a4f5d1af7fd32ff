"""From submitted applications to offers, on PostgreSQL: submit, consent, match (Celery task), approve, accept."""

import re
from datetime import timedelta

import pytest

from notifications.models import OutboundEmail
from placements.models import Application, Cohort, MatchingRun, Placement, RunStatus
from placements.services import applications, host_decisions, offers
from placements.services.matching_runs import matching_run_create
from placements.tasks import run_matching_task
from placements.workflow import Status
from tests.factories import CohortFactory, RoundFactory, StudentFactory
from tests.placements.helpers import make_application

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_applications_become_offers_and_accepted_places(coordinator):
    round_ = RoundFactory()
    start = round_.placements_from + timedelta(days=7)
    ward = CohortFactory(
        capacity=2,
        start_date=start,
        opportunity__title="Ward",
        opportunity__site__organisation=coordinator.organisation,
        opportunity__site__postcode="SE15 4AA",
    )
    pharmacy = CohortFactory(
        capacity=1,
        start_date=start,
        opportunity__title="Pharmacy",
        opportunity__site__organisation=coordinator.organisation,
        opportunity__profession_area="pharmacy",
    )
    students = [StudentFactory() for _ in range(4)]
    for index, student in enumerate(students):
        application = make_application(
            student, round_=round_, age=16 if index == 0 else 19, profession_areas=["nursing", "pharmacy"]
        )
        applications.choice_add(actor=student, application=application, opportunity=pharmacy.opportunity)
        applications.application_submit(actor=student, application=application)

    # The under-18 waits for consent, then joins the pool.
    body = OutboundEmail.objects.get(template="guardian_consent_request").body_text
    applications.guardian_consent_give(
        token=re.search(r"/consent/([^/\s]+)/", body).group(1), guardian_name="Pat", relationship="Mother"
    )
    assert Application.objects.filter(status=Status.READY_FOR_MATCHING).count() == 4

    run = matching_run_create(actor=None, round_=round_)
    run_matching_task.apply(args=[run.pk])  # the task body, as a worker runs it
    run_matching_task.apply(args=[run.pk])  # delivered twice: harmless
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.matched == 3 and run.percent_matched == 75.0
    assert MatchingRun.objects.count() == 1

    proposed = list(host_decisions.proposed_for(coordinator))
    assert len(proposed) == 3
    for placement in proposed:
        host_decisions.placement_approve(actor=coordinator, placement=placement)
    assert OutboundEmail.objects.filter(template="student_offer_made").count() == 3

    for placement in Placement.objects.filter(released_at__isnull=True).select_related("application__student"):
        offers.offer_accept(actor=placement.application.student, application=placement.application)
    assert Application.objects.filter(status=Status.ACCEPTED).count() == 3
    assert Cohort.objects.get(pk=ward.pk).booked == 2 and Cohort.objects.get(pk=pharmacy.pk).booked == 1
    assert Application.objects.filter(status=Status.READY_FOR_MATCHING).count() == 1
