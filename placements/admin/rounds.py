"""Site-admin pages for rounds and (read-only) applications."""

from django.contrib import admin
from django.db.models import Count

from accounts.admin_guards import GuardedAdminMixin
from placements.admin.audit import ApplicationAuditTrailMixin
from placements.models import Application, Round, StatusChange


@admin.register(Round)
class RoundAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "applications_open_on",
        "applications_close_on",
        "matching_on",
        "outcomes_by",
        "placements_from",
        "placements_to",
        "application_count",
    ]
    fieldsets = [
        (None, {"fields": ["name"]}),
        ("Applications", {"fields": ["applications_open_on", "applications_close_on"]}),
        (
            "Matching and outcomes",
            {
                "fields": ["matching_on", "outcomes_by"],
                "description": "Students can change their answers until matching.",
            },
        ),
        (
            "Placements in this round",
            {
                "fields": ["placements_from", "placements_to"],
                "description": "Cohorts whose dates fall in this period belong to the round.",
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(applications_total=Count("applications"))

    @admin.display(description="applications", ordering="applications_total")
    def application_count(self, obj):
        return obj.applications_total


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ApplicationAuditTrailMixin, GuardedAdminMixin, admin.ModelAdmin):
    """Read-only: applications change only through the services, so every change is recorded; each has an
    audit trail page (placements/admin/audit.py)."""

    list_display = ["reference", "round", "status", "college", "submitted_at"]
    list_filter = ["round", "status"]
    list_select_related = ["round", "college"]
    search_fields = ["reference", "student__email"]
    inlines = [StatusChangeInline]
    exclude = ["student"]
    # An application's own page is the student's (/my-application/): a site admin following the link gets a 404.
    view_on_site = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Application._meta.concrete_fields if f.name != "student"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
