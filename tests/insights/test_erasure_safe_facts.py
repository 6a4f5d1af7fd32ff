"""Per-factor widening participation and the two medians survive erasure: a snapshot taken after students erase
themselves gives the same figures for a past period as one taken before (ADR 0019)."""

from datetime import date, datetime, timedelta

import pytest

from insights.figures import WP_FACTORS
from insights.models import Snapshot, SnapshotStatus, SnapshotTheme, Theme
from insights.services.snapshots import snapshot_take_monthly
from placements.models import AnonymisedApplication, Cohort, Placement, StatusChange, WideningParticipation
from placements.models.placements import HostDeclineReason
from placements.services.personal_data import student_erase
from placements.workflow import Status
from tests.insights.conftest import LONDON

SUBMITTED = datetime(2026, 1, 20, 10, tzinfo=LONDON)
MATCHED = datetime(2026, 2, 10, 9, tzinfo=LONDON)


def _who() -> dict:
    Snapshot.objects.all().delete()
    snapshot = snapshot_take_monthly()
    assert snapshot.status == SnapshotStatus.SUCCEEDED, snapshot.error
    return SnapshotTheme.objects.get(snapshot=snapshot, theme=Theme.WHO_GETS_IN).data


@pytest.fixture
def timed_world(world):
    """The hand-made world with a timeline. Every application was submitted on 20 January 2026.

    Offered (16: completed, did not attend, declined), application i: matched on 10 February at 09:00 and offered
    i % 3 days later at 23:30, so 21 + i % 3 days to an outcome and i % 3 days for the host to decide; a second,
    later offer does not move the first. Not placed (6): told on 12 February (23 days); the first two of them
    were declined by a host the day after matching (1 day to decide).
    """
    cohort = Cohort.objects.get(opportunity__profession_area="nursing")
    for i, app in enumerate(world["applications"]):
        if app.status == Status.UNSUCCESSFUL:
            StatusChange.objects.create(
                application=app, to_status=Status.UNSUCCESSFUL, created_at=datetime(2026, 2, 12, 10, tzinfo=LONDON)
            )
            continue
        offered = datetime(2026, 2, 10 + i % 3, 23, 30, tzinfo=LONDON)
        StatusChange.objects.create(application=app, to_status=Status.MATCHED, created_at=MATCHED)
        StatusChange.objects.create(application=app, to_status=Status.OFFERED, created_at=offered)
        StatusChange.objects.create(application=app, to_status=Status.OFFERED, created_at=offered + timedelta(days=9))
        Placement.objects.create(
            application=app, cohort=cohort, created_at=MATCHED, offered_at=offered, released_at=None
        )
    unplaced = [app for app in world["applications"] if app.status == Status.UNSUCCESSFUL]
    for app in unplaced[:2]:
        Placement.objects.create(
            application=app,
            cohort=cohort,
            created_at=MATCHED,
            released_at=MATCHED + timedelta(days=1),
            host_decline_reason=HostDeclineReason.FULLY_BOOKED,
        )
    # A match the host has not decided yet is not a decision.
    Placement.objects.create(application=unplaced[2], cohort=cohort, created_at=MATCHED)
    return world


def test_the_medians_are_counted_in_whole_london_days(timed_world):
    who = _who()
    key = f"round:{timed_world['round'].pk}"
    # Days to an outcome: 6 offered after 21 days, 5 after 22, 5 after 23, and 6 not placed after 23: 22 values,
    # the 11th is 22 and the 12th 23.
    assert who["timings"][key]["days_to_outcome"] == {"n": 22, "median": 22.5}
    # Hosts: 6 decided the same day, 5 after 1 day, 5 after 2, and 2 declines after 1 day: 18 values, median 1.
    assert who["timings"][key]["host_days_to_decide"] == {"n": 18, "median": 1}


def test_anonymisation_keeps_each_answer_and_the_days(timed_world):
    first = timed_world["applications"][0]  # completed, free school meals "yes", offered 21 days after applying
    WideningParticipation.objects.filter(application=first).update(disability="prefer_not_to_say")
    student_erase(user=first.student)
    kept = AnonymisedApplication.objects.get()
    assert [getattr(kept, name) for name in AnonymisedApplication.WP_ANSWER_FIELDS] == [
        "yes",
        "",
        "",
        "",
        "prefer_not_to_say",
    ]
    assert kept.wp_tier == 1
    assert (kept.submitted_on, kept.outcome_on, kept.host_decision_days) == (date(2026, 1, 20), date(2026, 2, 10), [0])


def test_an_erasure_changes_no_per_factor_figure_and_no_median(timed_world):
    before = _who()
    apps = timed_world["applications"]
    unplaced = [app for app in apps if app.status == Status.UNSUCCESSFUL]
    # Completed with free school meals; completed answering "no" to all; did not attend; not placed after a host
    # declined them; not placed with a match still undecided.
    for app in (apps[0], apps[4], apps[-1], unplaced[0], unplaced[2]):
        student_erase(user=app.student)
    assert AnonymisedApplication.objects.count() == 5
    after = _who()
    key = f"round:{timed_world['round'].pk}"
    for period in (key, "year:2025", "month:2026-06"):
        assert after["wp_factors"][period] == before["wp_factors"][period]
        assert after["timings"][period] == before["timings"][period]
        assert after["funnel"][period] == before["funnel"][period]
        assert after["wp"][period] == before["wp"][period]
    assert after["timings"][key]["days_to_outcome"]["n"] == 22


def test_per_factor_counts_by_stage_and_answer(world):
    who = _who()
    key = f"round:{world['round'].pk}"
    factors = who["wp_factors"][key]
    # (JSONB keeps no key order: the page orders factors by WP_FACTORS, not by the document.)
    assert [k for k, _ in WP_FACTORS] == list(WideningParticipation.FIELDS)
    assert set(factors) == set(WideningParticipation.FIELDS)
    # Rows: completed / matched, not completed / not matched. Columns: yes, no, prefer not to say, no answer.
    # Free school meals: 3 completed said yes, 10 completed no; the 3 matched and the 6 not matched gave no answer.
    assert factors["free_school_meals"] == [[3, 10, 0, 0], [0, 0, 0, 3], [0, 0, 0, 6]]
    # Every other factor: the 3 who said yes to free school meals left the rest blank.
    for name in ("care_experienced", "young_carer", "first_in_family", "disability"):
        assert factors[name] == [[0, 10, 0, 3], [0, 0, 0, 3], [0, 0, 0, 6]]
    assert who["wp_factors"]["month:2026-06"] == factors
