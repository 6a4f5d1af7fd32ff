"""Demo digital skills data for ``seed_demo``, made the way real people make it (ADR 0011).

Story (days before today):
  -150  South Thames NHS Foundation Trust's coordinator (coordinator@) starts inviting 21 staff; Riverside
        Care Homes' coordinator (coordinator.b@) makes a join code and puts it on the staff-room wall.
  -148 to -135  The trust's staff accept their invitations; Riverside's staff join with the code and confirm their
        work email from the link we sent.
  -125 to -110  Most of them check their skills (a sitting ~4 months ago), saying which staff group and team they
        work in; some share their result with their employer. Sam (staff@) checks his too.
  -20 to -3   Most check again (a second sitting), a little further on in some areas; a few share again.
  today  A few have never started (the chaser reaches people who joined a week ago, so not these).

Every row comes from the services the pages call (invitation, join code, email confirmation, start, about your
work, answers, send, share) under the demo clock, so each sitting's dates are when it "happened". Nobody's levels
are written by hand. Running ``seed_demo`` again adds nothing: people who exist keep what they have.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.core.mail.backends.dummy import EmailBackend as DiscardingBackend
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Organisation, User
from accounts.services import email_verify, invitation_accept, invitation_create
from accounts.tokens import email_verification_token
from notifications.models import EmailStatus, OutboundEmail
from notifications.outbox import email_deliver
from placements.demo_clock import demo_clock
from skills import services
from skills.framework import framework_files, framework_load
from skills.models import Assessment, StaffGroup
from skills.selectors import domains_of
from skills.services_join import join_code_rotate, staff_join_with_code

TRUST_COORDINATOR, CARE_COORDINATOR = "coordinator@demo.test", "coordinator.b@demo.test"
SAM = "staff@demo.test"
G = StaffGroup
TRUST_GROUPS = [
    (G.NURSES, "Ward 7"),
    (G.NURSES, "Emergency department"),
    (G.CLINICAL_SUPPORT, "Ward 7"),
    (G.CLINICAL_SUPPORT, "Emergency department"),
    (G.ALLIED, "Therapies"),
    (G.ADMIN, "Outpatients"),
    (G.DOCTORS, "Emergency department"),
    (G.ESTATES, "Estates"),
]
CARE_GROUPS = [
    (G.SOCIAL_CARE, "Riverside House, day"),
    (G.SOCIAL_CARE, "Riverside House, night"),
    (G.SOCIAL_CARE, "Lea View"),
    (G.MANAGERS, "Lea View"),
    (G.OTHER, "Kitchen and housekeeping"),
]
FIRST = [
    "Ada",
    "Ben",
    "Chi",
    "Dev",
    "Eli",
    "Fay",
    "Gus",
    "Hana",
    "Ivo",
    "Jade",
    "Kofi",
    "Lena",
    "Milo",
    "Noor",
    "Otto",
    "Pia",
    "Quin",
    "Rosa",
    "Saul",
    "Tia",
    "Umar",
    "Vera",
]
LAST = [
    "Abara",
    "Brook",
    "Costa",
    "Dlamini",
    "Evans",
    "Fofana",
    "Grant",
    "Hughes",
    "Iqbal",
    "Jones",
    "Kaur",
    "Lowe",
    "Mensah",
    "Nowak",
    "Osei",
    "Price",
    "Quayle",
    "Rahman",
    "Silva",
    "Turner",
    "Usman",
    "Vance",
]
PER_EMPLOYER = 21


def _people(prefix: str, offset: int) -> list[tuple[str, str, str]]:
    return [
        (f"{prefix}.{FIRST[(i + offset) % 22].lower()}.{i + 1}@demo.test", FIRST[(i + offset) % 22], LAST[i % 22])
        for i in range(PER_EMPLOYER)
    ]


TRUST_STAFF = _people("nurse", 0)
CARE_STAFF = _people("carer", 7)


def _deliver() -> None:
    """The worker sends each email a minute after it was written (to nowhere: every address is @demo.test)."""
    discard = DiscardingBackend()
    pending = OutboundEmail.objects.filter(status=EmailStatus.PENDING, to_email__endswith="@demo.test")
    for pk, created_at in pending.order_by("created_at", "pk").values_list("pk", "created_at"):
        with demo_clock(created_at + timedelta(minutes=1)):
            email_deliver(email_id=pk, connection=discard)


def _answers(rng: random.Random, domains, ability: dict[str, int]) -> dict[int, dict[int, str]]:
    """Per domain, statement id -> answer: yes up to the person's ability there, mostly not yet above it."""
    out = {}
    for domain in domains:
        top = ability[domain.key]
        out[domain.pk] = {
            s.pk: (
                rng.choice(["confidently", "confidently", "with_help"])
                if s.level <= top
                else rng.choice(["not_yet", "not_yet", "not_sure", "with_help"])
            )
            for s in domain.statements.all()
        }
    return out


def _sit(person: User, rng: random.Random, ability: dict[str, int], group, department: str, *, share: bool):
    assessment = services.assessment_start(actor=person)
    about = getattr(services, "assessment_about_work", None)
    if about is not None:
        about(actor=person, assessment=assessment, staff_group=group, department=department)
    domains = domains_of(assessment.framework_version)
    for domain in domains:
        services.assessment_answer_domain(
            actor=person, assessment=assessment, domain=domain, answers=_answers(rng, [domain], ability)[domain.pk]
        )
    assessment = services.assessment_submit(actor=person, assessment=assessment)
    if share:
        services.assessment_share(actor=person, assessment=assessment, share=True)
    return assessment


def _join_trust(trust: Organisation, now) -> list[User]:
    inviter = User.objects.get(email=TRUST_COORDINATOR)
    joined = []
    for n, (email, first, last) in enumerate(TRUST_STAFF):
        if User.objects.filter(email=email).exists():
            continue
        with demo_clock(now - timedelta(days=150 - n // 2)):
            invitation = invitation_create(actor=inviter, email=email, organisation=trust, role="staff")
        with demo_clock(now - timedelta(days=148 - n // 2)):
            joined.append(
                invitation_accept(token=invitation.token, first_name=first, last_name=last, password=DEMO_PASSWORD)
            )
    return joined


def _join_care(care: Organisation, now) -> list[User]:
    coordinator = User.objects.get(email=CARE_COORDINATOR)
    if all(User.objects.filter(email=email).exists() for email, *_ in CARE_STAFF):
        return []
    with demo_clock(now - timedelta(days=150)):
        policy = join_code_rotate(actor=coordinator, employer=care)
    joined = []
    for n, (email, first, last) in enumerate(CARE_STAFF):
        if User.objects.filter(email=email).exists():
            continue
        with demo_clock(now - timedelta(days=147 - n // 2)) as moment:
            person = staff_join_with_code(
                code=policy.join_code,
                email=email,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                ip_address=f"192.0.2.{n + 1}",
            )
        with demo_clock(moment + timedelta(hours=2)):
            email_verify(user=person, token=email_verification_token.make_token(person))
        joined.append(person)
    return joined


def seed_skills(organisations: dict[str, Organisation]) -> dict[str, int]:
    """Demo staff at the trust and the care provider with one or two sittings; returns counts."""
    # Migration 0002 loads the framework, but a database flushed since (the browser tests' live server) has none:
    # load it as `load_skills_framework` does (a version already loaded is left as it is).
    for path in framework_files():
        framework_load(path)
    now = timezone.now()
    trust, care = organisations["trust_a"], organisations["care"]
    joined = [(p, TRUST_GROUPS) for p in _join_trust(trust, now)] + [(p, CARE_GROUPS) for p in _join_care(care, now)]
    _deliver()
    sam = User.objects.get(email=SAM)
    if not Assessment.objects.filter(person=sam).exists():
        joined.append((sam, [(G.SOCIAL_CARE, "Riverside House, day")]))
    for n, (person, groups) in enumerate(joined):
        rng = random.Random(person.email)
        if person.email != SAM and n % 10 == 9:
            continue  # never started
        group, department = groups[n % len(groups)]
        ability = {
            key: rng.choice([0, 1, 1, 2, 2, 3])
            for key in ("identity", "communication", "learning", "technical", "information", "creation")
        }
        with demo_clock(now - timedelta(days=125 - n % 15, hours=rng.randint(0, 8))):
            _sit(person, rng, ability, group, department, share=n % 4 == 0)
        if person.email == SAM or n % 7 == 6:
            continue  # one sitting only (Sam can check again himself, to see the change side by side)
        better = {key: min(level + rng.choice([0, 1, 1]), 4) for key, level in ability.items()}
        with demo_clock(now - timedelta(days=3 + n % 18, hours=rng.randint(0, 8))):
            _sit(person, rng, better, group, department, share=n % 8 == 0)
    _deliver()
    return {
        "staff": len(TRUST_STAFF) + len(CARE_STAFF),
        "assessments": Assessment.objects.filter(person__email__endswith="@demo.test").count(),
    }
