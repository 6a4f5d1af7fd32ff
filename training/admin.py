"""Simulation suites in the site admin (/admin/): site administrators mostly read what colleges and employers did.

Colleges add their suites, rooms and catalogue through their own pages; a site admin may correct a suite's,
room's or entry's details (never move one to another college) but adds none. Sessions, bookings, attendees,
waiting lists and training policies change only through the services (seats move by conditional UPDATE, people
are emailed, who changed a policy is recorded), so here they are read-only. A person's calendar feed token is a
secret and is not shown at all (PersonCalendar is not registered).

Searches look at short fields only (names, titles, email addresses, postcodes), and every list selects its
related rows in the same query.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format

from accounts.admin_guards import GuardedAdminMixin, ReadOnlyAdminMixin
from training.models import (
    Attendee,
    Audience,
    Booking,
    CatalogueEntry,
    EmployerTrainingPolicy,
    Equipment,
    Facilitation,
    Room,
    Session,
    Suite,
    WaitlistEntry,
)


def _labels(choices, values) -> str:
    labels = dict(choices)
    return ", ".join(str(labels.get(value, value)) for value in values or []) or "–"


def _london(moment) -> str:
    return date_format(timezone.localtime(moment), "j M Y, H:i") if moment else "–"


class CorrectionOnlyMixin:
    """Details a site admin may correct; colleges create (and own) these through their pages."""

    def has_add_permission(self, request):
        return False


# --- Suites, rooms and the catalogue ---------------------------------------------------------------------------


@admin.register(Suite)
class SuiteAdmin(GuardedAdminMixin, CorrectionOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "college", "postcode"]
    list_select_related = ["college"]
    list_filter = [("college", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "postcode", "college__name"]
    fields = ["college", "name", "address", "postcode"]
    readonly_fields = ["college"]


# Bounds a person could mean (the database's own limits differ between SQLite and PostgreSQL).
MAX_SEATS = 500


class RoomForm(forms.ModelForm):
    capacity = forms.IntegerField(min_value=1, max_value=MAX_SEATS)
    hours_available_per_week = forms.IntegerField(
        min_value=0, max_value=168, help_text="Hours a week the room is free for sessions, for the utilisation report."
    )
    equipment = forms.MultipleChoiceField(
        choices=Equipment.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Room
        fields = ["name", "capacity", "equipment", "step_free_access", "hours_available_per_week"]


@admin.register(Room)
class RoomAdmin(GuardedAdminMixin, CorrectionOnlyMixin, admin.ModelAdmin):
    form = RoomForm
    list_display = ["name", "suite", "college", "capacity", "equipment_list", "step_free_access"]
    list_select_related = ["suite__college"]
    list_filter = ["step_free_access", ("suite__college", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "suite__name", "suite__college__name"]
    fields = ["suite", "name", "capacity", "equipment", "step_free_access", "hours_available_per_week"]
    readonly_fields = ["suite"]

    @admin.display(description="college", ordering="suite__college__name")
    def college(self, room):
        return room.suite.college

    @admin.display(description="equipment")
    def equipment_list(self, room):
        return _labels(Equipment.choices, room.equipment)


class CatalogueEntryForm(forms.ModelForm):
    duration_minutes = forms.IntegerField(min_value=1, max_value=7 * 24 * 60)
    min_participants = forms.IntegerField(min_value=1, max_value=MAX_SEATS)
    max_participants = forms.IntegerField(min_value=1, max_value=MAX_SEATS)
    min_age = forms.IntegerField(
        required=False, min_value=0, max_value=99, help_text="For students: the youngest age, on the day, to book."
    )
    audiences = forms.MultipleChoiceField(
        label="Who it is for", choices=Audience.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    equipment_needed = forms.MultipleChoiceField(
        choices=Equipment.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = CatalogueEntry
        fields = [
            "title",
            "topic",
            "audiences",
            "learning_outcomes",
            "duration_minutes",
            "min_participants",
            "max_participants",
            "facilitators_per_participant",
            "equipment_needed",
            "cpd_hours",
            "price_or_funding",
            "min_age",
        ]


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(GuardedAdminMixin, CorrectionOnlyMixin, admin.ModelAdmin):
    form = CatalogueEntryForm
    list_display = ["title", "college", "topic", "audience_list", "duration_minutes", "cpd_hours", "last_confirmed_on"]
    list_select_related = ["college"]
    list_filter = ["topic", ("college", admin.RelatedOnlyFieldListFilter), "last_confirmed_on"]
    search_fields = ["title", "college__name"]
    readonly_fields = ["college", "last_confirmed_on"]
    fields = ["college", *CatalogueEntryForm.Meta.fields, "last_confirmed_on"]

    @admin.display(description="who it is for")
    def audience_list(self, entry):
        return _labels(Audience.choices, entry.audiences)


# --- Sessions, bookings, people and waiting lists: read-only ----------------------------------------------------


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FacilitationInline(ReadOnlyInline):
    model = Facilitation
    fields = ["facilitator"]
    readonly_fields = ["facilitator"]
    verbose_name_plural = "facilitators"


class BookingInline(ReadOnlyInline):
    model = Booking
    fields = ["employer", "seats", "booked_by", "created_at", "cancelled_at"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Session)
class SessionAdmin(ReadOnlyAdminMixin, GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["entry", "college", "room", "starts", "seats_filled", "status", "closes"]
    list_select_related = ["entry__college", "room"]
    list_filter = ["status", "cancelled_reason", ("entry__college", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["entry__title", "room__name"]
    date_hierarchy = "starts_at"
    fields = [
        "entry",
        "room",
        "starts_at",
        "ends_at",
        "booking_cutoff",
        "seats",
        "seats_taken",
        "min_participants",
        "status",
        "cancelled_reason",
        "cancelled_at",
        "cutoff_checked_at",
        "attendance_marked_at",
        "created_by",
        "created_at",
    ]
    inlines = [FacilitationInline, BookingInline]

    @admin.display(description="college", ordering="entry__college__name")
    def college(self, session):
        return session.entry.college

    @admin.display(description="starts (London time)", ordering="starts_at")
    def starts(self, session):
        return _london(session.starts_at)

    @admin.display(description="bookings close", ordering="booking_cutoff")
    def closes(self, session):
        return _london(session.booking_cutoff)

    @admin.display(description="seats taken")
    def seats_filled(self, session):
        return f"{session.seats_taken} of {session.seats}"


class AttendeeInline(ReadOnlyInline):
    model = Attendee
    fields = ["person", "status", "attendance"]
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = "named people"


class CancelledFilter(admin.SimpleListFilter):
    title = "cancelled"
    parameter_name = "cancelled"

    def lookups(self, request, model_admin):
        return [("no", "Holds seats"), ("yes", "Cancelled")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(cancelled_at__isnull=self.value() == "no")
        return queryset


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdminMixin, GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["session", "employer", "seats", "booked_by", "created_at", "cancelled_at"]
    list_select_related = ["session__entry", "employer", "booked_by"]
    list_filter = [CancelledFilter, ("employer", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["employer__name", "booked_by__email", "session__entry__title"]
    fields = ["session", "employer", "seats", "booked_by", "created_at", "cancelled_at"]
    inlines = [AttendeeInline]


@admin.register(Attendee)
class AttendeeAdmin(ReadOnlyAdminMixin, GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["person", "session", "employer", "status", "attendance", "confidence_before", "confidence_after"]
    list_select_related = ["person", "session__entry", "booking__employer"]
    list_filter = ["status", "attendance"]
    # The certificate's reference, exactly, so a site admin can check a certificate someone shows them.
    search_fields = ["person__email", "session__entry__title", "certificate_reference__exact"]
    fields = [
        "session",
        "booking",
        "person",
        "status",
        "added_by",
        "created_at",
        "approved_by",
        "approved_at",
        "cancelled_at",
        "attendance",
        "attendance_marked_by",
        "attendance_marked_at",
        "confidence_before",
        "confidence_after",
        "certificate_reference",
    ]

    @admin.display(description="employer (empty for a student)", ordering="booking__employer__name")
    def employer(self, attendee):
        return attendee.booking.employer if attendee.booking_id else "–"


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdminMixin, GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["session", "employer", "person", "seats", "status", "created_at"]
    list_select_related = ["session__entry", "employer", "person"]
    list_filter = ["status", ("employer", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["employer__name", "session__entry__title"]
    fields = [
        "session",
        "employer",
        "person",
        "requested_by",
        "seats",
        "status",
        "booking",
        "created_at",
        "resolved_at",
    ]


@admin.register(EmployerTrainingPolicy)
class EmployerTrainingPolicyAdmin(ReadOnlyAdminMixin, GuardedAdminMixin, admin.ModelAdmin):
    """Set by the employer's coordinators on their settings page, which records who changed it."""

    list_display = ["employer", "self_booking", "updated_by", "updated_at"]
    list_select_related = ["employer", "updated_by"]
    list_filter = ["self_booking"]
    search_fields = ["employer__name"]
    fields = ["employer", "self_booking", "updated_by", "updated_at"]
