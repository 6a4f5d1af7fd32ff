"""The only two ways a session's ``seats_taken`` moves: conditional UPDATEs backed by its CheckConstraints (ADR 0016).

Internal: no permission checks here; every caller is a service that has made its own.
"""

from __future__ import annotations

from django.db.models import F

from training.models import Session, SessionStatus


def seats_take(*, session_id: int, count: int) -> bool:
    """Take ``count`` seats if that many are free on a scheduled session; False (nothing changed) otherwise."""
    return (
        Session.objects.filter(
            pk=session_id, status=SessionStatus.SCHEDULED, seats_taken__lte=F("seats") - count
        ).update(seats_taken=F("seats_taken") + count)
        == 1
    )


def seats_give_back(*, session_id: int, count: int) -> None:
    """Return ``count`` seats; the CheckConstraints make holding fewer impossible, so failing here is loud."""
    moved = Session.objects.filter(pk=session_id, seats_taken__gte=count).update(seats_taken=F("seats_taken") - count)
    if moved != 1:
        raise RuntimeError(f"session {session_id} holds fewer than {count} seats")


def seats_left(*, session_id: int) -> int:
    row = Session.objects.filter(pk=session_id).values_list("seats", "seats_taken").first()
    return 0 if row is None else row[0] - row[1]
