"""'About your work' comes before the domains; a submitted sitting stores its levels for the dashboard."""

import pytest
from django.urls import reverse

from skills.models import Assessment
from skills.services import assessment_start, assessment_submit
from tests.skills.conftest import answer_all

pytestmark = pytest.mark.django_db


def test_the_first_page_asks_about_work_and_says_why(client, staff_member, domains):
    client.force_login(staff_member)
    response = client.post(reverse("skills:assessment-start"))
    assessment = Assessment.objects.get()
    assert response.url == reverse("skills:about-work", args=[assessment.pk])
    page = client.get(response.url).content.decode()
    assert "so your employer can see which teams need support; they never see your answers" in page
    response = client.post(response.url, {"staff_group": "admin_clerical", "department": "  Ward   7 "})
    assert response.url == reverse("skills:domain", args=[assessment.pk, domains[0].key])
    assessment.refresh_from_db()
    assert (assessment.staff_group, assessment.department, assessment.department_key) == (
        "admin_clerical",
        "Ward 7",
        "ward 7",
    )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"staff_group": "pilots", "department": "x"},
        {"staff_group": "doctors", "department": "   "},
        {"staff_group": "doctors", "department": "x" * 81},
    ],
)
def test_wrong_answers_about_work_are_messages(client, staff_member, v1, data):
    client.force_login(staff_member)
    assessment = assessment_start(actor=staff_member)
    response = client.post(reverse("skills:about-work", args=[assessment.pk]), data)
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.staff_group == ""


def test_someone_elses_about_work_page_is_404(client, staff_member, other_trust_staff_member, v1):
    assessment = assessment_start(actor=other_trust_staff_member)
    client.force_login(staff_member)
    assert client.get(reverse("skills:about-work", args=[assessment.pk])).status_code == 404


def test_a_second_sitting_offers_last_times_answers(client, staff_member, domains):
    client.force_login(staff_member)
    first = assessment_start(actor=staff_member)
    client.post(reverse("skills:about-work", args=[first.pk]), {"staff_group": "doctors", "department": "A&E"})
    answer_all(client, first, domains)
    assessment_submit(actor=staff_member, assessment=first)
    second = assessment_start(actor=staff_member)
    page = client.get(reverse("skills:about-work", args=[second.pk])).content.decode()
    assert 'value="A&amp;E"' in page


def test_submitting_stores_the_level_of_each_domain(client, staff_member, domains):
    client.force_login(staff_member)
    assessment = assessment_start(actor=staff_member)
    client.post(reverse("skills:about-work", args=[assessment.pk]), {"staff_group": "doctors", "department": "A&E"})
    answer_all(client, assessment, domains, "confidently", overrides={"email": "not_yet"})
    assessment = assessment_submit(actor=staff_member, assessment=assessment)
    assert assessment.levels == {d.key: (0 if d.key == "communication" else 4) for d in domains}


def test_the_migration_fills_in_levels_of_assessments_sent_before_it(client, staff_member, domains):
    import importlib

    from django.apps import apps

    client.force_login(staff_member)
    assessment = assessment_start(actor=staff_member)
    answer_all(client, assessment, domains, "with_help")
    assessment = assessment_submit(actor=staff_member, assessment=assessment)
    Assessment.objects.filter(pk=assessment.pk).update(levels={})
    importlib.import_module("skills.migrations.0003_dashboard").backfill_levels(apps, None)
    assessment.refresh_from_db()
    assert assessment.levels == dict.fromkeys((d.key for d in domains), 4)
