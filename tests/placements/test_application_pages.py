from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from placements.models import Application, RoutedPreference
from placements.services import applications as services
from placements.workflow import Status
from tests.factories import CohortFactory, OpportunityFactory, RoundFactory
from tests.placements.helpers import make_application


def step(slug):
    return reverse("placements:application-step", kwargs={"slug": slug})


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


@pytest.fixture
def draft(client, student):
    round_ = RoundFactory()
    client.force_login(student)
    client.post(reverse("placements:application-start"))
    return Application.objects.get(student=student, round=round_)


def _errors(response, field):
    return " ".join(response.context["form"].errors.get(field, []))


@pytest.mark.django_db
def test_starting_twice_makes_one_draft_and_opens_the_first_page(client, student):
    RoundFactory()
    client.force_login(student)
    first = client.post(reverse("placements:application-start"))
    client.post(reverse("placements:application-start"))
    assert first.url == step("about-you") and Application.objects.count() == 1


@pytest.mark.django_db
def test_outside_an_open_round_the_page_says_when_the_next_opens(client, student):
    today = timezone.localdate()
    RoundFactory(
        name="Summer 2027",
        applications_open_on=today + timedelta(days=10),
        applications_close_on=today + timedelta(days=40),
        matching_on=today + timedelta(days=41),
        outcomes_by=today + timedelta(days=50),
        placements_from=today + timedelta(days=60),
    )
    client.force_login(student)
    page = client.get(reverse("placements:student-home")).content.decode()
    assert "Applications for <strong>Summer 2027</strong> open on" in page
    assert "Start your application" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "data", "field", "message"),
    [
        ("about-you", {"home_postcode": "ZZ99 9ZZ"}, "home_postcode", "We could not find that postcode"),
        ("about-you", {"home_postcode": "nonsense"}, "home_postcode", "Enter a real postcode"),
        ("about-you", {"dob": 13}, "date_of_birth", "You must be at least 14"),
        ("about-you", {"dob": -1}, "date_of_birth", "must be in the past"),
        ("about-you", {"phone": "12ab"}, "phone", "Enter a UK phone number"),
        ("dates", {"from": -5, "to": 40}, "available_from", "today or in the future"),
        ("dates", {"from": 40, "to": 35}, "available_to", "same as or after"),
        ("dates", {"from": 400, "to": 410}, "available_from", "Placements in this round run from"),
        ("statement", {"supporting_statement": "Too short."}, "supporting_statement", "at least 100 characters"),
        ("guardian", {"guardian_email": "STUDENT@example.test"}, "guardian_email", "not your own"),
        ("interests", {}, "profession_areas", "Select at least one area of work"),
        ("declarations", {}, "declaration_true", "Confirm that the information is true"),
    ],
)
def test_each_page_validates_with_a_clear_message_and_keeps_the_input(client, draft, slug, data, field, message):
    today = timezone.localdate()
    payload = {
        "first_name": "Sam",
        "last_name": "Lee",
        "home_postcode": "SE15 4AA",
        **_date("date_of_birth", today.replace(year=today.year - 16)),
    }
    if "dob" in data:
        payload.update(
            _date(
                "date_of_birth",
                today.replace(year=today.year - data.pop("dob"))
                if data.get("dob", 0) >= 0
                else today + timedelta(days=1),
            )
        )
    if "from" in data:
        payload.update(_date("available_from", today + timedelta(days=data.pop("from"))))
        payload.update(_date("available_to", today + timedelta(days=data.pop("to"))))
    payload.update(data)
    if slug == "guardian":
        Application.objects.filter(pk=draft.pk).update(date_of_birth=today.replace(year=today.year - 16))
    response = client.post(step(slug), payload)
    assert response.status_code == 200
    assert message in _errors(response, field), response.context["form"].errors
    assert "There is a problem" in response.content.decode()


@pytest.mark.django_db
def test_answers_are_saved_and_resumed_on_another_device(client, draft, student):
    today = timezone.localdate()
    response = client.post(
        step("about-you"),
        {
            "first_name": "Sam",
            "last_name": "Lee",
            "home_postcode": "se15 4aa",
            "save_and_exit": "1",
            **_date("date_of_birth", today.replace(year=today.year - 17)),
        },
    )
    assert response.url == reverse("placements:student-home")
    draft.refresh_from_db()
    assert draft.home_district == "SE15" and draft.last_step == "about-you"
    client.logout()
    client.force_login(student)  # a new session, as on a phone
    page = client.get(step("about-you")).content.decode()
    assert 'value="Sam"' in page and 'value="SE15"' in page


@pytest.mark.django_db
def test_a_student_never_sees_another_students_application(client, student, other_student):
    round_ = RoundFactory()
    mine = make_application(student, round_=round_, supporting_statement="My secret statement " * 6)
    client.force_login(other_student)
    assert client.get(reverse("placements:application-review")).status_code == 404
    assert client.get(step("about-you")).status_code == 404
    assert mine.reference not in client.get(reverse("placements:student-home")).content.decode()
    assert mine.reference not in client.get(reverse("placements:data-export")).content.decode()
    choice = mine.choices.create(opportunity=OpportunityFactory(), rank=1)
    assert (
        client.post(
            reverse("placements:choice-change", kwargs={"choice_pk": choice.pk}), {"action": "remove"}
        ).status_code
        == 404
    )
    assert mine.choices.count() == 1


@pytest.mark.django_db
def test_submit_from_check_your_answers_and_a_second_tab_makes_no_second_submission(client, student):
    application = make_application(student, age=19)
    client.force_login(student)
    review = client.get(reverse("placements:application-review"))
    assert "Submit application" in review.content.decode()
    first = client.post(reverse("placements:application-review"))
    second = client.post(reverse("placements:application-review"))
    assert first.url == reverse("placements:student-home") and second.status_code in (200, 302)
    application.refresh_from_db()
    assert application.status == Status.READY_FOR_MATCHING
    assert application.status_changes.filter(to_status=Status.SUBMITTED).count() == 1


@pytest.mark.django_db
def test_incomplete_application_cannot_be_submitted(client, student):
    application = make_application(student, age=19, supporting_statement="")
    client.force_login(student)
    response = client.post(reverse("placements:application-review"))
    assert "Complete ‘Why health or care’ before you submit" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.DRAFT


@pytest.mark.django_db
def test_editing_after_submission_rebuilds_the_routed_list_until_matching(client, student):
    application = make_application(student, age=19)
    cohort = CohortFactory(
        start_date=application.round.placements_from + timedelta(days=7),
        opportunity__site__postcode="SE15 4AA",
        opportunity__profession_area="pharmacy",
    )
    services.application_submit(actor=student, application=application)
    assert not RoutedPreference.objects.exists()
    client.force_login(student)
    response = client.post(
        step("interests"), {"profession_areas": ["pharmacy"], "consider_other_placements": "on", "max_travel_km": "10"}
    )
    assert response.url == reverse("placements:application-review")
    assert list(RoutedPreference.objects.values_list("cohort_id", flat=True)) == [cohort.pk]
    Application.objects.filter(pk=application.pk).update(status=Status.MATCHED)
    locked = client.get(step("interests"))
    assert locked.status_code == 302


@pytest.mark.django_db
def test_dashboard_shows_status_timeline_and_next_steps(client, student, django_assert_max_num_queries):
    application = make_application(student, age=16)
    services.application_submit(actor=student, application=application)
    client.force_login(student)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("placements:student-home")).content.decode()
    assert application.reference in page and "Waiting for parent or guardian consent" in page
    assert "We have emailed your parent or guardian" in page and "What has happened so far" in page


@pytest.mark.django_db
def test_withdraw_asks_for_a_reason(client, student):
    application = make_application(student, age=19)
    services.application_submit(actor=student, application=application)
    client.force_login(student)
    empty = client.post(reverse("placements:application-withdraw"), {"reason": ""})
    assert "Tell us why you are withdrawing" in empty.content.decode()
    client.post(reverse("placements:application-withdraw"), {"reason": "Moving away"})
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


@pytest.mark.django_db
def test_guardian_consent_page_validates_and_records_consent(client, student):
    import re

    from notifications.models import OutboundEmail

    application = make_application(student, age=16)
    services.application_submit(actor=student, application=application)
    token = re.search(
        r"/consent/([^/\s]+)/", OutboundEmail.objects.get(template="guardian_consent_request").body_text
    ).group(1)
    url = reverse("placements:guardian-consent", kwargs={"token": token})
    assert "Give consent for Sam" in client.get(url).content.decode()
    missing = client.post(url, {"guardian_name": "", "relationship": "Mother"})
    assert "There is a problem" in missing.content.decode()
    assert "Enter your full name" in missing.content.decode() and "Confirm that you give consent" in (
        missing.content.decode()
    )
    done = client.post(url, {"guardian_name": "Pat Lee", "relationship": "Mother", "consent": "yes"})
    assert "Thank you: consent given" in done.content.decode()
    application.refresh_from_db()
    assert application.status == Status.READY_FOR_MATCHING
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_site_admin_creates_rounds_and_reads_applications_without_editing_them(client, site_admin, student):
    application = make_application(student)
    client.force_login(site_admin)
    today = timezone.localdate()
    response = client.post(
        reverse("admin:placements_round_add"),
        {
            "name": "Summer 2027",
            "applications_open_on": today,
            "applications_close_on": today + timedelta(days=30),
            "matching_on": today + timedelta(days=31),
            "outcomes_by": today + timedelta(days=40),
            "placements_from": today + timedelta(days=60),
            "placements_to": today + timedelta(days=120),
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:placements_round_changelist")).status_code == 200
    detail = client.get(reverse("admin:placements_application_change", args=[application.pk]))
    assert detail.status_code == 200 and application.reference in detail.content.decode()
    assert 'name="_save"' not in detail.content.decode()


@pytest.mark.django_db
def test_digital_skills_are_reported_back_with_help_links(client, student):
    make_application(student, digital_skills={"email": "confident", "data_safety": "not_yet"})
    client.force_login(student)
    page = client.get(reverse("placements:student-home")).content.decode()
    assert "Your digital skills" in page and "Not yet" in page and "I can do this" in page
    assert 'href="https://www.ncsc.gov.uk/cyberaware/home"' in page  # help for the skill they lack
