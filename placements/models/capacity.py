"""What hosts can offer: sites, departments, opportunities and their dated cohorts."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import HOST_KINDS, Organisation, OrganisationKind
from placements import geography
from placements.taxonomy import LONDON_BOROUGHS, DepartmentSetting, OpportunityKind, ProfessionArea, Vaccination
from placements.templatetags.wording import day_range

MIN_AGE_FLOOR = 14
UNDER_18_MAX_DAILY_HOURS = 8
# Capacity older than this is not trusted: hidden from students and flagged to the coordinator.
STALE_AFTER = timedelta(days=60)
# Opportunity.listed_until of a row whose finder listing was never worked out (a new row, one written by bulk_create):
# earlier than any day, so the finder's check for rows due a refresh (listed_until < today) picks it up.
LISTING_UNKNOWN = date(1, 1, 1)


# Integrated care boards, LSIP partnerships, local authorities and the GLA read reports; they host nobody.
NOT_A_HOST = (
    "{organisation} is {kind}, which does not host placements. Choose an NHS trust, a social-care provider or a "
    "college."
)


def host_organisation_error(organisation: Organisation | None) -> str | None:
    """Why ``organisation`` cannot own sites, departments or opportunities, or None if it can."""
    if organisation is None or organisation.kind in HOST_KINDS:
        return None
    label = OrganisationKind(organisation.kind).label if organisation.kind in OrganisationKind.values else "unknown"
    article = "an" if label[:1].lower() in "aeiou" else "a"
    return NOT_A_HOST.format(organisation=organisation.name, kind=f"{article} {label.lower()}")


class Site(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=150, help_text="For example, King's College Hospital, Denmark Hill.")
    address = models.TextField(help_text="Street address, so students can plan their journey.")
    postcode = models.CharField(max_length=8, help_text="For example, SE5 9RS.")
    borough = models.CharField(
        max_length=40,
        blank=True,
        choices=[(b, b) for b in LONDON_BOROUGHS],
        help_text="The London borough the site is in, so students can search by area.",
    )
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="site_name_unique_per_org")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        point = geography.locate(self.postcode)
        self.latitude, self.longitude = (point.latitude, point.longitude) if point else (None, None)
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        not_a_host = host_organisation_error(self.organisation if self.organisation_id else None)
        if not_a_host:
            errors["organisation"] = not_a_host
        try:
            self.postcode = geography.normalise_postcode(self.postcode)
        except ValueError as error:
            errors["postcode"] = str(error)
        else:
            if geography.locate(self.postcode) is None:
                errors["postcode"] = geography.UNKNOWN_POSTCODE
        if errors:
            raise ValidationError(errors)


class Department(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="departments")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, null=True, blank=True, related_name="departments")
    name = models.CharField(max_length=150, help_text="For example, Emergency Department or Rosewood care home.")
    setting = models.CharField(max_length=30, choices=DepartmentSetting.choices, default=DepartmentSetting.OTHER)

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="department_name_unique_per_org")]

    def __str__(self):
        return self.name

    def clean(self):
        not_a_host = host_organisation_error(self.organisation if self.organisation_id else None)
        if not_a_host:
            raise ValidationError({"organisation": not_a_host})
        if self.site_id and self.organisation_id and self.site.organisation_id != self.organisation_id:
            raise ValidationError({"site": "Choose one of your own sites."})
        if (
            self.pk
            and self.organisation_id
            and self.opportunities.exclude(organisation_id=self.organisation_id).exists()
        ):
            raise ValidationError(
                {"organisation": "Another organisation's opportunities use this department, so it cannot move."}
            )
        if self.pk and self.site_id:
            elsewhere = list(
                self.opportunities.exclude(site_id=self.site_id).order_by("title").values_list("title", flat=True)[:4]
            )
            if elsewhere:
                names = ", ".join(elsewhere[:3]) + (" and others" if len(elsewhere) > 3 else "")
                raise ValidationError(
                    {
                        "site": f"Opportunities at other sites use this department ({names}). Change their "
                        "department first, or leave the site blank so the department is organisation-wide."
                    }
                )


def department_at_another_site(department: Department, site: Site) -> str:
    return (
        f"{department.name} is at {department.site}, not {site}. Choose a department at {site}, "
        "or one that is not tied to a site."
    )


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    CLOSED = "closed", "Closed"


class OpportunityQuerySet(models.QuerySet):
    def fresh(self, today: date | None = None):
        today = today or timezone.localdate()
        return self.filter(last_confirmed_on__gte=today - STALE_AFTER)

    def stale(self, today: date | None = None):
        today = today or timezone.localdate()
        return self.filter(last_confirmed_on__lt=today - STALE_AFTER)

    def visible_to_students(self, today: date | None = None):
        return self.filter(status=OpportunityStatus.PUBLISHED).fresh(today)


class Opportunity(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="opportunities", verbose_name="host organisation"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="opportunities")
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="opportunities"
    )
    title = models.CharField(max_length=150, help_text="Say what it is, for example 'Shadow a ward nurse'.")
    profession_area = models.CharField(max_length=30, choices=ProfessionArea.choices)
    kind = models.CharField(max_length=20, choices=OpportunityKind.choices, default=OpportunityKind.PLACEMENT)
    description = models.TextField(help_text="What the placement is and who it suits.")
    activities = models.TextField("what you will do", help_text="A few lines a 16-year-old would understand.")
    min_age = models.PositiveSmallIntegerField(
        "minimum age",
        default=16,
        validators=[MinValueValidator(MIN_AGE_FLOOR), MaxValueValidator(99)],
        help_text="Age on the first day. Never below 14.",
    )
    requires_dbs = models.BooleanField("DBS check needed", default=False)
    requires_occupational_health = models.BooleanField("occupational health clearance needed", default=False)
    required_vaccinations = models.JSONField(
        default=list, blank=True, help_text="Vaccinations the student must confirm."
    )
    dress_code = models.CharField(max_length=250, blank=True, help_text="For example, smart casual, flat shoes.")
    daily_hours = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="Hours a day. At most 8 when under-18s can take part.",
    )
    widening_participation_priority = models.BooleanField(
        default=False,
        help_text="Give priority to applicants from under-represented groups when places are matched.",
    )
    status = models.CharField(max_length=10, choices=OpportunityStatus.choices, default=OpportunityStatus.DRAFT)
    last_confirmed_on = models.DateField(
        "capacity last confirmed",
        default=timezone.localdate,
        help_text="Opportunities not confirmed for 60 days are hidden from students.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The finder's listing, worked out from the columns above and the cohorts by
    # placements/services/finder_listing.py (never edited by hand): the next open start date while students can
    # find it (None: not listed), and the last day on which that stays right by the passage of time alone (None:
    # not listed; LISTING_UNKNOWN: never worked out). Lets the finder order and count from an index (issue 15).
    listed_next_start = models.DateField(null=True, blank=True, editable=False)
    listed_until = models.DateField(null=True, blank=True, editable=False, default=LISTING_UNKNOWN)
    history = HistoricalRecords(excluded_fields=["updated_at", "listed_next_start", "listed_until"])

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "opportunities"
        indexes = [
            models.Index(fields=["status", "last_confirmed_on"], name="opportunity_visible_idx"),
            # The finder's page in order without a postcode, and its count, read from the listed rows alone.
            models.Index(
                fields=["listed_next_start", "title", "id"],
                name="opportunity_listed_idx",
                condition=Q(listed_next_start__isnull=False),
            ),
            # The finder's count of listed rows with no filter: read from this narrow index alone (the one above
            # is as wide as a title; PostgreSQL reads the table instead).
            models.Index(
                fields=["listed_next_start"],
                name="opportunity_listed_count_idx",
                condition=Q(listed_next_start__isnull=False),
            ),
            # The finder's check for rows due a refresh (normally none).
            models.Index(fields=["listed_until"], name="opportunity_listed_until_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(min_age__gte=MIN_AGE_FLOOR), name="opportunity_min_age_floor"),
            models.CheckConstraint(
                condition=Q(min_age__gte=18) | Q(daily_hours__lte=UNDER_18_MAX_DAILY_HOURS),
                name="opportunity_under_18_hours",
            ),
            models.CheckConstraint(condition=Q(daily_hours__gt=0), name="opportunity_daily_hours_positive"),
            models.CheckConstraint(condition=Q(status__in=OpportunityStatus.values), name="opportunity_status_valid"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("placements:opportunity-detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if (
            self.min_age is not None
            and self.min_age < 18
            and self.daily_hours
            and self.daily_hours > UNDER_18_MAX_DAILY_HOURS
        ):
            errors["daily_hours"] = (
                "Under-18s can work at most 8 hours a day. Lower the hours or raise the minimum age to 18."
            )
        not_a_host = host_organisation_error(self.organisation if self.organisation_id else None)
        if not_a_host:
            errors["organisation"] = not_a_host
        if self.site_id and self.organisation_id and self.site.organisation_id != self.organisation_id:
            errors["site"] = "Choose one of your own sites."
        if self.department_id and self.organisation_id and self.department.organisation_id != self.organisation_id:
            errors["department"] = "Choose one of your own departments."
        elif self.department_id and self.site_id and self.department.site_id not in (None, self.site_id):
            # A department tied to a site is only at that site; one with no site is organisation-wide.
            # The database refuses it too (triggers in migration 0003).
            errors["department"] = department_at_another_site(self.department, self.site)
        unknown = set(self.required_vaccinations or []) - set(Vaccination.values)
        if unknown:
            errors["required_vaccinations"] = f"Unknown vaccination: {', '.join(sorted(unknown))}."
        if errors:
            raise ValidationError(errors)

    @property
    def is_stale(self) -> bool:
        return self.last_confirmed_on < timezone.localdate() - STALE_AFTER

    def get_required_vaccinations_display(self) -> list[str]:
        labels = dict(Vaccination.choices)
        return [labels.get(code, code) for code in self.required_vaccinations]


class CohortQuerySet(models.QuerySet):
    def open_for_applications(self, today: date | None = None):
        """Cohorts a student can still apply to: deadline not passed, places left."""
        today = today or timezone.localdate()
        return self.filter(application_deadline__gte=today, start_date__gt=today, booked__lt=F("capacity"))


class Cohort(models.Model):
    """One dated run of an opportunity, with its places. ``booked`` only moves by conditional UPDATE."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="cohorts")
    start_date = models.DateField()
    end_date = models.DateField()
    capacity = models.PositiveIntegerField("places", validators=[MinValueValidator(0), MaxValueValidator(500)])
    booked = models.PositiveIntegerField(default=0, editable=False)
    application_deadline = models.DateField(help_text="Last day students can apply for these dates.")
    history = HistoricalRecords()

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "pk"]
        indexes = [models.Index(fields=["opportunity", "start_date"], name="cohort_opportunity_start_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(booked__gte=0), name="cohort_booked_not_negative"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="cohort_booked_within_capacity"),
            models.CheckConstraint(condition=Q(start_date__lte=F("end_date")), name="cohort_start_before_end"),
            models.CheckConstraint(
                condition=Q(application_deadline__lte=F("start_date")), name="cohort_deadline_before_start"
            ),
        ]

    def __str__(self):
        return f"{self.opportunity}: {day_range(self.start_date, self.end_date)}"

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.booked, 0)

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be the same as or after the start date."
        if self.application_deadline and self.start_date and self.application_deadline > self.start_date:
            errors["application_deadline"] = "The application deadline must be on or before the start date."
        if self.capacity is not None and self.capacity < self.booked:
            errors["capacity"] = f"{self.booked} places are already booked. Places cannot be fewer than {self.booked}."
        if errors:
            raise ValidationError(errors)
