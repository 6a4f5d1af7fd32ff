"""Reads for the insights pages: a snapshot and its documents in a fixed, small number of queries."""

from insights.models import Snapshot, SnapshotStatus, SnapshotTheme

RECENT = 24


def snapshots_for_choice() -> list[Snapshot]:
    """The most recent finished snapshots, newest first (one query)."""
    return list(
        Snapshot.objects.filter(status=SnapshotStatus.SUCCEEDED)
        .order_by("-taken_at", "-pk")
        .only("pk", "kind", "taken_at", "created_at", "periods")[:RECENT]
    )


def snapshot_documents(snapshot: Snapshot, themes) -> dict[str, dict]:
    """{theme: document} for ``themes`` of ``snapshot`` (one query)."""
    return dict(SnapshotTheme.objects.filter(snapshot=snapshot, theme__in=list(themes)).values_list("theme", "data"))


def snapshots_for_admin():
    return Snapshot.objects.select_related("taken_by").order_by("-created_at", "-pk")
