"""The student's pages say what is true: answers, errors that link to the answer, eligibility judged on answers
given, stable section numbers and honest statuses."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from placements.models import Application, ApplicationChoice, DbsStatus, WideningParticipation
from placements.workflow import Status
from tests.factories import CohortFactory, RoundFactory
from tests.placements.helpers import make_application

REVIEW = reverse("placements:application-review")
HOME = reverse("placements:student-home")


def step(slug):
    return reverse("placements:application-step", kwargs={"slug": slug})


def _summary_links(html: str) -> list[tuple[str, str]]:
    summary = html.split('class="nhsuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="([^"]*)">([^<]*)</a>', summary)


def _choose(application, cohort, rank=1):
    return ApplicationChoice.objects.create(application=application, opportunity=cohort.opportunity, rank=rank)


@pytest.mark.django_db
def test_check_your_answers_shows_the_travel_distance_with_its_number(client, student):
    make_application(student, max_travel_km=15)
    client.force_login(student)
    page = client.get(REVIEW).content.decode()
    assert re.search(r"Travel</dt>\s*<dd[^>]*>Up to 15 km</dd>", page)


@pytest.mark.django_db
def test_check_your_answers_errors_link_to_the_page_and_the_question_to_answer(client, student):
    make_application(student, age=19, supporting_statement="", dbs_status="")
    client.force_login(student)
    links = _summary_links(client.post(REVIEW).content.decode())
    assert links == [
        (step("checks") + "#id_dbs_status_0", "Complete ‘Checks and support’ before you submit"),
        (step("statement") + "#id_supporting_statement", "Complete ‘Why health or care’ before you submit"),
    ]


@pytest.mark.django_db
def test_a_missing_date_of_birth_links_to_the_day_box(client, student):
    make_application(student, date_of_birth=None)
    client.force_login(student)
    links = _summary_links(client.post(REVIEW).content.decode())
    assert links[0][0] == step("about-you") + "#id_date_of_birth_0"


@pytest.mark.django_db
def test_an_ineligible_choice_is_listed_once_after_submitting(client, student):
    application = make_application(student, age=19, dbs_status=DbsStatus.NONE)
    cohort = CohortFactory(
        opportunity__title="Theatre week",
        opportunity__requires_dbs=True,
        start_date=application.round.placements_from + timedelta(days=3),
    )
    _choose(application, cohort)
    client.force_login(student)
    page = client.post(REVIEW).content.decode()
    summary = page.split('class="nhsuk-error-summary"', 1)[1].split("</div>", 1)[0]
    assert summary.count("Theatre week") == 1
    assert _summary_links(page) == [
        (
            step("interests") + "#choices",
            "Theatre week: you cannot be placed here because it needs a DBS check, and you have told us you do not "
            "have one yet",
        )
    ]
    application.refresh_from_db()
    assert application.status == Status.DRAFT


@pytest.mark.django_db
def test_choices_page_says_the_checks_are_unanswered_rather_than_failed(client, student):
    application = make_application(student, dbs_status="", vaccinations=[])
    cohort = CohortFactory(
        opportunity__title="Theatre week",
        opportunity__requires_dbs=True,
        opportunity__required_vaccinations=["mmr"],
        start_date=application.round.placements_from + timedelta(days=3),
    )
    _choose(application, cohort)
    client.force_login(student)
    page = client.get(step("interests")).content.decode()
    assert "nhsuk-error-message" not in page and "cannot be placed" not in page
    assert "You have not answered the checks questions yet." in page
    assert f'<a href="{step("checks")}">Answer the checks questions</a>' in page

    # Once answered, the answer given decides, and the error sits beside the choice it is about.
    Application.objects.filter(pk=application.pk).update(dbs_status=DbsStatus.NONE)
    page = client.get(step("interests")).content.decode()
    assert "You cannot be placed here because it needs a DBS check" in page
    assert "You have not answered the checks questions yet" not in page


@pytest.mark.django_db
def test_adding_an_ineligible_choice_is_not_reported_as_a_success(client, student):
    application = make_application(student, age=19, dbs_status=DbsStatus.NONE)
    cohort = CohortFactory(
        opportunity__title="Theatre week",
        opportunity__requires_dbs=True,
        start_date=application.round.placements_from + timedelta(days=3),
    )
    client.force_login(student)
    page = client.post(reverse("placements:choice-add", args=[cohort.opportunity.pk]), follow=True).content.decode()
    assert "Success" not in page and "nhsuk-notification-banner--success" not in page
    assert "is now one of your choices, but you cannot be placed there because it needs a DBS check" in page

    eligible = CohortFactory(opportunity__title="Ward week", start_date=cohort.start_date)
    page = client.post(reverse("placements:choice-add", args=[eligible.opportunity.pk]), follow=True).content.decode()
    assert "nhsuk-notification-banner--success" in page and "‘Ward week’ is now one of your choices." in page


def _caption(client, slug) -> str:
    return re.search(r"Section \d+ of \d+", client.get(step(slug)).content.decode()).group(0)


@pytest.mark.django_db
@pytest.mark.parametrize("age", [16, 19])
def test_section_numbers_do_not_change_with_the_date_of_birth(client, student, age):
    RoundFactory()
    client.force_login(student)
    client.post(reverse("placements:application-start"))
    assert _caption(client, "about-you") == "Section 1 of 8"
    today = timezone.localdate()
    Application.objects.filter(student=student).update(date_of_birth=today.replace(year=today.year - age))
    assert _caption(client, "about-you") == "Section 1 of 8"
    assert _caption(client, "education") == "Section 2 of 8"
    assert _caption(client, "declarations") == "Section 8 of 8"
    if age < 18:  # the parent's email is asked straight after the date of birth, as part of section 1
        assert _caption(client, "guardian") == "Section 1 of 8"
    else:
        assert client.get(step("guardian")).status_code == 404


@pytest.mark.django_db
def test_under_18s_go_from_about_you_to_their_parents_email(client, student):
    RoundFactory()
    client.force_login(student)
    client.post(reverse("placements:application-start"))
    today = timezone.localdate()
    dob = today.replace(year=today.year - 16) - timedelta(days=20)
    response = client.post(
        step("about-you"),
        {
            "first_name": "Sam",
            "last_name": "Lee",
            "home_postcode": "SE15 4AA",
            "date_of_birth_day": dob.day,
            "date_of_birth_month": dob.month,
            "date_of_birth_year": dob.year,
        },
    )
    assert response.url == step("guardian")
    home = client.get(HOME).content.decode()
    # About you is not done until the parent's email is given, and the list has the same 8 sections.
    assert home.count('class="app-task-list__item"') == 8
    assert re.search(r">About you</a>\s*<strong[^>]*>In progress</strong>", home)
    assert f'href="{step("guardian")}">About you</a>' in home


@pytest.mark.django_db
def test_about_your_background_is_not_completed_until_it_is_saved(client, student):
    application = make_application(student)
    WideningParticipation.objects.filter(application=application).delete()
    client.force_login(student)
    home = client.get(HOME).content.decode()
    assert re.search(r">About your background</a>.*?<strong[^>]*>Not started</strong>", home, re.S)

    client.get(step("widening-participation"))  # looking is not answering
    home = client.get(HOME).content.decode()
    assert re.search(r">About your background</a>.*?<strong[^>]*>Not started</strong>", home, re.S)
    # The questions are optional: not answering them never stops a student submitting.
    assert "Complete ‘About your background’" not in client.post(REVIEW, follow=True).content.decode()
    application.refresh_from_db()
    assert application.status != Status.DRAFT


@pytest.mark.django_db
def test_about_your_background_is_completed_once_saved_even_with_no_answers(client, student):
    application = make_application(student)
    WideningParticipation.objects.filter(application=application).delete()
    client.force_login(student)
    client.post(step("widening-participation"), {"save_and_continue": "1"})
    assert WideningParticipation.objects.filter(application=application).exists()
    home = client.get(HOME).content.decode()
    assert re.search(r">About your background</a>.*?<strong[^>]*>Completed</strong>", home, re.S)


@pytest.mark.django_db
def test_a_full_placement_is_not_blamed_on_dates_the_student_has_not_given(client, student):
    application = make_application(student, available_from=None, available_to=None)
    full = CohortFactory(opportunity__title="Full week", capacity=0)
    _choose(application, full)
    client.force_login(student)
    page = client.get(step("interests")).content.decode()
    assert "the dates you gave" not in page
    assert "You cannot be placed here because it has no dates with places left that you can still apply for" in page
