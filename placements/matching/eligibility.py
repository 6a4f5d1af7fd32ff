"""Who may be placed on an offer at all.

An applicant is eligible for an offer when ALL of these hold (checked, and reported, in this order):
  too_young                   applicant.age >= offer.min_age
  needs_dbs                   applicant.dbs_checked, if offer.requires_dbs
  missing_vaccinations        offer.required_vaccinations is a subset of applicant.vaccinations
  dates_outside_availability  applicant.available_from <= offer.start and offer.end <= applicant.available_to

`ineligibility_reason` is the reference statement of the rules. The engine and the explanations apply the same rules
in bulk through `RuleBook`, which compiles them into bitmasks; a property test holds the two together.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Applicant, Offer

TOO_YOUNG = "too_young"
NEEDS_DBS = "needs_dbs"
MISSING_VACCINATIONS = "missing_vaccinations"
DATES_OUTSIDE_AVAILABILITY = "dates_outside_availability"
RULES = (TOO_YOUNG, NEEDS_DBS, MISSING_VACCINATIONS, DATES_OUTSIDE_AVAILABILITY)


def ineligibility_reason(applicant: Applicant, offer: Offer) -> str | None:
    """Return the first rule the applicant fails for the offer, or None when they are eligible."""
    if applicant.age < offer.min_age:
        return TOO_YOUNG
    if offer.requires_dbs and not applicant.dbs_checked:
        return NEEDS_DBS
    if offer.required_vaccinations and not frozenset(offer.required_vaccinations).issubset(applicant.vaccinations):
        return MISSING_VACCINATIONS
    if not (applicant.available_from <= offer.start and offer.end <= applicant.available_to):
        return DATES_OUTSIDE_AVAILABILITY
    return None


def is_eligible(applicant: Applicant, offer: Offer) -> bool:
    """True when the applicant passes every rule for the offer."""
    return ineligibility_reason(applicant, offer) is None


class RuleBook:
    """The rules compiled for one set of offers, so that checking an entry costs one AND and two comparisons.

    Every requirement other than dates becomes a bit: one per distinct min_age ("is at least m"), one for DBS,
    one per vaccination some offer requires, and one for "the offer has seats" (capacity 0 fails it). An offer's
    `requires` mask sets the bits it needs; an applicant's `lacks` mask sets the bits they fail. The applicant can
    be placed on the offer iff the masks share no bit and the offer's dates lie within their availability.
    Applicants with the same age, DBS status and vaccinations share one cached `lacks` mask.
    """

    def __init__(self, offers: Sequence[Offer]) -> None:
        self._age_bits = {age: 1 << bit for bit, age in enumerate(sorted({offer.min_age for offer in offers}))}
        next_bit = len(self._age_bits)
        self._dbs_bit = 1 << next_bit
        self._seats_bit = 1 << (next_bit + 1)
        vaccinations = sorted({name for offer in offers for name in offer.required_vaccinations})
        self._vaccination_bits = {name: 1 << (next_bit + 2 + bit) for bit, name in enumerate(vaccinations)}
        self._age_mask = sum(self._age_bits.values())
        self._vaccinations_mask = sum(self._vaccination_bits.values())
        self.requires = [self._requires(offer) for offer in offers]
        self.dates = [(offer.start.toordinal(), offer.end.toordinal()) for offer in offers]
        self.lacks_by_profile: dict[tuple[int, bool, frozenset[str]], int] = {}

    def _requires(self, offer: Offer) -> int:
        mask = self._age_bits[offer.min_age] | (self._dbs_bit if offer.requires_dbs else 0)
        for name in offer.required_vaccinations:
            mask |= self._vaccination_bits[name]
        return mask | (self._seats_bit if offer.capacity <= 0 else 0)

    def lacks(self, applicant: Applicant) -> int:
        """The bits of the applicant's shortfalls; "has seats" is always set, so capacity-0 offers never pass."""
        vaccinations = applicant.vaccinations
        profile = (applicant.age, applicant.dbs_checked, vaccinations)
        try:
            mask = self.lacks_by_profile.get(profile)
        except TypeError:  # vaccinations given as a list: still fine, just not cached
            profile, mask = None, None
        if mask is None:
            mask = self._seats_bit | (0 if applicant.dbs_checked else self._dbs_bit)
            mask |= sum(bit for age, bit in self._age_bits.items() if applicant.age < age)
            mask |= sum(bit for name, bit in self._vaccination_bits.items() if name not in vaccinations)
            if profile is not None:
                self.lacks_by_profile[profile] = mask
        return mask

    def failed_rule(self, offer_number: int, lacks: int, available_from: int, available_to: int) -> str | None:
        """The first rule failed, as ineligibility_reason reports it, from the masks and date ordinals."""
        missing = self.requires[offer_number] & lacks
        if missing & self._age_mask:
            return TOO_YOUNG
        if missing & self._dbs_bit:
            return NEEDS_DBS
        if missing & self._vaccinations_mask:
            return MISSING_VACCINATIONS
        start, end = self.dates[offer_number]
        if not (available_from <= start and end <= available_to):
            return DATES_OUTSIDE_AVAILABILITY
        return None

    def placeable(self, applicant: Applicant, offer_number: int) -> bool:
        """Eligible and the offer has seats: what the engine inlines for each listed entry."""
        start, end = self.dates[offer_number]
        return (
            not self.requires[offer_number] & self.lacks(applicant)
            and applicant.available_from.toordinal() <= start
            and end <= applicant.available_to.toordinal()
        )
