"""Tutors invite their students to sign up by uploading a CSV of email addresses: invalid rows are reported,
valid ones are emailed once (the outbox key is per college and address, so a second upload sends nothing new)."""

import csv
import hashlib
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from accounts.models import OutboundEmail, Role, User
from accounts.outbox import absolute_url, email_enqueue

MAX_ROWS = 1000
# The longest address our columns (and mail systems) take; Django's validator alone allows 320.
MAX_ADDRESS_LENGTH = 254
# OutboundEmail.dedupe_key holds 200 characters.
MAX_DEDUPE_KEY_LENGTH = 200
UNREADABLE_ROW = "We could not read row %(row)s of the file: %(why)s. Check it is a CSV file with one address per row."


@dataclass
class InviteReport:
    sent: list[str] = field(default_factory=list)
    already_invited: list[str] = field(default_factory=list)
    invalid: list[tuple[int, str, str]] = field(default_factory=list)  # (row number, value, why)


def read_addresses(text: str) -> tuple[list[tuple[int, str]], list[tuple[int, str, str]]]:
    """(row number, address) for each row's first cell, and the rows that are not addresses, with why."""
    rows, invalid, seen = [], [], set()
    # newline="" lets the csv module see every kind of line ending, including a lone CR (old Mac exports).
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            # For example a quoted cell longer than the csv module's field limit (131,072 characters).
            raise ValidationError(
                UNREADABLE_ROW, code="unreadable", params={"row": reader.line_num, "why": _plain_csv_error(error)}
            ) from None
        number += 1
        value = (row[0] if row else "").strip()
        if not value or (number == 1 and value.lower() in ("email", "email address", "e-mail")):
            continue
        address = value.lower()
        if len(address) > MAX_ADDRESS_LENGTH:
            invalid.append((number, value[:80] + "…", f"longer than {MAX_ADDRESS_LENGTH} characters"))
            continue
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


def _plain_csv_error(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return f"a cell is longer than {csv.field_size_limit():,} characters"
    return "it is not valid CSV"


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
