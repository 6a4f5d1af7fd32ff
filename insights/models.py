"""Snapshots of every figure planning partners read (ADR 0019), and the vacancy figures they upload.

A snapshot holds counts, never a person: one JSON document per theme, written once by the snapshot job and read by
the pages, which apply small-number suppression to exactly the table they show (disclosure/suppression.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class SnapshotKind(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    ON_DEMAND = "on_demand", "Taken by a site admin"


class SnapshotStatus(models.TextChoices):
    PENDING = "pending", "Waiting to run"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"


UNFINISHED = (SnapshotStatus.PENDING, SnapshotStatus.RUNNING)


class Theme(models.TextChoices):
    WHO_GETS_IN = "who_gets_in", "Who gets in"
    SUPPLY_DEMAND = "supply_demand", "Supply and demand"
    TRAINING = "training", "Simulation training"
    SKILLS = "skills", "Digital skills"


class Snapshot(models.Model):
    """One run of the snapshot job: when, why, by whom, how long, and whether it finished."""

    kind = models.CharField(max_length=10, choices=SnapshotKind.choices)
    # The month a monthly snapshot stands for (its first day): the database allows one per month.
    month = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=SnapshotStatus.choices, default=SnapshotStatus.PENDING)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When the figures were read from the database (the "as at" time every page shows).
    taken_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # The periods the snapshot covers: [{"key": "round:3", "label": "Summer 2027", "kind": "round"}, ...].
    periods = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["month"], condition=Q(kind=SnapshotKind.MONTHLY), name="one_monthly_snapshot_per_month"
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind=SnapshotKind.ON_DEMAND, status__in=UNFINISHED),
                name="one_unfinished_on_demand_snapshot",
            ),
            models.CheckConstraint(
                condition=Q(kind=SnapshotKind.ON_DEMAND) | Q(month__isnull=False), name="monthly_snapshot_has_month"
            ),
            models.CheckConstraint(condition=Q(status__in=SnapshotStatus.values), name="snapshot_status_valid"),
        ]

    def __str__(self):
        when = timezone.localtime(self.taken_at or self.created_at)
        return f"{self.get_kind_display()} snapshot of {when:%d %B %Y %H:%M}"


class SnapshotTheme(models.Model):
    """Every figure of one theme in one snapshot, as counts (unsuppressed: pages suppress what they show)."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField(max_length=20, choices=Theme.choices)
    data = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["snapshot", "theme"], name="one_document_per_snapshot_theme")]

    def __str__(self):
        return f"{self.get_theme_display()} in {self.snapshot}"


class Sector(models.TextChoices):
    NHS = "nhs", "NHS (NHS Vacancy Statistics)"
    CARE = "care", "Social care"


class VacancyUpload(models.Model):
    """One uploaded vacancy file: who, when, which sector. Its rows replace earlier rows of the same sector and
    months."""

    sector = models.CharField(max_length=10, choices=Sector.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=200, blank=True)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.get_sector_display()} vacancies uploaded {timezone.localtime(self.uploaded_at):%d %B %Y}"


class Vacancy(models.Model):
    """Vacancies (full-time equivalent) of one staff group at one organisation in one month."""

    upload = models.ForeignKey(VacancyUpload, on_delete=models.CASCADE, related_name="vacancies")
    sector = models.CharField(max_length=10, choices=Sector.choices)
    period = models.DateField(help_text="The first day of the month the figures are for.")
    region = models.CharField(max_length=100, blank=True)
    icb = models.CharField("integrated care board", max_length=100)
    organisation_code = models.CharField(max_length=20, blank=True)
    organisation_name = models.CharField(max_length=200)
    staff_group = models.CharField(max_length=100)
    profession_area = models.CharField(max_length=30)
    vacancies_fte = models.DecimalField(max_digits=9, decimal_places=2)

    class Meta:
        verbose_name_plural = "vacancies"
        indexes = [models.Index(fields=["sector", "period"], name="vacancy_sector_period_idx")]
        constraints = [models.CheckConstraint(condition=Q(vacancies_fte__gte=0), name="vacancy_fte_not_negative")]

    def __str__(self):
        return f"{self.organisation_name}: {self.staff_group} {self.period:%B %Y}"
