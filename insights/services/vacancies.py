"""Importing vacancy figures from a CSV (docs/insights-vacancy-csv.md): all or nothing, every bad row reported with
its line number, size and row limits, and cells a spreadsheet would run as formulae refused."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from insights.geography import icbs, staff_group_areas, staff_groups
from insights.models import Sector, Vacancy, VacancyUpload
from insights.permissions import ensure_can_upload_vacancies

COLUMNS = ["period", "region", "icb", "organisation_code", "organisation_name", "staff_group", "vacancies_fte"]
REQUIRED = ["period", "icb", "organisation_name", "staff_group", "vacancies_fte"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_FTE = Decimal("100000")
DEFAULT_MAX_ROWS = 20_000
DEFAULT_MAX_BYTES = 2_000_000
MAX_ERRORS_SHOWN = 50

TOO_BIG = "The file is bigger than {limit:,} bytes. Split it into smaller files."
TOO_MANY_ROWS = "The file has more than {limit:,} rows. Split it into smaller files."
NOT_TEXT = "The file must be a CSV saved as UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”."
EMPTY = "The file has no rows of figures."
WRONG_HEADERS = "The first row must be the column headings: {expected}. {problem}"
BAD_SECTOR = "Choose whether the figures are for the NHS or for social care."
PERIOD_FORMATS = ("%Y-%m", "%Y-%m-%d", "%B %Y", "%b %Y", "%b-%y")


def max_rows() -> int:
    return int(getattr(settings, "INSIGHTS_VACANCY_MAX_ROWS", DEFAULT_MAX_ROWS))


def max_bytes() -> int:
    return int(getattr(settings, "INSIGHTS_VACANCY_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass
class ImportResult:
    upload: VacancyUpload
    rows: int
    months: list[date]


class VacancyFileError(ValidationError):
    """The file was refused: ``messages`` lists every problem ("Line 4: ...")."""


def _period(text: str) -> date:
    for period_format in PERIOD_FORMATS:
        try:
            return datetime.strptime(text, period_format).date().replace(day=1)
        except ValueError:
            continue
    raise ValueError(f"the period must be a month like 2026-09 or September 2026, not “{text[:40]}”")


def _fte(text: str) -> Decimal:
    compact = text.replace(",", "")
    if not re.fullmatch(r"\d{1,6}(\.\d{1,2})?", compact):
        raise ValueError(f"vacancies_fte must be a number of 0 or more with at most 2 decimals, not “{text[:40]}”")
    value = Decimal(compact)
    if value > MAX_FTE:
        raise ValueError(f"vacancies_fte must be {MAX_FTE:,} or fewer")
    return value


def vacancies_parse(*, content: bytes, sector: str) -> list[Vacancy]:
    """The file's rows as unsaved ``Vacancy`` objects, or ``VacancyFileError`` listing every problem."""
    if sector not in Sector.values:
        raise VacancyFileError(BAD_SECTOR, code="sector")
    if len(content) > max_bytes():
        raise VacancyFileError(TOO_BIG.format(limit=max_bytes()), code="too_big")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise VacancyFileError(NOT_TEXT, code="not_text") from None
    if "\x00" in text:
        raise VacancyFileError(NOT_TEXT, code="not_text")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise VacancyFileError(f"The file could not be read as CSV: {error}.", code="not_csv") from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise VacancyFileError(EMPTY, code="empty")
    headers = [cell.strip().casefold() for cell in rows[0]]
    missing = [column for column in REQUIRED if column not in headers]
    unknown = [h for h in headers if h not in COLUMNS]
    if missing or unknown or len(set(headers)) != len(headers):
        problem = (
            f"Missing: {', '.join(missing)}."
            if missing
            else f"Not recognised: {', '.join(u[:40] for u in unknown)}."
            if unknown
            else "A heading appears twice."
        )
        raise VacancyFileError(WRONG_HEADERS.format(expected=", ".join(COLUMNS), problem=problem), code="headers")
    if len(rows) - 1 > max_rows():
        raise VacancyFileError(TOO_MANY_ROWS.format(limit=max_rows()), code="too_many_rows")
    if len(rows) == 1:
        raise VacancyFileError(EMPTY, code="empty")
    areas, known_icbs = staff_group_areas(), set(icbs())
    errors, vacancies = [], []
    # Line numbers count the heading as line 1, as a spreadsheet does (blank lines are not counted).
    for line, row in enumerate(rows[1:], start=2):
        cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(headers)}
        problems = []
        if len(row) > len(headers):
            problems.append("it has more cells than headings")
        formula = [h for h, v in cells.items() if v.startswith(FORMULA_STARTS)]
        if formula:
            problems.append(f"{', '.join(formula)} starts like a spreadsheet formula (=, +, -, @)")
        for column in REQUIRED:
            if not cells.get(column):
                problems.append(f"{column} is empty")
        too_long = [h for h, v in cells.items() if len(v) > 200]
        if too_long:
            problems.append(f"{', '.join(too_long)} is longer than 200 characters")
        period = fte = None
        if cells.get("period") and "period" not in formula:
            try:
                period = _period(cells["period"])
            except ValueError as error:
                problems.append(str(error))
        if cells.get("vacancies_fte") and "vacancies_fte" not in formula:
            try:
                fte = _fte(cells["vacancies_fte"])
            except (ValueError, InvalidOperation) as error:
                problems.append(str(error))
        group = cells.get("staff_group", "")
        if group and group.casefold() not in areas and "staff_group" not in formula:
            problems.append(f"staff group “{group[:60]}” is not one we know; use one of: {', '.join(staff_groups())}")
        icb = cells.get("icb", "")
        if icb and icb not in known_icbs and "icb" not in formula:
            problems.append(f"ICB “{icb[:60]}” is not one of London's five: {', '.join(sorted(known_icbs))}")
        if problems:
            errors.append(f"Line {line}: {'; '.join(problems)}.")
            continue
        vacancies.append(
            Vacancy(
                sector=sector,
                period=period,
                region=cells.get("region", ""),
                icb=icb,
                organisation_code=cells.get("organisation_code", "")[:20],
                organisation_name=cells["organisation_name"],
                staff_group=group,
                profession_area=areas[group.casefold()],
                vacancies_fte=fte,
            )
        )
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(f"…and {len(errors) - MAX_ERRORS_SHOWN} more lines with problems.")
        raise VacancyFileError(shown, code="bad_rows")
    return vacancies


def vacancies_import(*, actor, content: bytes, sector: str, filename: str = "") -> ImportResult:
    """Import a whole file or nothing. Its rows replace earlier figures of the same sector for the months it has,
    so uploading a corrected file twice leaves one set of figures."""
    ensure_can_upload_vacancies(actor)
    vacancies = vacancies_parse(content=content, sector=sector)
    months = sorted({v.period for v in vacancies})
    with transaction.atomic():
        Vacancy.objects.filter(sector=sector, period__in=months).delete()
        upload = VacancyUpload.objects.create(
            sector=sector, uploaded_by=actor, filename=filename[:200], rows=len(vacancies)
        )
        for vacancy in vacancies:
            vacancy.upload = upload
        Vacancy.objects.bulk_create(vacancies, batch_size=1000)
    return ImportResult(upload=upload, rows=len(vacancies), months=months)
