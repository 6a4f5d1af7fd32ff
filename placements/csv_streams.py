"""CSV files sent a chunk of rows at a time, with the per-row work kept to a dictionary look-up where it can be.

Exports of thousands of rows (a tutor's list, a host's cohorts) stream: the first bytes leave as soon as the first
chunk is formatted and memory stays flat however many rows there are. Values that repeat down a column (dates,
labels, lists of areas) are formatted once per file and looked up after that: on a 1,000-row export, formatting
the same few dates again on every row cost more than reading the rows.
"""

import csv
import datetime
import json
from collections.abc import Callable, Iterable, Iterator

from django.utils import timezone

from placements.resources import neutralise_formula
from placements.templatetags.wording import day, time_of_day

CHUNK_ROWS = 500
# A column whose values hardly repeat would grow a cache row by row: past this many values, format without one.
MEMO_LIMIT = 4_096


class _Echo:
    """A file that hands back what is written to it, so csv.writer formats one row at a time."""

    def write(self, value):
        return value


def csv_chunks(header: list[str], rows: Iterable[Iterable], chunk_rows: int = CHUNK_ROWS) -> Iterator[str]:
    """The header line, then the rows ``chunk_rows`` at a time, each chunk one string (CSV's own quoting, CRLF)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    lines = []
    for row in rows:
        lines.append(writer.writerow(row))
        if len(lines) == chunk_rows:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def text_cell(value) -> str:
    """Text someone typed (a name, a title): as a string, neutralised if a spreadsheet would run it as a formula."""
    return "" if value is None else neutralise_formula(str(value))


def memoised(format_value: Callable[[object], str], limit: int = MEMO_LIMIT) -> Callable[[object], str]:
    """``format_value`` worked out once per distinct value, for up to ``limit`` values (memory stays flat).

    The cache lives as long as the export: make one per file."""
    cache: dict = {}

    def cached(value) -> str:
        try:
            return cache[value]
        except KeyError:
            formatted = format_value(value)
            if len(cache) < limit:
                cache[value] = formatted
            return formatted

    return cached


def day_cells() -> Callable[[object], str]:
    """``wording.day`` for a column of dates: "4 January 2027", each distinct date formatted once."""
    return memoised(day)


def timestamp_cells() -> Callable[[object], str]:
    """``wording.timestamp`` for a column of moments: "4 January 2027, 8:50am" in the site's time zone.

    The zone is looked up once (``timezone.localtime`` looks it up on every call), and the date and the time of
    day are each formatted once per distinct value."""
    zone = timezone.get_current_timezone()
    days = memoised(day)
    # Keyed on the minute (the words show no seconds): at most 1,440 values.
    times = memoised(lambda hour_minute: time_of_day(datetime.time(*hour_minute)))

    def cell(value) -> str:
        if value is None or value == "":
            return ""
        if not isinstance(value, datetime.datetime):
            return days(value)
        if value.tzinfo is not None:
            value = value.astimezone(zone)
        return f"{days(value.date())}, {times((value.hour, value.minute))}"

    return cell


def labels_cells(labels: dict[str, str], separator: str = "; ") -> Callable[[object], str]:
    """A JSON list of codes (as the database's text, or a list) as its labels, each distinct list worked out once."""

    def label(value) -> str:
        codes = json.loads(value) if isinstance(value, str) else (value or [])
        # An unknown code is shown as it is stored, so it is neutralised like any text.
        return neutralise_formula(separator.join(labels.get(code, code) for code in codes))

    by_text = memoised(label)

    def cell(value) -> str:
        return by_text(value if isinstance(value, str) or value is None else json.dumps(value))

    return cell
