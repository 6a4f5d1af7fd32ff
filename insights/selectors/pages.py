"""Reads for the insights pages: a snapshot and its documents in a fixed, small number of queries, and the part of
a document an organisation may read (ADR 0019)."""

from __future__ import annotations

from django.db.models import F

from insights.models import Snapshot, SnapshotStatus, SnapshotTheme, Theme
from insights.permissions import InsightsScope

RECENT = 24


def snapshots_for_choice() -> list[Snapshot]:
    """The most recent finished snapshots, newest first (one query). One without a time (never from the job) goes
    last: PostgreSQL would otherwise put it first in a descending order."""
    return list(
        Snapshot.objects.filter(status=SnapshotStatus.SUCCEEDED)
        .order_by(F("taken_at").desc(nulls_last=True), "-pk")
        .only("pk", "kind", "taken_at", "created_at", "periods")[:RECENT]
    )


def snapshot_documents(snapshot: Snapshot, themes) -> dict[str, dict]:
    """{theme: document} for ``themes`` of ``snapshot`` (one query)."""
    return dict(SnapshotTheme.objects.filter(snapshot=snapshot, theme__in=list(themes)).values_list("theme", "data"))


def documents_of_snapshots(snapshots: list[Snapshot], theme: str) -> dict[int, dict]:
    """{snapshot pk: document} of one theme for each of ``snapshots`` (one query, whatever their number)."""
    rows = SnapshotTheme.objects.filter(snapshot__in=[s.pk for s in snapshots], theme=theme)
    return dict(rows.values_list("snapshot_id", "data"))


def documents_visible_to(
    scope: InsightsScope, documents: dict[str, dict], *, college_label: str, host_label: str
) -> dict[str, dict]:
    """The part of ``documents`` that ``scope`` may read.

    London's readers get every document. An organisation gets only its own rows of the who-gets-in document, cut
    from the organisation-id dimensions (funnel ``college_id``, places ``host_id``) and filed under the breakdown
    its pages show them by: its applicants as one row of the "college" breakdown, named ``college_label``; its
    places as one row of the "host_kind" breakdown, named ``host_label`` (its kind of host). Nothing else: no
    London row or total to subtract its own from, no widening participation (a snapshot counts it for London
    only), no medians; and no other theme. A document or dimension it lacks reads as nothing to count.
    """
    if scope.is_london:
        return documents
    who = documents.get(Theme.WHO_GETS_IN) or {}
    own: dict = {"funnel": {}, "places": {}}
    if scope.applicants:
        for period, dimensions in (who.get("funnel") or {}).items():
            row = (dimensions.get("college_id") or {}).get(scope.key)
            if row:
                own["funnel"][period] = {"college": {college_label: row}}
    if scope.places:
        for period, dimensions in (who.get("places") or {}).items():
            row = (dimensions.get("host_id") or {}).get(scope.key)
            if row:
                own["places"][period] = {"host_kind": {host_label: row}}
    return {Theme.WHO_GETS_IN: own}


def snapshots_for_admin():
    return Snapshot.objects.select_related("taken_by").order_by("-created_at", "-pk")
