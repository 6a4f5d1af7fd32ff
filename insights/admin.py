"""Site admin: snapshots read-only (their counts are unsuppressed, so the documents are not shown), vacancy uploads."""

from django.contrib import admin

from accounts.admin_guards import GuardedAdminMixin
from insights.models import Snapshot, VacancyUpload


@admin.register(Snapshot)
class SnapshotAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "kind", "status", "taken_at", "duration_ms", "taken_by")
    list_filter = ("kind", "status")
    fields = ("kind", "month", "status", "taken_by", "created_at", "taken_at", "duration_ms", "error")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(VacancyUpload)
class VacancyUploadAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ("uploaded_at", "sector", "filename", "rows", "uploaded_by")
    list_filter = ("sector",)
    readonly_fields = ("sector", "uploaded_by", "uploaded_at", "filename", "rows")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
