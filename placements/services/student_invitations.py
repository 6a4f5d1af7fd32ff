"""Tutors invite their students to sign up by uploading a CSV of email addresses: invalid rows are reported,
valid ones are emailed once (the outbox key is per college and address, so a second upload sends nothing new)."""

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from accounts.address_lists import read_addresses
from accounts.models import Role, User
from notifications.models import OutboundEmail
from notifications.outbox import absolute_url, email_enqueue

# OutboundEmail.dedupe_key holds 200 characters.
MAX_DEDUPE_KEY_LENGTH = 200


@dataclass
class InviteReport:
    sent: list[str] = field(default_factory=list)
    already_invited: list[str] = field(default_factory=list)
    invalid: list[tuple[int, str, str]] = field(default_factory=list)  # (row number, value, why)


def invitation_dedupe_key(*, college_id: int, address: str) -> str:
    """The outbox key for one college inviting one address. Long addresses are hashed to fit the column; shorter
    ones keep the readable form that earlier uploads stored, so nobody invited before is emailed again."""
    key = f"student_invitation:college:{college_id}:email:{address}"
    if len(key) <= MAX_DEDUPE_KEY_LENGTH:
        return key
    return f"student_invitation:college:{college_id}:sha256:{hashlib.sha256(address.encode()).hexdigest()}"


def students_invite(*, actor: User, text: str) -> InviteReport:
    """Email each valid address an invitation to sign up with the tutor's college; each address only once."""
    if actor.role != Role.TUTOR or not actor.organisation_id:
        raise PermissionDenied("Only tutors invite students.")
    rows, invalid = read_addresses(text)
    report = InviteReport(invalid=invalid)
    college = actor.organisation
    keys = {address: invitation_dedupe_key(college_id=college.pk, address=address) for _, address in rows}
    existing = set(OutboundEmail.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
    with transaction.atomic():
        for _, address in rows:
            if keys[address] in existing:
                report.already_invited.append(address)
                continue
            email_enqueue(
                dedupe_key=keys[address],
                template="student_invitation",
                to_email=address,
                context={
                    "college": college,
                    "tutor_name": actor.get_full_name(),
                    "signup_url": absolute_url(reverse("accounts:signup")),
                    "finder_url": absolute_url(reverse("placements:opportunity-list")),
                },
            )
            report.sent.append(address)
    return report
