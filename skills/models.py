"""The digital and data capability framework, as loaded from skills/data/, and people's self-assessments.

Framework rows are written once per version by ``skills.framework.framework_load`` and never changed after;
an assessment points at the version it answered, so a new version never changes an old result (ADR 0017).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Answer(models.TextChoices):
    CONFIDENTLY = "confidently", "Yes, confidently"
    WITH_HELP = "with_help", "Yes, with some help"
    NOT_YET = "not_yet", "Not yet"
    NOT_SURE = "not_sure", "Not sure"


# Answers that count towards a level (the scoring rule, skills/scoring.py).
CAN_DO = frozenset({Answer.CONFIDENTLY, Answer.WITH_HELP})


class FrameworkVersion(models.Model):
    version = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)
    published_on = models.DateField()
    # The loaded file's SHA-256: loading the same version with other content is refused.
    content_hash = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Version {self.version}"


class Level(models.Model):
    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="levels")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=60)
    meaning = models.TextField()

    class Meta:
        ordering = ["framework_version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework_version", "number"], name="skills_level_unique_number"),
        ]

    def __str__(self) -> str:
        return f"Level {self.number}: {self.name}"


class Domain(models.Model):
    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="domains")
    key = models.SlugField(max_length=40)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField()
    # training.models.Topic values whose simulation sessions help with this domain.
    topics = models.JSONField(default=list)

    class Meta:
        ordering = ["framework_version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework_version", "key"], name="skills_domain_unique_key"),
        ]

    def __str__(self) -> str:
        return self.title


class Statement(models.Model):
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="statements")
    key = models.SlugField(max_length=60)
    level = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["domain", "position"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "key"], name="skills_statement_unique_key"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="skills_statement_level_1_to_4"),
        ]

    def __str__(self) -> str:
        return self.text


class Resource(models.Model):
    """A free learning resource for a domain at a level (the learning plan suggests the next level's)."""

    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="resources")
    level = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    provider = models.CharField(max_length=200)
    url = models.URLField(max_length=500)

    class Meta:
        ordering = ["domain", "level", "position"]

    def __str__(self) -> str:
        return self.title


class StaffGroup(models.TextChoices):
    """The NHS Workforce Statistics staff groups, in plain English, with social care's own (the dashboard's rows)."""

    NURSES = "nurses_midwives", "Nurses and midwives"
    DOCTORS = "doctors", "Doctors"
    ALLIED = "allied_health", "Allied health professionals"
    SCIENTISTS = "healthcare_scientists", "Healthcare scientists"
    CLINICAL_SUPPORT = "clinical_support", "Support to clinical staff (healthcare assistants, care workers)"
    SOCIAL_CARE = "social_care", "Care workers and support workers (social care)"
    MANAGERS = "managers", "Managers"
    ADMIN = "admin_clerical", "Admin and clerical"
    ESTATES = "estates_facilities", "Estates and facilities"
    OTHER = "other", "Other"


class Assessment(models.Model):
    """One sitting of the self-assessment; submitted_at is empty while the person is still answering."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skills_assessments")
    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="assessments")
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Only the person may turn this on; until then their employer sees them only inside counts of 5 or more.
    shared_with_employer = models.BooleanField(default=False)
    shared_at = models.DateTimeField(null=True, blank=True)
    # "About your work" (asked before the domains) so the employer's dashboard can break counts down by team.
    staff_group = models.CharField(max_length=30, choices=StaffGroup.choices, blank=True)
    department = models.CharField(max_length=80, blank=True)  # as typed, trimmed
    department_key = models.CharField(max_length=80, blank=True, editable=False)  # case-folded, for grouping
    # domain key -> level, written once when submitted (skills.scoring), so the dashboard never reads responses.
    levels = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "submitted_at"], name="skills_assessment_person_sub"),
            models.Index(fields=["submitted_at"], name="skills_assessment_submitted"),
        ]
        constraints = [
            # One unfinished sitting per person: "start" resumes it.
            models.UniqueConstraint(
                fields=["person"], condition=Q(submitted_at__isnull=True), name="skills_assessment_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment {self.pk} by {self.person_id}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Response(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=20, choices=Answer.choices)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "statement"], name="skills_response_unique"),
        ]

    def __str__(self) -> str:
        # Not the answer: this is what the site admin's titles and breadcrumbs show (skills/admin.py).
        return f"Answer to statement {self.statement_id} in assessment {self.assessment_id}"


# --- Joining and reminders (issue 13: skills-people; migration 0004_invitations) ------------------------------


class ReassessAfter(models.IntegerChoices):
    THREE_MONTHS = 3, "3 months"
    SIX_MONTHS = 6, "6 months"
    TWELVE_MONTHS = 12, "12 months"


class EmployerSkillsPolicy(models.Model):
    """An employer's skills settings: its join code and how often its staff are reminded to check again.

    The join code is stored as it is, not hashed: it is a shared code for a poster or a team email, not a
    password to anyone's account, and the coordinator must be able to read it again to pass it on. Joining with
    it still needs a confirmed work email and a second factor, and it only ever makes a ``staff`` account at
    this employer; "Make a new code" stops the old one at once (ADR 0018).
    """

    employer = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE, related_name="skills_policy")
    # Normalised (upper case, no separators); empty when the employer has no code (or switched it off).
    join_code = models.CharField(max_length=20, blank=True, editable=False)
    join_code_changed_at = models.DateTimeField(null=True, blank=True)
    join_code_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reassess_after_months = models.PositiveSmallIntegerField(
        choices=ReassessAfter.choices, default=ReassessAfter.SIX_MONTHS
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "employer skills policies"
        constraints = [
            models.UniqueConstraint(fields=["join_code"], condition=~Q(join_code=""), name="skills_join_code_unique"),
            models.CheckConstraint(
                condition=Q(reassess_after_months__in=[3, 6, 12]), name="skills_policy_reassess_3_6_12"
            ),
        ]

    def __str__(self) -> str:
        return f"Skills settings of {self.employer}"


class JoinAttempt(models.Model):
    """One use of the join page, for its rate limit (per address, in the database: every web worker sees it)."""

    ip_address = models.GenericIPAddressField(null=True, blank=True)
    attempted_at = models.DateTimeField(default=timezone.now)
    code_matched = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["ip_address", "attempted_at"], name="skills_joinattempt_ip_at")]

    def __str__(self) -> str:
        return f"{self.ip_address} at {self.attempted_at:%Y-%m-%d %H:%M}"
