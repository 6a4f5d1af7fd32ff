"""A person's own training places (staff members and students): their page, booking a seat for themselves,
cancelling it, the certificate, confidence ratings, and new calendar addresses.

Every page answers 404 to anyone but the person whose place it is; services check again.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import OrganisationKind, Role
from training.forms.staff import ConfidenceForm
from training.models import Attendance, AttendeeStatus, Room, Session, SessionStatus
from training.permissions import can_manage_suite, can_self_book
from training.selectors.staff import place_of, place_on, places_for_person, waitlist_for_person
from training.services import calendars
from training.services import staff as services
from training.services.waitlist import waitlist_join

person_required = role_required(Role.STAFF, Role.STUDENT)
staff_required = role_required(Role.STAFF)
coordinator_required = role_required(Role.COORDINATOR)
PAGE_SIZE = 25


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _mark_actions(places, now) -> None:
    """What the person can do with each place now (read by the templates)."""
    for place in places:
        session = place.session
        place.can_cancel = session.status != SessionStatus.CANCELLED and now < session.booking_cutoff
        place.confidence_when = services.confidence_window(place, now)
        place.has_certificate = _has_certificate(place)


def _has_certificate(place) -> bool:
    return (
        place.status == AttendeeStatus.BOOKED
        and place.attendance == Attendance.ATTENDED
        and place.session.attendance_marked_at is not None
    )


@person_required
def my_training(request):
    now = timezone.now()
    places = places_for_person(request.user, now)
    upcoming = list(places["upcoming"])
    past_page = Paginator(places["past"], PAGE_SIZE).get_page(request.GET.get("page"))
    _mark_actions(upcoming, now)
    _mark_actions(past_page.object_list, now)
    calendar = calendars.person_calendar_get_or_create(person=request.user)
    context = {
        "upcoming": upcoming,
        "past_page": past_page,
        "cancelled": list(places["cancelled"]),
        "waiting": list(waitlist_for_person(request.user, now)),
        "feed": calendars.feed_urls(reverse("training:person-calendar", args=[calendar.token])),
        "is_student": request.user.role == Role.STUDENT,
    }
    return render(request, "training/staff/my_training.html", context)


@person_required
@require_POST
def my_calendar_renew(request):
    calendars.person_calendar_renew(actor=request.user)
    messages.success(
        request,
        "You have a new calendar link. The old one has stopped working: add the new one to your calendar "
        "and remove the old subscription.",
    )
    return redirect(reverse("training:my-training") + "#calendar")


@staff_required
def self_book(request, pk):
    if not can_self_book(request.user):
        raise Http404
    session = get_object_or_404(
        Session.objects.select_related("entry", "entry__college", "room", "room__suite").exclude(
            status=SessionStatus.CANCELLED
        ),
        pk=pk,
    )
    error, full = None, False
    if request.method == "POST":
        try:
            if request.POST.get("action") == "waitlist":
                waitlist_join(actor=request.user, session=session, seats=1, person=request.user)
                messages.success(
                    request,
                    f"You are on the waiting list for {session.entry.title}. If a place comes free, it is yours.",
                )
                return redirect("training:my-training")
            attendee = services.attendee_self_book(actor=request.user, session=session)
        except ValidationError as problem:
            error, full = _message(problem), problem.error_list[0].code == "full"
        except PermissionDenied:
            raise Http404 from None
        else:
            if attendee.status == AttendeeStatus.AWAITING_APPROVAL:
                messages.success(
                    request,
                    f"You have asked for a place on {session.entry.title}. Your training coordinator will approve "
                    "it or not; we will email you.",
                )
            else:
                messages.success(
                    request, f"You have a place on {session.entry.title}. We have emailed you the details."
                )
            return redirect("training:my-training")
    context = {
        "session": session,
        "error": error,
        "full": full or (session.seats_left <= 0 and session.status == SessionStatus.SCHEDULED),
        "closed": session.status != SessionStatus.SCHEDULED or timezone.now() >= session.booking_cutoff,
        "needs_approval": services.self_booking_needs_approval(request.user.organisation_id),
        "already": place_on(request.user, session),
    }
    return render(request, "training/staff/self_book.html", context)


@person_required
def my_place_cancel(request, pk):
    place = place_of(request.user, pk)
    if place is None:
        raise Http404
    if place.status == AttendeeStatus.CANCELLED:
        messages.info(request, "This place is already cancelled.")
        return redirect("training:my-training")
    error = None
    if request.method == "POST":
        try:
            services.attendee_cancel_own(actor=request.user, attendee=place)
        except ValidationError as problem:
            error = _message(problem)
        else:
            messages.success(request, f"Your place on {place.session.entry.title} is cancelled.")
            return redirect("training:my-training")
    context = {"place": place, "session": place.session, "error": error, "can_cancel": True}
    _mark_actions([place], timezone.now())
    return render(request, "training/staff/place_cancel.html", context)


@person_required
def certificate(request, pk):
    place = place_of(request.user, pk)
    if place is None or not _has_certificate(place):
        raise Http404
    session = place.session
    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    context = {"place": place, "session": session, "duration": _duration_words(minutes)}
    return render(request, "training/staff/certificate.html", context)


def _duration_words(minutes: int) -> str:
    """180 -> "3 hours", 90 -> "1 hour 30 minutes"."""
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


@person_required
def confidence(request, pk):
    place = place_of(request.user, pk)
    if place is None:
        raise Http404
    when = services.confidence_window(place)
    if when is None:
        messages.info(
            request,
            services.CONFIDENCE_CANCELLED
            if place.status == AttendeeStatus.CANCELLED or place.session.status == SessionStatus.CANCELLED
            else services.CONFIDENCE_AFTER_NOT_YET,
        )
        return redirect("training:my-training")
    field = "confidence_before" if when == services.BEFORE else "confidence_after"
    current = getattr(place, field)
    form = ConfidenceForm(
        request.POST if request.method == "POST" else None, initial={"confidence": current} if current else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attendee_rate_confidence(
                actor=request.user, attendee=place, when=when, value=form.cleaned_data["confidence"]
            )
        except ValidationError as problem:
            form.add_error(None, _message(problem))
        else:
            messages.success(request, "Thank you. Your answer is saved.")
            return redirect("training:my-training")
    context = {"place": place, "session": place.session, "form": form, "when": when}
    return render(request, "training/staff/confidence.html", context)


@coordinator_required
def room_calendar_renew(request, pk):
    if request.user.organisation_kind != OrganisationKind.COLLEGE:
        raise Http404
    return _room_calendar_renew(request, pk)


@require_POST
def _room_calendar_renew(request, pk):
    room = get_object_or_404(Room.objects.select_related("suite__college"), pk=pk)
    if not can_manage_suite(request.user, room.suite.college):
        raise Http404
    calendars.room_calendar_renew(actor=request.user, room=room)
    messages.success(
        request,
        f"{room.name} has a new calendar link. The old one has stopped working: give the new one to anyone who "
        "should see this room's sessions.",
    )
    return redirect(reverse("training:room-edit", args=[pk]))
