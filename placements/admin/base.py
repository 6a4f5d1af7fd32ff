"""What the site admin and the coordinator admin share: lists, forms, actions and capacity-safe saving.

The coordinator admin (``coordinator.py``) adds scoping and role-based permissions on top.
"""

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from placements.admin.cohort_changes import confirm_changes_response, confirmed_placements
from placements.admin.forms import (
    CohortForm,
    CohortInlineFormSet,
    DepartmentForm,
    OpportunityForm,
    SiteForm,
    WeeklyCohortsForm,
)
from placements.models import Cohort, OpportunityStatus
from placements.selectors.capacity import (
    cohorts_visible_to,
    departments_visible_to,
    opportunities_visible_to,
    sites_visible_to,
    with_capacity_summary,
)
from placements.services.capacity import (
    opportunity_confirm_capacity,
    opportunity_create_weekly_cohorts,
    opportunity_duplicate,
)
from placements.services.cohort_changes import (
    ChangeNeedsConfirmation,
    cohort_update,
    opportunity_close,
    opportunity_site_moved,
)

SAVE_CLASHED = (
    "Nothing was saved because someone else changed these details at the same time. Check them and save again."
)
RESTORE_AFFECTS_STUDENTS = (
    "This earlier version was not restored: it would change the placements of {count}. Make the change on the "
    "item's own page, which lists them and asks you to confirm."
)


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


class ScopedQuerysetMixin:
    """Every list and lookup goes through a ``<things>_visible_to(user)`` selector."""

    visible_to: Callable[..., QuerySet]  # a selector, wrapped in staticmethod()

    def get_queryset(self, request):
        queryset = self.visible_to(request.user)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def is_deletable(self, obj) -> bool:
        return True

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or self.is_deletable(obj))


class CapacityRejected(Exception):
    """A cohort's change lost a race (a booking, an offer, a match); raised to roll the whole save back."""

    def __init__(self, cohort_pk: int, message: str, field: str = "capacity"):
        super().__init__(message)
        self.cohort_pk = cohort_pk
        self.message = message
        self.field = field


class CapacitySavingMixin:
    """An existing cohort is changed only by ``cohort_update`` (places by a conditional UPDATE).

    If that refuses, the exception leaves the admin's transaction, so nothing at all is saved, and the
    same form is shown again with the message next to the field. ``booked`` is never written from a form.
    A change that affects students (``ChangeNeedsConfirmation``) is rolled back the same way and a page
    listing them asks for confirmation; it posts the same form back with the students it showed.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            request.pending_confirmations = []
            return super().changeform_view(request, object_id, form_url, extra_context)
        except CapacityRejected as rejected:
            request.capacity_conflicts = {rejected.cohort_pk: (rejected.field, rejected.message)}
            request.pending_confirmations = []
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ChangeNeedsConfirmation as needed:
            return confirm_changes_response(self, request, needed, cancel_url=request.get_full_path())
        except IntegrityError:
            self.message_user(request, SAVE_CLASHED, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Restoring an earlier version saves through the same services, so the same rules refuse it.

        django-simple-history saves the version with ``save_model`` alone (no transaction, no formsets, no
        ``save_related``), so a refusal would be a server error and a change needing confirmation would be
        skipped while the page said it was saved. Here the whole restore is one transaction, and either refusal
        leaves everything as it was and says why on the same page.
        """
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        request.pending_confirmations = []
        request.restoring_version = True
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except CapacityRejected as rejected:
            self.message_user(request, f"This earlier version was not restored. {rejected.message}", messages.ERROR)
        except ChangeNeedsConfirmation as needed:
            count = _plural(len({a.placement_id for a in needed.affected}), "student")
            self.message_user(request, RESTORE_AFFECTS_STUDENTS.format(count=count), messages.ERROR)
        except IntegrityError:
            self.message_user(request, SAVE_CLASHED, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def response_change(self, request, obj):
        # Reached inside the restore's transaction, before any "saved" message: raising here undoes it all.
        pending = getattr(request, "pending_confirmations", None)
        if getattr(request, "restoring_version", False) and pending:
            raise ChangeNeedsConfirmation.combine(pending)
        return super().response_change(request, obj)

    def save_cohort(self, request, cohort: Cohort, changed_fields) -> None:
        cohort._history_user = request.user
        if cohort._state.adding:
            cohort.save()
            return
        if not changed_fields:
            return
        try:
            cohort_update(
                actor=request.user,
                cohort=cohort,
                opportunity=cohort.opportunity,
                start_date=cohort.start_date,
                end_date=cohort.end_date,
                application_deadline=cohort.application_deadline,
                capacity=cohort.capacity,
                confirmed=confirmed_placements(request),
            )
        except ChangeNeedsConfirmation as needed:
            # Collected, so one page lists everyone this save affects (see save_related).
            request.pending_confirmations = [*getattr(request, "pending_confirmations", []), needed]
        except ValidationError as error:
            field, message = _first_error(error)
            raise CapacityRejected(cohort.pk, message, field) from error

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        pending = getattr(request, "pending_confirmations", None)
        if pending:
            raise ChangeNeedsConfirmation.combine(pending)


def _first_error(error: ValidationError) -> tuple[str, str]:
    if hasattr(error, "error_dict"):
        field, errors = next(iter(error.message_dict.items()))
        return (field if field in _COHORT_FORM_FIELDS else "capacity"), " ".join(errors)
    return "capacity", " ".join(error.messages)


_COHORT_FORM_FIELDS = {"opportunity", "start_date", "end_date", "capacity", "application_deadline"}


def with_capacity_conflicts(request, form_class):
    conflicts = getattr(request, "capacity_conflicts", None)
    if not conflicts:
        return form_class
    return type(form_class.__name__, (form_class,), {"capacity_conflicts": conflicts})


class StaleFilter(admin.SimpleListFilter):
    title = "capacity confirmed"
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", "Stale: not confirmed for over 60 days"), ("no", "Confirmed in the last 60 days")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.stale()
        if self.value() == "no":
            return queryset.fresh()
        return queryset


class SiteAdminBase(ScopedQuerysetMixin, SimpleHistoryAdmin):
    visible_to = staticmethod(sites_visible_to)
    form = SiteForm
    list_display = ["name", "postcode", "borough"]
    search_fields = ["name", "address", "postcode"]
    fields = ["name", "address", "postcode", "borough"]
    view_on_site = False


class DepartmentAdminBase(ScopedQuerysetMixin, admin.ModelAdmin):
    visible_to = staticmethod(departments_visible_to)
    form = DepartmentForm
    list_display = ["name", "setting", "site"]
    list_select_related = ["site"]
    list_filter = ["setting"]
    search_fields = ["name", "site__name"]
    fields = ["name", "site", "setting"]
    view_on_site = False


class CohortInline(admin.TabularInline):
    model = Cohort
    form = CohortForm
    formset = CohortInlineFormSet
    fields = ["start_date", "end_date", "capacity", "booked", "application_deadline"]
    readonly_fields = ["booked"]
    extra = 1
    verbose_name = "set of dates"  # "Add another set of dates"
    verbose_name_plural = "dates and places"

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = with_capacity_conflicts(request, kwargs.get("form", self.form))
        return super().get_formset(request, obj, **kwargs)


# Actions offered both on the list and on an opportunity's own page.
_BOTH = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


class OpportunityAdminBase(CapacitySavingMixin, ScopedQuerysetMixin, SimpleHistoryAdmin):
    visible_to = staticmethod(opportunities_visible_to)
    form = OpportunityForm
    fast_result_rows = True  # see CohortAdminBase
    inlines = [CohortInline]
    list_display = [
        "title",
        "profession_area",
        "kind",
        "status",
        "site",
        "places_total",
        "places_booked",
        "next_start",
        "capacity_confirmed",
    ]
    list_filter = ["status", "profession_area", "kind", StaleFilter]
    list_select_related = ["site"]
    search_fields = ["title", "site__name", "department__name"]
    actions = ["confirm_capacity", "close", "duplicate", "create_weekly_cohorts"]
    view_on_site = False
    fieldsets = [
        ("What it is", {"fields": ["title", "profession_area", "kind", "description", "activities"]}),
        ("Where", {"fields": ["site", "department"]}),
        (
            "Who can take part",
            {
                "fields": [
                    "min_age",
                    "daily_hours",
                    "requires_dbs",
                    "requires_occupational_health",
                    "required_vaccinations",
                    "dress_code",
                    "widening_participation_priority",
                ]
            },
        ),
        ("Publishing", {"fields": ["status", "last_confirmed_on"]}),
    ]

    def get_queryset(self, request):
        return with_capacity_summary(super().get_queryset(request))

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        # Deleting in bulk would take booked places with it; close opportunities instead.
        actions.pop("delete_selected", None)
        return actions

    def is_deletable(self, obj) -> bool:
        return not obj.cohorts.filter(booked__gt=0).exists()

    def save_model(self, request, obj, form, change):
        # Closing and moving site go through services, which ask who they affect first and tell them.
        closing = change and "status" in form.changed_data and obj.status == OpportunityStatus.CLOSED
        old_site_id = form.initial.get("site") if change and "site" in form.changed_data else None
        if closing:
            obj.status = form.initial.get("status", obj.status)
        super().save_model(request, obj, form, change)
        confirmed = confirmed_placements(request)
        changes = []
        if closing:
            changes.append(lambda: opportunity_close(actor=request.user, opportunity=obj, confirmed=confirmed))
        if old_site_id:
            changes.append(
                lambda: opportunity_site_moved(
                    actor=request.user, opportunity=obj, old_site_id=old_site_id, confirmed=confirmed
                )
            )
        for make_change in changes:
            try:
                make_change()
            except ChangeNeedsConfirmation as needed:
                request.pending_confirmations = [*getattr(request, "pending_confirmations", []), needed]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Cohort:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for cohort in formset.deleted_objects:
            cohort.delete()
        for cohort in formset.new_objects:
            self.save_cohort(request, cohort, [])
        for cohort, changed_fields in formset.changed_objects:
            self.save_cohort(request, cohort, changed_fields)

    @admin.display(description="places", ordering="total_places")
    def places_total(self, obj):
        return obj.total_places

    @admin.display(description="booked", ordering="booked_places")
    def places_booked(self, obj):
        return obj.booked_places

    @admin.display(description="next start", ordering="next_start_date", empty_value="none planned")
    def next_start(self, obj):
        return obj.next_start_date

    @admin.display(description="capacity last confirmed", ordering="last_confirmed_on")
    def capacity_confirmed(self, obj):
        confirmed = date_format(obj.last_confirmed_on, "j M Y")
        if obj.is_stale:
            return format_html("{} <strong>STALE</strong> – hidden from students", confirmed)
        return confirmed

    @admin.action(description="Confirm capacity is still accurate", permissions=["change"], location=_BOTH)
    def confirm_capacity(self, request, queryset):
        with transaction.atomic():
            done = [opportunity_confirm_capacity(actor=request.user, opportunity=o) for o in queryset]
        self.message_user(
            request,
            f"Capacity confirmed today for {_plural(len(done), 'opportunity', 'opportunities')}. "
            "Published ones show to students again.",
            messages.SUCCESS,
        )

    @admin.action(description="Close (students can no longer apply)", permissions=["change"], location=_BOTH)
    def close(self, request, queryset):
        confirmed = confirmed_placements(request)
        try:
            with transaction.atomic():
                done, pending = [], []
                for opportunity in queryset:
                    try:
                        done.append(opportunity_close(actor=request.user, opportunity=opportunity, confirmed=confirmed))
                    except ChangeNeedsConfirmation as needed:
                        pending.append(needed)
                if pending:
                    # Nothing closes until everyone affected, across all the opportunities chosen, is confirmed.
                    raise ChangeNeedsConfirmation.combine(pending)
        except ChangeNeedsConfirmation as needed:
            return confirm_changes_response(self, request, needed, cancel_url=request.get_full_path())
        self.message_user(
            request,
            f"Closed {_plural(len(done), 'opportunity', 'opportunities')}. Places, offers and matches already made "
            "are kept, and the students who have them have been told.",
            messages.SUCCESS,
        )

    @admin.action(description="Duplicate as a draft (without dates)", permissions=["add"])
    def duplicate(self, request, queryset):
        with transaction.atomic():
            copies = [opportunity_duplicate(actor=request.user, opportunity=o) for o in queryset]
        self.message_user(
            request,
            f"Created {_plural(len(copies), 'draft copy', 'draft copies')}, titled "
            "“Copy of …”. Add dates, then publish them.",
            messages.SUCCESS,
        )

    @admin.action(description="Create weekly cohorts…", permissions=["change"])
    def create_weekly_cohorts(self, request, queryset):
        opportunities = list(queryset)
        form = WeeklyCohortsForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                with transaction.atomic():
                    created = [
                        cohort
                        for opportunity in opportunities
                        for cohort in opportunity_create_weekly_cohorts(
                            actor=request.user, opportunity=opportunity, **form.cleaned_data
                        )
                    ]
            except ValidationError as error:
                form.add_error(None, error)
            else:
                wanted = len(form.plan) * len(opportunities)
                chosen = _plural(len(opportunities), "opportunity", "opportunities")
                message = f"Created {_plural(len(created), 'cohort')} for {chosen}."
                if wanted > len(created):
                    message += (
                        f" {_plural(wanted - len(created), 'start date')} already existed and were left as they were."
                    )
                self.message_user(request, message, messages.SUCCESS)
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Create weekly cohorts",
            "opts": self.opts,
            "form": form,
            "opportunities": opportunities,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action_name": "create_weekly_cohorts",
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "placements/admin/create_weekly_cohorts.html", context)


class CohortAdminBase(CapacitySavingMixin, ScopedQuerysetMixin, SimpleHistoryAdmin):
    visible_to = staticmethod(cohorts_visible_to)
    form = CohortForm
    # The list's rows are written by placements.admin.result_rows: Django's HTML at a fraction of its cost per row.
    fast_result_rows = True
    list_display = [
        "opportunity",
        "start_date",
        "end_date",
        "capacity",
        "booked",
        "places_left",
        "application_deadline",
    ]
    list_select_related = ["opportunity"]
    list_filter = [("opportunity", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["opportunity__title"]
    date_hierarchy = "start_date"
    fields = ["opportunity", "start_date", "end_date", "capacity", "booked", "application_deadline"]
    readonly_fields = ["booked"]
    view_on_site = False

    def get_form(self, request, obj=None, change=False, **kwargs):
        return with_capacity_conflicts(request, super().get_form(request, obj, change=change, **kwargs))

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def is_deletable(self, obj) -> bool:
        # A placement (even an ended one) keeps its cohort: it is the record of where a student went.
        return not obj.booked and not obj.placements.exists()

    def save_model(self, request, obj, form, change):
        self.save_cohort(request, obj, form.changed_data if change else [])

    @admin.display(description="places left")
    def places_left(self, obj):
        return obj.remaining
