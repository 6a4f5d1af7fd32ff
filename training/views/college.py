"""A college coordinator's pages: home, suites, rooms and the catalogue (sessions: ``college_sessions``).
Own college only: anyone else gets 404, anonymous visitors sign in first."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role
from training.forms.college import EntryForm, RoomForm, SuiteForm
from training.models import STALE_AFTER, CatalogueEntry, Equipment, Room, Suite
from training.permissions import can_manage_suite
from training.selectors import college as selectors
from training.selectors.confidence import NO_RATINGS, confidence_by_entry
from training.services import college as services

PAGE_SIZE = 25
HOME_SESSIONS = 10


def college_required(view):
    """A coordinator whose organisation is a college; the college is passed to the view."""

    @role_required(Role.COORDINATOR)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        college = request.user.organisation
        if college is None or not can_manage_suite(request.user, college):
            raise Http404
        return view(request, college, *args, **kwargs)

    return wrapped


def run_or_explain(form, action):
    """Run a service call; if its rules refuse, put the reasons on ``form`` (per field where they name one)."""
    try:
        return action()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
    except PermissionDenied:
        raise Http404 from None
    return None


@college_required
def college_home(request, college):
    suites = list(selectors.suites_for_college(college.pk))
    labels = dict(Equipment.choices)
    for suite in suites:
        for room in suite.rooms.all():
            room.equipment_labels = [labels.get(item, item) for item in room.equipment]
    entries = list(selectors.entries_for_college(college.pk)[:10])
    entry_count = CatalogueEntry.objects.filter(college=college).count()
    stale_before = selectors.stale_before()
    upcoming = selectors.upcoming_sessions_for_college(college.pk)
    return render(
        request,
        "training/college/home.html",
        {
            "college": college,
            "suites": suites,
            "room_count": sum(len(s.rooms.all()) for s in suites),
            "entries": entries,
            "entry_count": entry_count,
            "stale_before": stale_before,
            "stale_days": STALE_AFTER.days,
            "upcoming": list(upcoming[:HOME_SESSIONS]),
            "upcoming_count": upcoming.count(),
            "now": timezone.now(),
        },
    )


def _suite(college, pk) -> Suite:
    return get_object_or_404(Suite.objects.filter(college=college), pk=pk)


@college_required
def suite_create(request, college):
    form = SuiteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        suite = run_or_explain(
            form, lambda: services.suite_create(actor=request.user, college=college, **form.cleaned_data)
        )
        if suite:
            messages.success(request, f"{suite.name} added. Now add its rooms.")
            return redirect("training:room-create", suite_pk=suite.pk)
    return render(request, "training/college/suite_form.html", {"form": form, "suite": None})


@college_required
def suite_edit(request, college, pk):
    suite = _suite(college, pk)
    initial = {"name": suite.name, "address": suite.address, "postcode": suite.postcode}
    form = SuiteForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if run_or_explain(form, lambda: services.suite_update(actor=request.user, suite=suite, **form.cleaned_data)):
            messages.success(request, f"{suite.name} saved.")
            return redirect("training:college-home")
    return render(request, "training/college/suite_form.html", {"form": form, "suite": suite})


@college_required
def room_create(request, college, suite_pk):
    suite = _suite(college, suite_pk)
    form = RoomForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        room = run_or_explain(form, lambda: services.room_create(actor=request.user, suite=suite, **form.cleaned_data))
        if room:
            messages.success(request, f"{room.name} added to {suite.name}.")
            return redirect("training:college-home")
    return render(request, "training/college/room_form.html", {"form": form, "suite": suite, "room": None})


@college_required
def room_edit(request, college, pk):
    room = get_object_or_404(Room.objects.filter(suite__college=college).select_related("suite"), pk=pk)
    fields = ("name", "capacity", "equipment", "step_free_access", "hours_available_per_week")
    form = RoomForm(
        request.POST if request.method == "POST" else None, initial={name: getattr(room, name) for name in fields}
    )
    if request.method == "POST" and form.is_valid():
        if run_or_explain(form, lambda: services.room_update(actor=request.user, room=room, **form.cleaned_data)):
            messages.success(request, f"{room.name} saved.")
            return redirect("training:college-home")
    feed = None
    if room.calendar_token:
        feed = request.build_absolute_uri(reverse("training:room-calendar", kwargs={"token": room.calendar_token}))
    return render(
        request, "training/college/room_form.html", {"form": form, "suite": room.suite, "room": room, "feed": feed}
    )


@college_required
def entry_list(request, college):
    page = Paginator(selectors.entries_for_college(college.pk), PAGE_SIZE).get_page(request.GET.get("page"))
    changes = confidence_by_entry(entry.pk for entry in page)
    for entry in page:
        entry.confidence = changes.get(entry.pk, NO_RATINGS)
    return render(
        request,
        "training/college/entry_list.html",
        {"page": page, "stale_before": selectors.stale_before(), "stale_days": STALE_AFTER.days},
    )


@college_required
def entry_create(request, college):
    form = EntryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        entry = run_or_explain(
            form, lambda: services.entry_create(actor=request.user, college=college, **form.service_values())
        )
        if entry:
            messages.success(request, f"{entry.title} added to your catalogue. Now give it a date.")
            return redirect(f"{reverse('training:college-session-create')}?entry={entry.pk}")
    return render(request, "training/college/entry_form.html", {"form": form, "entry": None})


@college_required
def entry_edit(request, college, pk):
    entry = get_object_or_404(CatalogueEntry.objects.filter(college=college), pk=pk)
    form = EntryForm(request.POST if request.method == "POST" else None, entry=entry)
    if request.method == "POST" and form.is_valid():
        if run_or_explain(
            form, lambda: services.entry_update(actor=request.user, entry=entry, **form.service_values())
        ):
            messages.success(request, f"{entry.title} saved. Sessions already dated keep their seats and times.")
            return redirect("training:entry-list")
    return render(
        request,
        "training/college/entry_form.html",
        {"form": form, "entry": entry, "stale": entry.is_stale(), "stale_days": STALE_AFTER.days},
    )


@college_required
@require_POST
def entry_confirm(request, college, pk):
    entry = get_object_or_404(CatalogueEntry.objects.filter(college=college), pk=pk)
    services.entry_confirm(actor=request.user, entry=entry)
    messages.success(request, f"Thank you. {entry.title} is confirmed as accurate today.")
    target = request.POST.get("next")
    return redirect("training:college-home" if target == "home" else "training:entry-list")
