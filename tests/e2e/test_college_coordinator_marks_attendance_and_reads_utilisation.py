"""Journey: after a session, the college's coordinator marks who attended (those who came get their certificate
by email) and reads how much the room was used this month, then downloads it. axe-core on every page;
screenshots at 390 and 1280 px."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from notifications.models import OutboundEmail
from tests.e2e.helpers import SCREENSHOTS, assert_accessible_and_shoot, sign_in
from tests.factories import CareProviderFactory, CollegeFactory, CoordinatorFactory, StaffMemberFactory
from training.models import Attendance, Attendee, Audience, Booking, CatalogueEntry, Room, Session, Suite, Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = SCREENSHOTS / "after"


def test_college_coordinator_marks_attendance_and_reads_the_rooms_utilisation(page):
    college = CollegeFactory(name="Newham College")
    trainer = CoordinatorFactory(email="trainer@college.ac.uk", organisation=college, first_name="Tess")
    care_home = CareProviderFactory(name="Riverside Care Home")
    booker = CoordinatorFactory(email="manager@riverside.test", organisation=care_home)
    suite = Suite.objects.create(college=college, name="Simulation ward", address="1 Romford Road", postcode="E15 4HZ")
    room = Room.objects.create(suite=suite, name="Ward 1", capacity=8, step_free_access=True)
    entry = CatalogueEntry.objects.create(
        college=college,
        title="Moving and handling",
        topic=Topic.MOVING_AND_HANDLING,
        audiences=[Audience.CARE_STAFF],
        duration_minutes=180,
        max_participants=8,
        facilitators_per_participant=Decimal("0.25"),
        cpd_hours=Decimal("3"),
    )
    starts = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
    session = Session.objects.create(
        entry=entry,
        room=room,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        booking_cutoff=starts - timedelta(days=2),
        seats=8,
        seats_taken=3,
        created_by=trainer,
    )
    booking = Booking.objects.create(session=session, employer=care_home, booked_by=booker, seats=3)
    names = [("Amara", "Okafor"), ("Ben", "Clarke"), ("Chloe", "Davies")]
    carers = [
        StaffMemberFactory(
            email=f"{first.lower()}@riverside.test", organisation=care_home, first_name=first, last_name=last
        )
        for first, last in names
    ]
    for carer in carers:
        Attendee.objects.create(session=session, booking=booking, person=carer, added_by=booker)

    sign_in(page, trainer.email)
    page.wait_for_url(lambda url: "/accounts/" not in url)

    page.goto(f"/training/college/sessions/{session.pk}/attendance/")
    assert page.locator("h1").inner_text() == "Attendance"
    assert_accessible_and_shoot(page, SHOTS / "01-attendance")

    page.get_by_role("button", name="Save attendance").click()
    assert "Select whether Amara Okafor attended" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible_and_shoot(page, SHOTS / "02-attendance-errors")

    for (first, last), mark in zip(names, ("Attended", "Attended", "Did not attend"), strict=True):
        page.get_by_role("group", name=f"{first} {last} (Riverside Care Home)").get_by_label(mark, exact=True).check()
    page.get_by_role("button", name="Save attendance").click()
    assert "Attendance saved. 2 people attended" in page.locator("main").inner_text()
    assert_accessible_and_shoot(page, SHOTS / "03-attendance-saved")
    marked = dict(Attendee.objects.values_list("person__first_name", "attendance"))
    assert marked == {"Amara": Attendance.ATTENDED, "Ben": Attendance.ATTENDED, "Chloe": Attendance.DID_NOT_ATTEND}
    assert sorted(
        OutboundEmail.objects.filter(template="attendee_certificate_ready").values_list("to_email", flat=True)
    ) == [
        "amara@riverside.test",
        "ben@riverside.test",
    ]

    page.goto("/training/college/utilisation/")
    assert page.locator("h1").inner_text() == "Room utilisation"
    this_month = f"{timezone.localtime(starts):%B %Y}"
    row = page.locator("tr", has_text=this_month).filter(has_text="Ward 1")
    assert "Riverside Care Home" in row.inner_text()
    assert_accessible_and_shoot(page, SHOTS / "04-utilisation")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download this table as a spreadsheet (CSV)").click()
    assert download.value.suggested_filename.startswith("utilisation-")
