"""An employer's training coordinator (NHS trust or care provider): book seats, name staff, cancel seats, wait for
full sessions, decide staff's own bookings, set whether staff may book, and read the training record.

Own organisation only: anything else, and anyone who is not an employer's coordinator, gets 404.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role
from placements.resources import neutralise_formula
from placements.templatetags.wording import day, deadline, time_of_day
from training.forms.employer import DeclineForm, NameStaffForm, PolicyForm, RecordFilterForm, SeatsForm
from training.models import SessionStatus, Topic, WaitlistStatus
from training.permissions import can_book_seats
from training.selectors import employer as selectors
from training.selectors.confidence import confidence_change
from training.services import employer as services
from training.services.seats import seats_cancel
from training.services.waitlist import waitlist_join, waitlist_withdraw

PAGE_SIZE = 25
CSV_COLUMNS = ["First name", "Last name", "Email", "Session", "Topic", "College", "Date", "Start", "End", "CPD hours"]


def employer_required(view):
    """A coordinator at an NHS trust or care provider; anonymous visitors sign in; everyone else gets 404."""

    @role_required(Role.COORDINATOR)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_book_seats(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _explain(form, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for messages_ in error.message_dict.values():
            for message in messages_:
                form.add_error(None, message)
    else:
        form.add_error(None, error)


@employer_required
def employer_home(request):
    user = request.user
    upcoming = Paginator(selectors.upcoming_bookings_for_employer(user), PAGE_SIZE).get_page(request.GET.get("page"))
    past = Paginator(selectors.past_bookings_for_employer(user), PAGE_SIZE).get_page(request.GET.get("past_page"))
    waiting = Paginator(selectors.waitlist_for_employer(user), PAGE_SIZE).get_page(request.GET.get("waiting_page"))
    now = timezone.now()
    for booking in upcoming:
        booking.unnamed = max(booking.seats - booking.named, 0)
        booking.open = booking.session.status == SessionStatus.SCHEDULED and now < booking.session.booking_cutoff
    return render(
        request,
        "training/employer/home.html",
        {
            "upcoming": upcoming,
            "past": past,
            "waiting": waiting,
            "approvals_waiting": selectors.approvals_for_employer(user).count(),
            "policy": selectors.training_policy_for_employer(user),
        },
    )


@employer_required
def booking_create(request, pk):
    """How many seats? Book them (added to any block already held), or join the waiting list when it is full."""
    session = get_object_or_404(selectors.sessions_bookable_by_employer(), pk=pk)
    existing = services.booking_existing_block(employer_id=request.user.organisation_id, session_id=session.pk)
    is_open = session.status == SessionStatus.SCHEDULED and timezone.now() < session.booking_cutoff
    left = session.seats_left
    wants_wait = request.method == "POST" and request.POST.get("action") == "wait"
    book_form = SeatsForm(
        request.POST if request.method == "POST" and not wants_wait else None,
        # Up to the session's seats, not those left: asking for more than are left offers the waiting list.
        most=session.seats,
        help_text=f"{left} seat{'s' if left != 1 else ''} left. You name the people who will go later.",
    )
    wait_form = SeatsForm(
        request.POST if wants_wait else None,
        most=session.seats,
        label="How many seats do you need?",
        help_text="If seats come free before bookings close, they go to the waiting list oldest first, "
        "and we email you.",
        prefix="wait",
    )
    offer_wait = is_open and left <= 0
    if request.method == "POST" and is_open and not wants_wait and book_form.is_valid():
        try:
            booking, added = services.booking_make(
                actor=request.user, session=session, count=book_form.cleaned_data["count"]
            )
        except (ValidationError, PermissionDenied) as error:
            _explain(book_form, error)
            if isinstance(error, ValidationError) and getattr(error, "code", None) == "full":
                offer_wait = True
                wait_form = SeatsForm(
                    None,
                    most=session.seats,
                    label="How many seats do you need?",
                    prefix="wait",
                    initial={"count": min(book_form.cleaned_data["count"], session.seats)},
                )
            session.refresh_from_db()
        else:
            count = book_form.cleaned_data["count"]
            seats = f"{count} seat{'s' if count != 1 else ''}"
            messages.success(
                request,
                (f"{seats} added to your booking. " if added else f"{seats} booked. ")
                + f"Name the people who will go before bookings close at {deadline(session.booking_cutoff)}.",
            )
            return redirect("training:booking-detail", pk=booking.pk)
    elif request.method == "POST" and not is_open:
        book_form.is_valid()
        book_form.add_error(None, "Bookings for this session have closed.")
    elif wants_wait and wait_form.is_valid():
        offer_wait = True
        try:
            waitlist_join(actor=request.user, session=session, seats=wait_form.cleaned_data["count"])
        except (ValidationError, PermissionDenied) as error:
            _explain(wait_form, error)
        else:
            count = wait_form.cleaned_data["count"]
            messages.success(
                request,
                f"You are on the waiting list for {count} seat{'s' if count != 1 else ''}. If seats come free "
                f"before {deadline(session.booking_cutoff)}, we give them to you and email you.",
            )
            return redirect("training:employer-home")
    elif wants_wait:
        offer_wait = True
    return render(
        request,
        "training/employer/booking_create.html",
        {
            "session": session,
            "existing": existing,
            "is_open": is_open,
            "left": session.seats_left,
            "form": book_form,
            "wait_form": wait_form,
            "offer_wait": offer_wait,
        },
    )


def _booking_or_404(request, pk):
    booking = selectors.booking_for_employer(request.user, pk)
    if booking is None:
        raise Http404
    return booking


@employer_required
def booking_detail(request, pk):
    """The seats held, the people named in them, and a form to name someone in an unnamed seat."""
    booking = _booking_or_404(request, pk)
    people = selectors.staff_to_name_for_booking(booking)
    form = NameStaffForm(request.POST if "person" in request.POST else None, people=people)
    if request.method == "POST" and "remove" in request.POST:
        return _unname(request, booking)
    if request.method == "POST":
        if form.is_bound and form.is_valid():
            person = form.cleaned_data["person"]
            try:
                services.attendee_name(actor=request.user, booking=booking, person=person)
            except (ValidationError, PermissionDenied) as error:
                _explain(form, error)
            else:
                messages.success(
                    request, f"{person.get_full_name()} is booked on this session. We have emailed them the details."
                )
                return redirect("training:booking-detail", pk=booking.pk)
        elif not form.is_bound:
            form = NameStaffForm({}, people=people)
            form.is_valid()
    attendees = list(selectors.attendees_for_booking(booking))
    session = booking.session
    is_open = session.status == SessionStatus.SCHEDULED and timezone.now() < session.booking_cutoff
    unnamed = max(booking.seats - len(attendees), 0)
    waiting = selectors.waitlist_for_employer(request.user).filter(session_id=session.pk)
    return render(
        request,
        "training/employer/booking_detail.html",
        {
            "booking": booking,
            "session": session,
            "attendees": attendees,
            "unnamed": unnamed,
            "is_open": is_open,
            "form": form,
            "can_name": is_open and unnamed > 0 and booking.seats > 0,
            "has_people": people.exists(),
            "waiting": list(waiting),
        },
    )


def _unname(request, booking):
    raw = request.POST.get("remove", "")
    attendee = None
    if raw.isascii() and raw.isdigit() and len(raw) < 19:
        attendee = selectors.attendee_in_booking(booking, int(raw))
    if attendee is None:
        messages.error(request, "That person is no longer named in this booking.")
        return redirect("training:booking-detail", pk=booking.pk)
    try:
        services.attendee_unname(actor=request.user, attendee=attendee)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request,
            f"{attendee.person.get_full_name()} is no longer booked on this session and we have told them. "
            "The seat is still yours: name someone else in it, or cancel it.",
        )
    return redirect("training:booking-detail", pk=booking.pk)


@employer_required
def booking_cancel_seats(request, pk):
    """Confirm how many seats to give back; freed seats go to the waiting list first."""
    booking = _booking_or_404(request, pk)
    session = booking.session
    cancellable = max(booking.seats - booking.named, 0)
    form = SeatsForm(
        request.POST if request.method == "POST" else None,
        most=max(cancellable, 1),
        label="How many seats do you want to cancel?",
        help_text=f"You can cancel up to {cancellable} unnamed seat{'s' if cancellable != 1 else ''}. "
        "To cancel a named seat, remove the name first.",
        initial={"count": cancellable} if cancellable else None,
    )
    if request.method == "POST" and form.is_valid():
        count = form.cleaned_data["count"]
        try:
            booking = seats_cancel(actor=request.user, booking=booking, count=count)
        except (ValidationError, PermissionDenied) as error:
            _explain(form, error)
        else:
            messages.success(
                request,
                f"{count} seat{'s' if count != 1 else ''} cancelled. "
                "They go to anyone on the waiting list first, then back on sale.",
            )
            if booking.seats == 0:
                return redirect("training:employer-home")
            return redirect("training:booking-detail", pk=booking.pk)
    is_open = session.status == SessionStatus.SCHEDULED and timezone.now() < session.booking_cutoff
    return render(
        request,
        "training/employer/booking_cancel.html",
        {"booking": booking, "session": session, "form": form, "cancellable": cancellable, "is_open": is_open},
    )


@employer_required
@require_POST
def waitlist_leave(request, pk):
    entry = selectors.waitlist_entry_for_employer(request.user, pk)
    if entry is None:
        raise Http404
    was_waiting = entry.status == WaitlistStatus.WAITING
    try:
        entry = waitlist_withdraw(actor=request.user, entry=entry)
    except PermissionDenied:
        raise Http404 from None
    if was_waiting and entry.status == WaitlistStatus.WITHDRAWN:
        messages.success(request, f"You have left the waiting list for {entry.session.entry.title}.")
    elif entry.status == WaitlistStatus.BOOKED:
        messages.info(request, "You were given seats from the waiting list before you left it: see your bookings.")
    else:
        messages.info(request, "You are no longer on this waiting list.")
    return redirect("training:employer-home")


@employer_required
def employer_policy(request):
    policy = selectors.training_policy_for_employer(request.user)
    form = PolicyForm(request.POST if request.method == "POST" else None, initial={"self_booking": policy.self_booking})
    if request.method == "POST" and form.is_valid():
        try:
            services.training_policy_set(
                actor=request.user,
                employer=request.user.organisation,
                self_booking=form.cleaned_data["self_booking"],
            )
        except (ValidationError, PermissionDenied) as error:
            _explain(form, error)
        else:
            messages.success(request, "Training settings saved.")
            return redirect("training:employer-home")
    return render(request, "training/employer/policy.html", {"form": form, "policy": policy})


@employer_required
def employer_approvals(request):
    page = Paginator(selectors.approvals_for_employer(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/employer/approvals.html",
        {"page": page, "policy": selectors.training_policy_for_employer(request.user)},
    )


@employer_required
def approval_decide(request, pk):
    """Approve or decline one member of staff's own booking (GET shows both; POST decision=approve|decline)."""
    attendee = selectors.approval_for_employer(request.user, pk)
    if attendee is None:
        raise Http404
    form = DeclineForm(request.POST if request.POST.get("decision") == "decline" else None)
    if request.method == "POST":
        decision = request.POST.get("decision")
        name = attendee.person.get_full_name()
        try:
            if decision == "approve":
                services.attendee_approve(actor=request.user, attendee=attendee)
                messages.success(request, f"Approved. {name} has a place and we have emailed them.")
                return redirect("training:employer-approvals")
            if decision == "decline" and form.is_valid():
                services.attendee_decline(actor=request.user, attendee=attendee, reason=form.cleaned_data["reason"])
                messages.success(request, f"Declined. We have told {name}, and the seat is free for others.")
                return redirect("training:employer-approvals")
            if decision not in ("approve", "decline"):
                form = DeclineForm({})
                form.is_valid()
                form.add_error(None, "Choose to approve or decline the request.")
        except (ValidationError, PermissionDenied) as error:
            _explain(form, error)
    attendee.refresh_from_db(fields=["status"])
    return render(
        request,
        "training/employer/approval_decide.html",
        {"attendee": attendee, "session": attendee.session, "form": form},
    )


def _record_filters(request):
    form = RecordFilterForm(request.GET or None)
    return form, form.filters()


@employer_required
def employer_record(request):
    """Who at the organisation attended what, when, and the CPD hours it earned; filterable and exportable."""
    form, filters = _record_filters(request)
    rows = selectors.training_record_for_employer(request.user, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for attendee in page:
        attendee.hours = hours(attendee.session.entry.cpd_hours)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "training/employer/record.html",
        {
            "form": form,
            "page": page,
            "total_hours": hours(rows.aggregate(hours=Sum("session__entry__cpd_hours"))["hours"]),
            # Totals for the organisation, never for one person: not with the name filter.
            "confidence": None if filters.get("person") else confidence_change(rows),
            "query_string": params.urlencode(),
        },
    )


def hours(value) -> str:
    """CPD hours as people write them: "3", "1.5", "4.25" (no trailing zeros)."""
    text = f"{Decimal(value or 0).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value):
        return value


def _record_lines(rows):
    writer = csv.writer(_Echo())
    topics = dict(Topic.choices)
    yield writer.writerow(CSV_COLUMNS)
    for attendee in rows.iterator(chunk_size=1000):
        session, person = attendee.session, attendee.person
        yield writer.writerow(
            [
                neutralise_formula(str(value))
                for value in (
                    person.first_name,
                    person.last_name,
                    person.email,
                    session.entry.title,
                    topics.get(session.entry.topic, session.entry.topic),
                    session.room.suite.college.name,
                    day(session.starts_at),
                    time_of_day(session.starts_at),
                    time_of_day(session.ends_at),
                    hours(session.entry.cpd_hours),
                )
            ]
        )


@employer_required
def employer_record_export(request):
    """CSV of exactly the rows the record page shows for these filters, streamed, formulae neutralised."""
    _, filters = _record_filters(request)
    rows = selectors.training_record_for_employer(request.user, **filters)
    response = StreamingHttpResponse(_record_lines(rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="training-record-{timezone.localdate():%Y-%m-%d}.csv"'
    return response
