"""A college coordinator's dated sessions: list, create (weekly repeats), duplicate, edit, close, cancel, and the
session's page with who is booked. Own college only: anything else is 404."""

from __future__ import annotations

import math
from datetime import time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from placements.templatetags.wording import day, weekday
from training.forms.college_sessions import CancelSessionForm, SessionFilterForm, SessionForm
from training.models import CancelledReason, CatalogueEntry, Equipment, Session, SessionStatus
from training.selectors import college as selectors
from training.services import college_cancellations as cancellations
from training.services import college_sessions as services
from training.services.sessions import LONDON, london
from training.views.college import PAGE_SIZE, college_required, run_or_explain


def _session(college, pk) -> Session:
    return get_object_or_404(selectors.sessions_for_college(college.pk), pk=pk)


def _choices(college):
    return {
        "entries": CatalogueEntry.objects.filter(college=college).order_by("title"),
        "rooms": selectors.rooms_for_college(college.pk),
    }


@college_required
def session_list(request, college):
    form = SessionFilterForm(request.GET or None, **_choices(college))
    filters = {}
    if form.is_bound and form.is_valid():
        since = form.cleaned_data["since"]
        filters = {
            "room": form.cleaned_data["room"],
            "entry": form.cleaned_data["entry"],
            "since": london(since, time(0)) if since else None,
            "status": form.cleaned_data["status"],
        }
    elif not form.is_bound:
        filters = {"since": timezone.now() - timedelta(days=1)}
    sessions = selectors.session_list_for_college(college.pk, **filters)
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/college/session_list.html",
        {"form": form, "page": page, "query_string": query.urlencode(), "filtered": form.is_bound},
    )


def warnings_for(session: Session) -> list[str]:
    """What is worth a second look, but not a reason to refuse: too few facilitators, missing equipment."""
    found = []
    needed = math.ceil(session.seats * session.entry.facilitators_per_participant)
    have = session.facilitations.count()
    if have < needed:
        found.append(
            f"{session.entry.title} needs {needed} facilitator{'s' if needed != 1 else ''} for {session.seats} seats "
            f"(one to every {round(1 / session.entry.facilitators_per_participant)}); you have named {have}."
        )
    missing = [Equipment(e).label for e in session.entry.equipment_needed if e not in session.room.equipment]
    if missing:
        found.append(f"{session.room.name} does not list equipment this session needs: {', '.join(missing)}.")
    return found


def _session_form_page(request, college, initial, template_context):
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        facilitators=selectors.facilitators_for_college(college.pk),
        **_choices(college),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = run_or_explain(
            form,
            lambda: services.sessions_create_weekly(
                actor=request.user,
                entry=data["entry"],
                room=data["room"],
                first_day=data["date"],
                start=data["start"],
                end=data["end"],
                facilitators=list(data["facilitators"]),
                seats=data["seats"],
                cutoff=form.cutoff(),
                min_participants=data["min_participants"],
                repeat_weeks=data["repeat_weeks"],
            ),
        )
        if created:
            first, last = created[0], created[-1]
            if len(created) == 1:
                messages.success(request, f"Session added for {weekday(first.starts_at)}.")
            else:
                messages.success(
                    request,
                    f"{len(created)} sessions added, weekly from {day(first.starts_at)} to {day(last.starts_at)}.",
                )
            # Warnings (facilitators, equipment, a stale entry) show on the session's page itself.
            return redirect("training:college-session", pk=first.pk)
    return render(request, "training/college/session_form.html", {"form": form, **template_context})


@college_required
def session_create(request, college):
    initial = {"cutoff_days": 2, "repeat_weeks": 0}
    entry = request.GET.get("entry", "")
    if entry.isascii() and entry.isdigit() and len(entry) < 12:
        initial["entry"] = CatalogueEntry.objects.filter(college=college, pk=int(entry)).first()
    context = {"title": "Add a session", "action": reverse("training:college-session-create"), "copy_of": None}
    return _session_form_page(request, college, initial, context)


def _initial_from(session: Session, *, day_offset=timedelta(0)) -> dict:
    start, end = session.starts_at.astimezone(LONDON), session.ends_at.astimezone(LONDON)
    cutoff = session.booking_cutoff.astimezone(LONDON)
    initial = {
        "entry": session.entry,
        "room": session.room,
        "date": start.date() + day_offset,
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "facilitators": list(session.facilitators.all()),
        "seats": session.seats,
        "min_participants": session.min_participants,
        "repeat_weeks": 0,
    }
    days_before = (start.date() - cutoff.date()).days
    if cutoff.time() == start.time() and 0 <= days_before:
        initial["cutoff_days"] = days_before
    else:
        initial.update(cutoff_date=cutoff.date() + day_offset, cutoff_time=cutoff.strftime("%H:%M"))
    return initial


@college_required
def session_duplicate(request, college, pk):
    session = _session(college, pk)
    initial = _initial_from(session, day_offset=timedelta(weeks=1))
    context = {
        "title": "Copy a session to another date",
        "action": reverse("training:college-session-duplicate", args=[session.pk]),
        "copy_of": session,
    }
    return _session_form_page(request, college, initial, context)


@college_required
def session_detail(request, college, pk):
    session = selectors.session_for_college(college.pk, pk)
    if session is None:
        raise Http404
    for booking in session.live_bookings:
        booking.unnamed = max(booking.seats - len(booking.named), 0)
    now = timezone.now()
    return render(
        request,
        "training/college/session_detail.html",
        {
            "session": session,
            "now": now,
            "started": now >= session.starts_at,
            "live": session.status != SessionStatus.CANCELLED,
            "stale": session.entry.is_stale(),
            "warnings": warnings_for(session) if session.status != SessionStatus.CANCELLED else [],
        },
    )


@college_required
def session_edit(request, college, pk):
    session = _session(college, pk)
    if session.status == SessionStatus.CANCELLED or timezone.now() >= session.starts_at:
        messages.error(request, services.NOT_CHANGEABLE if session.status == "cancelled" else services.ALREADY_STARTED)
        return redirect("training:college-session", pk=session.pk)
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        initial=_initial_from(session),
        facilitators=selectors.facilitators_for_college(college.pk),
        repeat=False,
        **_choices(college),
    )
    form.session_entry = session.entry
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at = london(data["date"], data["start"])
        updated = run_or_explain(
            form,
            lambda: services.session_update(
                actor=request.user,
                session=session,
                starts_at=starts_at,
                ends_at=london(data["date"], data["end"]),
                room=data["room"],
                facilitators=list(data["facilitators"]),
                seats=data["seats"] or session.seats,
                booking_cutoff=form.cutoff().for_session(starts_at, 0),
                min_participants=data["min_participants"],
            ),
        )
        if updated:
            messages.success(
                request, "Session saved. If the date, time or room changed, everyone booked has been emailed."
            )
            return redirect("training:college-session", pk=session.pk)
    return render(request, "training/college/session_edit.html", {"form": form, "session": session})


@college_required
@require_POST
def session_close(request, college, pk):
    session = _session(college, pk)
    try:
        cancellations.session_close(actor=request.user, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Session closed to new bookings. It still runs for everyone booked.")
    return redirect("training:college-session", pk=session.pk)


@college_required
def session_cancel(request, college, pk):
    session = _session(college, pk)
    if session.status == SessionStatus.CANCELLED:
        messages.info(request, "This session is already cancelled.")
        return redirect("training:college-session", pk=session.pk)
    form = CancelSessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        cancelled = run_or_explain(
            form,
            lambda: cancellations.session_cancel(
                actor=request.user, session=session, reason=CancelledReason.BY_COLLEGE
            ),
        )
        if cancelled:
            messages.success(request, "Session cancelled. We have emailed everyone who was booked or waiting.")
            return redirect("training:college-session", pk=session.pk)
    return render(
        request,
        "training/college/session_cancel.html",
        {"form": form, "session": session, "told": selectors.who_will_be_told(session)},
    )
