"""What ``seed_demo`` leaves in the simulation suites, checked against what only the services could have written.

Called from tests/test_seed_demo.py, which seeds once (seeding is slow) and checks every part of the demo."""

from collections import Counter
from datetime import time, timedelta

from django.db.models import Sum
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import OrganisationKind, Role, User
from notifications.models import OutboundEmail
from training.demo import FUTURE_SESSIONS, WEEKS_AHEAD, _college_open
from training.models import (
    Attendance,
    Attendee,
    AttendeeStatus,
    Audience,
    Booking,
    CatalogueEntry,
    EmployerTrainingPolicy,
    Facilitation,
    Room,
    SelfBooking,
    Session,
    SessionStatus,
    Suite,
    Topic,
    WaitlistEntry,
    WaitlistStatus,
)
from training.services.sessions import LONDON

TRAINING_MODELS = [Suite, Room, CatalogueEntry, Session, Facilitation, Booking, Attendee, WaitlistEntry]
TRAINING_MODELS += [EmployerTrainingPolicy]


def check_simulation_suites_are_what_colleges_employers_staff_and_students_did_through_the_services():
    now = timezone.now()
    today = timezone.localdate()
    # The logins: a college's simulation coordinator, staff at the care provider and at the trust, all with the
    # demo second factor (staff must use one).
    trainer, sam, bea = (
        User.objects.get(email=e) for e in ("trainer@demo.test", "staff@demo.test", "staff.b@demo.test")
    )
    assert (trainer.role, trainer.organisation.kind) == (Role.COORDINATOR, OrganisationKind.COLLEGE)
    assert (sam.role, sam.organisation.kind) == (Role.STAFF, OrganisationKind.CARE_PROVIDER)
    assert (bea.role, bea.organisation.kind) == (Role.STAFF, OrganisationKind.NHS_TRUST)
    for person in (trainer, sam, bea):
        assert TOTPDevice.objects.filter(user=person, confirmed=True).exists(), person.email
    policies = dict(EmployerTrainingPolicy.objects.values_list("employer__kind", "self_booking"))
    assert policies[OrganisationKind.CARE_PROVIDER] == SelfBooking.WITH_APPROVAL
    assert policies[OrganisationKind.NHS_TRUST] == SelfBooking.WITHOUT_APPROVAL

    # What the colleges publish: two colleges' suites, at least 6 rooms, 10 catalogue entries.
    assert Suite.objects.values("college").distinct().count() == 2
    assert Room.objects.count() >= 6 and all(room.equipment for room in Room.objects.all())
    entries = list(CatalogueEntry.objects.all())
    assert len(entries) == 10 and len({e.topic for e in entries}) >= 8
    for_students = [e for e in entries if Audience.STUDENTS in e.audiences]
    assert len(for_students) >= 2
    assert any(e.topic == Topic.CAREERS and e.min_age == 16 for e in for_students)

    # 30 dated sessions over the next 8 weeks: weekday daytimes in London, in the college's own rooms, run by
    # people of the college, never two at once in a room or for a facilitator.
    upcoming = Session.objects.filter(starts_at__gte=now).select_related("entry", "room__suite")
    assert upcoming.count() == FUTURE_SESSIONS
    for session in upcoming:
        starts, ends = session.starts_at.astimezone(LONDON), session.ends_at.astimezone(LONDON)
        assert starts.date() <= today + timedelta(weeks=WEEKS_AHEAD) and _college_open(starts.date()), session
        assert time(9) <= starts.time() and ends.time() <= time(18) and starts.date() == ends.date(), session
        assert session.room.suite.college_id == session.entry.college_id
        assert session.booking_cutoff > now and session.status == SessionStatus.SCHEDULED
    for facilitation in Facilitation.objects.select_related("facilitator", "session__entry"):
        assert facilitation.facilitator.organisation_id == facilitation.session.entry.college_id
        assert (facilitation.starts_at, facilitation.ends_at) == (
            facilitation.session.starts_at,
            facilitation.session.ends_at,
        )
    for first in Session.objects.all():
        overlapping = Session.objects.filter(starts_at__lt=first.ends_at, ends_at__gt=first.starts_at).exclude(
            pk=first.pk
        )
        assert not overlapping.filter(room=first.room).exists(), first
        assert not Facilitation.objects.filter(
            session__in=overlapping, facilitator__in=first.facilitators.all()
        ).exists(), first

    # Seats only moved through the services: every seat taken is an employer's booked seat or a student's place;
    # nobody is named in more seats than a booking holds; bookings are made by the employer's own people.
    for session in Session.objects.all():
        booked = session.bookings.aggregate(total=Sum("seats"))["total"] or 0
        students = session.attendees.filter(booking=None).exclude(status=AttendeeStatus.CANCELLED).count()
        assert session.seats_taken == booked + students <= session.seats, session
    for booking in Booking.objects.select_related("booked_by", "employer"):
        assert booking.booked_by.organisation_id == booking.employer_id
        assert booking.booked_by.role in (Role.COORDINATOR, Role.STAFF)
        assert booking.attendees.exclude(status=AttendeeStatus.CANCELLED).count() <= booking.seats
    assert Booking.objects.values("employer__kind").distinct().count() == 2
    assert Attendee.objects.filter(booking__isnull=False, person__organisation_id=None).count() == 0
    for attendee in Attendee.objects.exclude(booking=None).select_related("booking"):
        assert attendee.person.organisation_id == attendee.booking.employer_id
    # Students not placed this round took first-come places on sessions open to students.
    student_places = Attendee.objects.filter(booking=None).select_related("person", "session__entry")
    assert student_places.count() >= 2
    assert all(a.person.role == Role.STUDENT and a.session.entry.open_to_students for a in student_places)
    # A full session with an employer waiting; staff who booked themselves, one waiting for approval.
    full = Session.objects.get(pk=WaitlistEntry.objects.get(status=WaitlistStatus.WAITING).session_id)
    assert full.seats_taken == full.seats
    assert Attendee.objects.filter(person=sam, status=AttendeeStatus.AWAITING_APPROVAL).count() == 1
    assert Attendee.objects.filter(person=sam, added_by=sam, approved_by__isnull=False).exists()
    assert Attendee.objects.filter(person=bea, added_by=bea, status=AttendeeStatus.BOOKED).exists()

    # A session in the past ran: attendance marked by the college, certificates ready for those who came,
    # confidence rated before and after; its seats were decided at the cut-off.
    past = Session.objects.get(starts_at__lt=now)
    assert past.attendance_marked_at and past.cutoff_checked_at and past.status == SessionStatus.SCHEDULED
    marks = Counter(past.attendees.values_list("attendance", flat=True))
    assert marks[Attendance.ATTENDED] >= 3 and marks[Attendance.DID_NOT_ATTEND] == 1
    assert not past.attendees.filter(attendance=Attendance.UNMARKED).exists()
    for email in ("staff@demo.test", "staff.b@demo.test"):
        place = past.attendees.get(person__email=email)
        assert place.attendance == Attendance.ATTENDED and place.confidence_before < place.confidence_after
        assert OutboundEmail.objects.filter(template="attendee_certificate_ready", to_email=email).exists()
    assert all(a.attendance_marked_by.organisation_id == past.entry.college_id for a in past.attendees.all())
