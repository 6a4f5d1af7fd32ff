"""Joining an employer for the skills self-assessment: join codes, joining with one, and the reminder period.

A coordinator of an NHS trust or care provider makes (or remakes) a join code for their organisation; anyone with
the code can create a ``staff`` account there with their work email. As with the students' sign-up
(``accounts.services.student_sign_up``): the account waits for its email address to be confirmed, an address that
already has an account gets a notice instead, and the page says the same either way, with the same work done, so
neither a code nor an address can be found out from it. A wrong code does say so (a person mistyped it), but each
address may try only ``JOIN_FAILURES_PER_HOUR`` wrong codes an hour (and the whole site
``JOIN_FAILURES_PER_HOUR_SITE``), against 31^12 possible codes. See ADR 0018.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import EMPLOYER_KINDS, Organisation, Role, User, organisation_rule_error
from accounts.services import account_sign_up
from skills.models import EmployerSkillsPolicy, JoinAttempt, ReassessAfter

# No 0/O, 1/I/L: easy to read off a poster and say on the phone. 31^12 is about 8 x 10^17 codes.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
JOIN_FAILURES_PER_HOUR = 10
JOIN_ATTEMPTS_PER_HOUR = 30
JOIN_FAILURES_PER_HOUR_SITE = 500

CODE_NOT_RIGHT = "The join code is not right. Check it with your manager and try again."
TOO_MANY_TRIES = (
    "You have tried to join too many times. Wait an hour and try again, or ask your manager for an invitation."
)
NOT_AN_EMPLOYER = "Only NHS trusts and care providers have join codes."
NOT_YOUR_EMPLOYER = "You can only change the join code of your own organisation."
UNKNOWN_PERIOD = "Choose 3, 6 or 12 months."


# --- Who may change an employer's settings -------------------------------------------------------------------


def can_manage_skills_policy(user, employer: Organisation) -> bool:
    """A coordinator of the NHS trust or care provider itself."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role == Role.COORDINATOR
        and user.organisation_id == employer.pk
        and employer.kind in EMPLOYER_KINDS
    )


def ensure_can_manage_skills_policy(user, employer: Organisation) -> None:
    if not can_manage_skills_policy(user, employer):
        raise PermissionDenied(NOT_YOUR_EMPLOYER)


def policy_for(employer: Organisation) -> EmployerSkillsPolicy:
    """The employer's settings, made with the defaults the first time they are needed."""
    policy, _ = EmployerSkillsPolicy.objects.get_or_create(employer=employer)
    return policy


# --- Codes ---------------------------------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    """What the person typed, as stored: upper case, without spaces or dashes (a code is read out in groups)."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:40]


def display_code(code: str) -> str:
    """ABCD-EFGH-JKMN: groups of 4 are easier to copy."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def join_code_rotate(*, actor, employer: Organisation) -> EmployerSkillsPolicy:
    """Give the employer a new join code; the old one (if any) stops working at once."""
    ensure_can_manage_skills_policy(actor, employer)
    for _ in range(5):
        try:
            with transaction.atomic():
                policy = EmployerSkillsPolicy.objects.select_for_update().get(pk=policy_for(employer).pk)
                policy.join_code = _new_code()
                policy.join_code_changed_at = timezone.now()
                policy.join_code_changed_by = actor
                policy.save()
                return policy
        except IntegrityError:  # another employer already has this code: 1 in 10^17, but draw again
            continue
    raise ValidationError("A new code could not be made. Try again.", code="no_code")


def join_code_switch_off(*, actor, employer: Organisation) -> EmployerSkillsPolicy:
    """Stop joining by code: staff can still join by invitation."""
    ensure_can_manage_skills_policy(actor, employer)
    policy = policy_for(employer)
    EmployerSkillsPolicy.objects.filter(pk=policy.pk).update(
        join_code="", join_code_changed_at=timezone.now(), join_code_changed_by=actor
    )
    policy.refresh_from_db()
    return policy


def reassess_period_set(*, actor, employer: Organisation, months) -> EmployerSkillsPolicy:
    """How long after a person's last result they are reminded to check their skills again (3, 6 or 12 months)."""
    ensure_can_manage_skills_policy(actor, employer)
    try:
        months = int(months)
    except (TypeError, ValueError):
        months = None
    if months not in ReassessAfter.values:
        raise ValidationError({"reassess_after_months": UNKNOWN_PERIOD}, code="unknown_period")
    policy = policy_for(employer)
    EmployerSkillsPolicy.objects.filter(pk=policy.pk).update(reassess_after_months=months, updated_at=timezone.now())
    policy.refresh_from_db()
    return policy


# --- Joining with a code -------------------------------------------------------------------------------------


def _too_many_attempts(ip_address: str | None) -> bool:
    hour_ago = timezone.now() - timedelta(hours=1)
    recent = JoinAttempt.objects.filter(attempted_at__gte=hour_ago)
    mine = recent.filter(ip_address=ip_address)
    return (
        mine.count() >= JOIN_ATTEMPTS_PER_HOUR
        or mine.filter(code_matched=False).count() >= JOIN_FAILURES_PER_HOUR
        or recent.filter(code_matched=False).count() >= JOIN_FAILURES_PER_HOUR_SITE
    )


def employer_for_code(code: str) -> Organisation | None:
    normalised = normalise_code(code)
    if len(normalised) != CODE_LENGTH:
        return None
    policy = EmployerSkillsPolicy.objects.select_related("employer").filter(join_code=normalised).first()
    if policy is None or organisation_rule_error(Role.STAFF, policy.employer.kind):
        return None
    return policy.employer


def staff_join_with_code(
    *, code: str, email: str, password: str, first_name: str, last_name: str, ip_address: str | None
) -> User | None:
    """Create an unconfirmed ``staff`` account at the code's employer and email a link to confirm the address.

    A wrong code is a ValidationError (on ``code``), and so is a person over the rate limit. With a right code the
    outcome looks the same whether or not the address already has an account: its owner gets the "you already
    have an account" notice instead, and both paths hash the password and build one email (ADR 0018).
    """
    with transaction.atomic():
        if _too_many_attempts(ip_address):
            raise ValidationError(TOO_MANY_TRIES, code="rate_limited")
        employer = employer_for_code(code)
        JoinAttempt.objects.create(ip_address=ip_address, code_matched=employer is not None)
    if employer is None:
        raise ValidationError({"code": CODE_NOT_RIGHT}, code="wrong_code")
    return account_sign_up(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        role=Role.STAFF,
        organisation=employer,
    )
