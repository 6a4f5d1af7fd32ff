"""First come, first served on PostgreSQL: 20 students, each on their own connection, want the last 3 places."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests import factories
from tests.conftest import BARRIER_SECONDS
from tests.training.student.conftest import application_for, make_session
from training.models import Attendee, Session
from training.services.student import SESSION_FULL, student_place_book

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("many_connections"),
]
STUDENTS = 20
LAST_SEATS = 3
ROUNDS = 5


def test_twenty_students_racing_for_the_last_three_places_three_get_one(college_coordinator, insight_day, room, round_):
    session = make_session(college_coordinator, insight_day, room, seats=8)
    students = [factories.StudentFactory(email=f"racer{n}@example.test") for n in range(STUDENTS)]
    for student in students:
        application_for(student, round_)
    for _ in range(ROUNDS):
        Attendee.objects.filter(session=session).delete()
        Session.objects.filter(pk=session.pk).update(seats_taken=session.seats - LAST_SEATS)
        outcomes = _book_all_at_once(session.pk, students)
        assert outcomes.count("booked") == LAST_SEATS, outcomes
        assert outcomes.count("full") == STUDENTS - LAST_SEATS, outcomes  # 0 errors, 0 surprises
        assert Session.objects.get(pk=session.pk).seats_taken == session.seats
        assert Attendee.objects.filter(session=session).count() == LAST_SEATS


def test_one_student_posting_twice_at_once_gets_one_place(college_coordinator, insight_day, room, student, round_):
    session = make_session(college_coordinator, insight_day, room, seats=8)
    application_for(student, round_)
    outcomes = _book_all_at_once(session.pk, [student] * 4)
    assert outcomes.count("booked") == 1 and outcomes.count("already") == 3, outcomes
    assert Session.objects.get(pk=session.pk).seats_taken == 1


def _book_all_at_once(session_id: int, students) -> list[str]:
    barrier = threading.Barrier(len(students), timeout=BARRIER_SECONDS)
    outcomes: list[str] = []

    def book(actor):
        try:
            session = Session.objects.select_related("entry").get(pk=session_id)
            barrier.wait()
            student_place_book(actor=actor, session=session)
            outcomes.append("booked")
        except ValidationError as error:
            if error.messages == [SESSION_FULL]:
                outcomes.append("full")
            elif error.code == "already_booked":
                outcomes.append("already")
            else:
                outcomes.append(f"other: {error.messages}")
        except Exception as error:  # noqa: BLE001 — a deadlock or server error would land here
            outcomes.append(f"other: {type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(actor,)) for actor in students]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes
