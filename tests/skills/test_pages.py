"""The staff member's self-assessment pages: save-and-return, errors, result, permissions, hostile input."""

import json

import pytest
from django.urls import reverse

from skills.models import Assessment, Response
from skills.services import assessment_start
from tests.skills.conftest import answer_all

pytestmark = pytest.mark.django_db


def start(client):
    response = client.post(reverse("skills:assessment-start"))
    assert response.status_code == 302
    assessment = Assessment.objects.get(submitted_at__isnull=True)
    if response.url == reverse("skills:about-work", args=[assessment.pk]):
        # "About your work" comes first (the dashboard slice); answer it, then the flow is as before.
        response = client.post(response.url, {"staff_group": "nurses_midwives", "department": "Ward 7"})
        assert response.status_code == 302
    return assessment, response


def test_start_page_says_who_sees_what(client, staff_member, v1):
    client.force_login(staff_member)
    page = client.get(reverse("skills:start")).content.decode()
    assert "about 15 minutes" in page
    assert "Your employer sees only totals of 5 or more people, never your answers" in page


def test_save_and_return_resumes_where_the_person_left_off(client, staff_member, domains):
    client.force_login(staff_member)
    assessment, response = start(client)
    assert response.url == reverse("skills:domain", args=[assessment.pk, "identity"])
    first = domains[0]
    statements = list(first.statements.all())
    # Half the first page, then "come back later": saved without errors.
    data = {f"s{s.pk}": "with_help" for s in statements[:3]} | {"save_and_exit": ""}
    response = client.post(reverse("skills:domain", args=[assessment.pk, first.key]), data)
    assert response.status_code == 302 and response.url == reverse("skills:start")
    assert Response.objects.filter(assessment=assessment).count() == 3
    # Another day: "carry on" reopens the same sitting at the first page with a question left.
    page = client.get(reverse("skills:start")).content.decode()
    assert "Carry on where you left off" in page
    again, response = start(client)
    assert again == assessment and response.url.endswith(f"/{first.key}/")
    page = client.get(response.url).content.decode()
    assert page.count("checked") == 3  # earlier answers are shown
    # Finish the first page, then the second starts.
    rest = {f"s{s.pk}": "not_sure" for s in statements[3:]}
    response = client.post(reverse("skills:domain", args=[assessment.pk, first.key]), rest)
    assert response.url == reverse("skills:domain", args=[assessment.pk, domains[1].key])
    assert start(client)[1].url.endswith(f"/{domains[1].key}/")


def test_an_unanswered_question_shows_the_error_summary(client, staff_member, domains):
    client.force_login(staff_member)
    assessment, _ = start(client)
    statement = domains[0].statements.first()
    response = client.post(reverse("skills:domain", args=[assessment.pk, "identity"]), {f"s{statement.pk}": "not_yet"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Error:" in page
    assert "Select an answer for" in page
    assert Response.objects.filter(assessment=assessment).count() == 0  # nothing half-saved on an error


def test_the_whole_sitting_gives_a_result_and_a_learning_plan(client, staff_member, domains):
    client.force_login(staff_member)
    assessment, _ = start(client)
    response = answer_all(
        client, assessment, domains, "confidently", overrides={"email": "not_yet", "devices": "with_help"}
    )
    assert response.url == reverse("skills:check", args=[assessment.pk])
    response = client.post(reverse("skills:check", args=[assessment.pk]))
    assert response.url == reverse("skills:result", args=[assessment.pk])
    page = client.get(response.url).content.decode()
    assert "Level 4: Leading" in page and "Starting out" in page  # communication: a level-1 "not yet"
    assert "Start here" in page and "I can read, write and reply to work emails" in page
    assert "https://www.learnmyway.com/" in page  # level-1 resources for communication
    assert "Before (" not in page  # no earlier sitting


def test_sending_twice_or_early_is_harmless(client, staff_member, domains):
    client.force_login(staff_member)
    assessment, _ = start(client)
    response = client.post(reverse("skills:check", args=[assessment.pk]))
    assert response.status_code == 200 and "Answer every question" in response.content.decode()
    answer_all(client, assessment, domains)
    client.post(reverse("skills:check", args=[assessment.pk]))
    sent = Assessment.objects.get(pk=assessment.pk).submitted_at
    assert client.post(reverse("skills:check", args=[assessment.pk])).status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).submitted_at == sent
    # A submitted sitting's pages lead to its result; answers cannot change.
    response = client.post(
        reverse("skills:domain", args=[assessment.pk, "identity"]),
        {f"s{s.pk}": "not_yet" for s in domains[0].statements.all()},
    )
    assert response.url == reverse("skills:result", args=[assessment.pk])
    assert not Response.objects.filter(assessment=assessment, answer="not_yet").exists()


def test_reassessing_shows_the_previous_result_side_by_side(client, staff_member, domains):
    client.force_login(staff_member)
    first, _ = start(client)
    answer_all(client, first, domains, "not_yet")
    client.post(reverse("skills:check", args=[first.pk]))
    second, _ = start(client)
    assert second != first
    answer_all(client, second, domains, "confidently")
    client.post(reverse("skills:check", args=[second.pk]))
    page = client.get(reverse("skills:result", args=[second.pk])).content.decode()
    assert "Before (" in page and "Level 4: Leading" in page and "Level 0" not in page
    assert "Before </span>Starting out" in page
    record = json.loads(client.get(reverse("skills:download")).content)["assessments"]
    assert [a["domains"][0]["level"] for a in record] == [0, 4]
    assert record[0]["domains"][0]["answers"][0]["answer"] == "not_yet"


def test_sharing_is_the_persons_choice(client, staff_member, domains):
    client.force_login(staff_member)
    assessment, _ = start(client)
    url = reverse("skills:share", args=[assessment.pk])
    client.post(url, {"share": "yes"})
    assert not Assessment.objects.get(pk=assessment.pk).shared_with_employer  # not sent yet
    answer_all(client, assessment, domains)
    client.post(reverse("skills:check", args=[assessment.pk]))
    assert client.post(url, {"share": "maybe"}).status_code == 302
    assert not Assessment.objects.get(pk=assessment.pk).shared_with_employer
    client.post(url, {"share": "yes"})
    assert Assessment.objects.get(pk=assessment.pk).shared_with_employer
    client.post(url, {"share": "no"})
    assert not Assessment.objects.get(pk=assessment.pk).shared_with_employer


@pytest.mark.parametrize(
    "data",
    [
        {"s{first}": "definitely"},
        {"s{first}": "x" * 10000},
        {"s999999999": "confidently"},
        {"s{first}": ["confidently", "not_yet"]},
        {"s{other_domain}": "confidently"},
    ],
)
def test_hostile_answers_give_a_message_never_a_500(client, staff_member, domains, data):
    client.force_login(staff_member)
    assessment, _ = start(client)
    first = domains[0].statements.first().pk
    other_domain = domains[1].statements.first().pk
    filled = {key.format(first=first, other_domain=other_domain): value for key, value in data.items()}
    response = client.post(reverse("skills:domain", args=[assessment.pk, "identity"]), filled)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Response.objects.filter(assessment=assessment).exclude(answer__in=["confidently"]).exists()
    assert not Response.objects.filter(statement_id=other_domain).exists()


def test_unknown_domains_and_huge_ids_are_404(client, staff_member, v1):
    client.force_login(staff_member)
    assessment, _ = start(client)
    assert client.get(reverse("skills:domain", args=[assessment.pk, "no-such-domain"])).status_code == 404
    assert client.get(f"/skills/assessment/{10**30}/result/").status_code == 404


@pytest.mark.parametrize("name", ["skills:domain", "skills:check", "skills:result"])
def test_another_staff_members_assessment_is_404(client, staff_member, other_trust_staff_member, name, v1):
    from tests import factories

    colleague = factories.StaffMemberFactory(email="colleague@example.test", organisation=staff_member.organisation)
    assessment = assessment_start(actor=staff_member)
    kwargs = {"pk": assessment.pk} | ({"key": "identity"} if name == "skills:domain" else {})
    for person in (colleague, other_trust_staff_member):
        client.force_login(person)
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
        assert client.post(reverse(name, kwargs=kwargs)).status_code == 404
        assert client.post(reverse("skills:share", args=[assessment.pk]), {"share": "yes"}).status_code == 404
    assert not Assessment.objects.get(pk=assessment.pk).shared_with_employer


@pytest.mark.parametrize("visitor", ["student", "tutor", "coordinator", "admin", "partner", "care_coordinator"])
def test_other_roles_get_404_even_for_a_real_assessment(client, personas, staff_member, visitor, v1):
    assessment = assessment_start(actor=staff_member)
    client.force_login(personas[visitor])
    for url in (
        reverse("skills:start"),
        reverse("skills:result", args=[assessment.pk]),
        reverse("skills:domain", args=[assessment.pk, "identity"]),
        reverse("skills:download"),
    ):
        assert client.get(url).status_code == 404


def test_services_refuse_people_who_are_not_the_owner(staff_member, other_trust_staff_member, coordinator, domains):
    from django.core.exceptions import PermissionDenied

    from skills.services import assessment_answer_domain, assessment_share, assessment_submit

    assessment = assessment_start(actor=staff_member)
    for outsider in (other_trust_staff_member, coordinator):
        with pytest.raises(PermissionDenied):
            assessment_answer_domain(actor=outsider, assessment=assessment, domain=domains[0], answers={})
        with pytest.raises(PermissionDenied):
            assessment_submit(actor=outsider, assessment=assessment)
        with pytest.raises(PermissionDenied):
            assessment_share(actor=outsider, assessment=assessment, share=True)
    with pytest.raises(PermissionDenied):
        assessment_start(actor=coordinator)


def test_a_result_page_reads_a_bounded_number_of_queries(client, staff_member, domains, django_assert_max_num_queries):
    client.force_login(staff_member)
    assessment, _ = start(client)
    answer_all(client, assessment, domains, "with_help")
    client.post(reverse("skills:check", args=[assessment.pk]))
    with django_assert_max_num_queries(25):
        assert client.get(reverse("skills:result", args=[assessment.pk])).status_code == 200
