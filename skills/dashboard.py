"""The employer's digital skills dashboard: reads and figures for one organisation, never a person's answers.

Every count of people goes through ``disclosure.suppression`` (ADR 0017). Levels come from the per-domain cache
``Assessment.levels`` (written on submit), so with 50,000 responses the page still reads only assessments.
For each period a person counts once, with their latest sitting submitted in it.

How the tables fit together (ADR 0017, amended): for each domain there is ONE call of ``suppress_table`` per
breakdown (staff group, team), rows = groups, columns = levels 0 to 4; the "All staff" line is that call's
column totals, and the per-domain summary is read from the staff-group call. Groups of fewer than 5 people are
combined into one row, and in any line whose total reads "fewer than 5" a 0 reads "fewer than 5" too, so a
small group is never shown to sit wholly at one level. Shares at level 2 or above are worked out only from
figures that are shown.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.db.models.functions import Lower, TruncQuarter
from django.utils import timezone

from accounts.models import Invitation, Role
from disclosure.suppression import (
    FEWER_THAN_5,
    PRIMARY,
    Figure,
    SuppressedTable,
    suppress_breakdown,
    suppress_count,
    suppress_table,
)
from skills.models import Assessment, Domain, Level, StaffGroup
from skills.selectors import current_framework

LONDON = ZoneInfo("Europe/London")
LEVELS = (0, 1, 2, 3, 4)
GOOD_LEVEL = 2  # "level 2 or above": the basic level of understanding every member of staff needs
SMALL_GROUP = 5
OTHER_GROUPS = "Smaller groups combined"
OTHER_TEAMS = "Smaller teams combined"
NO_TEAM = "Team not given"
SHARED_LIMIT = 500
SESSIONS_PER_DOMAIN = 3
GAP_DOMAINS = 3
PERIOD_PATTERN = re.compile(r"^(\d{4})-Q([1-4])$")
MASKED_ZERO = Figure(None, PRIMARY)


# --- Periods: calendar quarters of submitted_at, in London time.


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1 to 4

    @classmethod
    def parse(cls, text: str | None) -> Quarter | None:
        match = PERIOD_PATTERN.match(text or "")
        if not match or not 2000 <= int(match[1]) <= 2100:
            return None
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, moment: date) -> Quarter:
        return cls(moment.year, (moment.month - 1) // 3 + 1)

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        first = date(self.year, 3 * self.number - 2, 1)
        last = date(self.year, 3 * self.number, 1)
        return f"{first:%B} to {last:%B} {self.year}"

    @property
    def start(self) -> datetime:
        return datetime(self.year, 3 * self.number - 2, 1, tzinfo=LONDON)

    @property
    def end(self) -> datetime:
        return self.following.start

    @property
    def following(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    @property
    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)


def quarters_with_data(organisation) -> list[Quarter]:
    """Newest first (one query)."""
    moments = (
        Assessment.objects.filter(person__organisation=organisation, submitted_at__isnull=False)
        .annotate(quarter=TruncQuarter("submitted_at", tzinfo=LONDON))
        .values_list("quarter", flat=True)
        .order_by()  # without it the model's ordering joins the DISTINCT: one row per sitting, not per quarter
        .distinct()
    )
    return sorted({Quarter.of(timezone.localtime(moment, LONDON)) for moment in moments if moment}, reverse=True)


# --- Figures as the page shows them.


@dataclass
class Cell:
    figure: Figure

    @property
    def text(self) -> str:
        return self.figure.text

    @property
    def percent(self) -> str:
        return f"{self.figure.percent:.0f}%" if self.figure.percent is not None else ""


@dataclass
class Row:
    label: str
    cells: list[Cell]
    total: Cell
    share_good: float | None = None  # share at level 2 or above, from shown figures only


@dataclass
class DomainTable:
    domain: Domain
    rows: list[Row]
    all_staff: Row


@dataclass
class DomainSummary:
    domain: Domain
    all_staff: Row
    share_now: float | None
    share_before: float | None
    people_before: str = ""
    sessions: list = field(default_factory=list)
    weakest_groups: list[str] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        if self.share_now is None or self.share_before is None:
            return None
        return round(self.share_now - self.share_before)


def share_good(parts: list[Figure], total: Figure) -> float | None:
    """Percentage at level 2 or above, worked out only from shown figures (never a hidden one)."""
    if not total.shown or not total.count:
        return None
    good = parts[GOOD_LEVEL:]
    if all(f.shown for f in good):
        count = sum(f.count for f in good)
    elif all(f.shown for f in parts[:GOOD_LEVEL]):
        count = total.count - sum(f.count for f in parts[:GOOD_LEVEL])
    else:
        return None
    if 0 < count < SMALL_GROUP or 0 < total.count - count < SMALL_GROUP:
        return None  # would say that fewer than 5 people are (or are not) at level 2: keep to "fewer than 5"
    return round(100 * count / total.count, 0)


def _masked(parts: tuple[Figure, ...], total: Figure) -> list[Figure]:
    """A line whose total reads "fewer than 5" shows no 0: that would say where its few people are."""
    if total.hidden == PRIMARY:
        return [MASKED_ZERO if f.shown and f.count == 0 else f for f in parts]
    return list(parts)


def _row(label: str, parts, total: Figure) -> Row:
    """A line of a table; a percentage (of the line's total) only where the figure and the total are shown."""
    parts = [
        Figure(
            f.count,
            f.hidden,
            round(100 * f.count / total.count, 1) if f.shown and total.shown and total.count else None,
        )
        for f in _masked(tuple(parts), total)
    ]
    return Row(label, [Cell(f) for f in parts], Cell(total), share_good(parts, total))


def _level_counts(levels_list: list[dict], key: str) -> list[int]:
    counts = [0] * len(LEVELS)
    for levels in levels_list:
        level = levels.get(key)
        if isinstance(level, int) and 0 <= level <= 4:
            counts[level] += 1
    return counts


def _grouped(sittings: list[dict], group_of, small_label: str) -> list[tuple[str, list[dict]]]:
    """(label, sittings) per group, largest first; groups of fewer than 5 people combined into one row."""
    groups: dict[str, list[dict]] = {}
    for sitting in sittings:
        groups.setdefault(group_of(sitting), []).append(sitting)
    big = sorted(((k, v) for k, v in groups.items() if len(v) >= SMALL_GROUP), key=lambda kv: (-len(kv[1]), kv[0]))
    small = [s for k, v in sorted(groups.items()) if len(v) < SMALL_GROUP for s in v]
    return big + ([(small_label, small)] if small else [])


@lru_cache(maxsize=1024)
def _suppressed(counts: tuple[tuple[int, ...], ...]) -> SuppressedTable:
    """``suppress_table`` remembered per worker: it is a pure function of the counts (the same counts always give
    the same figures), and each request for a dashboard suppresses the same 12 tables again; with 40 teams that was
    most of the page's time (issue 15). Nothing is stale: different counts are a different key. The result is
    immutable (frozen dataclasses of tuples), so sharing it between requests is safe."""
    return suppress_table(counts)


def breakdown_table(domain: Domain, groups: list[tuple[str, list[dict]]]) -> DomainTable:
    counts = [_level_counts([s["levels"] for s in members], domain.key) for _, members in groups]
    if not counts:
        counts = [[0] * len(LEVELS)]
        groups = [("", [])]
    table = _suppressed(tuple(tuple(row) for row in counts))
    rows = [_row(label, table.cells[i], table.row_totals[i]) for i, (label, _) in enumerate(groups)]
    return DomainTable(domain, rows, _row("All staff", table.column_totals, table.grand_total))


def _align(one: DomainTable, other: DomainTable) -> None:
    """Both breakdowns of a domain share their "All staff" line: a figure hidden in either is hidden in both.

    Hiding more never makes a hidden figure easier to work out; showing in one table what the other hid would.
    """
    figures = []
    lines = ([*one.all_staff.cells, one.all_staff.total], [*other.all_staff.cells, other.all_staff.total])
    for a, b in zip(*lines, strict=True):
        figures.append(b.figure if a.figure.shown and not b.figure.shown else a.figure)
    for table in (one, other):
        table.all_staff = _row("All staff", figures[:-1], figures[-1])


# --- The whole page.


@dataclass
class Dashboard:
    organisation: object
    quarters: list[Quarter]
    period: Quarter | None
    previous: Quarter | None
    invited: Figure
    started: Figure
    completed: Figure
    completion_rate: str
    levels: list
    summaries: list[DomainSummary]
    by_group: list[DomainTable]
    by_team: list[DomainTable]
    shared: list[dict]
    gaps: list[DomainSummary]

    @property
    def level_headings(self) -> list[tuple[int, str]]:
        names = {level.number: level.name for level in self.levels}
        return [(number, names.get(number, "Starting out")) for number in LEVELS]

    @property
    def has_previous(self) -> bool:
        return any(s.people_before != "0" for s in self.summaries)

    @property
    def good_domains(self) -> int:
        return sum(1 for s in self.summaries if s.share_now is not None and s.share_now > 50)

    @property
    def known_domains(self) -> int:
        return sum(1 for s in self.summaries if s.share_now is not None)


def _latest_per_person(sittings: list[dict], start: datetime, end: datetime) -> list[dict]:
    latest: dict[int, dict] = {}
    for sitting in sittings:  # ordered by submitted_at
        if start <= sitting["submitted_at"] < end:
            latest[sitting["person_id"]] = sitting
    return list(latest.values())


def dashboard_for(organisation, *, period: Quarter | None = None) -> Dashboard:
    """Everything the employer's page shows for ``period`` (default: the latest quarter with data)."""
    quarters = quarters_with_data(organisation)
    if period is None and quarters:
        period = quarters[0]
    previous = period.previous if period else None
    version = current_framework()
    domains = list(Domain.objects.filter(framework_version=version)) if version else []
    levels = list(Level.objects.filter(framework_version=version)) if version else []

    sittings: list[dict] = []
    if period:
        sittings = list(
            Assessment.objects.filter(
                person__organisation=organisation,
                submitted_at__gte=previous.start,
                submitted_at__lt=period.end,
            )
            .order_by("submitted_at", "pk")
            .values("person_id", "submitted_at", "staff_group", "department", "department_key", "levels")
        )
    now = _latest_per_person(sittings, period.start, period.end) if period else []
    before = _latest_per_person(sittings, previous.start, previous.end) if previous else []

    invited_count = (
        Invitation.objects.filter(organisation=organisation, role=Role.STAFF, revoked_at__isnull=True)
        .annotate(address=Lower("email"))
        .values("address")
        .distinct()
        .count()
    )
    started_count = Assessment.objects.filter(person__organisation=organisation, person__role=Role.STAFF).aggregate(
        people=Count("person", distinct=True)
    )["people"]
    invited, started, completed = suppress_count(invited_count), suppress_count(started_count), suppress_count(len(now))
    completion_rate = ""
    if invited.shown and completed.shown and invited_count and len(now) <= invited_count:
        completion_rate = f"{100 * len(now) / invited_count:.0f}%"

    group_names = dict(StaffGroup.choices)
    by_group_groups = _grouped(now, lambda s: group_names.get(s["staff_group"], "Staff group not given"), OTHER_GROUPS)
    spellings: dict[str, Counter] = {}
    for sitting in now:  # the spelling most people used names the team
        spellings.setdefault(sitting["department_key"], Counter())[sitting["department"].strip() or NO_TEAM] += 1
    team_names = {key: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for key, c in spellings.items()}
    by_team_groups = _grouped(now, lambda s: team_names.get(s["department_key"], NO_TEAM), OTHER_TEAMS)
    by_group = [breakdown_table(domain, by_group_groups) for domain in domains]
    by_team = [breakdown_table(domain, by_team_groups) for domain in domains]
    for group_table, team_table in zip(by_group, by_team, strict=True):
        _align(group_table, team_table)

    summaries = []
    for domain, table in zip(domains, by_group, strict=True):
        earlier = suppress_breakdown(_level_counts([s["levels"] for s in before], domain.key))
        summary = DomainSummary(
            domain=domain,
            all_staff=table.all_staff,
            share_now=table.all_staff.share_good,
            share_before=share_good(list(earlier.parts), earlier.total),
            people_before=earlier.total.text,
        )
        ranked = sorted(
            (row for row in table.rows if row.share_good is not None and row.label != OTHER_GROUPS),
            key=lambda row: row.share_good,
        )
        summary.weakest_groups = [row.label for row in ranked[:2] if row.share_good < 100]
        summaries.append(summary)

    gaps = sorted((s for s in summaries if s.share_now is not None and s.share_now < 100), key=lambda s: s.share_now)[
        :GAP_DOMAINS
    ]
    _attach_sessions(gaps)
    return Dashboard(
        organisation=organisation,
        quarters=quarters,
        period=period,
        previous=previous,
        invited=invited,
        started=started,
        completed=completed,
        completion_rate=completion_rate,
        levels=levels,
        summaries=summaries,
        by_group=by_group,
        by_team=by_team,
        shared=shared_with(organisation, domains),
        gaps=gaps,
    )


def shared_with(organisation, domains: list[Domain]) -> list[dict]:
    """People who chose to share a result: their latest shared sitting, name and levels (one query)."""
    # Plain values, not an assessment and a whole user per row: up to 500 rows on every request (issue 15).
    rows = (
        Assessment.objects.filter(
            person__organisation=organisation, shared_with_employer=True, submitted_at__isnull=False
        )
        .order_by("-submitted_at", "-pk")
        .values_list("person_id", "person__first_name", "person__last_name", "person__email", "submitted_at", "levels")[
            :SHARED_LIMIT
        ]
    )
    people: dict[int, dict] = {}
    for person_id, first_name, last_name, email, submitted_at, levels in rows:
        if person_id in people:
            continue
        people[person_id] = {
            "name": f"{first_name} {last_name}".strip() or email,  # as User.get_full_name writes it
            "submitted_at": submitted_at,
            "levels": [levels.get(domain.key) for domain in domains],
        }
    return sorted(people.values(), key=lambda p: p["name"].casefold())


def _attach_sessions(summaries: list[DomainSummary]) -> None:
    """Upcoming simulation sessions open to staff whose catalogue topic is one of the domain's topics (one query)."""
    from training.models import Audience, Session, SessionStatus

    topics = {topic for summary in summaries for topic in summary.domain.topics}
    if not topics:
        return
    now = timezone.now()
    upcoming = (
        Session.objects.filter(
            status=SessionStatus.SCHEDULED, starts_at__gt=now, booking_cutoff__gt=now, entry__topic__in=topics
        )
        .select_related("entry", "room__suite__college")
        .order_by("starts_at")[:50]
    )
    for_staff = [s for s in upcoming if set(s.entry.audiences) - {Audience.STUDENTS} and s.seats_left > 0]
    for summary in summaries:
        summary.sessions = [s for s in for_staff if s.entry.topic in summary.domain.topics][:SESSIONS_PER_DOMAIN]


__all__ = ["FEWER_THAN_5", "Dashboard", "Quarter", "dashboard_for"]
