"""The site admin's round and application pages: dates that would strand placed students are refused, and
staff read statuses in staff words."""

from datetime import timedelta

import pytest
from django.urls import reverse

from placements.models import Application, Round
from placements.workflow import Status
from tests.factories import CohortFactory, PlacementFactory, RoundFactory
from tests.placements.helpers import make_application

pytestmark = pytest.mark.django_db


def _round_form(round_, **changes):
    data = {
        field: getattr(round_, field).isoformat()
        if hasattr(getattr(round_, field), "isoformat")
        else getattr(round_, field)
        for field in (
            "name",
            "applications_open_on",
            "applications_close_on",
            "matching_on",
            "outcomes_by",
            "placements_from",
            "placements_to",
        )
    }
    data.update({k: v.isoformat() for k, v in changes.items()})
    return data


def test_a_round_cannot_be_shortened_past_a_placement_it_holds(client, site_admin, student):
    round_ = RoundFactory()
    cohort = CohortFactory(start_date=round_.placements_to - timedelta(days=4), end_date=round_.placements_to)
    application = make_application(student, round_=round_)
    Application.objects.filter(pk=application.pk).update(status=Status.ACCEPTED)
    PlacementFactory(application=application, cohort=cohort)
    client.force_login(site_admin)
    url = reverse("admin:placements_round_change", args=[round_.pk])

    response = client.post(url, _round_form(round_, placements_to=round_.placements_to - timedelta(days=10)))

    assert response.status_code == 200
    assert "1 placement in this round is outside these dates" in response.content.decode()
    assert Round.objects.get(pk=round_.pk).placements_to == round_.placements_to

    response = client.post(url, _round_form(round_, placements_to=round_.placements_to + timedelta(days=10)))
    assert response.status_code == 302
    assert Round.objects.get(pk=round_.pk).placements_to == round_.placements_to + timedelta(days=10)


def test_the_site_admin_reads_cancelled_by_the_student_not_cancelled_by_you(client, site_admin, student):
    application = make_application(student, round_=RoundFactory())
    Application.objects.filter(pk=application.pk).update(status=Status.CANCELLED_BY_STUDENT)
    client.force_login(site_admin)

    listing = client.get(reverse("admin:placements_application_changelist")).content.decode()
    filtered = client.get(
        reverse("admin:placements_application_changelist"), {"status__exact": Status.CANCELLED_BY_STUDENT}
    )
    detail = client.get(reverse("admin:placements_application_change", args=[application.pk])).content.decode()

    assert "Cancelled by you" not in listing and "Cancelled by the student" in listing
    assert [a.pk for a in filtered.context["cl"].result_list] == [application.pk]
    assert "Cancelled by you" not in detail and "Cancelled by the student" in detail
