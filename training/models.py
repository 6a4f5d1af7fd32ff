"""College simulation suites: rooms, a catalogue of sessions, dated sessions and employers' bookings (ADR 0016).

No double booking: on PostgreSQL exclusion constraints (added by migration 0001, not declared here, so the
SQLite schema and ``makemigrations --check`` stay the same on both databases) keep a room, and a facilitator,
out of two overlapping sessions; on SQLite ``training.services.sessions`` checks under a lock. Seats move only
by conditional UPDATE, backed by CheckConstraints.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from accounts.models import Organisation


class Equipment(models.TextChoices):
    MANIKINS = "manikins", "Manikins"
    HOSPITAL_BEDS = "hospital_beds", "Hospital beds"
    HOISTS = "hoists", "Hoists"
    HOME_CARE_FLAT = "home_care_flat", "Home-care flat"
    DEBRIEF_ROOM = "debrief_room", "Debrief room"


class Audience(models.TextChoices):
    CARE_STAFF = "care_staff", "Care staff"
    NON_CLINICAL_STAFF = "non_clinical_staff", "Non-clinical staff"
    CLINICAL_SUPPORT_STAFF = "clinical_support_staff", "Clinical support staff"
    STUDENTS = "students", "Students"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"
    CLOSED = "closed", "Closed"


class Suite(models.Model):
    """A college's simulation suite at one of its sites."""

    college = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="simulation_suites")
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["college_id", "name"]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    """A bookable room in a suite."""

    suite = models.ForeignKey(Suite, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=200)
    capacity = models.PositiveSmallIntegerField()
    equipment = models.JSONField(default=list, blank=True, help_text="Values from Equipment.")
    step_free_access = models.BooleanField(default=False)

    class Meta:
        ordering = ["suite_id", "name"]
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1), name="training_room_capacity_positive")]

    def __str__(self) -> str:
        return self.name


class CatalogueEntry(models.Model):
    """A session a college can run, before it has a date."""

    college = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="catalogue_entries")
    title = models.CharField(max_length=200)
    audiences = models.JSONField(default=list, blank=True, help_text="Values from Audience.")
    learning_outcomes = models.TextField(blank=True)
    duration_minutes = models.PositiveIntegerField()
    min_participants = models.PositiveSmallIntegerField(default=1)
    max_participants = models.PositiveSmallIntegerField()
    facilitators_per_participant = models.DecimalField(
        max_digits=5, decimal_places=3, help_text="e.g. 0.250 for one facilitator to four participants."
    )
    equipment_needed = models.JSONField(default=list, blank=True, help_text="Values from Equipment.")
    cpd_hours = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    price_or_funding = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["college_id", "title"]
        verbose_name_plural = "catalogue entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(min_participants__lte=F("max_participants")), name="training_entry_min_le_max"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    """A catalogue entry in a room at a time, with named facilitators and a number of seats."""

    entry = models.ForeignKey(CatalogueEntry, on_delete=models.PROTECT, related_name="sessions")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Facilitation", related_name="facilitated_sessions"
    )
    booking_cutoff = models.DateTimeField()
    min_participants = models.PositiveSmallIntegerField(default=1)
    seats = models.PositiveSmallIntegerField()
    seats_taken = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["room", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="training_session_ends_after_start"),
            models.CheckConstraint(condition=Q(seats_taken__gte=0), name="training_session_seats_taken_nonneg"),
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("seats")), name="training_session_seats_taken_le_seats"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def seats_left(self) -> int:
        return self.seats - self.seats_taken


class Facilitation(models.Model):
    """A facilitator on a session; the session's times are copied here so PostgreSQL can exclude overlaps."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="facilitations")
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="facilitations")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "facilitator"], name="training_facilitation_once"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="training_facilitation_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facilitator} on {self.session}"


class Booking(models.Model):
    """A block of seats an employer holds on a session (staff are named later)."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    employer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="training_bookings")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    seats = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.CheckConstraint(condition=Q(seats__gte=0), name="training_booking_seats_nonneg")]

    def __str__(self) -> str:
        return f"{self.seats} seats for {self.employer} on {self.session}"
