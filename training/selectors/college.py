"""Reads for a college coordinator's pages: only their own college's suites, rooms, catalogue and sessions."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import Role, User
from training.models import (
    STALE_AFTER,
    Attendee,
    AttendeeStatus,
    Booking,
    CatalogueEntry,
    Room,
    Session,
    SessionStatus,
    Suite,
    WaitlistEntry,
    WaitlistStatus,
)


def suites_for_college(college_id: int) -> QuerySet[Suite]:
    return Suite.objects.filter(college_id=college_id).prefetch_related(
        Prefetch("rooms", queryset=Room.objects.order_by("name"))
    )


def rooms_for_college(college_id: int) -> QuerySet[Room]:
    return Room.objects.filter(suite__college_id=college_id).select_related("suite").order_by("suite__name", "name")


def entries_for_college(college_id: int) -> QuerySet[CatalogueEntry]:
    """The catalogue, entries most in need of a "still accurate" first, each with its upcoming sessions counted."""
    return (
        CatalogueEntry.objects.filter(college_id=college_id)
        .annotate(
            upcoming=Count(
                "sessions",
                filter=Q(sessions__starts_at__gte=timezone.now()) & ~Q(sessions__status=SessionStatus.CANCELLED),
            )
        )
        .order_by("last_confirmed_on", "title", "pk")
    )


def stale_before():
    return timezone.localdate() - STALE_AFTER


def facilitators_for_college(college_id: int) -> QuerySet[User]:
    """Who can run a session: the college's tutors and coordinators."""
    return User.objects.filter(
        organisation_id=college_id, is_active=True, role__in=[Role.TUTOR, Role.COORDINATOR]
    ).order_by("first_name", "last_name", "email")


def sessions_for_college(college_id: int) -> QuerySet[Session]:
    return Session.objects.filter(room__suite__college_id=college_id).select_related("entry", "room", "room__suite")


def session_list_for_college(college_id: int, *, room=None, entry=None, since=None, status=None) -> QuerySet[Session]:
    sessions = sessions_for_college(college_id)
    if room is not None:
        sessions = sessions.filter(room=room)
    if entry is not None:
        sessions = sessions.filter(entry=entry)
    if since is not None:
        sessions = sessions.filter(starts_at__gte=since)
    if status:
        sessions = sessions.filter(status=status)
    return sessions.order_by("starts_at", "pk")


def upcoming_sessions_for_college(college_id: int) -> QuerySet[Session]:
    return (
        sessions_for_college(college_id)
        .filter(ends_at__gt=timezone.now())
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("starts_at", "pk")
    )


def session_for_college(college_id: int, pk: int) -> Session | None:
    """One session with what its page shows: facilitators, bookings with their named staff, students, waiting list."""
    live = ~Q(status=AttendeeStatus.CANCELLED)
    return (
        sessions_for_college(college_id)
        .prefetch_related(
            "facilitators",
            Prefetch(
                "bookings",
                queryset=Booking.objects.filter(seats__gt=0)
                .select_related("employer", "booked_by")
                .prefetch_related(
                    Prefetch(
                        "attendees",
                        queryset=Attendee.objects.filter(live).select_related("person").order_by("created_at"),
                        to_attr="named",
                    )
                ),
                to_attr="live_bookings",
            ),
            Prefetch(
                "attendees",
                queryset=Attendee.objects.filter(live, booking__isnull=True).select_related("person"),
                to_attr="students",
            ),
            Prefetch(
                "waitlist",
                queryset=WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING).select_related(
                    "employer", "person"
                ),
                to_attr="waiting",
            ),
        )
        .filter(pk=pk)
        .first()
    )


def who_will_be_told(session: Session) -> dict:
    """For the cancel page: how many people each kind of email goes to."""
    return {
        "attendees": Attendee.objects.filter(session=session).exclude(status=AttendeeStatus.CANCELLED).count(),
        "bookings": Booking.objects.filter(session=session, seats__gt=0).count(),
        "employers": Booking.objects.filter(session=session, seats__gt=0).values("employer").distinct().count(),
        "waiting": WaitlistEntry.objects.filter(session=session, status=WaitlistStatus.WAITING).count(),
    }
