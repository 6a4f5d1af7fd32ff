"""Demo organisations and logins, used by ``manage.py seed_demo``. Every call updates rather than duplicates."""

from functools import cache

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Role, User
from accounts.services import invitation_accept, invitation_create

DEMO_PASSWORD = "placements-demo"


@cache
def demo_password_hash() -> str:
    """One hash of the demo password for every demo login: hashing it 20 times took most of ``seed_demo``."""
    return make_password(DEMO_PASSWORD)


ORGANISATIONS = {
    "trust_a": dict(
        kind=OrganisationKind.NHS_TRUST,
        name="South Thames NHS Foundation Trust",
        borough="Southwark",
        postcode="SE5 9RS",
        code="RDEMO1",
    ),
    "trust_b": dict(
        kind=OrganisationKind.NHS_TRUST,
        name="North Lea Hospitals NHS Trust",
        borough="Hackney",
        postcode="E9 6SR",
        code="RDEMO2",
    ),
    "care": dict(
        kind=OrganisationKind.CARE_PROVIDER,
        name="Riverside Care Homes",
        borough="Lewisham",
        postcode="SE13 6LH",
        code="VDEMO3",
    ),
    "college_a": dict(
        kind=OrganisationKind.COLLEGE, name="Southbank College", borough="Lambeth", postcode="SE1 7JN", code="10000001"
    ),
    "college_b": dict(
        kind=OrganisationKind.COLLEGE,
        name="Eastway Sixth Form College",
        borough="Newham",
        postcode="E15 1DA",
        code="10000002",
    ),
    "icb": dict(
        kind=OrganisationKind.ICB,
        name="South Thames Integrated Care Board",
        borough="Southwark",
        postcode="SE1 9RT",
        code="QDEMO4",
    ),
}

# (email, role, organisation key, first name, last name)
LOGINS = [
    ("student@demo.test", Role.STUDENT, "college_a", "Amara", "Okafor"),
    ("student.b@demo.test", Role.STUDENT, "college_b", "Bilal", "Hussain"),
    ("tutor@demo.test", Role.TUTOR, "college_a", "Tom", "Reyes"),
    ("tutor.b@demo.test", Role.TUTOR, "college_b", "Priya", "Shah"),
    ("coordinator@demo.test", Role.COORDINATOR, "trust_a", "Grace", "Mensah"),
    ("coordinator.b@demo.test", Role.COORDINATOR, "care", "Daniel", "Kowalski"),
    ("admin@demo.test", Role.ADMIN, None, "Site", "Admin"),
    ("staff@demo.test", Role.STAFF, "care", "Sam", "Adeyemi"),
    ("partner@demo.test", Role.PARTNER, "icb", "Pat", "Lindqvist"),
    # Simulation suites (step 9): each demo college's suite is run by a coordinator; staff at both employers.
    ("trainer@demo.test", Role.COORDINATOR, "college_a", "Tara", "Nwosu"),
    ("trainer.b@demo.test", Role.COORDINATOR, "college_b", "Ben", "Osei"),
    ("staff.b@demo.test", Role.STAFF, "trust_a", "Bea", "Lewis"),
]
# Logins that join as real people in these roles do: invited by this login, through the invitation service.
INVITED_BY = {
    "staff@demo.test": "coordinator.b@demo.test",
    "staff.b@demo.test": "coordinator@demo.test",
    "partner@demo.test": "admin@demo.test",
}


@transaction.atomic
def seed_accounts() -> dict[str, Organisation]:
    """Create or refresh the demo organisations and logins; returns organisations by key."""
    organisations = {
        key: Organisation.objects.update_or_create(name=fields["name"], defaults=fields)[0]
        for key, fields in ORGANISATIONS.items()
    }
    for email, role, org_key, first_name, last_name in LOGINS:
        organisation = organisations[org_key] if org_key else None
        if email in INVITED_BY and not User.objects.filter(email=email).exists():
            _join_by_invitation(
                email=email, role=role, organisation=organisation, first_name=first_name, last_name=last_name
            )
        user, created = User.objects.get_or_create(email=email, defaults={"role": role, "organisation": organisation})
        user.role, user.organisation = role, organisation
        user.first_name, user.last_name = first_name, last_name
        user.email_verified_at = user.email_verified_at or timezone.now()
        user.is_superuser = role == Role.ADMIN
        if created:
            user.password = demo_password_hash()
        user.save()
    return organisations


def _join_by_invitation(*, email: str, role: Role, organisation: Organisation, first_name: str, last_name: str):
    """Invite ``email`` as its inviter would from the invitation page, then accept the link as they would."""
    inviter = User.objects.get(email=INVITED_BY[email])
    invitation = invitation_create(actor=inviter, email=email, organisation=organisation, role=role)
    return invitation_accept(token=invitation.token, first_name=first_name, last_name=last_name, password=DEMO_PASSWORD)
