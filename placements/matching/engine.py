"""Applicant-proposing deferred acceptance: the applicant-optimal stable matching.

Rule: every applicant proposes down their list of eligible offers, most preferred first; an offer holds the best
`capacity` proposals by its own order (higher priority, then lower lottery) and rejects the rest. When nobody is
left to propose, the held proposals are the unique applicant-optimal stable matching.

Speed comes from doing the expensive things once, before the loop:
  * ineligible entries and offers with no seats left are dropped in one pass (`prepare`), with the eligibility
    rules compiled to bitmasks (eligibility.RuleBook);
  * applicants are numbered in lottery order (0 = lowest lottery), so an offer's order over them is the single
    integer key = priority * n - number (larger is better), and the applicant is recovered as -key % n;
  * each offer keeps its held keys in a min-heap, so the WORST held applicant is on top: a proposal to a full
    offer is one comparison and, if it wins, one O(log capacity) heapreplace;
  * the free applicants are handled as a chain: whoever is bumped proposes next, with no queue and no objects
    allocated per proposal.
"""

from __future__ import annotations

import gc
import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from time import perf_counter

from .eligibility import RuleBook
from .explain import explain
from .model import Applicant, Cutoff, Instance, InvalidInstance, Offer, Result, Stats
from .validation import check_integrity


@dataclass(slots=True)
class Prepared:
    """An instance turned into integer arrays for the proposal loop.

    Applicants are numbered in lottery order: number i is `by_number[i]`, and `number_of[p]` is the number of the
    applicant at position p of the caller's list. Applicant i's placeable entries (eligible, offer has seats) are
    entry_offer[start[i]:stop[i]] in preference order, with the priority each offer gave them alongside.
    """

    offers: Sequence[Offer]
    applicants: Sequence[Applicant]
    by_number: list[Applicant]
    number_of: list[int]
    capacity: list[int]
    entry_offer: list[int]
    entry_priority: list[int]
    start: list[int]
    stop: list[int]


def solve(instance: Instance, *, explain_result: bool = True) -> Result:
    """Return the applicant-optimal stable matching of `instance`, with cutoffs, explanations and stats.

    Raises InvalidInstance for duplicate ids, an unknown or repeated offer in a preference list, a negative
    capacity, a repeated lottery number or a priority that is not an integer. Capacity 0 is allowed: the offer is
    full before matching starts. `explain_result=False` leaves `explanations` empty, for callers that only need
    the assignment.
    """
    # The run allocates hundreds of thousands of containers and frees none of them until it returns, so the
    # cyclic collector would only re-scan the caller's (large) instance again and again: measured at 100,000
    # applicants, that more than doubled the time. Nothing here creates reference cycles.
    collecting = gc.isenabled()
    gc.disable()
    try:
        started = perf_counter()
        prepared = prepare(instance)
        prepared_at = perf_counter()
        held = defer_accept(prepared)
        assignment, cutoffs, ranks = _outcome(prepared, held)
        solved_at = perf_counter()
        explanations = explain(instance, assignment, cutoffs) if explain_result else {}
        explained_at = perf_counter()
    finally:
        if collecting:
            gc.enable()
    timings = {
        "eligibility": (prepared_at - started) * 1000,
        "solve": (solved_at - prepared_at) * 1000,
        "explain": (explained_at - solved_at) * 1000,
    }
    return Result(assignment, cutoffs, explanations, _stats(instance, ranks, timings))


def prepare(instance: Instance) -> Prepared:
    """Validate the instance and keep, per applicant, only the entries that could ever be matched."""
    offers, applicants = instance.offers, instance.applicants
    check_integrity(offers, applicants, min_capacity=0)
    index = {offer.id: number for number, offer in enumerate(offers)}
    rules = RuleBook(offers)
    offer_rules = [(requires, start, end) for requires, (start, end) in zip(rules.requires, rules.dates, strict=True)]
    n = len(applicants)
    lotteries = list(map(attrgetter("lottery"), applicants))
    by_lottery = sorted(range(n), key=lotteries.__getitem__)
    number_of = [0] * n
    for number, position in enumerate(by_lottery):
        number_of[position] = number
    entry_offer: list[int] = []
    entry_priority: list[int] = []
    start_at, stop_at = [0] * n, [0] * n
    # last_seen[o] == p means the applicant at position p already listed offer o: catches repeats without a set.
    last_seen = [-1] * len(offers)
    add_offer, add_priority = entry_offer.append, entry_priority.append
    lacks_by_profile = rules.lacks_by_profile
    # Walk applicants in the caller's order, not lottery order: that is the order they sit in memory, and at
    # 100,000 applicants hopping between them in lottery order made this loop twice as slow (cache misses).
    for position, applicant in enumerate(applicants):
        # RuleBook.lacks, with its cache read here: a method call per applicant costs more than the look-up.
        try:
            lacks = lacks_by_profile.get((applicant.age, applicant.dbs_checked, applicant.vaccinations))
        except TypeError:  # unhashable vaccinations (a list): RuleBook.lacks copes
            lacks = None
        if lacks is None:
            lacks = rules.lacks(applicant)
        available_from, available_to = applicant.available_from.toordinal(), applicant.available_to.toordinal()
        number = number_of[position]
        start_at[number] = len(entry_offer)
        for offer_id, priority in applicant.prefs:
            o = index.get(offer_id)
            if o is None:
                raise InvalidInstance(f"applicant {applicant.id}: preference names unknown offer {offer_id!r}")
            if last_seen[o] == position:
                raise InvalidInstance(f"applicant {applicant.id}: offer {offer_id!r} listed twice")
            last_seen[o] = position
            # RuleBook.placeable, inlined: this runs once per listed entry.
            requires, start, end = offer_rules[o]
            if not requires & lacks and available_from <= start and end <= available_to:
                add_offer(o)
                add_priority(priority)
        stop_at[number] = len(entry_offer)
    # Integer keys need integer priorities (a bool or a float would silently corrupt the order); checked in bulk.
    if not set(map(type, entry_priority)) <= {int}:
        raise InvalidInstance("every priority must be an integer")
    capacity = [offer.capacity for offer in offers]
    by_number = [applicants[position] for position in by_lottery]
    return Prepared(offers, applicants, by_number, number_of, capacity, entry_offer, entry_priority, start_at, stop_at)


def defer_accept(prepared: Prepared) -> list[list[int]]:
    """Run the proposals; return, per offer, a min-heap of the keys of the applicants it holds."""
    n = len(prepared.by_number)
    entry_offer, entry_priority, capacity = prepared.entry_offer, prepared.entry_priority, prepared.capacity
    next_entry = prepared.start[:]
    stop_at = prepared.stop
    held: list[list[int]] = [[] for _ in capacity]
    heappush, heapreplace = heapq.heappush, heapq.heapreplace
    # Any proposal order gives the same matching; the caller's order reads the entries in memory order.
    for proposer in prepared.number_of:
        # Each applicant starts free once; anyone bumped on the way proposes straight away, so no queue is needed.
        a = proposer
        while a >= 0:
            k, stop, bumped = next_entry[a], stop_at[a], -1
            while k < stop:
                o = entry_offer[k]
                key = entry_priority[k] * n - a
                k += 1
                seats = held[o]
                if len(seats) < capacity[o]:
                    heappush(seats, key)
                    break
                worst = seats[0]
                if key > worst:
                    heapreplace(seats, key)
                    bumped = -worst % n
                    break
            next_entry[a] = k
            a = bumped
    return held


def _outcome(
    prepared: Prepared, held: list[list[int]]
) -> tuple[dict[str, str | None], dict[str, Cutoff | None], list[int]]:
    """Turn the heaps into id maps, read each full offer's cutoff off the top of its heap, and list matched ranks."""
    offers, by_number = prepared.offers, prepared.by_number
    n = len(by_number)
    offer_ids = [offer.id for offer in offers]
    held_offer = [-1] * n
    cutoffs: dict[str, Cutoff | None] = {}
    for o, (offer, seats) in enumerate(zip(offers, held, strict=True)):
        for key in seats:
            held_offer[-key % n] = o
        if seats and len(seats) == offer.capacity:
            # -key = number - priority * n with 0 <= number < n, so floor division of -key by n gives -priority.
            worst = -seats[0]
            cutoffs[offer.id] = Cutoff(priority=-(worst // n), lottery=by_number[worst % n].lottery)
        else:
            cutoffs[offer.id] = None
    # In the caller's order: the result reads naturally, and the applicants are visited in memory order.
    assignment: dict[str, str | None] = {}
    ranks: list[int] = []
    for applicant, number in zip(prepared.applicants, prepared.number_of, strict=True):
        o = held_offer[number]
        if o < 0:
            assignment[applicant.id] = None
        else:
            assignment[applicant.id] = offer_ids[o]
            ranks.append(_rank(applicant, offer_ids[o]))
    return assignment, cutoffs, ranks


def _stats(instance: Instance, ranks: list[int], timings: dict[str, float]) -> Stats:
    """Matched count and share, and the average rank of matched applicants (1 = first choice as submitted)."""
    total, matched = len(instance.applicants), len(ranks)
    return Stats(
        applicants=total,
        offers=len(instance.offers),
        matched=matched,
        percent_matched=round(100 * matched / total, 2) if total else 0.0,
        average_rank=round(sum(ranks) / matched, 3) if matched else None,
        timings_ms={name: round(ms, 1) for name, ms in timings.items()},
    )


def _rank(applicant: Applicant, offer_id: str) -> int:
    """1-based position of offer_id in the applicant's list as submitted (ineligible entries count)."""
    for rank, (listed, _priority) in enumerate(applicant.prefs, start=1):
        if listed == offer_id:
            return rank
    raise LookupError(offer_id)
