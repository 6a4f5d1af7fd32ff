"""Utilisation: per room and London calendar month, hours available and booked (real elapsed time, so a session
across the October clock change counts the hour it gained), seats offered and filled, no-shows, employers who
booked; the CSV is exactly the table; a few aggregate queries however many sessions."""

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.training.after.helpers import hold_seats, make_session, name_people, staff, student_place
from tests.training.conftest import at
from training.forms.after import TOO_MANY_MONTHS
from training.models import Attendance, Attendee, Booking, CatalogueEntry, Room, Session, SessionStatus, Suite
from training.selectors.after import utilisation_for_college

pytestmark = pytest.mark.django_db

OCTOBER, NOVEMBER = date(2027, 10, 1), date(2027, 11, 1)


def on(day, hour, minute=0):
    return at(hour, minute, day=day)


@pytest.fixture
def october(
    college_coordinator,
    entry,
    room,
    other_room,
    care_provider,
    care_provider_coordinator,
    coordinator,
    trust,
    student,
    other_college,
    other_college_coordinator,
):
    """A hand-made October 2027 in two rooms of the college, with a session in another college for contrast."""
    # 00:30 to 03:30 on the night the clocks go back: the wall clock shows 3 hours, 4 really pass.
    make_session(college_coordinator, entry, room, on(date(2027, 10, 31), 0, 30), ends_at=on(date(2027, 10, 31), 3, 30))
    # 00:30 on 1 October in London is still 30 September in UTC: it counts in October.
    make_session(college_coordinator, entry, room, on(date(2027, 10, 1), 0, 30), hours=1)
    busy = make_session(college_coordinator, entry, room, on(date(2027, 10, 5), 9))
    carers = name_people(hold_seats(busy, care_provider_coordinator, 3), staff(care_provider, 2))
    name_people(hold_seats(busy, coordinator, 2), staff(trust, 1, "nurse"))
    student_place(busy, student)
    Attendee.objects.filter(pk=carers[0].pk).update(attendance=Attendance.DID_NOT_ATTEND)
    cancelled = make_session(college_coordinator, entry, room, on(date(2027, 10, 12), 9))
    hold_seats(cancelled, coordinator, 1)
    Session.objects.filter(pk=cancelled.pk).update(status=SessionStatus.CANCELLED)
    make_session(college_coordinator, entry, other_room, on(date(2027, 10, 20), 10), hours=1.5, seats=6)
    # 00:30 on 1 November (GMT): November's.
    make_session(college_coordinator, entry, room, on(date(2027, 11, 1), 0, 30), hours=2)
    # Another college's room, the same month: never in this college's figures.
    suite = Suite.objects.create(college=other_college, name="Other suite")
    elsewhere = Room.objects.create(suite=suite, name="Elsewhere", capacity=10)
    other_entry = CatalogueEntry.objects.create(
        college=other_college,
        title="Other",
        topic=entry.topic,
        duration_minutes=60,
        max_participants=5,
        facilitators_per_participant=Decimal("0.5"),
    )
    make_session(other_college_coordinator, other_entry, elsewhere, on(date(2027, 10, 5), 9), seats=5)


def test_a_hand_made_october_adds_up(college, room, other_room, care_provider, trust, october):
    result = utilisation_for_college(college, [OCTOBER, NOVEMBER])
    rows = {(row.room.name, row.month): row for row in result.rows}
    assert len(result.rows) == 4  # every room, every month, even with nothing booked

    ward = rows[(room.name, OCTOBER)]
    assert ward.hours_available == 155  # 35 hours a week x 31 days / 7
    assert ward.hours_booked == Decimal("8.0")  # 4 (clock change) + 1 + 3; the cancelled session counts nothing
    assert ward.utilisation == 5  # 8 / 155
    assert (ward.seats_offered, ward.seats_filled, ward.no_shows, ward.sessions) == (24, 4, 1, 3)
    assert ward.employers == sorted([care_provider.name, trust.name], key=str.lower)

    flat = rows[(other_room.name, OCTOBER)]
    assert (flat.hours_available, flat.hours_booked, flat.utilisation) == (155, Decimal("1.5"), 1)
    assert (flat.seats_offered, flat.seats_filled, flat.no_shows, flat.employers) == (6, 0, 0, [])

    november = rows[(room.name, NOVEMBER)]
    assert (november.hours_available, november.hours_booked, november.sessions) == (150, Decimal("2.0"), 1)

    total = result.total
    assert (total.hours_available, total.hours_booked, total.seats_offered) == (610, Decimal("11.5"), 38)
    assert (total.seats_filled, total.no_shows, total.utilisation) == (4, 1, 2)  # 11.5 / 610
    assert total.employers == sorted([care_provider.name, trust.name], key=str.lower)


def test_hours_available_follow_the_rooms_weekly_hours(college, room):
    Room.objects.filter(pk=room.pk).update(hours_available_per_week=20)
    [row] = utilisation_for_college(college, [date(2027, 2, 1)]).rows
    assert row.hours_available == 80  # 20 x 28 / 7
    [row] = utilisation_for_college(college, [OCTOBER]).rows
    assert row.hours_available == 89  # 20 x 31 / 7 = 88.57
    Room.objects.filter(pk=room.pk).update(hours_available_per_week=0)
    [row] = utilisation_for_college(college, [OCTOBER]).rows
    assert row.utilisation is None


class TableCells(HTMLParser):
    """The text of each <tr>'s cells, without the headings the responsive table repeats for small screens."""

    def __init__(self):
        super().__init__()
        self.rows, self.cell, self.skip = [], None, 0

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = ""
        elif tag == "span" and ("aria-hidden", "true") in attrs:
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join(self.cell.split()))
            self.cell = None
        elif tag == "span" and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if self.cell is not None and not self.skip:
            self.cell += data


def page_and_csv(client, query):
    page = client.get(reverse("training:college-utilisation"), query)
    export = client.get(reverse("training:college-utilisation-export"), query)
    assert page.status_code == 200 and export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    parser = TableCells()
    parser.feed(page.content.decode())
    return parser.rows, list(csv.reader(io.StringIO(export.content.decode())))


def test_the_csv_is_exactly_the_table(client, college_coordinator, october, room, care_provider):
    client.force_login(college_coordinator)
    table, spreadsheet = page_and_csv(client, {"start": "2027-10", "end": "2027-11"})
    assert table == spreadsheet
    assert table[0][0] == "Room" and table[-1][0] == "Total"
    ward = next(row for row in table if row[0].endswith(room.name) and row[1] == "October 2027")
    assert ward[2:8] == ["155", "8", "5%", "24", "4", "1"]
    assert care_provider.name in ward[8]
    assert table[-1][1:8] == ["October 2027 to November 2027", "610", "11.5", "2%", "38", "4", "1"]


def test_spreadsheet_formulae_in_names_are_neutralised(client, college_coordinator, october, room):
    Room.objects.filter(pk=room.pk).update(name='=HYPERLINK("http://evil.test")')
    client.force_login(college_coordinator)
    export = client.get(reverse("training:college-utilisation-export"), {"start": "2027-10", "end": "2027-10"})
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_default_is_the_last_six_months_to_the_next_two(client, college_coordinator, room):
    client.force_login(college_coordinator)
    table, _ = page_and_csv(client, {})
    months = [row[1] for row in table[1:-1]]
    assert len(months) == 9 and len(set(months)) == 9


def test_another_colleges_rooms_and_sessions_never_show(client, other_college_coordinator, october, room):
    client.force_login(other_college_coordinator)
    table, spreadsheet = page_and_csv(client, {"start": "2027-10", "end": "2027-10"})
    assert table == spreadsheet
    assert [row[0] for row in table[1:-1]] == ["Other suite: Elsewhere"]
    assert table[1][3] == "3"


@pytest.mark.parametrize(
    "query",
    [
        {"start": "abc", "end": "2027-10"},
        {"start": "2027-10", "end": "2027-09"},
        {"start": "2025-01", "end": "2027-11"},
        {"start": "9" * 500, "end": "-1"},
        {"start": "2027-13", "end": ""},
        {"start": "2027-10"},
    ],
)
def test_a_bad_choice_of_months_gets_a_message_and_the_csv_goes_back_to_the_page(client, college_coordinator, query):
    client.force_login(college_coordinator)
    page = client.get(reverse("training:college-utilisation"), query)
    assert page.status_code == 200 and "There is a problem" in page.content.decode()
    export = client.get(reverse("training:college-utilisation-export"), query)
    assert export.status_code == 302 and export.url.startswith(reverse("training:college-utilisation"))


def test_at_most_24_months_at_once(client, college_coordinator):
    client.force_login(college_coordinator)
    response = client.get(reverse("training:college-utilisation"), {"start": "2025-01", "end": "2027-01"})
    assert TOO_MANY_MONTHS in response.content.decode()


def test_five_thousand_sessions_take_a_bounded_number_of_queries(
    client,
    college_coordinator,
    college,
    suite,
    entry,
    care_provider_coordinator,
    care_provider,
    django_assert_max_num_queries,
):
    rooms = [Room.objects.create(suite=suite, name=f"Room {n}", capacity=10) for n in range(5)]
    first = datetime(2026, 9, 1, 8, tzinfo=at(9).tzinfo)
    Session.objects.bulk_create(
        Session(
            entry=entry,
            room=rooms[n % 5],
            starts_at=first + timedelta(hours=2 * (n // 5)),
            ends_at=first + timedelta(hours=2 * (n // 5) + 1),
            booking_cutoff=first,
            seats=10,
            seats_taken=2,
            created_by=college_coordinator,
        )
        for n in range(5_000)
    )
    sessions = list(Session.objects.filter(room__in=rooms).order_by("pk")[::10])
    Booking.objects.bulk_create(
        Booking(session=s, employer=care_provider, booked_by=care_provider_coordinator, seats=2) for s in sessions
    )
    people = staff(care_provider, 2, "many")
    bookings = Booking.objects.filter(session__in=sessions)
    Attendee.objects.bulk_create(
        Attendee(session_id=b.session_id, booking=b, person=person, attendance=Attendance.DID_NOT_ATTEND)
        for b in bookings
        for person in people
    )
    assert Session.objects.count() == 5_000
    client.force_login(college_coordinator)
    query = {"start": "2026-08", "end": "2027-02"}
    with django_assert_max_num_queries(10):
        page = client.get(reverse("training:college-utilisation"), query)
    with django_assert_max_num_queries(10):
        export = client.get(reverse("training:college-utilisation-export"), query)
    assert page.status_code == 200 and export.status_code == 200
    total = list(csv.reader(io.StringIO(export.content.decode())))[-1]
    assert total[0] == "Total" and total[3] == "5000" and total[5] == "50000" and total[6] == "1000"
    assert total[7] == "1000" and total[8] == "1 employer"


def test_a_little_use_reads_less_than_one_percent_not_nothing(client, college_coordinator, entry, room):
    Room.objects.filter(pk=room.pk).update(hours_available_per_week=168)
    make_session(college_coordinator, entry, room, on(date(2027, 10, 5), 9), hours=1)
    client.force_login(college_coordinator)
    table, spreadsheet = page_and_csv(client, {"start": "2027-10", "end": "2027-10"})
    assert table[1][2:5] == ["744", "1", "Less than 1%"] and table == spreadsheet
