"""Who holds seats: employers' bookings, named attendees (staff and students), waiting lists, policies."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation
from training.models.choices import Attendance, AttendeeStatus, SelfBooking, WaitlistStatus
from training.models.facilities import Session


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
        indexes = [models.Index(fields=["employer", "session"], name="training_booking_employer")]
        constraints = [models.CheckConstraint(condition=Q(seats__gte=0), name="training_booking_seats_nonneg")]

    def __str__(self) -> str:
        return f"{self.seats} seats for {self.employer} on {self.session}"


class Attendee(models.Model):
    """A named person in a seat: a member of staff in one of their employer's booked seats, or a student.

    Students (booking is null) take a seat first-come straight from the session; staff sit in a seat of
    their employer's booking, never more named than the booking holds (checked with the booking row locked).
    Attendance, the certificate and the confidence ratings belong here.
    """

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendees")
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="attendees")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_places")
    status = models.CharField(max_length=20, choices=AttendeeStatus.choices, default=AttendeeStatus.BOOKED)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(max_length=20, choices=Attendance.choices, default=Attendance.UNMARKED)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    # How confident the person felt about the session's outcomes, 1 (not at all) to 5 (very).
    confidence_before = models.PositiveSmallIntegerField(null=True, blank=True)
    confidence_after = models.PositiveSmallIntegerField(null=True, blank=True)
    # Printed on the certificate so a reader can check it with the college.
    certificate_reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["session_id", "created_at"]
        indexes = [models.Index(fields=["person", "status"], name="training_attendee_person")]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=~Q(status=AttendeeStatus.CANCELLED),
                name="training_attendee_once_per_session",
            ),
            models.CheckConstraint(
                condition=Q(confidence_before__isnull=True) | Q(confidence_before__gte=1, confidence_before__lte=5),
                name="training_attendee_confidence_before_1_5",
            ),
            models.CheckConstraint(
                condition=Q(confidence_after__isnull=True) | Q(confidence_after__gte=1, confidence_after__lte=5),
                name="training_attendee_confidence_after_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.session}"


class WaitlistEntry(models.Model):
    """An employer (or one of its staff) waiting for seats on a full session; freed seats go oldest first."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="waitlist")
    employer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="training_waitlist")
    # Set when a member of staff asked for a seat for themselves; empty for a coordinator's block.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seats = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING)
    booking = models.ForeignKey(Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "waiting list entries"
        indexes = [models.Index(fields=["session", "status", "created_at"], name="training_waitlist_queue")]
        constraints = [models.CheckConstraint(condition=Q(seats__gte=1), name="training_waitlist_seats_positive")]

    def __str__(self) -> str:
        return f"{self.seats} seats wanted by {self.employer} on {self.session}"


class EmployerTrainingPolicy(models.Model):
    """An employer's choices for simulation training: whether its staff may book for themselves."""

    employer = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="training_policy")
    self_booking = models.CharField(max_length=20, choices=SelfBooking.choices, default=SelfBooking.OFF)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "employer training policies"

    def __str__(self) -> str:
        return f"{self.employer}: {self.get_self_booking_display()}"


class PersonCalendar(models.Model):
    """The secret in a person's iCalendar feed address (calendar apps cannot sign in); a new one revokes the old."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_calendar")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar for {self.person}"
