"""The student pages: who sees what, booking through the confirm page, hostile input, bounded queries, and the
"not placed this round" email and dashboard links that lead there."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboundEmail
from placements.services import reminders
from placements.workflow import Status
from tests import factories
from tests.training.student.conftest import application_for, in_days, make_session
from training.models import Attendee, Session

pytestmark = pytest.mark.django_db

SESSIONS = reverse("training:student-sessions")


def book_url(session) -> str:
    return reverse("training:student-book", args=[session.pk])


def _main(response) -> str:
    return " ".join(response.content.decode().split())


def test_an_unplaced_student_sees_sessions_open_to_them_and_why(client, student, unplaced, student_session):
    client.force_login(student)
    response = client.get(SESSIONS)
    assert response.status_code == 200
    text = _main(response)
    assert (
        "Your application was not placed this round, so you can book a place on these sessions, "
        "first come, first served" in text
    )
    assert "Careers in health and care: insight day" in text and book_url(student_session) in text


def test_full_sessions_come_after_those_with_places_and_are_marked(
    client, student, unplaced, college_coordinator, insight_day, room
):
    soon_full = make_session(college_coordinator, insight_day, room, days=5)
    later = make_session(college_coordinator, insight_day, room, days=9)
    Session.objects.filter(pk=soon_full.pk).update(seats_taken=soon_full.seats)
    client.force_login(student)
    response = client.get(SESSIONS)
    assert [s.pk for s in response.context["page"]] == [later.pk, soon_full.pk]
    text = _main(response)
    assert "Full" in text and book_url(soon_full) not in text and "no waiting list for students" in text


def test_sessions_for_staff_stale_past_or_outside_the_dates_are_not_listed(
    client, student, round_, college_coordinator, insight_day, entry, room, other_room
):
    application_for(
        student, round_, available_from=timezone.localdate(), available_to=timezone.localdate() + timedelta(days=30)
    )
    inside = make_session(college_coordinator, insight_day, room, days=20)
    make_session(college_coordinator, insight_day, room, days=40)  # outside the dates
    make_session(college_coordinator, entry, other_room, days=21, seats=4)  # staff only
    closed = make_session(college_coordinator, insight_day, room, days=2, cutoff_days_before=3)  # past its cut-off
    client.force_login(student)
    assert [s.pk for s in client.get(SESSIONS).context["page"]] == [inside.pk]
    insight_day.last_confirmed_on = timezone.localdate() - timedelta(days=61)
    insight_day.save()
    response = client.get(SESSIONS)
    assert list(response.context["page"]) == [] and "There are no sessions open to students" in _main(response)
    assert closed.pk


def test_a_session_the_student_is_too_young_for_says_so_instead_of_a_book_button(
    client, student, round_, student_session
):
    application_for(student, round_, age=15)
    client.force_login(student)
    text = _main(client.get(SESSIONS))
    assert "This session is for people aged 16 or over on the day. You will be 15 on" in text
    assert book_url(student_session) not in text


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Status.CONFIRMED, "You have been offered or hold a placement"),
        (Status.READY_FOR_MATCHING, "is still going"),
        (None, "You have not applied in a round"),
    ],
)
def test_a_student_who_cannot_book_is_told_who_can_and_why(client, student, round_, student_session, status, words):
    if status:
        application_for(student, round_, status=status)
    client.force_login(student)
    response = client.get(SESSIONS)
    assert response.status_code == 200
    text = _main(response)
    assert words in text and "Who can book these sessions" in text
    assert reverse("placements:student-home") in text and book_url(student_session) not in text


@pytest.mark.parametrize(
    "persona", ["tutor", "coordinator", "college_coordinator", "care_provider_coordinator", "staff_member", "partner"]
)
def test_other_roles_get_404(client, request, persona, student_session):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(SESSIONS).status_code == 404
    assert client.get(book_url(student_session)).status_code == 404
    assert client.post(book_url(student_session)).status_code == 404
    assert Session.objects.get(pk=student_session.pk).seats_taken == 0


def test_anonymous_visitors_are_asked_to_sign_in_and_come_back(client, student_session):
    response = client.get(SESSIONS)
    assert response.status_code == 302 and "/accounts/login/" in response.url and "next=" in response.url
    assert client.post(book_url(student_session)).status_code == 302
    assert not Attendee.objects.exists()


def test_the_confirm_page_then_post_books_a_place_and_a_repeat_is_harmless(client, student, unplaced, student_session):
    client.force_login(student)
    confirm = client.get(book_url(student_session))
    assert confirm.status_code == 200 and "Book my place" in _main(confirm)
    response = client.post(book_url(student_session), follow=True)
    assert response.redirect_chain[-1][0] == SESSIONS
    text = _main(response)
    assert "You have a place on ‘Careers in health and care: insight day’" in text
    assert "Your places" in text and reverse("training:my-training") in text
    assert "You have a place" in text and response.context["places"][0].session == student_session

    again = client.post(book_url(student_session), follow=True)
    assert "You already have a place on this session." in _main(again)
    assert Session.objects.get(pk=student_session.pk).seats_taken == 1 and Attendee.objects.count() == 1
    assert OutboundEmail.objects.filter(template="student_training_place_booked").count() == 1


def test_a_session_that_filled_up_while_they_looked_says_so_with_a_way_on(client, student, unplaced, student_session):
    client.force_login(student)
    Session.objects.filter(pk=student_session.pk).update(seats_taken=student_session.seats)
    response = client.post(book_url(student_session))
    assert response.status_code == 200
    text = _main(response)
    assert "This session is now full" in text and "There is no waiting list for students" in text
    assert f'href="{SESSIONS}"' in text and "Book my place" not in text


def test_a_refusal_on_the_confirm_page_explains_it(client, student, round_, student_session):
    application_for(student, round_, date_of_birth=None)
    client.force_login(student)
    response = client.get(book_url(student_session))
    text = _main(response)
    assert "You cannot book this session" in text and "we cannot check your age" in text
    assert "Book my place" not in text
    assert client.post(book_url(student_session)).status_code == 200
    assert not Attendee.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/training/sessions/999999/book-student/",
        "/training/sessions/99999999999999999999999/book-student/",
        "/training/sessions/-1/book-student/",
        "/training/sessions/abc/book-student/",
    ],
)
def test_hostile_session_ids_are_404_not_500(client, student, unplaced, path):
    client.force_login(student)
    assert client.get(path).status_code == 404
    assert client.post(path, {"count": "9" * 40}).status_code == 404


def test_hostile_form_data_and_query_strings_change_nothing(client, student, unplaced, student_session):
    client.force_login(student)
    response = client.post(
        book_url(student_session), {"person": "1", "count": "-5", "session": "999999", "seats": "x" * 5000}
    )
    assert response.status_code == 302
    place = Attendee.objects.get()
    assert place.person == student and Session.objects.get(pk=student_session.pk).seats_taken == 1
    for page in ("0", "-1", "9999999999999999", "abc", "1' OR 1=1"):
        assert client.get(SESSIONS, {"page": page}).status_code == 200


def test_another_students_place_is_not_shown(client, student, other_student, unplaced, student_session):
    from training.services.student import student_place_book

    application_for(other_student, unplaced.round)
    student_place_book(actor=other_student, session=student_session)
    client.force_login(student)
    response = client.get(SESSIONS)
    assert response.context["places"] == [] and "Your places" not in _main(response)


def test_the_list_does_a_bounded_number_of_queries_with_500_sessions(
    client, student, unplaced, college_coordinator, insight_day, room, django_assert_max_num_queries
):
    start = in_days(3, 8)
    Session.objects.bulk_create(
        Session(
            entry=insight_day,
            room=room,
            starts_at=start + timedelta(hours=3 * n),
            ends_at=start + timedelta(hours=3 * n + 2),
            booking_cutoff=start + timedelta(hours=3 * n - 24),
            seats=8,
            seats_taken=8 if n % 7 == 0 else n % 8,
            created_by=college_coordinator,
        )
        for n in range(500)
    )
    client.force_login(student)
    with django_assert_max_num_queries(8):
        first = client.get(SESSIONS)
    with django_assert_max_num_queries(8):
        last = client.get(SESSIONS, {"page": "20"})
    assert first.context["page"].paginator.count == 500 and len(first.context["page"]) == 25
    assert all(s.full for s in last.context["page"])  # full ones come last


# --- The links that lead here ------------------------------------------------------------------------------


def test_the_not_placed_this_round_email_link_opens_the_sessions_for_that_student(
    client, student, college_coordinator, insight_day, room, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    round_ = factories.RoundFactory(
        name="Summer 2027",
        applications_open_on=today - timedelta(days=60),
        applications_close_on=today - timedelta(days=30),
        matching_on=today - timedelta(days=20),
        outcomes_by=today,
        placements_from=today,
        placements_to=today + timedelta(days=100),
    )
    application = application_for(student, round_, status=Status.READY_FOR_MATCHING)
    session = make_session(college_coordinator, insight_day, room)
    with django_capture_on_commit_callbacks():
        assert reminders.round_send_outcomes(round_=round_) == 1
    application.refresh_from_db()
    assert application.status == Status.UNSUCCESSFUL

    email = OutboundEmail.objects.get(template="student_round_outcome", recipient=student)
    links = re.findall(r"https?://\S+", email.body_text)
    link = next(url for url in links if "/training/" in url)
    assert link.endswith(SESSIONS)
    assert f'href="{link}"' in email.body_html
    path = re.sub(r"^https?://[^/]+", "", link)

    anonymous = client.get(path)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url  # and back here after sign-in
    client.force_login(student)
    response = client.get(path)
    assert response.status_code == 200
    assert "Your application was not placed this round" in _main(response)
    assert [s.pk for s in response.context["page"]] == [session.pk]
    assert "can no longer be changed" not in _main(response)


def test_the_dashboard_offers_the_sessions_to_a_student_left_without_a_place(client, student, round_):
    application = application_for(student, round_, status=Status.DECLINED)
    client.force_login(student)
    text = _main(client.get(reverse("placements:student-home")))
    assert "Book a simulation or insight session" in text and f'href="{SESSIONS}"' in text
    application.status = Status.CONFIRMED
    application.save()
    text = _main(client.get(reverse("placements:student-home")))
    assert f'href="{SESSIONS}"' not in text


def test_a_placement_page_no_longer_offers_add_to_my_choices_on_an_application_that_cannot_change(
    client, student, round_
):
    # Where the old email's link led: "Add to my choices" could only answer "can no longer be changed".
    opportunity = factories.CohortFactory(start_date=round_.placements_from + timedelta(days=7)).opportunity
    application = application_for(student, round_, status=Status.DRAFT)
    client.force_login(student)
    url = reverse("placements:opportunity-detail", args=[opportunity.pk])
    assert "Add to my choices" in _main(client.get(url))
    application.status = Status.UNSUCCESSFUL
    application.save()
    text = _main(client.get(url))
    assert "Add to my choices" not in text and "can no longer change" in text and f'href="{SESSIONS}"' in text
