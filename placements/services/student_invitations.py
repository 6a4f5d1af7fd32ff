"""Tutors invite their students to sign up by uploading a CSV of email addresses: invalid rows are reported,
valid ones are emailed once (the outbox key is per college and address, so a second upload sends nothing new)."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from accounts.models import OutboundEmail, Role, User
from accounts.outbox import absolute_url, email_enqueue

MAX_ROWS = 1000


@dataclass
class InviteReport:
    sent: list[str] = field(default_factory=list)
    already_invited: list[str] = field(default_factory=list)
    invalid: list[tuple[int, str, str]] = field(default_factory=list)  # (row number, value, why)


def read_addresses(text: str) -> tuple[list[tuple[int, str]], list[tuple[int, str, str]]]:
    """(row number, address) for each row's first cell, and the rows that are not addresses, with why."""
    rows, invalid, seen = [], [], set()
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        value = (row[0] if row else "").strip()
        if not value or (number == 1 and value.lower() in ("email", "email address", "e-mail")):
            continue
        address = value.lower()
        try:
            validate_email(address)
        except ValidationError:
            invalid.append((number, value, "not an email address"))
            continue
        if address in seen:
            invalid.append((number, value, "appears earlier in the file"))
            continue
        seen.add(address)
        rows.append((number, address))
    if len(rows) + len(invalid) > MAX_ROWS:
        raise ValidationError(f"The file has more than {MAX_ROWS} rows. Split it into smaller files.", code="too_many")
    return rows, invalid


def students_invite(*, actor: User, text: str) -> InviteReport:
    """Email each valid address an invitation to sign up with the tutor's college; each address only once."""
    if actor.role != Role.TUTOR or not actor.organisation_id:
        raise PermissionDenied("Only tutors invite students.")
    rows, invalid = read_addresses(text)
    report = InviteReport(invalid=invalid)
    college = actor.organisation
    keys = {address: f"student_invitation:college:{college.pk}:email:{address}" for _, address in rows}
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
