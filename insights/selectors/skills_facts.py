"""Reads for the snapshot job's digital-skills theme: plain facts, never a name or an answer.

Five queries whatever the number of people: the current framework, its domains and its levels, then every submitted
staff assessment (its cached ``levels``, never the responses) and every sent student check, each streamed in
completion order. A student's answers become levels here, by ``skills.student_check`` (the one mapping, ADR 0018);
applications are read read-only, as ``insights/selectors/facts.py`` reads them, because the figures need the date
each check was sent and placements' ``digital_skills_answers`` keeps only each student's latest.
"""

from __future__ import annotations

import heapq

from django.utils import timezone

from insights.skills_figures import STUDENT, ResultFact, levels_in_order
from placements.models import Application
from skills.models import Assessment, Domain, Level
from skills.selectors import current_framework
from skills.student_check import SHORT_FORM, student_levels
from training.selectors.after import LONDON

CHUNK = 2000
QUESTIONS = tuple(question.key for question in SHORT_FORM)


def framework_labels() -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    """(domain key, title) and (level number, name) of the newest framework version (keys are stable across
    versions, so older sittings count under the same domains)."""
    version = current_framework()
    if version is None:
        return [], []
    domains = list(Domain.objects.filter(framework_version=version).order_by("position").values_list("key", "title"))
    levels = list(Level.objects.filter(framework_version=version).order_by("number").values_list("number", "name"))
    return domains, levels


def staff_results(keys):
    rows = (
        Assessment.objects.filter(submitted_at__isnull=False)
        .order_by("submitted_at", "pk")
        .values_list("person_id", "submitted_at", "person__organisation__kind", "staff_group", "levels")
        .iterator(chunk_size=CHUNK)
    )
    for person_id, submitted_at, kind, staff_group, levels in rows:
        yield ResultFact(
            person_id,
            timezone.localtime(submitted_at, LONDON).date(),
            kind or "",
            staff_group,
            levels_in_order(levels if isinstance(levels, dict) else {}, keys),
        )


def student_results(keys):
    rows = (
        Application.objects.exclude(digital_skills={})
        .exclude(submitted_at=None)
        .order_by("submitted_at", "pk")
        .values_list("student_id", "submitted_at", "digital_skills")
        .iterator(chunk_size=CHUNK)
    )
    # Five questions of three answers: a few hundred distinct answer sets among 100,000 students, scored once each.
    scored: dict[tuple, tuple] = {}
    for student_id, submitted_at, answers in rows:
        answers = answers if isinstance(answers, dict) else {}
        # Only the five answers count, and only as text (a stray value in the JSON is "not answered").
        asked = tuple(value if isinstance(value, str) else None for value in map(answers.get, QUESTIONS))
        if asked not in scored:
            scored[asked] = levels_in_order(student_levels(dict(zip(QUESTIONS, asked, strict=True))), keys)
        yield ResultFact(student_id, timezone.localtime(submitted_at, LONDON).date(), STUDENT, "", scored[asked])


def _by_completion(*streams):
    """The streams merged in completion order (each is ordered already), so the latest result of a person wins."""
    return heapq.merge(*streams, key=lambda fact: fact.completed_on)


def skills_facts() -> dict:
    domains, levels = framework_labels()
    keys = [key for key, _ in domains]
    results = _by_completion(staff_results(keys), student_results(keys))
    return {"domains": domains, "level_names": levels, "results": results}
