"""What a college offers: suites, rooms, its catalogue and dated sessions with their facilitators."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Organisation
from placements import geography  # pure (no models): postcode districts to points, for the catalogue's distances
from training.models.choices import STALE_AFTER, Audience, CancelledReason, SessionStatus, Topic


class Suite(models.Model):
    """A college's simulation suite at one of its sites."""

    college = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="simulation_suites")
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    # Catalogue (step 9): the centre of the postcode's district, so the public catalogue can sort by distance in
    # the database. Set on save (as placements' Site does); training.services.catalogue.suite_locate fills rows
    # written without save() (bulk_create, update).
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["college_id", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "postcode" in update_fields:
            kwargs["update_fields"] = {*update_fields, "latitude", "longitude"}
        point = geography.locate(self.postcode) if self.postcode else None
        self.latitude, self.longitude = (point.latitude, point.longitude) if point else (None, None)
        super().save(*args, **kwargs)


class Room(models.Model):
    """A bookable room in a suite."""

    suite = models.ForeignKey(Suite, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=200)
    capacity = models.PositiveSmallIntegerField()
    equipment = models.JSONField(default=list, blank=True, help_text="Values from Equipment.")
    step_free_access = models.BooleanField(default=False)
    # For utilisation (hours available per month): the hours a week the room can be used for sessions.
    hours_available_per_week = models.PositiveSmallIntegerField(
        default=35, help_text="Hours a week the room is free for sessions, for the utilisation report."
    )
    # A secret in the room's iCalendar feed address (calendar apps cannot sign in); a new one revokes the old.
    calendar_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["suite_id", "name"]
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1), name="training_room_capacity_positive")]

    def __str__(self) -> str:
        return self.name


class CatalogueEntry(models.Model):
    """A session a college can run, before it has a date."""

    college = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="catalogue_entries")
    title = models.CharField(max_length=200)
    topic = models.CharField(max_length=40, choices=Topic.choices)
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
    # For students (Audience.STUDENTS): the youngest age, on the day, a student may be to book.
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    last_confirmed_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)

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

    @property
    def open_to_students(self) -> bool:
        return Audience.STUDENTS in self.audiences

    def is_stale(self, today=None) -> bool:
        return self.last_confirmed_on < (today or timezone.localdate()) - STALE_AFTER


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
    cancelled_reason = models.CharField(max_length=20, choices=CancelledReason.choices, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set once the cut-off job has decided (ran or cancelled below the minimum): a second run does nothing.
    cutoff_checked_at = models.DateTimeField(null=True, blank=True)
    # Attendance is marked once, after the session; certificates follow.
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["room", "starts_at"]),
            models.Index(fields=["status", "starts_at"], name="training_session_status_start"),
            models.Index(fields=["status", "booking_cutoff"], name="training_session_status_cutoff"),
            # The public catalogue (migration 0004): live sessions soonest first, so a page is an index range.
            models.Index(
                fields=["starts_at"],
                condition=Q(status__in=["scheduled", "closed"]),
                name="training_session_listed_start",
            ),
        ]
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
