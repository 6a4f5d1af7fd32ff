"""Reads for simulation suites."""

from __future__ import annotations

from django.db.models import QuerySet

from training.models import Session, SessionStatus


def sessions_overlapping(*, starts_at, ends_at, room=None, facilitators=(), exclude_pk=None) -> QuerySet[Session]:
    """Live sessions in ``room`` or with any of ``facilitators`` whose [start, end) overlaps [starts_at, ends_at)."""
    from django.db.models import Q

    who = Q()
    if room is not None:
        who |= Q(room=room)
    if facilitators:
        who |= Q(facilitations__facilitator__in=list(facilitators))
    if not who:
        return Session.objects.none()
    sessions = Session.objects.filter(who, starts_at__lt=ends_at, ends_at__gt=starts_at).exclude(
        status=SessionStatus.CANCELLED
    )
    if exclude_pk is not None:
        sessions = sessions.exclude(pk=exclude_pk)
    return sessions.distinct()


def sessions_for_college(college) -> QuerySet[Session]:
    return Session.objects.filter(room__suite__college=college).select_related("entry", "room", "room__suite")
