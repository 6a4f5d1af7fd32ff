"""Journey: a 16-year-old signs up on a phone, verifies their email, fills in every page, submits."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from notifications.models import OutboundEmail
from placements.models import Application, RoutedPreference
from placements.workflow import Status
from tests.e2e.helpers import assert_accessible, fits_the_phone, sign_in
from tests.factories import CohortFactory, CollegeFactory, RoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_date(page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _continue(page):
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()


def _caption(page) -> str:
    return page.locator(".nhsuk-caption-l").inner_text()


def _in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(s) => { const r = document.querySelector(s).getBoundingClientRect();
                    return r.bottom > 0 && r.top < window.innerHeight; }""",
        selector,
    )


def test_student_signs_up_fills_in_every_page_and_submits(page, tmp_path):
    today = timezone.localdate()
    round_ = RoundFactory()
    CollegeFactory(name="Southbank College")
    cohort = CohortFactory(
        opportunity__title="Ward nursing week",
        start_date=round_.placements_from + timedelta(days=7),
        opportunity__site__postcode="SE5 9RS",
    )
    CohortFactory(
        opportunity__title="Pharmacy day",
        opportunity__profession_area="pharmacy",
        start_date=round_.placements_from + timedelta(days=14),
    )
    theatre = CohortFactory(
        opportunity__title="Theatre day",
        opportunity__requires_dbs=True,
        start_date=round_.placements_from + timedelta(days=21),
        end_date=round_.placements_from + timedelta(days=21),
    )

    page.goto("/accounts/signup/")
    assert_accessible(page)
    page.get_by_label("First name").fill("Jess")
    page.get_by_label("Last name").fill("Ade")
    page.get_by_label("Email address").fill("jess@example.test")
    page.get_by_label("Create a password").fill("a-long-unusual-passphrase")
    page.get_by_label("Confirm your password").fill("a-long-unusual-passphrase")
    page.get_by_role("button", name="Create account").click()
    assert page.locator("h1").inner_text() == "Check your email"
    assert_accessible(page)

    link = re.search(r"https?://[^/\s]+(/accounts/verify/\S+/)", OutboundEmail.objects.get().body_text).group(1)
    sign_in(page, "jess@example.test", "a-long-unusual-passphrase", login_url=link)
    page.wait_for_url("**/my-application/")  # signing in lands a student on their application
    assert_accessible(page)
    page.get_by_role("button", name="Start your application").click()

    # About you: first, a mistake, shown next to the field and in the summary, with the input kept.
    _fill_date(page, "Date of birth", today.replace(year=today.year - 16) - timedelta(days=30))
    page.get_by_label("Home postcode").fill("not a postcode")
    _continue(page)
    assert "Enter a real postcode" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    assert _caption(page) == "Section 1 of 8"
    page.get_by_label("Home postcode").fill("SE15 4AA")
    _continue(page)

    # Under 18: the parent's email comes straight after the date of birth, still in section 1 of 8.
    assert page.locator("h1").inner_text() == "Parent or guardian"
    assert _caption(page) == "Section 1 of 8"
    page.get_by_label("Parent or guardian's email address").fill("jess@example.test")
    _continue(page)
    assert "not your own" in page.locator(".nhsuk-error-summary").inner_text()
    page.get_by_label("Parent or guardian's email address").fill("parent@example.test")
    assert_accessible(page)
    _continue(page)

    assert _caption(page) == "Section 2 of 8"
    page.get_by_label("Your college").select_option(label="Southbank College")
    page.get_by_label("Course").fill("T Level in Health")
    assert_accessible(page)
    _continue(page)

    page.get_by_label("Nursing").check()
    page.get_by_label("Up to 10 km").check()
    assert_accessible(page)
    _continue(page)

    # A placement that needs a DBS check, chosen before the checks questions: no red error, no guess,
    # but what is missing, where it is missing, with the way to answer it.
    page.goto(theatre.opportunity.get_absolute_url())
    page.get_by_role("button", name="Add to my choices").click()
    choices = page.locator(".app-choices")
    assert "Theatre day" in choices.inner_text()
    assert choices.locator(".nhsuk-error-message").count() == 0
    assert "You have not answered the checks questions yet." in choices.inner_text()
    assert choices.get_by_role("link", name="Answer the checks questions").is_visible()
    assert fits_the_phone(page)
    assert_accessible(page)
    page.screenshot(path=tmp_path / "choices-before-checks.png", full_page=True)
    page.goto("/my-application/dates/")

    _fill_date(page, "Available from", round_.placements_from)
    _fill_date(page, "Available until", round_.placements_to)
    assert_accessible(page)
    _continue(page)

    page.get_by_label("I have a DBS check from the last 3 years").check()
    page.get_by_label("MMR (measles, mumps and rubella)").check()
    assert_accessible(page)
    _continue(page)

    page.get_by_label("Why are you interested in health or care?").fill(
        "My grandmother was cared for by brilliant nurses, and I want to see what the job is really like. " * 2
    )
    for group in (
        "Send an email with an attachment",
        "Join a video call",
        "Find reliable health information online",
        "Fill in an online form, like this one",
        "Keep your passwords and personal information safe",
    ):
        page.get_by_role("group", name=group).get_by_label("I can do this").check()
    assert_accessible(page)
    _continue(page)

    page.get_by_role("group", name=re.compile("free school meals")).get_by_label("Prefer not to say").check()
    assert "widening participation" not in page.content().lower()
    assert_accessible(page)
    _continue(page)

    # The task list tells the truth: the background questions were saved (so Completed), declarations not yet.
    page.goto("/my-application/")
    tasks = page.locator(".app-task-list")
    assert tasks.locator("li", has_text="About your background").locator(".nhsuk-tag").inner_text() == "Completed"
    assert tasks.locator("li", has_text="Declarations").locator(".nhsuk-tag").inner_text() == "Not started"
    assert tasks.locator("li").count() == 8
    assert fits_the_phone(page)
    page.screenshot(path=tmp_path / "task-list.png", full_page=True)

    # Trying to submit before the last section: the summary links to the question to answer, on its page.
    page.goto("/my-application/check-your-answers/")
    page.get_by_role("button", name="Submit application").click()
    page.wait_for_load_state()
    summary = page.locator(".nhsuk-error-summary")
    assert summary.inner_text().count("Declarations") == 1
    assert_accessible(page)
    summary.get_by_role("link", name="Complete ‘Declarations’ before you submit").click()
    page.wait_for_url("**/my-application/declarations/#id_declaration_true")
    assert _caption(page) == "Section 8 of 8"
    assert _in_view(page, "#id_declaration_true")
    page.get_by_label("The information I have given is true").check()
    page.get_by_label("I agree that the hosts").check()
    assert_accessible(page)
    _continue(page)

    # Add an explicit choice from the opportunity page, then check answers and submit.
    page.goto(cohort.opportunity.get_absolute_url())
    page.get_by_role("button", name="Add to my choices").click()
    assert "Ward nursing week" in page.locator(".app-choices").inner_text()
    page.goto("/my-application/check-your-answers/")
    assert page.locator("h1").inner_text() == "Check your answers"
    main = page.locator("main").inner_text()
    assert "Up to 10 km" in main and "parent@example.test" in main
    assert fits_the_phone(page)
    assert_accessible(page)
    page.screenshot(path=tmp_path / "check-your-answers.png", full_page=True)
    page.get_by_role("button", name="Submit application").click()
    page.wait_for_url("**/my-application/")

    application = Application.objects.get(student__email="jess@example.test")
    assert application.status == Status.AWAITING_CONSENT
    assert application.home_district == "SE15"
    assert RoutedPreference.objects.filter(application=application, source="choice").exists()
    assert application.reference in page.locator("main").inner_text()
    assert "Waiting for parent or guardian consent" in page.locator("main").inner_text()
    assert_accessible(page)
    assert OutboundEmail.objects.filter(template="guardian_consent_request", to_email="parent@example.test").exists()

    # The parent opens the link from their email, on their own phone.
    page.context.clear_cookies()
    body = OutboundEmail.objects.get(template="guardian_consent_request").body_text
    page.goto(re.search(r"https?://[^/\s]+(/consent/\S+/)", body).group(1))
    assert_accessible(page)
    page.get_by_label("Your full name").fill("Pat Ade")
    page.get_by_label("Your relationship to the student").fill("Father")
    page.get_by_label("I am the student's parent or guardian").check()
    page.get_by_role("button", name="Give consent").click()
    assert page.locator("h1").inner_text() == "Thank you: consent given"
    assert_accessible(page)
    application.refresh_from_db()
    assert application.status == Status.READY_FOR_MATCHING
