"""Journey: an NHS trust's digital-learning lead invites staff by CSV, then (once 14 of them have assessed
themselves) reads the digital skills dashboard: totals only, small numbers as "fewer than 5", sessions to book
for the largest gap, and the one result shared by its owner. Every page passes axe-core; screenshots at 390
and 1280 px."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from skills.framework import framework_files, framework_load
from skills.models import Assessment, FrameworkVersion
from skills.selectors import domains_of
from skills.services import (
    assessment_about_work,
    assessment_answer_domain,
    assessment_share,
    assessment_start,
    assessment_submit,
)
from tests import factories
from tests.e2e.helpers import SCREENSHOTS, assert_accessible, assert_accessible_and_shoot, sign_in
from training.models import Audience, CatalogueEntry, Equipment, Room, Suite, Topic
from training.services.sessions import london, session_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = SCREENSHOTS / "skills-dashboard"


def _digital_session():
    college = factories.CollegeFactory(name="Riverside College")
    sim = factories.CoordinatorFactory(email="sim@riverside.test", organisation=college)
    suite = Suite.objects.create(college=college, name="Sim ward", postcode="E1 1AA")
    room = Room.objects.create(suite=suite, name="Skills lab", capacity=12, equipment=[Equipment.HOSPITAL_BEDS])
    entry = CatalogueEntry.objects.create(
        college=college,
        title="Using the electronic patient record",
        topic=Topic.DIGITAL,
        audiences=[Audience.CLINICAL_SUPPORT_STAFF, Audience.NON_CLINICAL_STAFF],
        learning_outcomes="Find, record and share information in a care record safely.",
        duration_minutes=120,
        min_participants=2,
        max_participants=10,
        facilitators_per_participant=Decimal("0.2"),
        cpd_hours=Decimal("2"),
        price_or_funding="Free (LSIP funded)",
    )
    day = date.today() + timedelta(days=21)
    return session_create(
        actor=sim,
        entry=entry,
        room=room,
        starts_at=london(day, time(10)),
        ends_at=london(day, time(12)),
        facilitators=[],
        seats=10,
        booking_cutoff=london(day - timedelta(days=3), time(17)),
    )


def _assess(person, *, group, team, technical_level_1: str, share=False):
    """A whole sitting through the services, as the person's pages would do it."""
    assessment = assessment_start(actor=person)
    assessment_about_work(actor=person, assessment=assessment, staff_group=group, department=team)
    for domain in domains_of(FrameworkVersion.objects.get(version=1)):
        answers = {}
        for statement in domain.statements.all():
            answer = "with_help" if statement.level <= 2 else "not_yet"
            if domain.key == "technical" and statement.level == 1:
                answer = technical_level_1
            answers[statement.pk] = answer
        assessment_answer_domain(actor=person, assessment=assessment, domain=domain, answers=answers)
    assessment = assessment_submit(actor=person, assessment=assessment)
    if share:
        assessment_share(actor=person, assessment=assessment, share=True)
    return assessment


def test_employer_reads_the_digital_skills_dashboard(page, tmp_path):
    for path in framework_files():  # the live server's database is flushed between tests: no migration data
        framework_load(path)
    session = _digital_session()
    trust = factories.OrganisationFactory(name="Northgate NHS Trust")
    lead = factories.CoordinatorFactory(
        email="digital.learning@northgate.test", first_name="Sam", last_name="Reid", organisation=trust
    )

    sign_in(page, lead.email)

    # The menu leads to the dashboard; before anyone has answered, it says so.
    dashboard = reverse("skills:employer-dashboard")
    assert page.locator(f'header a[href="{dashboard}"]').count() == 1  # "Digital skills" in the menu
    page.goto(dashboard)
    main = page.locator("main").inner_text()
    assert "has sent a self-assessment yet" in main
    assert_accessible_and_shoot(page, SHOTS / "1-dashboard-empty")

    # Invite 14 staff from a CSV file.
    addresses = [f"person{n}@northgate.test" for n in range(14)]
    csv = tmp_path / "staff.csv"
    csv.write_text("email\n" + "\n".join(addresses) + "\n", encoding="utf-8")
    page.get_by_role("link", name="Invite staff by uploading a list of email addresses").click()
    page.get_by_label("CSV file of work email addresses").set_input_files(str(csv))
    assert_accessible(page)
    page.get_by_role("button", name="Upload and send invitations").click()
    assert "14" in page.locator("main").inner_text()
    assert_accessible_and_shoot(page, SHOTS / "2-invitations-sent")

    # 14 people assess themselves: 8 nurses on Ward 7, 6 admin staff in Outpatients; admin staff are not yet
    # at level 1 in technical proficiency. One nurse shares her result.
    people = [
        factories.StaffMemberFactory(email=address, first_name=f"Person{n}", last_name="Example", organisation=trust)
        for n, address in enumerate(addresses)
    ]
    for n, person in enumerate(people):
        nurse = n < 8
        _assess(
            person,
            group="nurses_midwives" if nurse else "admin_clerical",
            team="Ward 7" if nurse else "Outpatients",
            technical_level_1="with_help" if nurse else "not_sure",
            share=n == 0,
        )
    assert Assessment.objects.filter(submitted_at__isnull=False).count() == 14

    page.goto(reverse("skills:employer-dashboard"))
    main = page.locator("main").inner_text()
    assert "Person1 Example" not in main  # nobody who did not share
    assert "Person0 Example" in main  # she shared her result
    assert "Most staff are at level 2 or above in" in main
    assert "Admin and clerical" in main
    assert page.locator(f'a[href="{reverse("training:booking-create", args=[session.pk])}"]').count() >= 1
    for cell in page.locator("[data-count]").all_text_contents():
        assert cell.strip() in ("fewer than 5", "hidden", "0") or int(cell) >= 5
    assert_accessible_and_shoot(page, SHOTS / "3-dashboard")

    # The breakdowns by staff group and team open in place.
    for summary in page.locator("details summary").all()[:2]:
        summary.click()
    page.locator("details").nth(6).locator("summary").click()
    assert_accessible_and_shoot(page, SHOTS / "4-breakdowns-open")

    # From the largest gap straight to booking places.
    page.locator(f'a[href="{reverse("training:booking-create", args=[session.pk])}"]').first.click()
    assert "Using the electronic patient record" in page.locator("main").inner_text()
    assert_accessible_and_shoot(page, SHOTS / "5-book-from-gap")
