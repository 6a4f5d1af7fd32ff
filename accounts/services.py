"""Business rules for accounts: sign-up, email verification and staff invitations.

Every function that emails writes the outbox row inside its own transaction (see notifications.outbox).
"""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.address_lists import read_addresses
from accounts.models import Invitation, Organisation, Role, User, organisation_rule_error
from accounts.permissions import ensure_can_invite_staff
from accounts.signin import make_unlock_token, normalise_username, read_unlock_token
from accounts.tokens import email_verification_token
from notifications.models import OutboundEmail
from notifications.outbox import absolute_url, email_enqueue, email_enqueue_in_constant_work

INVITATION_UNUSABLE = (
    "This invitation link has expired or has already been used. Ask the person who invited you for a new one."
)
INVITATION_EMAIL_TAKEN = "An account already uses this email address. Sign in, or reset your password."
INVITATION_PENDING = "This person already has an invitation waiting. Revoke it first to send a new one."
EMAIL_MAX_LENGTH = 254
VERIFICATION_LINK_INVALID = "This link has expired or has already been used."
VERIFICATION_EMAILS_PER_DAY = 5
# Anyone can ask for a reset for any address: one a minute (a double click sends one), and at most this many an hour.
PASSWORD_RESET_EMAILS_PER_HOUR = 5


def student_sign_up(*, email: str, password: str, first_name: str, last_name: str) -> User | None:
    """Create an unverified student and email a verification link (see ``account_sign_up``)."""
    return account_sign_up(email=email, password=password, first_name=first_name, last_name=last_name)


def account_sign_up(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    role: str = Role.STUDENT,
    organisation: Organisation | None = None,
) -> User | None:
    """Create an unverified account (a student; or staff joining with an employer's code) and email a link.

    If the address is taken, the owner is emailed instead and the caller sees the same outcome,
    so the sign-up form never reveals who has an account. Both paths hash the password and queue one email:
    hashing is the slow step, and doing it on one path only told an attacker by the clock who is registered.
    """
    email = User.objects.normalize_email(email).strip().lower()
    password_hash = make_password(password)
    with transaction.atomic():
        existing = User.objects.filter(email__iexact=email).first()
        if existing:
            # At most one notice an hour; a repeat within the hour does the same work and keeps nothing.
            email_enqueue_in_constant_work(
                dedupe_key=f"account_exists_notice:user:{existing.pk}:{timezone.now():%Y%m%d%H}",
                template="account_exists_notice",
                to_email=existing.email,
                recipient=existing,
                context={
                    "login_url": absolute_url(reverse("accounts:login")),
                    "reset_url": absolute_url(reverse("accounts:password-reset")),
                },
            )
            return None
        user = User(
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            role=role,
            organisation=organisation,
            password=password_hash,
        )
        user.save()
        email_verification_send(user=user)
    return user


def email_verification_send(*, user: User) -> bool:
    """Email a one-time verification link. At most one a minute, so a double click sends one, and at most
    ``VERIFICATION_EMAILS_PER_DAY`` a day: anyone can sign up with someone else's address, and the "send it again"
    button must not flood that inbox. False when the day's links are used up (or the address is confirmed)."""
    if user.email_verified:
        return False
    sent_today = OutboundEmail.objects.filter(
        template="student_verify_email", recipient=user, created_at__gte=timezone.now() - timedelta(days=1)
    ).count()
    if sent_today >= VERIFICATION_EMAILS_PER_DAY:
        return False
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_verification_token.make_token(user)
    path = reverse("accounts:verify-email", kwargs={"uidb64": uid, "token": token})
    with transaction.atomic():
        email_enqueue(
            dedupe_key=f"student_verify_email:user:{user.pk}:{timezone.now():%Y%m%d%H%M}",
            template="student_verify_email",
            to_email=user.email,
            recipient=user,
            context={"verify_url": absolute_url(path), "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
        )
    return True


def email_verify(*, user: User, token: str) -> User:
    """Mark the email verified if the token is valid; a used or expired token is a ValidationError."""
    if user.email_verified:
        return user
    if not email_verification_token.check_token(user, token):
        raise ValidationError(VERIFICATION_LINK_INVALID, code="invalid_token")
    User.objects.filter(pk=user.pk, email_verified_at__isnull=True).update(email_verified_at=timezone.now())
    user.refresh_from_db(fields=["email_verified_at"])
    return user


def invitation_create(*, actor: User, email: str, organisation: Organisation, role: str) -> Invitation:
    """Invite someone to ``organisation`` in ``role`` with a single-use link valid for a week, and email it.

    Who may invite whom is ``accounts.permissions.can_invite_staff``. The returned invitation carries the link's
    token as ``.token`` (never stored: only its hash is), for a caller that hands the link over itself (the demo).
    """
    ensure_can_invite_staff(actor, organisation=organisation, role=role)
    email = User.objects.normalize_email(email).strip().lower()
    with transaction.atomic():
        if _waiting_invitations(organisation).filter(email__iexact=email).select_for_update().exists():
            raise ValidationError({"email": INVITATION_PENDING}, code="pending")
        return _invitation_issue(actor=actor, email=email, organisation=organisation, role=role)


def _waiting_invitations(organisation: Organisation):
    return Invitation.objects.filter(
        organisation=organisation,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def _invitation_issue(*, actor: User, email: str, organisation: Organisation, role: str) -> Invitation:
    """Store one invitation and queue its email, in the caller's transaction. Permission is checked by the caller."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        organisation=organisation,
        role=role,
        invited_by=actor,
        token_hash=Invitation.hash_token(token),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    email_enqueue(
        dedupe_key=f"staff_invitation:invitation:{invitation.pk}",
        template="staff_invitation",
        to_email=email,
        context={
            "invitation": invitation,
            "inviter_name": actor.get_full_name(),
            "accept_url": absolute_url(invitation.get_accept_url(token)),
        },
    )
    invitation.token = token
    return invitation


@dataclass
class BulkInvitationReport:
    sent: list[str] = field(default_factory=list)
    already_invited: list[str] = field(default_factory=list)  # an invitation to this organisation is still waiting
    invalid: list[tuple[int, str, str]] = field(default_factory=list)  # (row number, value, why)


def staff_invite_from_list(*, actor: User, organisation: Organisation, text: str) -> BulkInvitationReport:
    """Invite every address in a CSV file to join ``organisation`` as health and care staff: one single-use link
    each, as from the invitation page. Rows that are not addresses are reported with their row numbers; an address
    with an invitation still waiting is not invited again. Nothing is sent unless the whole file can be read."""
    ensure_can_invite_staff(actor, organisation=organisation, role=Role.STAFF)
    rows, invalid = read_addresses(text)
    report = BulkInvitationReport(invalid=invalid)
    addresses = [address for _, address in rows]
    with transaction.atomic():
        # Locks the waiting invitations so a second upload at the same moment cannot double them.
        waiting = set(
            _waiting_invitations(organisation)
            .filter(email__in=addresses)
            .select_for_update()
            .values_list("email", flat=True)
        )
        for address in addresses:
            if address in waiting:
                report.already_invited.append(address)
                continue
            _invitation_issue(actor=actor, email=address, organisation=organisation, role=Role.STAFF)
            report.sent.append(address)
    return report


def invitation_for_token(token: str) -> Invitation | None:
    """The usable invitation behind a link, or None when it is unknown, used, revoked or expired, or when its role
    no longer fits the organisation (its kind was changed after the invitation was sent)."""
    invitation = (
        Invitation.objects.select_related("organisation").filter(token_hash=Invitation.hash_token(token)).first()
    )
    if invitation is None or not invitation.is_usable:
        return None
    if organisation_rule_error(invitation.role, invitation.organisation.kind):
        return None
    return invitation


def invitation_accept(*, token: str, first_name: str, last_name: str, password: str) -> User:
    """Create the staff account and spend the invitation, once: a second use is a ValidationError.

    An unverified student account with the same address (a stranger can sign up with anyone's) is replaced."""
    with transaction.atomic():
        invitation = invitation_for_token(token)
        if invitation is None:
            raise ValidationError(INVITATION_UNUSABLE, code="unusable")
        existing = User.objects.select_for_update().filter(email__iexact=invitation.email).first()
        # An unconfirmed staff account (joined with an employer's code, skills/services_join.py) never proved the
        # address either: the invitation takes it, as from an unconfirmed student.
        if existing and (existing.email_verified or existing.role not in (Role.STUDENT, Role.STAFF)):
            raise ValidationError(INVITATION_EMAIL_TAKEN, code="email_taken")
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).update(accepted_at=timezone.now())
        if not claimed:
            raise ValidationError(INVITATION_UNUSABLE, code="unusable")
        if existing:
            # Anyone can sign up with any address; an unverified student account never proved it was theirs
            # (and cannot have applied). The invitation reached the inbox, which does: it takes the address.
            existing.delete()
        user = User(
            email=invitation.email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            role=invitation.role,
            organisation=invitation.organisation,
            # The link arrived in their inbox, which proves the address.
            email_verified_at=timezone.now(),
        )
        user.set_password(password)
        user.save()
        Invitation.objects.filter(pk=invitation.pk).update(accepted_user=user)
    return user


def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    """Stop an unused invitation from working."""
    ensure_can_invite_staff(actor, organisation=invitation.organisation, role=invitation.role)
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def password_reset_email_enqueue(*, user: User | None, email: str, reset_url: str) -> None:
    """Queue the password reset email (through the outbox, like every other email), at most one a minute and
    ``PASSWORD_RESET_EMAILS_PER_HOUR`` an hour.

    ``user=None``: no account may reset with ``email``. The same work is done and nothing is kept, so the
    response time does not tell a stranger whether the address has an account.
    """
    owner = f"user:{user.pk}" if user else f"nobody:{hash(email)}"
    with transaction.atomic():
        email_enqueue_in_constant_work(
            dedupe_key=f"password_reset:{owner}:{timezone.now():%Y%m%d%H%M}",
            template="password_reset",
            to_email=user.email if user else email,
            recipient=user,
            context={"reset_url": reset_url, "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
            max_per_hour=PASSWORD_RESET_EMAILS_PER_HOUR,
        )


def user_set_digest_emails(*, user: User, enabled: bool) -> None:
    """Switch digests and optional reminders on or off. Transactional emails always go out."""
    User.objects.filter(pk=user.pk).update(digest_emails=enabled)
    user.digest_emails = enabled


def sign_in_unlock_link_send(*, username: str, noticed: bool) -> None:
    """Email the owner of ``username`` (if there is one) a link that lifts sign-in locks on their account.

    ``noticed``: sent because their account was just locked, rather than because someone asked for it. At most
    one such email an hour per account, so neither a guesser nor the request form can flood an inbox.
    """
    address = normalise_username(username)[:EMAIL_MAX_LENGTH]
    user = User.objects.filter(email=address, is_active=True).first()
    # With no account, the same work on a stand-in that is never stored: the time must not say which it was.
    token = make_unlock_token(user or User(pk=0, email=address))
    path = reverse("accounts:sign-in-unlock", kwargs={"token": token})
    owner = f"user:{user.pk}" if user else f"nobody:{hash(address)}"
    # Once the last link has been used, a new lock in the same hour gets a new link: only the mailbox's owner (who
    # had the last one) can cause that, so it floods nobody.
    used = f":{user.sign_in_unlocked_at.timestamp() * 1e6:.0f}" if user and user.sign_in_unlocked_at else ""
    with transaction.atomic():
        email_enqueue_in_constant_work(
            dedupe_key=f"sign_in_unlock:{owner}{used}:{timezone.now():%Y%m%d%H}",
            template="sign_in_unlock",
            to_email=address,
            recipient=user,
            context={
                "noticed": noticed,
                "unlock_url": absolute_url(path),
                "reset_url": absolute_url(reverse("accounts:password-reset")),
                "valid_hours": settings.SIGN_IN_UNLOCK_VALID_HOURS,
                "minutes": int(settings.AXES_COOLOFF_TIME * 60),
            },
        )


def _unlock_state(pk: int):
    return User.objects.filter(pk=pk, is_active=True).values_list("email", "sign_in_unlocked_at").first()


def user_for_unlock_token(token: str) -> User | None:
    """The active user an unlock link was made for, or None if it is forged, expired, already used or their
    address changed."""
    link = read_unlock_token(token, state_of=_unlock_state)
    return User.objects.filter(pk=link.user_pk).first() if link else None


def sign_in_unlock_by_link(*, token: str) -> User | None:
    """Use an unlock link, once: lift the locks on the account that were there when the link was sent.

    Locks that began later stay, so a copy of the link (a forwarded email, a shared computer's history) buys no
    guesses: at most it lifts, once, the lock its owner was emailed about. Returns the user, or None if the link does
    not work (forged, expired, used, or pressed twice at once: the second press loses the conditional update).
    """
    link = read_unlock_token(token, state_of=_unlock_state)
    if link is None:
        return None
    user = User.objects.filter(pk=link.user_pk).first()
    with transaction.atomic():
        claimed = User.objects.filter(pk=user.pk, sign_in_unlocked_at=user.sign_in_unlocked_at).update(
            sign_in_unlocked_at=timezone.now()
        )
        if not claimed:
            return None
        AccessAttempt.objects.filter(username=normalise_username(user.email), pk__lte=link.last_attempt_pk).delete()
    return user


def sign_in_unlock(*, user: User) -> int:
    """Forget every failed sign-in to ``user``'s account, from every address (a password reset proved who they
    are); unlock links sent before stop working. Returns how many records went."""
    User.objects.filter(pk=user.pk).update(sign_in_unlocked_at=timezone.now())
    return AxesProxyHandler.reset_attempts(username=normalise_username(user.email))
