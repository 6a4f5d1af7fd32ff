"""The figures of a snapshot on a small hand-made world, and that an erasure changes no past figure."""

import pytest

from insights.figures import OUTCOMES
from insights.models import Snapshot, SnapshotStatus, SnapshotTheme, Theme
from insights.services.snapshots import snapshot_take_monthly
from placements.services.personal_data import student_erase

# Column order of OUTCOMES: completed, did not attend, accepted not finished, offered not accepted, not placed,
# withdrew, still waiting.
COLUMNS = [key for key, _, _ in OUTCOMES]


def _who(snapshot) -> dict:
    return SnapshotTheme.objects.get(snapshot=snapshot, theme=Theme.WHO_GETS_IN).data


def _take():
    Snapshot.objects.all().delete()
    snapshot = snapshot_take_monthly()
    assert snapshot.status == SnapshotStatus.SUCCEEDED, snapshot.error
    return snapshot


def test_counts_on_the_hand_made_world(world):
    snapshot = _take()
    key = f"round:{world['round'].pk}"
    assert [p["key"] for p in snapshot.periods] == [key, "year:2025", "month:2026-06"]
    who = _who(snapshot)
    funnel = who["funnel"][key]
    # By the first area listed: nursing 8 completed + 6 not placed; midwifery 5 completed, 1 DNA, 2 declined.
    assert funnel["profession"] == {
        "Nursing": [8, 0, 0, 0, 6, 0, 0],
        "Midwifery": [5, 1, 0, 2, 0, 0, 0],
    }
    assert funnel["college"] == {"Riverside College": [8, 0, 0, 2, 6, 0, 0], "Camden College": [5, 1, 0, 0, 0, 0, 0]}
    assert funnel["icb"] == {"South East London": [8, 0, 0, 2, 6, 0, 0], "North Central London": [5, 1, 0, 0, 0, 0, 0]}
    assert funnel["age_band"] == {"16 to 17": [13, 1, 0, 2, 6, 0, 0]}
    # The month and academic year of the round's first placement day hold the same applicants.
    assert who["funnel"]["month:2026-06"] == funnel
    assert who["funnel"]["year:2025"] == funnel
    # Widening participation: rows completed / matched not completed / not matched; columns at least one factor /
    # none / did not answer. 13 completed (3 yes, 10 no); DNA 1 and declined 2 were matched (no answers); 6 not.
    assert who["wp"][key] == [[3, 10, 0], [0, 0, 3], [0, 0, 6]]
    # Places: taken and not taken.
    assert who["places"][key]["profession"] == {"Nursing": [8, 12], "Midwifery": [6, 4]}
    assert who["places"][key]["host_kind"] == {"NHS trust": [8, 12], "Social-care provider": [6, 4]}
    assert who["places"][key]["icb"] == {"South East London": [8, 12], "North Central London": [6, 4]}


def test_organisation_id_dimensions_let_a_page_filter_to_one_organisation(world):
    from accounts.models import Organisation

    snapshot = _take()
    who = _who(snapshot)
    key = f"round:{world['round'].pk}"
    a, b = str(world["college_a"].pk), str(world["college_b"].pk)
    # The same rows as "college", keyed by the college's id rather than its name.
    assert who["funnel"][key]["college_id"] == {a: [8, 0, 0, 2, 6, 0, 0], b: [5, 1, 0, 0, 0, 0, 0]}
    trust = str(Organisation.objects.get(name="Southwark Trust").pk)
    care = str(Organisation.objects.get(name="Camden Care").pk)
    assert who["places"][key]["host_id"] == {trust: [8, 12], care: [6, 4]}
    assert who["places"]["month:2026-06"]["host_id"] == who["places"][key]["host_id"]


def test_applicants_without_a_college_and_places_without_a_host_are_keyed_none():
    from datetime import date

    from insights.figures import ApplicationFact, PlaceFact, who_gets_in

    rounds = [{"id": 1, "name": "R", "placements_from": date(2026, 6, 1), "placements_to": date(2026, 8, 31)}]
    applications = [
        ApplicationFact(1, "completed", True, None, "nursing", "16_17", None),
        ApplicationFact(1, "unsuccessful", True, 7, "nursing", "16_17", None),
    ]
    places = [PlaceFact(date(2026, 6, 8), 10, 4, "nursing", "Camden", "NHS trust", None)]
    _, document = who_gets_in(rounds=rounds, applications=applications, places=places, colleges={7: ("C", "Camden")})
    assert document["funnel"]["round:1"]["college_id"] == {"none": [1, 0, 0, 0, 0, 0, 0], "7": [0, 0, 0, 0, 1, 0, 0]}
    assert document["places"]["round:1"]["host_id"] == {"none": [4, 6]}


@pytest.mark.django_db
def test_an_erasure_changes_no_past_figure(world):
    before = _who(_take())
    # A completed student with a widening-participation answer, and one who did not attend, erase themselves.
    completed = world["applications"][0]
    did_not_attend = world["applications"][-1]
    for app in (completed, did_not_attend):
        student_erase(user=app.student)
    after = _who(_take())
    for part in ("funnel", "wp", "places"):
        assert after[part] == before[part]


def test_the_monthly_job_twice_takes_one_snapshot(world):
    from insights.tasks import take_monthly_snapshot_task

    first = take_monthly_snapshot_task()
    second = take_monthly_snapshot_task()
    assert first is not None and second is None
    assert Snapshot.objects.count() == 1
    assert SnapshotTheme.objects.count() == len(Theme)


def test_a_failed_monthly_snapshot_is_taken_again(world, monkeypatch):
    from insights.services import snapshots

    def broken():
        raise RuntimeError("database went away")

    monkeypatch.setattr(snapshots, "snapshot_documents", broken)
    failed = snapshots.snapshot_take_monthly()
    assert failed.status == SnapshotStatus.FAILED and "database went away" in failed.error
    monkeypatch.undo()
    again = snapshots.snapshot_take_monthly()
    assert again.pk == failed.pk and again.status == SnapshotStatus.SUCCEEDED
    assert snapshots.snapshot_take_monthly() is None
