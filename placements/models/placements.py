"""A placement: one application's seat in one cohort, from match to finish."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from placements.models.applications import Application
from placements.models.capacity import Cohort


class HostDeclineReason(models.TextChoices):
    FULLY_BOOKED = "fully_booked", "Fully booked"
    DATES_UNAVAILABLE = "dates_unavailable", "Dates no longer available"
    AGE = "age", "Not suitable for the student's age"
    REQUIREMENTS = "requirements", "Requirements not met"
    DUPLICATE = "duplicate", "Duplicate"
    OTHER = "other", "Other"


class Placement(models.Model):
    """The seat an application holds or is offered. The application's status says where it stands.

    At most one placement per application is current (``released_at`` empty); released ones stay as history.
    ``booked_seat`` is true once the seat has been taken from the cohort's capacity (on acceptance).
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="placements")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="placements")
    created_at = models.DateTimeField(default=timezone.now)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    booked_seat = models.BooleanField(default=False)
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.CharField(max_length=30, blank=True)
    host_decline_reason = models.CharField(max_length=30, choices=HostDeclineReason.choices, blank=True)
    host_decline_note = models.CharField(max_length=500, blank=True)
    # Pre-placement checks: {item: {"by": user id, "at": ISO time}} for each item ticked (see CHECKLIST).
    checks = models.JSONField(default=dict, blank=True)
    joining_instructions = models.TextField(
        blank=True, help_text="Where to go, when to arrive, who to ask for, what to bring. Sent when you confirm."
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    host_feedback = models.TextField("feedback from the host", blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(released_at__isnull=True),
                name="one_current_placement_per_application",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "released_at"], name="placement_cohort_current_idx")]

    def __str__(self):
        return f"{self.application} in {self.cohort}"
