"""College simulation suites: rooms, a catalogue of sessions, dated sessions and employers' bookings (ADR 0016).

No double booking: on PostgreSQL exclusion constraints (added by migration 0001, not declared here, so the
SQLite schema and ``makemigrations --check`` stay the same on both databases) keep a room, and a facilitator,
out of two overlapping sessions; on SQLite ``training.services`` checks under a lock. Seats move only
by conditional UPDATE, backed by CheckConstraints.
"""

from training.models.bookings import Attendee, Booking, EmployerTrainingPolicy, PersonCalendar, WaitlistEntry
from training.models.choices import (
    STALE_AFTER,
    Attendance,
    AttendeeStatus,
    Audience,
    CancelledReason,
    Equipment,
    SelfBooking,
    SessionStatus,
    Topic,
    WaitlistStatus,
)
from training.models.facilities import CatalogueEntry, Facilitation, Room, Session, Suite

__all__ = [
    "STALE_AFTER",
    "Attendance",
    "Attendee",
    "AttendeeStatus",
    "Audience",
    "Booking",
    "CancelledReason",
    "CatalogueEntry",
    "EmployerTrainingPolicy",
    "Equipment",
    "Facilitation",
    "PersonCalendar",
    "Room",
    "SelfBooking",
    "Session",
    "SessionStatus",
    "Suite",
    "Topic",
    "WaitlistEntry",
    "WaitlistStatus",
]
