"""Journey: a care home's manager makes a join code; a care worker joins with it, confirms her email and sets up
her authenticator app, checks her digital skills over two sittings (save, sign out, come back, finish), opens her
learning plan, and months later checks again and sees the change side by side. Every page passes axe-core;
screenshots at 390 and 1280 px."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from notifications.models import OutboundEmail
from skills.models import Assessment, EmployerSkillsPolicy, FrameworkVersion
from skills.selectors import domains_of
from skills.services_join import display_code
from tests import factories
from tests.e2e.helpers import SCREENSHOTS, assert_accessible, assert_accessible_and_shoot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = SCREENSHOTS / "skills-people"
EMAIL, PASSWORD = "mia.santos@oaklodge.example", "a-long-pass-phrase-9"


def _framework():
    """Version 1 as its migration loads it (a transactional test before this one may have emptied the tables)."""
    if not FrameworkVersion.objects.filter(version=1).exists():
        from skills.framework import framework_files, framework_load

        framework_load(framework_files()[0])
    return FrameworkVersion.objects.get(version=1)


def _answer(page, domain, answer_for):
    for statement in domain.statements.all():
        page.locator(f'input[name="s{statement.pk}"][value="{answer_for(statement)}"]').check()


def test_staff_member_joins_with_a_code_assesses_over_two_sittings_and_sees_the_change(page):
    version = _framework()
    domains = domains_of(version)
    employer = factories.CareProviderFactory(name="Oak Lodge Care Home")
    factories.CoordinatorFactory(email="manager@oaklodge.example", organisation=employer)

    # Her manager makes the home's join code and puts it on the staff-room wall.
    sign_in(page, "manager@oaklodge.example")
    page.goto("/skills/employer/join-code/")
    assert "You do not have a join code" in page.locator("main").inner_text()
    page.get_by_role("button", name="Make a join code").click()
    assert "Your join code is ready" in page.locator("main").inner_text()
    code = page.locator("#join-code").inner_text()
    assert code == display_code(EmployerSkillsPolicy.objects.get(employer=employer).join_code)
    assert_accessible_and_shoot(page, SHOTS / "join-code")
    page.get_by_role("button", name="Sign out").click()

    # Joining with the code on the poster.
    page.goto("/skills/join/")
    assert page.locator("h1").inner_text() == "Join your employer with a join code"
    page.get_by_role("button", name="Create account").click()
    assert "Enter your employer's join code" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible_and_shoot(page, SHOTS / "join-errors")
    page.get_by_label("Join code").fill(code.lower().replace("-", " "))
    page.get_by_label("First name").fill("Mia")
    page.get_by_label("Last name").fill("Santos")
    page.get_by_label("Your work email address").fill(EMAIL)
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/accounts/signup/check-your-email/")
    assert EMAIL in page.locator("main").inner_text()
    assert_accessible(page)

    # The link in her inbox, then signing in and setting up her authenticator app (ADR 0015).
    body = OutboundEmail.objects.get(template="student_verify_email", to_email=EMAIL).body_text
    page.goto(re.search(r"https?://[^/\s]+(/accounts/verify/\S+/)", body).group(1))
    assert "Your email address is confirmed" in page.locator("main").inner_text()
    sign_in(page, EMAIL, PASSWORD)
    page.wait_for_url("**/accounts/staff/")
    assert_accessible_and_shoot(page, SHOTS / "staff-home")
    page.get_by_role("link", name="Check your digital and data skills").click()
    assert page.locator("h1").inner_text() == "Check your digital and data skills"
    assert_accessible_and_shoot(page, SHOTS / "start")

    # First sitting: about her work, two areas, half of the third, then "come back later" and sign out.
    page.get_by_role("button", name="Start now").click()
    if "/about-your-work/" in page.url:
        page.get_by_label("Care workers and support workers (social care)").check()
        page.get_by_label("Which team or department do you work in?").fill("Night shift")
        assert_accessible(page)
        page.get_by_role("button", name="Save and continue").click()
    for domain in domains[:2]:
        page.wait_for_url(f"**/{domain.key}/")
        _answer(page, domain, lambda s: "confidently" if s.level == 1 else "not_yet")
        if domain == domains[0]:
            assert_accessible_and_shoot(page, SHOTS / "domain")
        page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(f"**/{domains[2].key}/")
    half = list(domains[2].statements.all())[:5]
    for statement in half:
        page.locator(f'input[name="s{statement.pk}"][value="with_help"]').check()
    page.get_by_role("button", name="Save and come back later").click()
    assert "Your answers are saved" in page.locator("main").inner_text()
    assert "Carry on where you left off" in page.locator("main").inner_text()
    page.get_by_role("button", name="Sign out").click()

    # Another day: back where she left off, her answers kept.
    sign_in(page, EMAIL, PASSWORD)
    page.goto("/skills/")
    page.get_by_role("button", name="Carry on where you left off").click()
    page.wait_for_url(f"**/{domains[2].key}/")
    assert page.locator(f'input[name="s{half[0].pk}"][value="with_help"]').is_checked()
    for domain in domains[2:]:
        page.wait_for_url(f"**/{domain.key}/")
        _answer(page, domain, lambda s: "with_help" if s.level == 1 else ("not_sure" if s.level == 2 else "not_yet"))
        page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/check/")
    assert_accessible(page)
    page.get_by_role("button", name="Send and see my result").click()
    page.wait_for_url("**/result/")
    main = page.locator("main").inner_text()
    assert "Level 1" in main and "Your learning plan" in main and "Before (" not in main
    assert_accessible_and_shoot(page, SHOTS / "result-first")

    # Four months later (her reminder came): she checks again, further on in two areas.
    first = Assessment.objects.get(person__email=EMAIL)
    earlier = timezone.now() - timedelta(days=120)
    Assessment.objects.filter(pk=first.pk).update(started_at=earlier - timedelta(days=2), submitted_at=earlier)
    page.goto("/skills/")
    assert "Result of" in page.locator("main").inner_text()
    page.get_by_role("button", name="Check your skills again").click()
    if "/about-your-work/" in page.url:
        assert page.get_by_label("Which team or department do you work in?").input_value() == "Night shift"
        page.get_by_role("button", name="Save and continue").click()
    better = {domains[0].key, domains[1].key}
    for domain in domains:
        page.wait_for_url(f"**/{domain.key}/")
        _answer(
            page, domain, lambda s, d=domain: "confidently" if s.level <= (2 if d.key in better else 1) else "not_yet"
        )
        page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Send and see my result").click()
    page.wait_for_url("**/result/")
    table = page.locator("table").inner_text()
    assert "Before (" in table and "Level 2" in table and "Level 1" in table
    row = page.locator("tr", has_text=domains[0].title).inner_text()
    assert "Level 1" in row and "Level 2" in row  # before and now, side by side
    assert_accessible_and_shoot(page, SHOTS / "result-second")
    assert User.objects.get(email=EMAIL).skills_assessments.filter(submitted_at__isnull=False).count() == 2
