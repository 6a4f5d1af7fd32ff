"""Reading a CSV file of email addresses (one per row, first column) for bulk invitations.

Shared by tutors inviting students and employers inviting their staff. Hostile files are answered, not crashed
on: a cell longer than the csv module's limit, CR-only line endings, addresses longer than our columns hold.
"""

import csv
import io

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

MAX_ROWS = 1000
# The longest address our columns (and mail systems) take; Django's validator alone allows 320.
MAX_ADDRESS_LENGTH = 254
UNREADABLE_ROW = "We could not read row %(row)s of the file: %(why)s. Check it is a CSV file with one address per row."
HEADERS = ("email", "email address", "e-mail")


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
                UNREADABLE_ROW, code="unreadable", params={"row": reader.line_num, "why": plain_csv_error(error)}
            ) from None
        number += 1
        value = (row[0] if row else "").strip()
        if not value or (number == 1 and value.lower() in HEADERS):
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


def plain_csv_error(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return f"a cell is longer than {csv.field_size_limit():,} characters"
    return "it is not valid CSV"
