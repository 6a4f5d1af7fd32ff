"""Matching: each host's priority policy, tutors' endorsements, and the record of every run."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from placements.models.applications import Application, Round
from placements.models.capacity import Cohort

WEIGHT_LIMITS = [MinValueValidator(0), MaxValueValidator(3)]


class MatchingPolicy(models.Model):
    """How a host ranks applicants for its placements, within published limits (see docs/matching-policy.md).

    Order is fixed: widening participation, then tutor endorsement, then distance, then the lottery.
    A weight of 0 switches a factor off; 1-3 sets how much it counts within its place in the order.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="matching_policy")
    widening_participation_weight = models.PositiveSmallIntegerField(
        default=2,
        validators=WEIGHT_LIMITS,
        help_text="Only for opportunities that opt in to widening-participation priority. 0 to 3.",
    )
    endorsement_weight = models.PositiveSmallIntegerField(
        default=1, validators=WEIGHT_LIMITS, help_text="Tutor endorsement. 0 to 3."
    )
    distance_weight = models.PositiveSmallIntegerField(
        default=1, validators=WEIGHT_LIMITS, help_text="Living nearer. 0 to 3."
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Who changed which weight when (old and new values): the weights decide who gets a place (ADR 0013).
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name_plural = "matching policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(widening_participation_weight__lte=3, endorsement_weight__lte=3, distance_weight__lte=3),
                name="matching_policy_weights_within_limits",
            )
        ]

    def __str__(self):
        return f"Matching policy for {self.organisation}"


class Endorsement(models.Model):
    """A tutor's endorsement of their student's application: a note and a strength (0-3) that raises priority."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="endorsement")
    tutor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    strength = models.PositiveSmallIntegerField(validators=WEIGHT_LIMITS)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Who set which strength and note when. It names the student, so it goes when the application is
    # anonymised (placements/services/personal_data.py), like the endorsement itself (ADR 0013).
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(strength__lte=3), name="endorsement_strength_0_to_3")]

    def __str__(self):
        return f"Endorsement of {self.application} ({self.strength})"


class RunStatus(models.TextChoices):
    PENDING = "pending", "Waiting to run"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"


class RunKind(models.TextChoices):
    MANUAL = "manual", "Started by a site admin"
    NIGHTLY = "nightly", "Nightly"
    BACKFILL = "backfill", "Backfill after a place was released"


class MatchingRun(models.Model):
    """One run of the engine over a round: inputs (seed, hash), what it decided (counts) and who started it."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="matching_runs")
    kind = models.CharField(max_length=10, choices=RunKind.choices, default=RunKind.MANUAL)
    dry_run = models.BooleanField(default=False, help_text="A preview: statistics only, nothing written.")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    seed = models.BigIntegerField(help_text="The lottery seed: with the same input it reproduces the run.")
    input_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    applicants = models.PositiveIntegerField(default=0)
    offers = models.PositiveIntegerField("cohorts with places", default=0)
    matched = models.PositiveIntegerField(default=0)
    percent_matched = models.FloatField(null=True, blank=True)
    average_rank = models.FloatField(null=True, blank=True, help_text="1 = everyone got their first choice.")
    wp_share_of_applicants = models.FloatField(
        null=True, blank=True, help_text="Share of applicants with a widening-participation factor."
    )
    wp_share_of_matched = models.FloatField(null=True, blank=True, help_text="The same share among those matched.")
    placements_created = models.PositiveIntegerField(default=0)
    placements_released = models.PositiveIntegerField(default=0)
    timings_ms = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # The database, not Redis, guarantees two runs of a round never overlap.
            models.UniqueConstraint(fields=["round"], condition=Q(status="running"), name="one_running_run_per_round"),
        ]

    def __str__(self):
        return f"{'Preview' if self.dry_run else 'Run'} {self.pk} of {self.round} ({self.get_status_display()})"


class MatchResult(models.Model):
    """What one run decided for one application, and why it did not get each higher choice."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="results")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="match_results")
    cohort = models.ForeignKey(Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    # [{"cohort": id, "rank": n, "reason": "cutoff_above"|"not_eligible"|"no_places", "rule": ..., "waitlist": n}]
    explanations = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "application"], name="one_result_per_run_application")]

    def __str__(self):
        return f"{self.run}: {self.application}"
