"""Why each applicant did not get the offers they preferred to the one they got.

Rule: for every choice ranked above the applicant's match (every choice, when unmatched) the reason is, in order:
  not_eligible  the applicant fails an eligibility rule (`rule` names the first one failed);
  no_places     the offer had capacity 0: every seat was taken before matching;
  cutoff_above  the offer is full and its cutoff, the lowest (priority, lottery) it admitted, ranks above the
                applicant's (priority, lottery) for that offer.
In a stable matching nothing else can happen: an eligible applicant turned away by an offer with seats would be a
blocking pair. So the explanations are only as good as the matching, and the tests check both.

Explanations are derived from the instance, the assignment and the cutoffs alone, so anyone holding a published
result can recompute them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .eligibility import RuleBook
from .model import CUTOFF_ABOVE, NO_PLACES, NOT_ELIGIBLE, Applicant, Cutoff, Explanation, Instance, Offer

NONE: tuple[Explanation, ...] = ()


def explain(
    instance: Instance, assignment: Mapping[str, str | None], cutoffs: Mapping[str, Cutoff | None]
) -> dict[str, tuple[Explanation, ...]]:
    """Return, per applicant id, one Explanation per choice ranked above their match (all choices if unmatched)."""
    context = _Context(instance.offers, cutoffs)
    explanations = {}
    for applicant in instance.applicants:
        matched = assignment[applicant.id]
        if matched is not None and applicant.prefs[0][0] == matched:
            explanations[applicant.id] = NONE  # got their first choice: the most common case, nothing to say
        else:
            explanations[applicant.id] = context.explain_applicant(applicant, matched)
    return explanations


class _Context:
    """What explaining one applicant needs to know about the offers, computed once per run."""

    def __init__(self, offers: Sequence[Offer], cutoffs: Mapping[str, Cutoff | None]) -> None:
        self.index = {offer.id: number for number, offer in enumerate(offers)}
        self.rules = RuleBook(offers)
        self.cutoffs = cutoffs

    def explain_applicant(self, applicant: Applicant, matched: str | None) -> tuple[Explanation, ...]:
        """Explain each of one applicant's choices above `matched`."""
        rules, index, cutoffs = self.rules, self.index, self.cutoffs
        requires, dates = rules.requires, rules.dates
        lacks = rules.lacks(applicant)
        available_from, available_to = applicant.available_from.toordinal(), applicant.available_to.toordinal()
        reasons = []
        for rank, (offer_id, _priority) in enumerate(applicant.prefs, start=1):
            if offer_id == matched:
                break
            o = index[offer_id]
            start, end = dates[o]
            if not requires[o] & lacks and available_from <= start and end <= available_to:
                cutoff = cutoffs[offer_id]
                if cutoff is None:
                    # Only an unstable assignment gets here: the applicant and this offer would block it.
                    raise ValueError(f"applicant {applicant.id} was eligible for {offer_id}, which has seats left")
                reasons.append(Explanation(offer_id, rank, CUTOFF_ABOVE, None, cutoff))
            else:
                # Not placeable: ineligible (say which rule) or, failing no rule, an offer with capacity 0.
                rule = rules.failed_rule(o, lacks, available_from, available_to)
                if rule is None:
                    reasons.append(Explanation(offer_id, rank, NO_PLACES))
                else:
                    reasons.append(Explanation(offer_id, rank, NOT_ELIGIBLE, rule))
        return tuple(reasons)
