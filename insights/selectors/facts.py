"""Reads for the snapshot job: plain facts from placements' rows, never a name, an id of a person or free text.

Live applications and anonymised ones are turned into the same ``ApplicationFact`` by the same rules
(placements/services/personal_data._anonymised), so an erasure between two snapshots changes no past figure.
Placements has no selector that says this, so the models are read here, read-only (ADR 0019).
"""

from collections import defaultdict

from django.db.models import Min

from accounts.models import Organisation, OrganisationKind
from insights.figures import ApplicationFact, PlaceFact, periods_of
from insights.models import Vacancy
from placements.models import AgeBand, AnonymisedApplication, Application, Cohort, Placement, Round, StatusChange
from placements.models.applications import Answer, WideningParticipation

BATCH = 2_000
WP_FIELDS = WideningParticipation.FIELDS


def rounds() -> list[dict]:
    rows = Round.objects.order_by("placements_from", "pk")
    return list(rows.values("id", "name", "placements_from", "placements_to"))


def colleges() -> dict[int, tuple[str, str]]:
    return {
        pk: (name, borough)
        for pk, name, borough in Organisation.objects.filter(kind=OrganisationKind.COLLEGE).values_list(
            "pk", "name", "borough"
        )
    }


def _age(date_of_birth, day) -> int | None:
    if not date_of_birth:
        return None
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def _first(areas) -> str:
    return areas[0] if isinstance(areas, list) and areas and isinstance(areas[0], str) else ""


def application_facts(starts: dict[int, object]):
    """Every application, live or anonymised, as a fact. ``starts``: round id -> the round's first placement day."""
    wp = [f"widening_participation__{name}" for name in WP_FIELDS]
    live = Application.objects.order_by("pk").values_list(
        "pk", "round_id", "status", "submitted_at", "college_id", "profession_areas", "date_of_birth", *wp
    )
    last = 0
    while True:
        batch = list(live.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        for _pk, round_id, status, submitted_at, college_id, areas, born, *answers in batch:
            # No WideningParticipation row reads as None: not answered, as anonymisation keeps it.
            answers = tuple(answer or "" for answer in answers)
            yield ApplicationFact(
                round_id=round_id,
                status=status,
                submitted=submitted_at is not None,
                college_id=college_id,
                first_area=_first(areas),
                age_band=AgeBand.for_age(_age(born, starts[round_id])) if round_id in starts else "",
                wp_tier=sum(a == Answer.YES for a in answers) if any(answers) else None,
                wp_answers=answers,
            )
        last = batch[-1][0]
    anonymised = AnonymisedApplication.objects.order_by("pk").values_list(
        "pk",
        "round_id",
        "final_status",
        "submitted",
        "college_id",
        "profession_areas",
        "age_band",
        "wp_tier",
        *AnonymisedApplication.WP_ANSWER_FIELDS,
    )
    last = 0
    while True:
        batch = list(anonymised.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        for _pk, round_id, status, submitted, college_id, areas, age_band, tier, *answers in batch:
            yield ApplicationFact(
                round_id, status, submitted, college_id, _first(areas), age_band, tier, wp_answers=tuple(answers)
            )
        last = batch[-1][0]


def place_facts():
    rows = Cohort.objects.values_list(
        "start_date",
        "capacity",
        "booked",
        "opportunity__profession_area",
        "opportunity__site__borough",
        "opportunity__organisation__kind",
        "opportunity__organisation_id",
    )
    kinds = dict(OrganisationKind.choices)
    for start, capacity, booked, area, borough, kind, host_id in rows.iterator(chunk_size=BATCH):
        yield PlaceFact(start, capacity, booked, area, borough or "", kinds.get(kind, kind), host_id)


def timings(round_list: list[dict]) -> dict[str, dict[str, list[float]]]:
    """Days from submission to outcome (the first offer or "not placed") and hosts' days to decide a match, per
    period, in whole London days (``AnonymisedApplication.days_between``). Live rows are timed from their
    timeline and placements; anonymised ones from the days anonymisation kept by the same rule, so an erasure
    moves neither median (ADR 0019)."""
    keys = {r["id"]: [f"round:{r['id']}", *(p.key for p in periods_of(r["placements_from"]))] for r in round_list}
    series: dict[str, dict[str, list[float]]] = defaultdict(lambda: {"days_to_outcome": [], "host_days_to_decide": []})
    days_between = AnonymisedApplication.days_between
    outcomes = (
        StatusChange.objects.filter(
            to_status__in=AnonymisedApplication.OUTCOME_STATUSES, application__submitted_at__isnull=False
        )
        .values("application_id", "application__round_id", "application__submitted_at")
        .annotate(first=Min("created_at"))
        .order_by()
    )
    for row in outcomes.iterator(chunk_size=BATCH):
        days = days_between(row["application__submitted_at"], row["first"])
        for key in keys.get(row["application__round_id"], ()):
            series[key]["days_to_outcome"].append(days)
    decided = Placement.objects.exclude(offered_at__isnull=True, host_decline_reason="").values_list(
        "application__round_id", "created_at", "offered_at", "released_at"
    )
    for round_id, created, offered, released in decided.iterator(chunk_size=BATCH):
        when = offered or released
        if when is None:
            continue
        for key in keys.get(round_id, ()):
            series[key]["host_days_to_decide"].append(days_between(created, when))
    kept = AnonymisedApplication.objects.values_list("round_id", "submitted_on", "outcome_on", "host_decision_days")
    for round_id, submitted_on, outcome_on, host_days in kept.iterator(chunk_size=BATCH):
        for key in keys.get(round_id, ()):
            if submitted_on and outcome_on:
                series[key]["days_to_outcome"].append(max((outcome_on - submitted_on).days, 0))
            series[key]["host_days_to_decide"].extend(
                days for days in host_days or () if isinstance(days, int) and days >= 0
            )
    return dict(series)


def vacancy_facts():
    return Vacancy.objects.values_list("period", "sector", "profession_area", "icb", "vacancies_fte").iterator(
        chunk_size=BATCH
    )
