"""A placement: one application's seat in one cohort, from match to finish."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from placements.models.applications import Application, Round
from placements.models.capacity import Cohort
from placements.working_days import add_working_days

DEFAULT_DECISION_WORKING_DAYS = 5
# Placement.release_reason when the host let the decide-by date pass: matching does not propose that pair again.
RELEASED_HOST_NO_REPLY = "host_no_reply"


class HostDeclineReason(models.TextChoices):
    FULLY_BOOKED = "fully_booked", "Fully booked"
    DATES_UNAVAILABLE = "dates_unavailable", "Dates no longer available"
    AGE = "age", "Not suitable for the student's age"
    REQUIREMENTS = "requirements", "Requirements not met"
    DUPLICATE = "duplicate", "Duplicate"
    OTHER = "other", "Other"


class HostCancelReason(models.TextChoices):
    """Why a host cancelled a place it had given. The student reads the label in their email."""

    STAFFING = "staffing", "Not enough staff to supervise the placement"
    SERVICE_PRESSURES = "service_pressures", "Pressures on the service (for example, an outbreak or a major incident)"
    DATES_CHANGED = "dates_changed", "The placement's dates or arrangements have changed"
    CHECKS_INCOMPLETE = "checks_incomplete", "The pre-placement checks could not be completed in time"
    OTHER = "other", "Other"


def decision_working_days() -> int:
    return getattr(settings, "HOST_DECISION_WORKING_DAYS", DEFAULT_DECISION_WORKING_DAYS)


def decide_by_for(matched_at: datetime, round_: Round | None = None) -> date:
    """The last day a host has to approve or decline a match made at ``matched_at``.

    ``HOST_DECISION_WORKING_DAYS`` working days later, but never after the day before the round's outcome date
    (on that date every undecided match closes anyway), and never before the day of the match.
    """
    matched_on = timezone.localdate(matched_at)
    deadline = add_working_days(matched_on, decision_working_days())
    if round_ is not None:
        deadline = min(deadline, round_.outcomes_by - timedelta(days=1))
    return max(deadline, matched_on)


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
    # The host approves or declines by the end of this day (Europe/London); after it the match is released.
    decide_by = models.DateField(null=True, blank=True)
    # When the host's coordinators were reminded that the decide-by date is near (claimed once).
    decision_chased_at = models.DateTimeField(null=True, blank=True)
    host_cancel_reason = models.CharField(max_length=30, choices=HostCancelReason.choices, blank=True)
    host_cancel_note = models.CharField(max_length=500, blank=True)
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
        indexes = [
            models.Index(fields=["cohort", "released_at"], name="placement_cohort_current_idx"),
            models.Index(fields=["decide_by"], condition=Q(released_at__isnull=True), name="placement_decide_by_idx"),
            # Offers about to expire (the tutor list's flag and filter): current offers only, not every placement.
            models.Index(
                fields=["offer_expires_at"], condition=Q(released_at__isnull=True), name="placement_offer_expiry_idx"
            ),
        ]

    def __str__(self):
        return f"{self.application} in {self.cohort}"

    def save(self, *args, **kwargs):
        # Every placement starts as a proposed match, so every one gets a decide-by date.
        if self.decide_by is None and self.application_id:
            self.decide_by = decide_by_for(
                self.created_at, Round.objects.filter(applications=self.application_id).first()
            )
        super().save(*args, **kwargs)
