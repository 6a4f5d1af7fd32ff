"""What the site admin shows of the audit (ADR 0013): each application's audit trail, endorsements with their
history, and matching-policy changes saved through the service so the history names who made them."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_guards import GuardedAdminMixin, ReadOnlyAdminMixin
from placements.models import Endorsement
from placements.selectors.audit import application_audit_trail
from placements.services.matching_policy import WEIGHTS, matching_policy_update


class MatchingPolicySavingMixin:
    """A policy saved from either admin (or reverted from its history) goes through ``matching_policy_update``.

    Its history page lists each change as "weight: old → new" with who made it and when."""

    def save_model(self, request, obj, form, change):
        weights = {name: form.cleaned_data[name] for name in WEIGHTS if name in form.cleaned_data}
        matching_policy_update(actor=request.user, policy=obj, **weights)


class ApplicationAuditTrailMixin:
    """Adds ``<id>/audit-trail/`` to the read-only application admin: one page with everything that moved it."""

    audit_trail_template = "admin/placements/application/audit_trail.html"

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/audit-trail/",
                self.admin_site.admin_view(self.audit_trail_view),
                name=f"{opts.app_label}_{opts.model_name}_audit_trail",
            ),
            *super().get_urls(),
        ]

    def audit_trail_view(self, request, object_id):
        # Anyone the admin lets in but who may not see applications gets the same answer as for a missing one.
        if not self.has_view_permission(request):
            raise Http404
        application = self.get_object(request, unquote(object_id))
        if application is None:
            raise Http404
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": application,
            "title": f"Audit trail for application {application.reference}",
            "events": application_audit_trail(application=application),
        }
        return TemplateResponse(request, self.audit_trail_template, context)


@admin.register(Endorsement)
class EndorsementAdmin(ReadOnlyAdminMixin, GuardedAdminMixin, SimpleHistoryAdmin):
    """Read-only: tutors endorse on their own pages. The history shows each change of strength and note."""

    list_display = ["application", "strength", "tutor", "updated_at"]
    list_select_related = ["application", "tutor"]
    search_fields = ["application__reference"]
    fields = ["application", "tutor", "strength", "note", "created_at", "updated_at"]
    readonly_fields = fields
