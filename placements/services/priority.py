"""The published priority policy: how a host orders the applicants who listed one of its cohorts.

Order (fixed): widening-participation tier (only for opportunities that opt in), then tutor
endorsement, then distance band, then the lottery. Each host tunes the weights from 0 to 3 in
``MatchingPolicy``; the score packs the factors into one integer so the order is kept whatever the
weights: widening participation in the hundreds, endorsement in the tens, distance in the units.
"""

import hashlib

from placements.models import MatchingPolicy

WP_TIER_CAP = 3
# (up to this many km, band): nearer is a higher band; unknown distance or virtual is band 0.
DISTANCE_BANDS = ((2.0, 3), (5.0, 2), (10.0, 1))
DEFAULT_POLICY = MatchingPolicy(widening_participation_weight=2, endorsement_weight=1, distance_weight=1)


def distance_band(distance_km: float | None) -> int:
    if distance_km is None:
        return 0
    return next((band for limit, band in DISTANCE_BANDS if distance_km <= limit), 0)


def priority(
    *, policy: MatchingPolicy, wp_tier: int, wp_opt_in: bool, endorsement: int, distance_km: float | None
) -> int:
    """An integer score, higher first. Never reveals which factor applied: only the total leaves this module."""
    wp = min(wp_tier, WP_TIER_CAP) * policy.widening_participation_weight if wp_opt_in else 0
    return wp * 100 + endorsement * policy.endorsement_weight * 10 + distance_band(distance_km) * policy.distance_weight


def lottery_number(seed: int, application_id: int) -> int:
    """A stable, unique lottery number: a keyed hash of the application, so adding applicants never reshuffles
    the others. The low 24 bits are the id itself, which keeps numbers unique (ids below 16.7 million)."""
    digest = hashlib.blake2b(application_id.to_bytes(8, "big"), key=seed.to_bytes(8, "big"), digest_size=5).digest()
    return (int.from_bytes(digest, "big") << 24) | (application_id & 0xFFFFFF)
