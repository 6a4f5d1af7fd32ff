from placements.models import MatchingPolicy
from placements.services.priority import distance_band, lottery_number, priority

POLICY = MatchingPolicy(widening_participation_weight=2, endorsement_weight=1, distance_weight=1)


def _p(policy=POLICY, wp=0, opt_in=True, endorsed=0, km=None):
    return priority(policy=policy, wp_tier=wp, wp_opt_in=opt_in, endorsement=endorsed, distance_km=km)


def test_factors_count_in_the_published_order_whatever_the_weights():
    strongest = MatchingPolicy(widening_participation_weight=1, endorsement_weight=3, distance_weight=3)
    assert _p(strongest, wp=1) > _p(strongest, wp=0, endorsed=3, km=0.5)  # WP beats any endorsement and distance
    assert _p(strongest, endorsed=1) > _p(strongest, km=0.5)  # endorsement beats any distance


def test_widening_participation_counts_only_where_the_opportunity_opts_in():
    assert _p(wp=2, opt_in=True) > _p(wp=0) == _p(wp=2, opt_in=False)


def test_a_weight_of_zero_switches_a_factor_off():
    off = MatchingPolicy(widening_participation_weight=0, endorsement_weight=0, distance_weight=0)
    assert _p(off, wp=3, endorsed=3, km=1) == 0


def test_distance_bands():
    assert [distance_band(k) for k in (None, 0.5, 2, 4.9, 9, 25)] == [0, 3, 3, 2, 1, 0]


def test_lottery_is_stable_unique_and_depends_on_the_seed():
    numbers = [lottery_number(42, pk) for pk in range(1, 5001)]
    assert len(set(numbers)) == 5000
    assert lottery_number(42, 7) == lottery_number(42, 7) != lottery_number(43, 7)
