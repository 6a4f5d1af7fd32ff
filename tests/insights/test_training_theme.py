"""The simulation-training theme: figures worked out by hand on a small March 2027, suppression of people, the CSV
is the table, a bounded number of queries, hostile filters."""

import csv
import io
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from insights import training_figures
from insights.models import Snapshot, SnapshotTheme, Theme
from insights.selectors.training_facts import training_facts
from insights.services.snapshots import snapshot_take_monthly
from insights.training_tables import sessions_table
from tests import factories
from tests.training.after.helpers import student_place
from training.models import Audience, CancelledReason, CatalogueEntry, Room, Suite, Topic
from training.services.attendance import attendance_mark
from training.services.college_cancellations import session_cancel
from training.services.employer import attendee_name, booking_make
from training.services.sessions import london, session_create

pytestmark = pytest.mark.django_db

HOSTILE = [
    {"period": "<script>alert(1)</script>"},
    {"snapshot": "abc"},
    {"snapshot": "99999999999999999999999"},
    {"snapshot": "-1", "period": "year:-1", "breakdown": "password"},
    {"breakdown": "\x00"},
    {"period": "month:9999-99"},
    {"period": ["month:2027-03", "year:2026"], "breakdown": ["icb", "college"]},
]
MARCH = "month:2027-03"
YEAR = "year:2026"


def _session(actor, entry, room, day, start_hour, hours, seats):
    starts_at = london(day, time(start_hour))
    return session_create(
        actor=actor,
        entry=entry,
        room=room,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        facilitators=[],
        seats=seats,
        booking_cutoff=starts_at - timedelta(days=2),
        min_participants=1,
    )


def _book(coordinator, session, people):
    booking, _ = booking_make(actor=coordinator, session=session, count=len(people))
    return [attendee_name(actor=coordinator, booking=booking, person=person) for person in people]


def _staff(employer, count, prefix):
    return [
        factories.StaffMemberFactory(email=f"{prefix}{n}@example.test", organisation=employer) for n in range(count)
    ]


@pytest.fixture
def march():
    return build_march()


def build_march():
    """March 2027 in two colleges' suites.

    Riverside College (Southwark, South East London): one room, 35 hours a week (35 x 31 / 7 = 155 hours in March).
      R1, 3 March, 3 hours, 12 seats: an NHS trust books and names 6 staff, a care provider 2, a student takes 1
        (9 seats filled); the 6 NHS staff, 1 carer and the student attend, the other carer does not.
      R2, 10 March, 2 hours, 8 seats: the trust names 2 staff, both attend.
      R3, 17 March, 8 seats: the trust names 1, then the college cancels it (counts only as cancelled).
      Its sessions are open to care staff and students, 3 CPD hours each.
    Camden College (Camden, North Central London): one room, 14 hours a week (14 x 31 / 7 = 62 hours in March).
      C1, 5 March, 4 hours, 10 seats: the care provider names 5 staff, all attend; for clinical support staff,
        2 CPD hours.
    """
    riverside = factories.CollegeFactory(name="Riverside College", borough="Southwark")
    camden = factories.CollegeFactory(name="Camden College", borough="Camden")
    trust = factories.OrganisationFactory(name="Southwark Trust")
    care = factories.CareProviderFactory(name="Camden Care")
    trust_coordinator = factories.CoordinatorFactory(email="trust@example.test", organisation=trust)
    care_coordinator = factories.CoordinatorFactory(email="care@example.test", organisation=care)
    sim = {
        college: factories.CoordinatorFactory(email=f"sim{college.pk}@example.test", organisation=college)
        for college in (riverside, camden)
    }
    river_room = Room.objects.create(
        suite=Suite.objects.create(college=riverside, name="Sim ward"), name="Ward", capacity=12
    )
    camden_room = Room.objects.create(
        suite=Suite.objects.create(college=camden, name="Skills lab"),
        name="Lab",
        capacity=10,
        hours_available_per_week=14,
    )

    def entry(college, audiences, topic, cpd):
        return CatalogueEntry.objects.create(
            college=college,
            title=f"{topic} at {college}",
            topic=topic,
            audiences=audiences,
            duration_minutes=120,
            max_participants=12,
            facilitators_per_participant=Decimal("0.25"),
            cpd_hours=Decimal(cpd),
        )

    river_entry = entry(riverside, [Audience.STUDENTS, Audience.CARE_STAFF], Topic.MOVING_AND_HANDLING, "3")
    camden_entry = entry(camden, [Audience.CLINICAL_SUPPORT_STAFF], Topic.BASIC_LIFE_SUPPORT, "2")

    r1 = _session(sim[riverside], river_entry, river_room, date(2027, 3, 3), 9, 3, 12)
    nhs = _book(trust_coordinator, r1, _staff(trust, 6, "nurse"))
    carers = _book(care_coordinator, r1, _staff(care, 2, "carer"))
    learner = student_place(r1, factories.StudentFactory(email="learner@example.test", organisation=riverside))
    marks = {a.pk: "attended" for a in [*nhs, carers[0], learner]} | {carers[1].pk: "did_not_attend"}
    attendance_mark(actor=sim[riverside], session=r1, marks=marks, now=london(date(2027, 3, 3), time(13)))

    r2 = _session(sim[riverside], river_entry, river_room, date(2027, 3, 10), 9, 2, 8)
    pair = _book(trust_coordinator, r2, _staff(trust, 2, "porter"))
    attendance_mark(
        actor=sim[riverside],
        session=r2,
        marks={a.pk: "attended" for a in pair},
        now=london(date(2027, 3, 10), time(12)),
    )

    r3 = _session(sim[riverside], river_entry, river_room, date(2027, 3, 17), 9, 2, 8)
    _book(trust_coordinator, r3, _staff(trust, 1, "cancelled"))
    session_cancel(actor=sim[riverside], session=r3, reason=CancelledReason.BY_COLLEGE)

    c1 = _session(sim[camden], camden_entry, camden_room, date(2027, 3, 5), 10, 4, 10)
    five = _book(care_coordinator, c1, _staff(care, 5, "helper"))
    attendance_mark(
        actor=sim[camden], session=c1, marks={a.pk: "attended" for a in five}, now=london(date(2027, 3, 5), time(15))
    )
    return {"riverside": riverside, "camden": camden}


@pytest.fixture
def snapshot(march):
    return snapshot_take_monthly(now=datetime(2027, 4, 2, 9, tzinfo=london(date(2027, 4, 2), time(9)).tzinfo))


def text_of(response) -> str:
    """The body of a page or of a (streamed) CSV download."""
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def cells_of(response) -> list[str]:
    """Every figure a reader sees: table cells, summary-list values, chart labels; every cell of a CSV."""
    text = text_of(response)
    if response["Content-Type"].startswith("text/csv"):
        return [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", text, re.S)
    cells += re.findall(r'<dd class="nhsuk-summary-list__value">(.*?)</dd>', text, re.S)
    cells += re.findall(r'<text x="\d+" y="\d+" font-size="11">(.*?)</text>', text)
    cells = [re.sub(r'<span class="nhsuk-table-responsive__heading".*?</span>', "", cell, flags=re.S) for cell in cells]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def _csv(client, table, **query):
    response = client.get(reverse("insights:training-csv", args=[table]), query)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(text_of(response))))


def test_the_document_counts_march_by_hand(march):
    periods, document = training_figures.training_document(**training_facts())
    assert [p.key for p in periods] == [YEAR, MARCH]
    sessions = document["sessions"][MARCH]
    # [run or scheduled, cancelled, seats offered, seats filled, seconds booked]
    assert sessions["college"] == {
        "Riverside College": [2, 1, 20, 11, 5 * 3600],
        "Camden College": [1, 0, 10, 5, 4 * 3600],
    }
    assert sessions["icb"] == {
        "South East London": [2, 1, 20, 11, 5 * 3600],
        "North Central London": [1, 0, 10, 5, 4 * 3600],
    }
    assert sessions["audience"] == {
        "Care staff, Students": [2, 1, 20, 11, 5 * 3600],
        "Clinical support staff": [1, 0, 10, 5, 4 * 3600],
    }
    assert document["room_hours"][MARCH]["college"] == {"Riverside College": 155, "Camden College": 62}
    # Every month of the academic year: 5 hours a day for 365 days, and 2 hours a day.
    assert document["room_hours"][YEAR]["college"] == {"Riverside College": 1825, "Camden College": 730}
    # [NHS trust staff, care provider staff, students] who attended; the carer who did not attend is not counted.
    assert document["people"][MARCH]["college"] == {"Riverside College": [8, 1, 1], "Camden College": [0, 5, 0]}
    assert document["cpd_hours"][MARCH]["college"] == {"Riverside College": 30.0, "Camden College": 10.0}


def test_the_sessions_table_and_its_csv_are_the_hand_counted_figures(client, partner, snapshot):
    client.force_login(partner)
    rows = _csv(client, "sessions", period=MARCH, breakdown="college")
    assert rows == [
        [
            "College",
            "Sessions run or scheduled",
            "Sessions cancelled",
            "Seats offered",
            "Seats filled",
            "Seats filled out of seats offered",
            "Room-hours booked",
            "Room-hours available",
            "Utilisation (room-hours booked out of available)",
        ],
        # 5 of 10 seats; 4 hours of 62 = 6.45%, 6.5% to one place.
        ["Camden College", "1", "0", "10", "5", "50%", "4.0", "62", "6.5%"],
        # 9 + 2 = 11 of 12 + 8 = 20 seats; 3 + 2 = 5 hours of 155 = 3.2%.
        ["Riverside College", "2", "1", "20", "11", "55%", "5.0", "155", "3.2%"],
        # 16 of 30 = 53.3%; 9 hours of 155 + 62 = 217 = 4.1%.
        ["All sessions", "3", "1", "30", "16", "53.3%", "9.0", "217", "4.1%"],
    ]
    page = client.get(reverse("insights:training"), {"period": MARCH, "breakdown": "college"}).content.decode()
    cells = cells_of(client.get(reverse("insights:training"), {"period": MARCH, "breakdown": "college"}))
    for row in rows[1:]:
        for cell in row:
            assert cell in cells
    assert "March 2027" in page and "<svg" in page and "30 seats offered in all." in page
    # Rooms belong to colleges: by audience there is no room-hours figure to give.
    by_audience = _csv(client, "sessions", period=MARCH, breakdown="audience")
    assert by_audience[1] == [
        "Care staff, Students",
        "2",
        "1",
        "20",
        "11",
        "55%",
        "5.0",
        "not applicable",
        "not applicable",
    ]
    assert by_audience[-1][-2:] == ["217", "4.1%"]


def test_people_trained_are_suppressed_and_cpd_hours_only_beside_shown_counts(client, partner, snapshot):
    client.force_login(partner)
    rows = _csv(client, "people", period=MARCH, breakdown="college")
    assert rows[0] == [
        "College",
        "People trained",
        "NHS trust staff",
        "Social-care provider staff",
        "Students",
        "CPD hours",
    ]
    # Riverside: 8 NHS, 1 carer, 1 student (10); Camden: 5 carers. The two 1s read "fewer than 5", and the carers'
    # total (6) is hidden too, or 6 - 5 would give Riverside's carer back. Row totals 10 and 5 are shown, so their
    # CPD hours are too (10 x 3 and 5 x 2), and the total, as every row's is shown.
    assert rows[1:] == [
        ["Camden College", "5", "0", "5", "0", "10"],
        ["Riverside College", "10", "8", "fewer than 5", "fewer than 5", "30"],
        ["All people trained", "15", "8", "hidden", "fewer than 5", "40"],
    ]
    # No cell of 1 to 4 anywhere, on the page or in any CSV, for any breakdown.
    for breakdown in ("college", "borough", "icb", "audience", "topic"):
        query = {"period": MARCH, "breakdown": breakdown}
        for response in (
            client.get(reverse("insights:training"), query),
            client.get(reverse("insights:training-csv", args=["people"]), query),
        ):
            small = [cell for cell in cells_of(response) if cell in {"1", "2", "3", "4"}]
            # Sessions and seats are not people: only the sessions table may show a 1 (one cancelled session).
            if response["Content-Type"].startswith("text/csv"):
                assert not small, (breakdown, small)
    page = client.get(reverse("insights:training"), {"period": MARCH, "breakdown": "college"}).content.decode()
    assert "fewer than 5" in page and "15 people trained in all." in page


def test_the_csv_is_the_table_on_the_page(client, partner, snapshot):
    client.force_login(partner)
    query = {"period": YEAR, "breakdown": "borough"}
    cells = cells_of(client.get(reverse("insights:training"), query))
    for table in ("sessions", "people"):
        for row in _csv(client, table, **query):
            for cell in row:
                assert cell in cells, (table, cell)


def test_an_unknown_table_is_404_and_hostile_filters_are_200(client, partner, snapshot):
    client.force_login(partner)
    assert client.get(reverse("insights:training-csv", args=["passwords"])).status_code == 404
    for query in HOSTILE:
        for url in (reverse("insights:training"), reverse("insights:training-csv", args=["people"])):
            response = client.get(url, query)
            assert response.status_code == 200, (url, query)
            assert "<script>alert" not in text_of(response)


def test_without_a_snapshot_or_without_sessions_the_page_says_so(client, partner, db):
    client.force_login(partner)
    assert "There are no figures yet" in client.get(reverse("insights:training")).content.decode()
    assert client.get(reverse("insights:training-csv", args=["sessions"])).status_code == 404
    # A snapshot with a period but no training in it (a who-gets-in period only).
    snapshot = Snapshot.objects.create(
        kind="on_demand",
        status="succeeded",
        taken_at=datetime(2027, 4, 2, 9, tzinfo=london(date(2027, 4, 2), time(9)).tzinfo),
        periods=[
            {"key": "round:1", "label": "Summer 2026", "kind": "round", "start": "2026-06-01", "end": "2026-08-31"}
        ],
    )
    SnapshotTheme.objects.create(snapshot=snapshot, theme=Theme.TRAINING, data={})
    page = client.get(reverse("insights:training")).content.decode()
    assert "Simulation training is counted by month and academic year, not by round" in page


def test_the_page_answers_in_a_bounded_number_of_queries(client, partner, snapshot, django_assert_max_num_queries):
    for _ in range(30):
        # Older snapshots with no documents: the page still reads the newest, in the same number of queries.
        Snapshot.objects.create(
            kind="on_demand", status="succeeded", taken_at=snapshot.taken_at - timedelta(days=1), periods=[]
        )
    client.force_login(partner)
    client.get(reverse("insights:training"))
    for url in (reverse("insights:training"), reverse("insights:training-csv", args=["people"])):
        with django_assert_max_num_queries(8):
            response = client.get(url, {"breakdown": "audience"})
        assert response.status_code == 200 and "Care staff, Students" in text_of(response)


def test_the_snapshot_reads_training_in_a_few_queries_however_many_sessions(march, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        training_figures.training_document(**training_facts())


def test_seats_filled_are_hidden_like_people_and_sessions_are_not():
    # A students-only topic with 3 seats filled of 8, another with 12 of 20: the 3 reads "fewer than 5", the 12 is
    # hidden (15 - 12 would give it back), and neither share is given; sessions and seats offered stay as they are.
    table = sessions_table({"Careers": [1, 0, 8, 3, 3600], "Dementia care": [2, 1, 20, 12, 7200]}, None, 100, "topic")
    assert table.rows == [
        ["Careers", "1", "0", "8", "fewer than 5", "not shown", "1.0", "not applicable", "not applicable"],
        ["Dementia care", "2", "1", "20", "hidden", "not shown", "2.0", "not applicable", "not applicable"],
    ]
    assert table.total == ["All sessions", "3", "1", "28", "15", "53.6%", "3.0", "100", "3%"]
    assert table.bars == [("Careers", [8, None]), ("Dementia care", [20, None])]
