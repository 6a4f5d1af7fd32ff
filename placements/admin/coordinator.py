"""The coordinator admin's pages: everything scoped to the coordinator's own organisation.

Permissions come from the role, not Django model permissions (coordinators are not staff). An object of
another organisation is 404 on every URL: change, delete, history and the history detail page.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV
from import_export.forms import ExportForm
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_guards import GuardedAdminMixin, GuardedExportMixin
from placements.admin.audit import MatchingPolicySavingMixin
from placements.admin.base import (
    CohortAdminBase,
    CohortInline,
    DepartmentAdminBase,
    OpportunityAdminBase,
    ScopedQuerysetMixin,
    SiteAdminBase,
    StaleFilter,
)
from placements.admin.cohort_export import cohort_csv_response
from placements.admin.coordinator_site import coordinator_site
from placements.admin.forms import CohortConfirmImportForm, CohortImportForm, OrganisationOwnedForm
from placements.models import Cohort, Department, MatchingPolicy, Opportunity, OpportunityStatus, Site
from placements.permissions import is_active_coordinator
from placements.resources import COLUMNS, EXPORT_ONLY_COLUMNS, CohortResource, max_bytes, max_rows
from placements.selectors.capacity import departments_visible_to, opportunities_visible_to, sites_visible_to
from placements.services.cohort_changes import ChangeNeedsConfirmation, parse_confirmed

# Foreign keys a coordinator may point at: only their own organisation's rows.
_OWN_CHOICES = {"site": sites_visible_to, "department": departments_visible_to, "opportunity": opportunities_visible_to}


class CoordinatorPermissionsMixin:
    """Role-based permissions, for ModelAdmins and inlines alike."""

    def organisation_id_of(self, obj) -> int:
        return obj.organisation_id

    def _allowed(self, request, obj=None) -> bool:
        if not is_active_coordinator(request.user):
            return False
        return obj is None or self.organisation_id_of(obj) == request.user.organisation_id

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj) and (obj is None or self.is_deletable(obj))


class CoordinatorAdminMixin(CoordinatorPermissionsMixin):
    """Scoping for a coordinator ModelAdmin: querysets, choices, saving, and 404 for anything else."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such item in your organisation.")
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in _OWN_CHOICES:
            kwargs["queryset"] = _OWN_CHOICES[db_field.name](request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if issubclass(form, OrganisationOwnedForm):
            form = type(form.__name__, (form,), {"owner": request.user.organisation})
        return form

    def save_model(self, request, obj, form, change):
        if hasattr(obj, "organisation_id") and not change:
            obj.organisation = request.user.organisation
        super().save_model(request, obj, form, change)

    def history_view(self, request, object_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        if request.method != "GET":
            # Reverting from history would skip the capacity rules; change the item instead.
            return HttpResponseNotAllowed(["GET"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True


@admin.register(Site, site=coordinator_site)
class CoordinatorSiteAdmin(GuardedAdminMixin, CoordinatorAdminMixin, SiteAdminBase):
    pass


@admin.register(Department, site=coordinator_site)
class CoordinatorDepartmentAdmin(GuardedAdminMixin, CoordinatorAdminMixin, DepartmentAdminBase):
    list_filter = ["setting", ("site", admin.RelatedOnlyFieldListFilter)]


class CoordinatorCohortInline(CoordinatorPermissionsMixin, CohortInline):
    # Here ``obj`` is the opportunity the dates belong to; a booked row is protected by the formset.
    def is_deletable(self, obj) -> bool:
        return True


@admin.register(Opportunity, site=coordinator_site)
class CoordinatorOpportunityAdmin(GuardedAdminMixin, CoordinatorAdminMixin, OpportunityAdminBase):
    inlines = [CoordinatorCohortInline]
    list_filter = ["status", "profession_area", "kind", StaleFilter, ("site", admin.RelatedOnlyFieldListFilter)]

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            hidden = opportunities_visible_to(request.user).filter(status=OpportunityStatus.PUBLISHED).stale().count()
            if hidden:
                which = "opportunity has" if hidden == 1 else "opportunities have"
                self.message_user(
                    request,
                    f"{hidden} published {which} not had capacity confirmed for over 60 days, so students cannot "
                    "see them. Check the dates and places, then select them and choose “Confirm capacity is "
                    "still accurate”.",
                    messages.WARNING,
                )
        return super().changelist_view(request, extra_context)


@admin.register(Cohort, site=coordinator_site)
class CoordinatorCohortAdmin(
    GuardedAdminMixin, GuardedExportMixin, CoordinatorAdminMixin, ImportExportMixin, CohortAdminBase
):
    resource_classes = [CohortResource]
    formats = [CSV]
    # Every column, every time: a file exported here must import unchanged.
    export_form_class = ExportForm
    import_form_class = CohortImportForm
    confirm_form_class = CohortConfirmImportForm
    import_template_name = "placements/admin/cohort_import.html"

    def organisation_id_of(self, obj) -> int:
        return obj.opportunity.organisation_id

    def has_import_permission(self, request):
        return self._allowed(request)

    def has_export_permission(self, request):
        return self._allowed(request)

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        # django-import-export would build the whole file first; the same file is streamed instead (CSV only).
        if not isinstance(file_format, CSV):
            return super()._do_file_export(file_format, request, queryset, export_form=export_form)
        return cohort_csv_response(
            actor=request.user,
            queryset=queryset,
            filename=self.get_export_filename(request, queryset, file_format),
        )

    def get_resource_kwargs(self, request, *args, **kwargs):
        form = kwargs.get("form")
        if isinstance(form, CohortConfirmImportForm):
            # The confirm step: the students the preview listed, and no others.
            return {"actor": request.user, "confirmed": parse_confirmed(form.cleaned_data.get("affected"))}
        if isinstance(form, CohortImportForm):
            # The preview: collect the students the file affects, for the page and the confirm form.
            request.cohort_import_affected = []
            return {"actor": request.user, "affected": request.cohort_import_affected}
        return {"actor": request.user}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        affected = getattr(request, "cohort_import_affected", None)
        if affected:
            initial["affected"] = ChangeNeedsConfirmation(affected, []).token
        return initial

    def init_request_context_data(self, request, form):
        context = super().init_request_context_data(request, form)
        context["fields_list"] = [(CohortResource.get_display_name(), COLUMNS)]
        return context

    def get_import_context_data(self, **kwargs):
        size = max_bytes()
        return {
            "export_only_columns": EXPORT_ONLY_COLUMNS,
            "max_rows": f"{max_rows():,}",
            "max_size": f"{size / 1_000_000:g} MB" if size >= 100_000 else f"{size // 1000} KB",
        }

    def process_dataset(self, dataset, form, request, **kwargs):
        # Validation errors roll back too, not only crashes: a file imports completely or not at all.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().process_dataset(dataset, form, request, **kwargs)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # Only reachable by posting a file that failed its preview: the transaction was rolled back.
            self.message_user(
                request,
                "Nothing was imported because the file has errors. Upload it again to see them.",
                messages.ERROR,
            )
            opts = self.opts
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_import", current_app=self.admin_site.name)
            )
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        message = f"Import finished: {totals['new']} new, {totals['update']} changed and {totals['skip']} unchanged."
        confirm_form = self.create_confirm_form(request)
        if confirm_form.is_valid() and parse_confirmed(confirm_form.cleaned_data.get("affected")):
            message += " The students listed in the preview have been emailed."
        self.message_user(request, message, messages.SUCCESS)


def _own_policy(user):
    """A coordinator sees exactly one policy: their organisation's (created with the defaults on first visit)."""
    if is_active_coordinator(user):
        MatchingPolicy.objects.get_or_create(organisation_id=user.organisation_id)
        return MatchingPolicy.objects.filter(organisation_id=user.organisation_id)
    return MatchingPolicy.objects.none()


@admin.register(MatchingPolicy, site=coordinator_site)
class CoordinatorMatchingPolicyAdmin(
    MatchingPolicySavingMixin, GuardedAdminMixin, CoordinatorAdminMixin, ScopedQuerysetMixin, SimpleHistoryAdmin
):
    """Hosts tune their priority weights within the published limits (0-3); the order of factors is fixed.
    Each change is kept with who made it, and the coordinator sees their own policy's history."""

    visible_to = staticmethod(_own_policy)
    list_display = ["organisation", "widening_participation_weight", "endorsement_weight", "distance_weight"]
    fields = ["widening_participation_weight", "endorsement_weight", "distance_weight"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
