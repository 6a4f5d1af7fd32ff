"""Snapshot of a round for the engine: the applications still to place, the cohorts with seats, and each
applicant's ranked, scored preferences. Plain data only; nothing is written here.

Who takes part: applications that are ready for matching or provisionally matched (a host has not yet
approved). Offers and accepted placements are frozen: their seats come out of capacity and they are
not in the run. A cohort a host declined for an applicant is never proposed to that applicant again.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q

from placements import matching
from placements.models import (
    Application,
    Cohort,
    DbsStatus,
    Endorsement,
    MatchingPolicy,
    Placement,
    Round,
    RoutedPreference,
    WideningParticipation,
)
from placements.services.priority import DEFAULT_POLICY, lottery_number, priority
from placements.workflow import Status

PARTICIPATING = (Status.READY_FOR_MATCHING, Status.MATCHED)


@dataclass
class Snapshot:
    round: Round
    instance: matching.Instance
    # Engine ids back to database ids, and what each applicant holds now.
    application_ids: dict[str, int]
    cohort_ids: dict[str, int]
    current_cohort: dict[int, int]  # application id -> cohort id of its provisional (matched) placement
    wp_tier: dict[int, int]
    input_hash: str


def _age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def take_snapshot(round_: Round, *, lock: bool = False) -> Snapshot:
    """Read the round into an engine instance. ``lock`` holds the participating rows until the run commits."""
    applications = Application.objects.filter(round=round_, status__in=PARTICIPATING).order_by("pk")
    if lock:
        applications = applications.select_for_update(of=("self",))
    rows = list(
        applications.values_list("pk", "date_of_birth", "dbs_status", "vaccinations", "available_from", "available_to")
    )
    ids = [row[0] for row in rows]
    wp_tier = _wp_tiers(round_)
    endorsement = dict(
        Endorsement.objects.filter(application__round=round_, application__status__in=PARTICIPATING).values_list(
            "application_id", "strength"
        )
    )
    declined = set(
        Placement.objects.filter(application__round=round_)
        .exclude(host_decline_reason="")
        .values_list("application_id", "cohort_id")
    )
    current_cohort = dict(
        Placement.objects.filter(
            application__round=round_, application__status=Status.MATCHED, released_at__isnull=True
        ).values_list("application_id", "cohort_id")
    )

    preferences: dict[int, list[tuple[int, float | None]]] = {}
    for application_id, cohort_id, distance in (
        RoutedPreference.objects.filter(application__round=round_, application__status__in=PARTICIPATING)
        .order_by("application_id", "rank")
        .values_list("application_id", "cohort_id", "distance_km")
        .iterator(chunk_size=20_000)
    ):
        if (application_id, cohort_id) not in declined:
            preferences.setdefault(application_id, []).append((cohort_id, distance))

    cohorts = _cohorts({c for prefs in preferences.values() for c, _ in prefs})
    policies = {p.organisation_id: p for p in MatchingPolicy.objects.all()}

    offers = [
        matching.Offer(
            id=f"C{c['pk']}",
            provider=str(c["opportunity__organisation_id"]),
            capacity=max(c["seats_left"], 0),
            min_age=c["opportunity__min_age"],
            requires_dbs=c["opportunity__requires_dbs"],
            required_vaccinations=frozenset(c["opportunity__required_vaccinations"] or ()),
            start=c["start_date"],
            end=c["end_date"],
        )
        for c in cohorts.values()
    ]
    applicants = []
    for pk, dob, dbs_status, vaccinations, available_from, available_to in rows:
        prefs = []
        latest_start = None
        for cohort_id, distance in preferences.get(pk, ()):
            cohort = cohorts.get(cohort_id)
            # Age is checked on each cohort's own first day, here; the engine is given the age on the
            # latest start it sees, so its own age rule can only agree with this one.
            if cohort is None or dob is None or _age_on(dob, cohort["start_date"]) < cohort["opportunity__min_age"]:
                continue
            policy = policies.get(cohort["opportunity__organisation_id"], DEFAULT_POLICY)
            score = priority(
                policy=policy,
                wp_tier=wp_tier.get(pk, 0),
                wp_opt_in=cohort["opportunity__widening_participation_priority"],
                endorsement=endorsement.get(pk, 0),
                distance_km=distance,
            )
            prefs.append((f"C{cohort_id}", score))
            latest_start = max(latest_start or cohort["start_date"], cohort["start_date"])
        applicants.append(
            matching.Applicant(
                id=f"A{pk}",
                age=_age_on(dob, latest_start) if dob and latest_start else 0,
                dbs_checked=dbs_status == DbsStatus.HAVE,
                vaccinations=frozenset(vaccinations or ()),
                available_from=available_from or date.min,
                available_to=available_to or date.max,
                lottery=lottery_number(round_.lottery_seed, pk),
                prefs=tuple(prefs),
            )
        )
    instance = matching.Instance(offers=offers, applicants=applicants, match_date=round_.matching_on)
    return Snapshot(
        round=round_,
        instance=instance,
        application_ids={f"A{pk}": pk for pk in ids},
        cohort_ids={f"C{pk}": pk for pk in cohorts},
        current_cohort=current_cohort,
        wp_tier=wp_tier,
        input_hash=_hash(instance),
    )


def _wp_tiers(round_: Round) -> dict[int, int]:
    fields = WideningParticipation.FIELDS
    tiers = {}
    for row in WideningParticipation.objects.filter(
        application__round=round_, application__status__in=PARTICIPATING
    ).values_list("application_id", *fields):
        tiers[row[0]] = sum(answer == "yes" for answer in row[1:])
    return tiers


def _cohorts(cohort_ids: set[int]) -> dict[int, dict]:
    """The cohorts in play, with the seats not already held by an offer or an accepted placement."""
    held_by_offers = Count(
        "placements",
        filter=Q(
            placements__released_at__isnull=True,
            placements__booked_seat=False,
            placements__application__status=Status.OFFERED,
        ),
    )
    rows = (
        Cohort.objects.filter(pk__in=cohort_ids)
        .annotate(held=held_by_offers)
        .annotate(seats_left=F("capacity") - F("booked") - F("held"))
        .values(
            "pk",
            "start_date",
            "end_date",
            "seats_left",
            "opportunity__organisation_id",
            "opportunity__min_age",
            "opportunity__requires_dbs",
            "opportunity__required_vaccinations",
            "opportunity__widening_participation_priority",
        )
    )
    result = {}
    chunk = list(cohort_ids)
    # SQLite limits the number of parameters in one query.
    for start in range(0, len(chunk), 900):
        for row in rows.filter(pk__in=chunk[start : start + 900]):
            result[row["pk"]] = row
    return result


def _hash(instance: matching.Instance) -> str:
    payload = json.dumps(matching.instance_to_dict(instance), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()
