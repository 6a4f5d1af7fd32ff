"""Pages anyone can see: the simulation-training catalogue and a session's page (like the placement finder)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from nhsuk.fragments import shared_fragment
from training import permissions
from training.forms.catalogue import CatalogueFilterForm
from training.models import Audience, Equipment, Session, SessionStatus
from training.selectors.catalogue import (
    CatalogueQuery,
    duration_words,
    session_for_public,
    sessions_for_catalogue,
)
from training.services.catalogue import suites_locate_missing

PAGE_SIZE = 25
AUDIENCES = dict(Audience.choices)
EQUIPMENT = dict(Equipment.choices)


def _describe(session: Session) -> Session:
    """What a card and the page show, worked out once (labels, duration, seats) without another query."""
    entry = session.entry
    session.audience_labels = [AUDIENCES[a] for a in entry.audiences if a in AUDIENCES]
    session.duration_text = duration_words((session.ends_at - session.starts_at).total_seconds() // 60)
    session.is_closed = session.status == SessionStatus.CLOSED
    session.is_full = session.seats_left <= 0
    session.cutoff_passed = session.booking_cutoff <= timezone.now()
    return session


def catalogue(request):
    """The catalogue. Its body (the form as filled in, the sessions) is the same for everyone asking the same
    question, so it is shared between visitors for ``CATALOGUE_CACHE_SECONDS`` (nhsuk.fragments): seats left are at
    most that old; a session's own page, where people book, is read afresh every time."""
    form = CatalogueFilterForm(request.GET or None)
    query = form.to_query() if form.is_bound and form.is_valid() else CatalogueQuery()
    page_number = request.GET.get("page")
    params = request.GET.copy()
    params.pop("page", None)
    # Read when the body is rendered (a fragment kept for a few seconds is built from figures read then).
    page = SimpleLazyObject(lambda: _catalogue_page(query, page_number))
    body = {
        "form": form,
        "page": page,
        "query": query,
        "query_string": params.urlencode(),
        "filtered": form.is_bound and any(v for k, v in request.GET.items() if k != "page"),
    }
    content = shared_fragment(
        "training/catalogue/session_list_body.html",
        request.GET,
        seconds=settings.CATALOGUE_CACHE_SECONDS,
        context=lambda: body,
    )
    return render(request, "training/catalogue/session_list.html", {**body, "content": content})


def _catalogue_page(query: CatalogueQuery, page_number):
    if query.near is not None:
        suites_locate_missing()
    page = Paginator(sessions_for_catalogue(query), PAGE_SIZE).get_page(page_number)
    for session in page:
        _describe(session)
        distance_sq = getattr(session, "distance_sq", None)
        session.distance_km = distance_sq**0.5 if distance_sq is not None else None
    return page


@dataclass(frozen=True)
class BookingAction:
    """The one way this visitor can book: a link (``url`` + ``label``) or only a ``note``."""

    label: str = ""
    url: str = ""
    note: str = ""


def _booking_action(request, session: Session) -> BookingAction | None:
    """One call to action, by who is looking (None when they cannot book here)."""
    user = request.user
    if not user.is_authenticated:
        login = f"{reverse('accounts:login')}?{urlencode({'next': request.path})}"
        return BookingAction(
            label="Sign in to book", url=login, note="Training coordinators and staff sign in to book."
        )
    if permissions.can_book_seats(user):
        if session.is_full:
            return BookingAction(
                label="Join the waiting list",
                url=reverse("training:booking-create", kwargs={"pk": session.pk}),
                note="Seats freed before the cut-off go to the waiting list, oldest request first.",
            )
        return BookingAction(
            label="Book seats for your staff",
            url=reverse("training:booking-create", kwargs={"pk": session.pk}),
            note="You can name the people who will come later, up to the booking cut-off.",
        )
    if user.is_staff_member:
        if permissions.can_self_book(user):
            label = "Join the waiting list" if session.is_full else "Book a place for yourself"
            return BookingAction(label=label, url=reverse("training:self-book", kwargs={"pk": session.pk}))
        return BookingAction(note="Ask your training coordinator to book you a place.")
    if user.is_student and session.entry.open_to_students:
        if session.is_full:
            return BookingAction(note="This session is full.")
        return BookingAction(
            label="Book a place",
            url=reverse("training:student-book", kwargs={"pk": session.pk}),
            note="Students who were not placed this round may book a place, first come, first served.",
        )
    return None


def session_detail(request, pk):
    session = session_for_public(pk)
    if session is None:
        raise Http404
    _describe(session)
    now = timezone.now()
    session.is_cancelled = session.status == SessionStatus.CANCELLED
    session.is_past = session.starts_at <= now
    session.is_stale = session.entry.is_stale(timezone.localdate(now))
    session.equipment_labels = [EQUIPMENT[e] for e in session.room.equipment if e in EQUIPMENT]
    bookable = (
        session.status == SessionStatus.SCHEDULED
        and not session.is_past
        and not session.is_stale
        and not session.cutoff_passed
    )
    user = request.user
    runs_it = permissions.can_manage_suite(user, session.entry.college) if user.is_authenticated else False
    return render(
        request,
        "training/catalogue/session_detail.html",
        {
            "session": session,
            "entry": session.entry,
            "bookable": bookable,
            "action": _booking_action(request, session) if bookable else None,
            "runs_it": runs_it,
        },
    )
