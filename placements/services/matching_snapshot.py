"""Snapshot of a round for the engine: the applications still to place, the cohorts with seats, and each
applicant's ranked, scored preferences. Plain data only; nothing is written here.

Who takes part: applications that are ready for matching or provisionally matched (a host has not yet
approved). Offers and accepted placements are frozen: their seats come out of capacity and they are
not in the run. A cohort a host declined for an applicant is never proposed to that applicant again.
"""

import hashlib
from collections import defaultdict
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
    OpportunityStatus,
    Placement,
    Round,
    RoutedPreference,
    WideningParticipation,
)
from placements.models.placements import RELEASED_HOST_NO_REPLY
from placements.services.bulk import decode_json, fetch_rows, in_chunks
from placements.services.priority import DEFAULT_POLICY, WP_TIER_CAP, lottery_number
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
    """Read the round into an engine instance. ``lock`` holds the participating rows until the run commits.

    Written for 100,000 applicants: raw tuples from the database and plain arithmetic in the loop (the
    same rules as ``priority.priority`` and ``Application.age_on``, which the tests hold it to).
    """
    applications = Application.objects.filter(round=round_, status__in=PARTICIPATING).order_by("pk")
    if lock:
        applications = applications.select_for_update(of=("self",))
    rows = fetch_rows(
        applications.values_list("pk", "date_of_birth", "dbs_status", "vaccinations", "available_from", "available_to")
    )
    wp_tier = _wp_tiers(round_)
    endorsement = dict(
        fetch_rows(
            Endorsement.objects.filter(application__round=round_, application__status__in=PARTICIPATING).values_list(
                "application_id", "strength"
            )
        )
    )
    # A host that declined a student, or let the match lapse without a reply, is not offered them again.
    declined = set(
        fetch_rows(
            Placement.objects.filter(application__round=round_)
            .filter(~Q(host_decline_reason="") | Q(release_reason=RELEASED_HOST_NO_REPLY))
            .values_list("application_id", "cohort_id")
        )
    )
    current_cohort = dict(
        fetch_rows(
            Placement.objects.filter(
                application__round=round_,
                application__status=Status.MATCHED,
                released_at__isnull=True,
            ).values_list("application_id", "cohort_id")
        )
    )

    preferences: dict[int, list[tuple[int, float | None]]] = defaultdict(list)
    for application_id, cohort_id, distance in fetch_rows(
        RoutedPreference.objects.filter(application__round=round_, application__status__in=PARTICIPATING)
        .order_by("application_id", "rank")
        .values_list("application_id", "cohort_id", "distance_km")
    ):
        if (application_id, cohort_id) not in declined:
            preferences[application_id].append((cohort_id, distance))

    cohorts = _cohorts({c for prefs in preferences.values() for c, _ in prefs})
    # A closed (or unpublished) opportunity takes no new students, but a match already proposed on it stands,
    # as closing promises: only the applicant holding that match keeps the cohort in their list.
    not_taking = {pk for pk, c in cohorts.items() if c["opportunity__status"] != OpportunityStatus.PUBLISHED}
    if not_taking:
        for application_id, prefs in preferences.items():
            prefs[:] = [
                (cohort_id, distance)
                for cohort_id, distance in prefs
                if cohort_id not in not_taking or current_cohort.get(application_id) == cohort_id
            ]
    policies = {p.organisation_id: p for p in MatchingPolicy.objects.all()}
    # Per cohort, what the loop needs: (engine id, min age, start as (year, month*100+day), start, weights).
    cohort_facts = {}
    for pk, c in cohorts.items():
        policy = policies.get(c["opportunity__organisation_id"], DEFAULT_POLICY)
        wp_weight = policy.widening_participation_weight if c["opportunity__widening_participation_priority"] else 0
        start = c["start_date"]
        cohort_facts[pk] = (
            f"C{pk}",
            c["opportunity__min_age"],
            start.year,
            start.month * 100 + start.day,
            start,
            wp_weight * 100,
            policy.endorsement_weight * 10,
            policy.distance_weight,
        )

    offers = [
        matching.Offer(
            id=f"C{c['pk']}",
            provider=str(c["opportunity__organisation_id"]),
            capacity=max(c["seats_left"], 0),
            min_age=c["opportunity__min_age"],
            requires_dbs=c["opportunity__requires_dbs"],
            required_vaccinations=frozenset(decode_json(c["opportunity__required_vaccinations"]) or ()),
            start=c["start_date"],
            end=c["end_date"],
        )
        for c in cohorts.values()
    ]
    applicants = []
    seed = round_.lottery_seed
    for pk, dob, dbs_status, vaccinations, available_from, available_to in rows:
        tier = min(wp_tier.get(pk, 0), WP_TIER_CAP)
        endorsed = endorsement.get(pk, 0)
        birth_year, birth_md = (dob.year, dob.month * 100 + dob.day) if dob else (0, 0)
        prefs = []
        latest_start = None
        for cohort_id, distance in preferences.get(pk, ()):
            facts = cohort_facts.get(cohort_id)
            if facts is None or dob is None:
                continue
            engine_id, min_age, start_year, start_md, start, wp_w, endorse_w, distance_w = facts
            # Age on this cohort's first day: the engine is given the age on the latest start it sees,
            # so its own (single-age) rule can only agree with this one.
            if start_year - birth_year - (start_md < birth_md) < min_age:
                continue
            band = 0 if distance is None else 3 if distance <= 2 else 2 if distance <= 5 else 1 if distance <= 10 else 0
            prefs.append((engine_id, wp_w * tier + endorse_w * endorsed + distance_w * band))
            if latest_start is None or start > latest_start:
                latest_start = start
        applicants.append(
            matching.Applicant(
                id=f"A{pk}",
                age=_age_on(dob, latest_start) if dob and latest_start else 0,
                dbs_checked=dbs_status == DbsStatus.HAVE,
                vaccinations=frozenset(decode_json(vaccinations) or ()),
                available_from=available_from or date.min,
                available_to=available_to or date.max,
                lottery=lottery_number(seed, pk),
                prefs=tuple(prefs),
            )
        )
    instance = matching.Instance(offers=offers, applicants=applicants, match_date=round_.matching_on)
    return Snapshot(
        round=round_,
        instance=instance,
        application_ids={a.id: int(a.id[1:]) for a in applicants},
        cohort_ids={f"C{pk}": pk for pk in cohorts},
        current_cohort=current_cohort,
        wp_tier=wp_tier,
        input_hash=_hash(instance),
    )


def _wp_tiers(round_: Round) -> dict[int, int]:
    fields = WideningParticipation.FIELDS
    rows = fetch_rows(
        WideningParticipation.objects.filter(
            application__round=round_, application__status__in=PARTICIPATING
        ).values_list("application_id", *fields)
    )
    return {row[0]: sum(answer == "yes" for answer in row[1:]) for row in rows}


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
            "opportunity__status",
            "opportunity__min_age",
            "opportunity__requires_dbs",
            "opportunity__required_vaccinations",
            "opportunity__widening_participation_priority",
        )
    )
    result = {}
    for chunk in in_chunks(list(cohort_ids)):
        for row in rows.filter(pk__in=chunk):
            result[row["pk"]] = row
    return result


def _hash(instance: matching.Instance) -> str:
    """A fingerprint of everything the engine sees: equal hashes mean equal inputs (and so equal results)."""
    digest = hashlib.sha256()
    for offer in instance.offers:
        digest.update(
            repr(
                (
                    offer.id,
                    offer.capacity,
                    offer.min_age,
                    offer.requires_dbs,
                    sorted(offer.required_vaccinations),
                    offer.start,
                    offer.end,
                )
            ).encode()
        )
    for a in instance.applicants:
        digest.update(
            repr(
                (
                    a.id,
                    a.age,
                    a.dbs_checked,
                    sorted(a.vaccinations),
                    a.available_from,
                    a.available_to,
                    a.lottery,
                    a.prefs,
                )
            ).encode()
        )
    return digest.hexdigest()
