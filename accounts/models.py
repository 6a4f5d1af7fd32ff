"""People, the organisations they belong to, and invitations for staff."""

import hashlib
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone


class OrganisationKind(models.TextChoices):
    NHS_TRUST = "nhs_trust", "NHS trust"
    CARE_PROVIDER = "care_provider", "Social-care provider"
    COLLEGE = "college", "College"
    # Planning partners (ADR 0002, amended 2026-11-30): they read reports, they host and employ nobody here.
    ICB = "icb", "Integrated care board"
    LSIP = "lsip", "Local Skills Improvement Plan partnership"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    GLA = "gla", "Greater London Authority"


# Kinds that can host placements, and so employ coordinators. A college hosts simulation sessions.
HOST_KINDS = (OrganisationKind.NHS_TRUST, OrganisationKind.CARE_PROVIDER, OrganisationKind.COLLEGE)
# Kinds whose employees use the portal as staff learners (training, digital skills).
EMPLOYER_KINDS = (OrganisationKind.NHS_TRUST, OrganisationKind.CARE_PROVIDER)
# Kinds whose analysts read planning reports.
PARTNER_KINDS = (OrganisationKind.ICB, OrganisationKind.LSIP, OrganisationKind.LOCAL_AUTHORITY, OrganisationKind.GLA)


class Role(models.TextChoices):
    STUDENT = "student", "Student"
    TUTOR = "tutor", "College tutor"
    COORDINATOR = "coordinator", "Placement coordinator"
    ADMIN = "admin", "Site administrator"
    STAFF = "staff", "Health and care staff member"
    PARTNER = "partner", "Planning partner"


# Tutors and coordinators: the people who work with students' applications. (Not the ``staff`` role, whose
# members are health and care employees learning for themselves.)
STAFF_ROLES = (Role.TUTOR, Role.COORDINATOR)
# Roles that join by invitation to an organisation, never by signing up.
INVITED_ROLES = (Role.TUTOR, Role.COORDINATOR, Role.STAFF, Role.PARTNER)


@dataclass(frozen=True)
class OrganisationRule:
    """Which organisation kinds a role may belong to, and whether it must belong to one."""

    kinds: tuple[str, ...]
    required: bool
    message: str

    def allows(self, kind: str) -> bool:
        return kind in self.kinds if kind else not self.required


# The one table of who may belong where. The CHECK constraints on User say the same (a test compares them for
# every role and kind); forms, the admin and services ask ``organisation_rule_error`` for the message.
ORGANISATION_RULES = {
    Role.STUDENT: OrganisationRule(
        kinds=(OrganisationKind.COLLEGE,),
        required=False,
        message="A student's organisation can only be their college. Leave it empty or choose a college.",
    ),
    Role.TUTOR: OrganisationRule(
        kinds=(OrganisationKind.COLLEGE,),
        required=True,
        message="A college tutor must belong to a college. Choose their college.",
    ),
    Role.COORDINATOR: OrganisationRule(
        kinds=tuple(HOST_KINDS),
        required=True,
        message="A placement coordinator must belong to an NHS trust, a social-care provider or a college.",
    ),
    Role.STAFF: OrganisationRule(
        kinds=tuple(EMPLOYER_KINDS),
        required=True,
        message="A health and care staff member must belong to their employer: an NHS trust or a social-care provider.",
    ),
    Role.PARTNER: OrganisationRule(
        kinds=tuple(PARTNER_KINDS),
        required=True,
        message="A planning partner must belong to an integrated care board, the Local Skills Improvement Plan "
        "partnership, a local authority or the Greater London Authority.",
    ),
}
# Staff learners and planning partners never reach Django's admin, whatever box is ticked.
NOT_ADMIN_STAFF_ROLES = (Role.STAFF, Role.PARTNER)
NOT_ADMIN_STAFF_MESSAGE = "Health and care staff and planning partners cannot sign in to the site admin."


def organisation_rule_error(role: str, organisation_kind: str) -> str | None:
    """Why ``role`` may not belong to an organisation of ``organisation_kind`` ("" for none), or None if it may."""
    rule = ORGANISATION_RULES.get(role)
    if rule is None or rule.allows(organisation_kind):
        return None
    return rule.message


class Organisation(models.Model):
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(max_length=200, unique=True)
    borough = models.CharField(max_length=80, blank=True, help_text="London borough, if in London.")
    postcode = models.CharField(max_length=10, help_text="Head office postcode.")
    code = models.CharField(
        "official code",
        max_length=20,
        blank=True,
        help_text="ODS code for NHS and care organisations and integrated care boards, UKPRN for colleges, "
        "GSS code for local authorities. Optional.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="organisation_code_unique"),
            models.CheckConstraint(condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_college(self) -> bool:
        return self.kind == OrganisationKind.COLLEGE


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("role", Role.STUDENT)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(role=Role.ADMIN, is_staff=True, is_superuser=True)
        fields.setdefault("email_verified_at", timezone.now())
        return self._create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in. Email is the login; the role says what they may do."""

    email = models.EmailField("email address", max_length=254, unique=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.STUDENT)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text="Tutors: their college. Coordinators: the organisation they host for. "
        "Students: their college, if any. Health and care staff: their NHS trust or care provider. "
        "Planning partners: their integrated care board, LSIP partnership, local authority or the GLA.",
    )
    # A copy of organisation.kind so the database itself can enforce who belongs where
    # (a CHECK cannot look across a foreign key). Kept in step by save(); see ADR 0002.
    organisation_kind = models.CharField(max_length=20, choices=OrganisationKind.choices, blank=True, editable=False)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # When an unlock link (or a password reset) last lifted sign-in locks. Unlock links hash it, so each works once.
    sign_in_unlocked_at = models.DateTimeField(null=True, blank=True, editable=False)
    digest_emails = models.BooleanField(
        "digests and reminders",
        default=True,
        help_text="Send digests and reminders that can be switched off. Emails about something the person did "
        "or needs to do are always sent.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can sign in to the site admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]
        constraints = [
            # Stored lower-case, so the unique index is case-insensitive too.
            models.CheckConstraint(condition=Q(email=Lower("email")), name="user_email_lowercase"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid"),
            models.CheckConstraint(
                condition=~Q(role=Role.TUTOR)
                | Q(organisation__isnull=False, organisation_kind=OrganisationKind.COLLEGE),
                name="user_tutor_belongs_to_college",
                violation_error_message=ORGANISATION_RULES[Role.TUTOR].message,
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.COORDINATOR)
                | Q(organisation__isnull=False, organisation_kind__in=[k.value for k in HOST_KINDS]),
                name="user_coordinator_belongs_to_host",
                violation_error_message=ORGANISATION_RULES[Role.COORDINATOR].message,
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.STUDENT)
                | Q(organisation__isnull=True)
                | Q(organisation_kind=OrganisationKind.COLLEGE),
                name="user_student_college_only",
                violation_error_message=ORGANISATION_RULES[Role.STUDENT].message,
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.STAFF)
                | Q(organisation__isnull=False, organisation_kind__in=[k.value for k in EMPLOYER_KINDS]),
                name="user_staff_belongs_to_employer",
                violation_error_message=ORGANISATION_RULES[Role.STAFF].message,
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.PARTNER)
                | Q(organisation__isnull=False, organisation_kind__in=[k.value for k in PARTNER_KINDS]),
                name="user_partner_belongs_to_partner_organisation",
                violation_error_message=ORGANISATION_RULES[Role.PARTNER].message,
            ),
            models.CheckConstraint(
                condition=~Q(role__in=[r.value for r in NOT_ADMIN_STAFF_ROLES]) | Q(is_staff=False, is_superuser=False),
                name="user_staff_and_partner_not_admin",
                violation_error_message=NOT_ADMIN_STAFF_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=True, organisation_kind="")
                | Q(organisation__isnull=False) & ~Q(organisation_kind=""),
                name="user_organisation_kind_in_step",
            ),
        ]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        # The copy the CHECK constraints read is set here too, so validating before saving sees the real kind.
        self.organisation_kind = self.organisation.kind if self.organisation_id else ""
        errors = {}
        if message := organisation_rule_error(self.role, self.organisation_kind):
            errors["organisation"] = message
        if self.role in NOT_ADMIN_STAFF_ROLES and (self.is_staff or self.is_superuser):
            errors["is_staff" if self.is_staff else "is_superuser"] = NOT_ADMIN_STAFF_MESSAGE
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        self.organisation_kind = self.organisation.kind if self.organisation_id else ""
        if self.role == Role.ADMIN:
            self.is_staff = True
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @property
    def is_student(self) -> bool:
        return self.role == Role.STUDENT

    @property
    def is_tutor(self) -> bool:
        return self.role == Role.TUTOR

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_site_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_staff_member(self) -> bool:
        """A health and care staff member (the ``staff`` role); not Django's ``is_staff`` (site admin access)."""
        return self.role == Role.STAFF

    @property
    def is_partner(self) -> bool:
        return self.role == Role.PARTNER

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class Invitation(models.Model):
    """A single-use, expiring link that lets someone join an organisation in an invited role."""

    email = models.EmailField()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=20, choices=[(r.value, r.label) for r in INVITED_ROLES])
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent")
    # Only a hash is stored: a leaked database row cannot be turned into a working link.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in INVITED_ROLES]), name="invitation_invited_role"
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation} ({self.get_role_display()})"

    def clean(self):
        super().clean()
        if self.organisation_id and self.role in INVITED_ROLES:
            if message := organisation_rule_error(self.role, self.organisation.kind):
                raise ValidationError({"role": message})

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    def get_accept_url(self, token: str) -> str:
        return reverse("accounts:invitation-accept", kwargs={"token": token})
