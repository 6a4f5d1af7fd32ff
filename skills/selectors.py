"""Reads for skills: a person's assessments, their results, and the simulation sessions that help.

Upcoming sessions are read from training.models here, read-only, because training has no catalogue selector
yet (training/selectors/catalogue.py does not exist at the time of writing); move the query there when it does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from skills import scoring
from skills.models import Assessment, Domain, FrameworkVersion, Level, Resource, Response, Statement
from skills.permissions import can_assess_self

SESSIONS_PER_DOMAIN = 3


def current_framework() -> FrameworkVersion | None:
    return FrameworkVersion.objects.order_by("-version").first()


def assessments_visible_to(user) -> QuerySet[Assessment]:
    if not can_assess_self(user):
        return Assessment.objects.none()
    return Assessment.objects.filter(person=user).select_related("framework_version")


def open_assessment_for(user) -> Assessment | None:
    return assessments_visible_to(user).filter(submitted_at__isnull=True).first()


def domains_of(version: FrameworkVersion) -> list[Domain]:
    return list(
        Domain.objects.filter(framework_version=version).prefetch_related(
            Prefetch("statements", queryset=Statement.objects.order_by("position")),
            Prefetch("resources", queryset=Resource.objects.order_by("level", "position")),
        )
    )


def answers_of(assessment: Assessment) -> dict[int, str]:
    """statement id -> answer."""
    return dict(Response.objects.filter(assessment=assessment).values_list("statement_id", "answer"))


@dataclass
class DomainResult:
    domain: Domain
    level: int
    level_name: str
    meaning: str
    strengths: list[Statement] = field(default_factory=list)
    gaps: list[Statement] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    sessions: list = field(default_factory=list)
    previous_level: int | None = None

    @property
    def is_priority(self) -> bool:
        return self.level < 2


STARTING_OUT = ("Starting out", "You are at the start: the learning plan shows where to begin.")


def result_of(assessment: Assessment, *, previous: Assessment | None = None, sessions=True) -> list[DomainResult]:
    """Per domain of the version the assessment answered: level, meaning, strengths, gaps and what helps next."""
    version = assessment.framework_version
    levels = {level.number: level for level in Level.objects.filter(framework_version=version)}
    answers = answers_of(assessment)
    previous_levels = levels_by_key(previous) if previous else {}
    results = []
    for domain in domains_of(version):
        statements = list(domain.statements.all())
        scored = [scoring.StatementAnswer(str(s.pk), s.level, answers.get(s.pk)) for s in statements]
        level = scoring.domain_level(scored)
        by_pk = {str(s.pk): s for s in statements}
        named = levels.get(level)
        next_level = min(level + 1, scoring.TOP_LEVEL)
        results.append(
            DomainResult(
                domain=domain,
                level=level,
                level_name=named.name if named else STARTING_OUT[0],
                meaning=named.meaning if named else STARTING_OUT[1],
                strengths=[by_pk[a.key] for a in scoring.strengths(scored)],
                gaps=[by_pk[a.key] for a in scoring.gaps(scored, level)],
                resources=[r for r in domain.resources.all() if r.level == next_level] if level < 4 else [],
                previous_level=previous_levels.get(domain.key),
            )
        )
    if sessions:
        _attach_sessions(assessment.person, results)
    return results


def levels_by_key(assessment: Assessment) -> dict[str, int]:
    """domain key -> level, for showing an earlier sitting beside a later one (even of another version)."""
    answers = answers_of(assessment)
    return {
        domain.key: scoring.domain_level(
            scoring.StatementAnswer(str(s.pk), s.level, answers.get(s.pk)) for s in domain.statements.all()
        )
        for domain in domains_of(assessment.framework_version)
    }


def previous_submitted(assessment: Assessment) -> Assessment | None:
    return (
        Assessment.objects.filter(
            person_id=assessment.person_id, submitted_at__isnull=False, submitted_at__lt=assessment.submitted_at
        )
        .order_by("-submitted_at")
        .first()
        if assessment.submitted_at
        else None
    )


def _attach_sessions(person, results: list[DomainResult]) -> None:
    """Upcoming, bookable simulation sessions whose catalogue topic is one of the domain's topics (one query)."""
    from training.models import Audience, Session, SessionStatus

    topics = {topic for result in results if result.level < 4 for topic in result.domain.topics}
    if not topics:
        return
    now = timezone.now()
    upcoming = list(
        Session.objects.filter(
            status=SessionStatus.SCHEDULED, starts_at__gt=now, booking_cutoff__gt=now, entry__topic__in=topics
        )
        .select_related("entry", "room__suite__college")
        .order_by("starts_at")[:50]
    )
    # Sessions open to staff: any audience but students only (JSON "contains" does not work on SQLite).
    staff_sessions = [s for s in upcoming if set(s.entry.audiences) - {Audience.STUDENTS} and s.seats_left > 0]
    for result in results:
        if result.level < 4:
            result.sessions = [s for s in staff_sessions if s.entry.topic in result.domain.topics][:SESSIONS_PER_DOMAIN]


def record_of(user) -> list[dict]:
    """Everything we hold about the person's assessments, for "Download my record"."""
    record = []
    for assessment in assessments_visible_to(user).order_by("started_at", "pk"):
        answers = answers_of(assessment)
        domains = domains_of(assessment.framework_version)
        record.append(
            {
                "framework_version": assessment.framework_version.version,
                "started_at": assessment.started_at,
                "submitted_at": assessment.submitted_at,
                "shared_with_employer": assessment.shared_with_employer,
                "domains": [
                    {
                        "domain": domain.title,
                        "level": scoring.domain_level(
                            scoring.StatementAnswer(str(s.pk), s.level, answers.get(s.pk))
                            for s in domain.statements.all()
                        ),
                        "answers": [
                            {"statement": s.text, "level": s.level, "answer": answers.get(s.pk)}
                            for s in domain.statements.all()
                        ],
                    }
                    for domain in domains
                ],
            }
        )
    return record
