"""Rounds, the one application a student makes per round, and everything said about it since."""

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from placements.models.capacity import Cohort, Opportunity
from placements.workflow import Status

MAX_CHOICES = 5


def _new_lottery_seed() -> int:
    return secrets.randbits(62)


class Round(models.Model):
    """An application window, e.g. "Summer 2027". Cohorts belong to it by their dates."""

    name = models.CharField(max_length=100, unique=True)
    applications_open_on = models.DateField()
    applications_close_on = models.DateField()
    matching_on = models.DateField(help_text="When places are matched. Students can edit until then.")
    outcomes_by = models.DateField(help_text="Every applicant has an answer by this date.")
    placements_from = models.DateField(help_text="Cohorts starting on or after this date belong to the round.")
    placements_to = models.DateField(help_text="…and ending on or before this date.")
    # Every run of the round draws its lottery from this seed, so runs agree and can be reproduced.
    lottery_seed = models.BigIntegerField(default=_new_lottery_seed, editable=False)

    class Meta:
        ordering = ["-applications_open_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applications_open_on__lte=F("applications_close_on")), name="round_opens_before_it_closes"
            ),
            models.CheckConstraint(
                condition=Q(applications_close_on__lte=F("matching_on")), name="round_matches_after_closing"
            ),
            models.CheckConstraint(
                condition=Q(matching_on__lte=F("outcomes_by")), name="round_outcomes_after_matching"
            ),
            models.CheckConstraint(
                condition=Q(placements_from__lte=F("placements_to")), name="round_placement_window_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def is_open(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.applications_open_on <= today <= self.applications_close_on

    def cohorts(self):
        return Cohort.objects.filter(start_date__gte=self.placements_from, end_date__lte=self.placements_to)


class DbsStatus(models.TextChoices):
    NONE = "none", "I do not have a DBS check"
    HAVE = "have", "I have a DBS check from the last 3 years"
    APPLIED = "applied", "I have applied for one"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT = "prefer_not_to_say", "Prefer not to say"


class Application(models.Model):
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    reference = models.CharField(max_length=20, unique=True, editable=False)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    # Which page of the form to resume on.
    last_step = models.CharField(max_length=30, blank=True)

    # About you
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    # Only the district (e.g. "SE5") is kept: enough for travel distances, not an address.
    home_district = models.CharField(max_length=4, blank=True)
    # Education
    college = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "college"},
    )
    not_at_college = models.BooleanField(default=False)
    course = models.CharField(max_length=150, blank=True)
    year_of_study = models.CharField(max_length=30, blank=True)
    # Interests and routing
    profession_areas = models.JSONField(default=list, blank=True)
    consider_other_placements = models.BooleanField(default=True)
    max_travel_km = models.PositiveSmallIntegerField(default=10)
    # Dates
    available_from = models.DateField(null=True, blank=True)
    available_to = models.DateField(null=True, blank=True)
    # Checks (self-declared)
    dbs_status = models.CharField(max_length=10, choices=DbsStatus.choices, blank=True)
    vaccinations = models.JSONField(default=list, blank=True)
    occupational_health_notes = models.TextField(blank=True)
    # Support
    access_needs = models.TextField(blank=True)
    # Statement and digital skills
    supporting_statement = models.TextField(blank=True)
    digital_skills = models.JSONField(default=dict, blank=True)
    # Guardian consent (under 18s)
    guardian_email = models.EmailField(blank=True)
    # Emergency contact: asked only when the student accepts a place, for the host's safety.
    emergency_contact_name = models.CharField(max_length=150, blank=True)
    emergency_contact_phone = models.CharField(max_length=20, blank=True)
    # Declarations
    declaration_true = models.BooleanField(default=False)
    declaration_share = models.BooleanField(default=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["round", "status"], name="application_round_status_idx"),
            # A tutor's list, newest first: the page's 25 rows read from the index, whatever the table's size.
            models.Index(fields=["college", "-created_at"], name="application_college_newest_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["student", "round"], name="one_application_per_student_per_round"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="application_status_valid"),
            models.CheckConstraint(
                condition=Q(available_from__isnull=True)
                | Q(available_to__isnull=True)
                | Q(available_from__lte=F("available_to")),
                name="application_dates_in_order",
            ),
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = _new_reference(self.round)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("placements:student-home")

    def age_on(self, day: date) -> int | None:
        if not self.date_of_birth:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    @property
    def needs_guardian_consent(self) -> bool:
        age = self.age_on(timezone.localdate())
        return age is not None and age < 18


def _new_reference(round_: Round) -> str:
    # Unguessable and easy to read out on the phone: no 0/O or 1/I.
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return f"WE{round_.placements_from:%y}-" + "".join(secrets.choice(alphabet) for _ in range(6))


class WideningParticipation(models.Model):
    """Optional answers that raise priority for some placements. Never shown to tutors or hosts."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="widening_participation")
    free_school_meals = models.CharField(max_length=20, choices=Answer.choices, blank=True)
    care_experienced = models.CharField(max_length=20, choices=Answer.choices, blank=True)
    young_carer = models.CharField(max_length=20, choices=Answer.choices, blank=True)
    first_in_family = models.CharField(max_length=20, choices=Answer.choices, blank=True)
    disability = models.CharField(max_length=20, choices=Answer.choices, blank=True)

    FIELDS = ("free_school_meals", "care_experienced", "young_carer", "first_in_family", "disability")

    def __str__(self):
        return f"Widening participation for {self.application}"

    @property
    def tier(self) -> int:
        """How many widening-participation factors apply (0-5); used only for priority and aggregates."""
        return sum(getattr(self, name) == Answer.YES for name in self.FIELDS)


class ApplicationChoice(models.Model):
    """One of the student's up to 5 ranked opportunity choices."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="choices")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["application", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "opportunity"], name="choice_opportunity_once"),
            models.UniqueConstraint(fields=["application", "rank"], name="choice_rank_once"),
            models.CheckConstraint(condition=Q(rank__gte=1, rank__lte=MAX_CHOICES), name="choice_rank_range"),
        ]

    def __str__(self):
        return f"{self.application} #{self.rank}: {self.opportunity}"


class RoutedPreference(models.Model):
    """The ranked list of cohorts the application is matched over, built on submit, with why each is there."""

    class Source(models.TextChoices):
        CHOICE = "choice", "You chose it"
        ROUTED = "routed", "It fits your interests and is near you"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="preferences")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=10, choices=Source.choices)
    distance_km = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["application", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "cohort"], name="preference_cohort_once"),
            models.UniqueConstraint(fields=["application", "rank"], name="preference_rank_once"),
        ]

    def __str__(self):
        return f"{self.application} #{self.rank}: {self.cohort}"


class StatusChange(models.Model):
    """Every move of an application: the student's timeline and the audit trail (who, when, from, to, why)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=30, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.application}: {self.from_status or '-'} → {self.to_status}"


class GuardianConsent(models.Model):
    """A parent or guardian's consent for an under-18's application, given through a single-use link."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="guardian_consent")
    guardian_email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    requested_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    given_at = models.DateTimeField(null=True, blank=True)
    guardian_name = models.CharField(max_length=150, blank=True)
    relationship = models.CharField(max_length=50, blank=True)

    def __str__(self):
        return f"Consent for {self.application}"

    @property
    def is_given(self) -> bool:
        return self.given_at is not None


class AgeBand(models.TextChoices):
    """Age on the round's first placement day, in bands wide enough that nobody is picked out by it."""

    UNDER_16 = "under_16", "Under 16"
    AGE_16_17 = "16_17", "16 to 17"
    AGE_18_19 = "18_19", "18 to 19"
    AGE_20_24 = "20_24", "20 to 24"
    AGE_25_PLUS = "25_plus", "25 or over"

    @classmethod
    def for_age(cls, age: int | None) -> str:
        if age is None:
            return ""
        for limit, band in ((16, cls.UNDER_16), (18, cls.AGE_16_17), (20, cls.AGE_18_19), (25, cls.AGE_20_24)):
            if age < limit:
                return band
        return cls.AGE_25_PLUS


class AnonymisedReason(models.TextChoices):
    ACCOUNT_DELETED = "account_deleted", "The student deleted their account, or it was deleted"
    RETENTION = "retention", "The round's retention period ended"


class AnonymisedApplication(models.Model):
    """What is left of an application once it is anonymised: counts for reports, never a person.

    Kept: round, outcome, college, areas of interest, postcode district, age band, the widening-participation
    answers (tier and each of the five), the day it was submitted and the day of its outcome, and how many days
    each host took to decide on it (no host named). The planning reports (insights, ADR 0019) count these, so a
    report of a past period says the same after an erasure.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    final_status = models.CharField(max_length=30, choices=Status.choices)
    college = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    profession_areas = models.JSONField(default=list, blank=True)
    submitted = models.BooleanField(default=False)
    home_district = models.CharField("postcode district", max_length=4, blank=True)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    # How many widening-participation factors applied (0-5); empty when the student answered none.
    wp_tier = models.PositiveSmallIntegerField("widening-participation tier", null=True, blank=True)
    # Each answer as given (blank when not answered), so reports can count each factor; in the order of
    # WideningParticipation.FIELDS, named after them.
    wp_free_school_meals = models.CharField(max_length=20, choices=Answer.choices, blank=True)
    wp_care_experienced = models.CharField(max_length=20, choices=Answer.choices, blank=True)
    wp_young_carer = models.CharField(max_length=20, choices=Answer.choices, blank=True)
    wp_first_in_family = models.CharField(max_length=20, choices=Answer.choices, blank=True)
    wp_disability = models.CharField(max_length=20, choices=Answer.choices, blank=True)
    # Days, not times: enough for "days from submitting to an outcome", too coarse to pick out a submission.
    submitted_on = models.DateField(null=True, blank=True)
    outcome_on = models.DateField("day of the first offer or 'not placed'", null=True, blank=True)
    # Whole days each host took to decide on a match (offered or declined), in no particular host's name.
    host_decision_days = models.JSONField(default=list, blank=True)
    reason = models.CharField(max_length=20, choices=AnonymisedReason.choices, default=AnonymisedReason.ACCOUNT_DELETED)
    erased_on = models.DateField("anonymised on", default=timezone.localdate)

    WP_ANSWER_FIELDS = (
        "wp_free_school_meals",
        "wp_care_experienced",
        "wp_young_carer",
        "wp_first_in_family",
        "wp_disability",
    )
    # The first move to one of these is an application's outcome: matched and offered, or told "not placed".
    OUTCOME_STATUSES = (Status.OFFERED, Status.UNSUCCESSFUL)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(wp_tier__isnull=True) | Q(wp_tier__lte=5), name="anonymised_wp_tier_0_to_5"
            ),
        ]

    def __str__(self):
        return f"Anonymised application ({self.round}, {self.final_status})"

    @staticmethod
    def days_between(start, end) -> int:
        """Whole London calendar days from one moment to a later one (never negative): the one rule both live
        and anonymised applications are timed by, so an erasure moves no median."""
        return max((timezone.localdate(end) - timezone.localdate(start)).days, 0)
