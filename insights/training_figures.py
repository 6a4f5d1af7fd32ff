"""From simulation-training facts (sessions, seats, attendance; no people) to the counts a snapshot stores. Pure
Python: no database here.

A session counts in the London month and academic year it starts in (rounds do not apply to training). Sessions and
seats are not people: the pages show them as they are, as they show vacancies. Attendances are people: the pages
suppress them (disclosure/suppression.py). Utilisation is room-hours booked over room-hours available, as the
colleges' own utilisation report defines it (``training.selectors.after``): hours available are each room's weekly
hours spread over the days of the months of the period, hours booked the real elapsed time of every session not
cancelled.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cache
from typing import NamedTuple

from insights.figures import Period, ordered_periods, periods_of
from insights.geography import NO_BOROUGH, icb_for
from training.models.choices import Audience, SessionStatus, Topic
from training.selectors.after import add_months, hours_available

# The breakdowns every table of the theme has; rooms belong to colleges, so only the first three have room-hours.
DIMENSIONS = ("college", "borough", "icb", "audience", "topic")
ROOM_DIMENSIONS = ("college", "borough", "icb")
# Who was trained: disjoint columns of the people table.
NHS, CARE, STUDENT = 0, 1, 2
KIND_COLUMN = {"nhs_trust": NHS, "care_provider": CARE}
# sessions[period][dimension][label] = [run or scheduled, cancelled, seats offered, seats filled, seconds booked]
RUN, CANCELLED, SEATS_OFFERED, SEATS_FILLED, SECONDS_BOOKED = range(5)
NO_AUDIENCE = "No audience given"


class SessionFact(NamedTuple):
    """One dated session: when (London date), its state, its seats, how long it lasted, whose suite."""

    session_id: int
    start: date
    status: str
    seats: int
    seats_taken: int
    seconds: float
    college_id: int
    audiences: tuple[str, ...]
    topic: str
    cpd_hours: float


class RoomFact(NamedTuple):
    college_id: int
    hours_available_per_week: int


class AttendanceFact(NamedTuple):
    """One person marked as attended a session: only the session and the kind of their employer (none: a
    student, who takes a seat first-come, not in an employer's booking)."""

    session_id: int
    employer_kind: str | None


@cache
def _audience_names() -> dict[str, str]:
    return dict(Audience.choices)


@cache
def audience_label(audiences: tuple[str, ...]) -> str:
    """The audiences a session is open to, as one label (so each session, and each person in it, is in one row)."""
    names, chosen = _audience_names(), set(audiences)
    return ", ".join(names[value] for value in names if value in chosen) or NO_AUDIENCE


@cache
def topic_label(topic: str) -> str:
    return dict(Topic.choices).get(topic, "Topic not given")


@cache
def _college_labels(name: str, borough: str) -> dict[str, str]:
    borough = borough or NO_BOROUGH
    return {"college": name, "borough": borough, "icb": icb_for(borough)}


def _labels(college: tuple[str, str], fact: SessionFact | None = None) -> dict[str, str]:
    labels = _college_labels(*college)
    if fact is not None:
        labels = labels | {"audience": audience_label(tuple(fact.audiences)), "topic": topic_label(fact.topic)}
    return labels


def _months(period: Period) -> list[date]:
    months, month = [], period.start
    while month <= period.end:
        months.append(month)
        month = add_months(month, 1)
    return months


def training_document(
    *, sessions, rooms, colleges: dict[int, tuple[str, str]], attendances
) -> tuple[list[Period], dict]:
    """The periods and the training document.

    ``sessions``: SessionFacts; ``rooms``: RoomFacts; ``colleges``: id -> (name, borough) of every college with a
    suite; ``attendances``: AttendanceFacts (read once, so they may be a stream).
    """
    periods: dict[str, Period] = {}
    periods_on: dict[date, list[Period]] = {}
    session_counts: dict = defaultdict(lambda: defaultdict(dict))
    # What the people trained at a session count under: its periods, labels and CPD hours.
    held: dict[int, tuple[list[str], dict[str, str], float]] = {}
    for fact in sessions:
        labels = _labels(colleges.get(fact.college_id, ("College not known", "")), fact)
        if fact.start not in periods_on:
            periods_on[fact.start] = periods_of(fact.start)
        keys = []
        for period in periods_on[fact.start]:
            periods[period.key] = period
            keys.append(period.key)
            for dimension, label in labels.items():
                row = session_counts[period.key][dimension].setdefault(label, [0, 0, 0, 0, 0.0])
                if fact.status == SessionStatus.CANCELLED:
                    row[CANCELLED] += 1
                    continue
                row[RUN] += 1
                row[SEATS_OFFERED] += fact.seats
                row[SEATS_FILLED] += fact.seats_taken
                row[SECONDS_BOOKED] += fact.seconds
        if fact.status != SessionStatus.CANCELLED:
            held[fact.session_id] = (keys, labels, fact.cpd_hours)
    # People per session first (tens of thousands of attendances, a few thousand sessions), then per row.
    per_session: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for attendance in attendances:
        column = STUDENT if attendance.employer_kind is None else KIND_COLUMN.get(attendance.employer_kind)
        # A cancelled session trained nobody; an employer that is not an NHS trust or care provider books nothing.
        if column is not None and attendance.session_id in held:
            per_session[attendance.session_id][column] += 1
    people: dict = defaultdict(lambda: defaultdict(dict))
    cpd: dict = defaultdict(lambda: defaultdict(dict))
    for session_id, counts in per_session.items():
        keys, labels, cpd_hours = held[session_id]
        hours = sum(counts) * cpd_hours
        for key in keys:
            for dimension, label in labels.items():
                row = people[key][dimension].setdefault(label, [0, 0, 0])
                for column, count in enumerate(counts):
                    row[column] += count
                cpd[key][dimension][label] = cpd[key][dimension].get(label, 0.0) + hours
    # Every college with a suite is a row in every period, even one that ran nothing: an idle suite is a finding.
    available = _room_hours(periods.values(), rooms, colleges)
    for key in periods:
        for college in colleges.values():
            for dimension, label in _labels(college).items():
                session_counts[key][dimension].setdefault(label, [0, 0, 0, 0, 0.0])
    document = {
        "sessions": _plain(session_counts),
        "room_hours": available,
        "people": _plain(people),
        "cpd_hours": {
            k: {d: {lb: round(h, 2) for lb, h in rows.items()} for d, rows in v.items()} for k, v in cpd.items()
        },
    }
    return ordered_periods(periods.values()), document


def _room_hours(periods, rooms, colleges) -> dict:
    """room_hours[period][dimension][label] = hours available in the period (rooms of the colleges in that row)."""
    weekly_by_college: dict[int, list[RoomFact]] = defaultdict(list)
    for room in rooms:
        weekly_by_college[room.college_id].append(room)
    out: dict = {}
    for period in periods:
        months = _months(period)
        by_dimension: dict = {dimension: {} for dimension in ROOM_DIMENSIONS}
        for college_id, college_rooms in weekly_by_college.items():
            hours = sum(hours_available(room, month) for room in college_rooms for month in months)
            for dimension, label in _labels(colleges.get(college_id, ("College not known", ""))).items():
                by_dimension[dimension][label] = by_dimension[dimension].get(label, 0) + hours
        out[period.key] = by_dimension
    return out


def _plain(nested) -> dict:
    """Nested defaultdicts as plain dicts, for the JSON document."""
    return {k: _plain(v) if isinstance(v, dict) else v for k, v in nested.items()}
