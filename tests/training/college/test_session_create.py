"""Adding sessions: weekly repeats are all or nothing, and a clash names the date and what is busy."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.training.conftest import DAY, at
from training.models import Facilitation, Session
from training.services.college_sessions import Cutoff, sessions_create_weekly
from training.services.sessions import london, session_create

pytestmark = pytest.mark.django_db


def weekly(actor, entry, room, facilitators=(), weeks=3, first=DAY, **kwargs):
    return sessions_create_weekly(
        actor=actor,
        entry=entry,
        room=room,
        first_day=first,
        start=time(9),
        end=time(12),
        facilitators=list(facilitators),
        repeat_weeks=weeks,
        **kwargs,
    )


def test_a_weekly_repeat_creates_one_session_a_week_with_its_own_cutoff(college_coordinator, entry, room, facilitators):
    sessions = weekly(college_coordinator, entry, room, facilitators, weeks=3)
    assert [s.starts_at for s in sessions] == [at(9, day=DAY + timedelta(weeks=k)) for k in range(4)]
    assert [s.booking_cutoff for s in sessions] == [at(9, day=DAY + timedelta(weeks=k, days=-2)) for k in range(4)]
    assert all(s.seats == 8 and s.min_participants == 2 for s in sessions)
    assert Facilitation.objects.filter(facilitator=facilitators[0]).count() == 4


def test_a_clash_in_week_three_creates_nothing_and_names_the_date_and_the_room(college_coordinator, entry, room):
    third = DAY + timedelta(weeks=2)
    session_create(
        actor=college_coordinator,
        entry=entry,
        room=room,
        starts_at=at(11, day=third),
        ends_at=at(13, day=third),
        facilitators=[],
    )
    with pytest.raises(ValidationError) as error:
        weekly(college_coordinator, entry, room, weeks=4)
    assert error.value.code == "room_taken"
    assert error.value.messages[0].startswith("Tuesday 29 June 2027: The room is already booked")
    assert "Nothing has been created" in error.value.messages[0]
    assert Session.objects.count() == 1


def test_a_facilitator_clash_names_the_busy_facilitator(college_coordinator, entry, room, other_room, facilitators):
    second = DAY + timedelta(weeks=1)
    busy = facilitators[1]
    session_create(
        actor=college_coordinator,
        entry=entry,
        room=other_room,
        starts_at=at(10, day=second),
        ends_at=at(11, day=second),
        facilitators=[busy],
    )
    with pytest.raises(ValidationError) as error:
        weekly(college_coordinator, entry, room, facilitators, weeks=2)
    message = error.value.messages[0]
    assert error.value.code == "facilitator_taken"
    assert message.startswith("Tuesday 22 June 2027: A facilitator is already running another session")
    assert f"Busy: {busy.get_full_name()}." in message and facilitators[0].get_full_name() not in message
    assert Session.objects.count() == 1 and Facilitation.objects.count() == 1


def test_the_page_shows_the_clash_and_keeps_what_was_typed(client, college_coordinator, entry, room):
    third = DAY + timedelta(weeks=2)
    session_create(
        actor=college_coordinator,
        entry=entry,
        room=room,
        starts_at=at(9, day=third),
        ends_at=at(10, day=third),
        facilitators=[],
    )
    client.force_login(college_coordinator)
    response = client.post(reverse("training:college-session-create"), form(entry, room, repeat_weeks="5"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tuesday 29 June 2027: The room is already booked" in page
    assert Session.objects.count() == 1


def form(entry_, room_, **changes):
    data = {
        "entry": entry_.pk,
        "room": room_.pk,
        "date_day": str(DAY.day),
        "date_month": str(DAY.month),
        "date_year": str(DAY.year),
        "start": "09:00",
        "end": "12:00",
        "cutoff_days": "2",
        "repeat_weeks": "0",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_creates_weekly_sessions_and_warns_about_facilitators_and_equipment(
    client, college_coordinator, entry, room
):
    client.force_login(college_coordinator)
    response = client.post(reverse("training:college-session-create"), form(entry, room, repeat_weeks="2"), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 sessions added, weekly from 15 June 2027 to 29 June 2027." in page
    assert "needs 2 facilitators for 8 seats" in page  # one to four, none named: a warning, not a refusal
    assert "does not list equipment this session needs: Hoists" in page
    assert Session.objects.count() == 3


def test_leaving_the_end_blank_uses_the_entrys_length(client, college_coordinator, entry, room):
    client.force_login(college_coordinator)
    client.post(reverse("training:college-session-create"), form(entry, room, end=""))
    assert Session.objects.get().ends_at == at(12)  # 180 minutes after 9am


def test_a_fixed_cutoff_moves_on_a_week_with_each_repeat(college_coordinator, entry, room):
    cutoff = Cutoff(days_before=None, at=london(DAY - timedelta(days=5), time(17)))
    sessions = weekly(college_coordinator, entry, room, weeks=1, cutoff=cutoff)
    assert [s.booking_cutoff for s in sessions] == [
        london(DAY - timedelta(days=5), time(17)),
        london(DAY + timedelta(days=2), time(17)),
    ]


def test_weekly_sessions_keep_their_london_time_across_the_clock_change(college_coordinator, entry, room):
    sessions = weekly(college_coordinator, entry, room, weeks=2, first=date(2027, 3, 21))
    assert [s.starts_at.hour for s in sessions] == [9, 8, 8]  # UTC: 9am GMT, then 9am BST
    assert all(s.ends_at - s.starts_at == timedelta(hours=3) for s in sessions)


def test_duplicate_prefills_the_form_a_week_later(client, college_coordinator, session, facilitators):
    client.force_login(college_coordinator)
    response = client.get(reverse("training:college-session-duplicate", args=[session.pk]))
    form = response.context["form"]
    assert form.initial["date"] == DAY + timedelta(weeks=1)
    assert form.initial["start"] == "09:00" and form.initial["cutoff_days"] == 2
    assert set(form.initial["facilitators"]) == set(facilitators)
    response = client.post(
        reverse("training:college-session-duplicate", args=[session.pk]),
        {
            "entry": session.entry_id,
            "room": session.room_id,
            "date_day": "22",
            "date_month": "6",
            "date_year": "2027",
            "start": "09:00",
            "end": "12:00",
            "cutoff_days": "2",
            "facilitators": [f.pk for f in facilitators],
        },
    )
    assert response.status_code == 302
    assert Session.objects.count() == 2
