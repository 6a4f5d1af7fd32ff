"""Site admin for skills: the framework (read-only: a loaded version never changes, ADR 0017), assessments
(read-only), employers' skills settings and the join page's rate-limit log.

What a site admin sees of a person's assessment: who, when it was started and sent, the framework version, whether
it is shared, and how many questions are answered. Not the answers and not the levels: a site admin needs them for
nothing (support questions are "is it saved?" and "when did I send it?"), the person downloads their own record,
and deleting the person's account deletes their assessments. Responses are listed as "answered, when" only.
"""

from django.contrib import admin
from django.db.models import Count

from accounts.admin_guards import GuardedAdminMixin
from skills.models import (
    Assessment,
    Domain,
    EmployerSkillsPolicy,
    FrameworkVersion,
    JoinAttempt,
    Level,
    Resource,
    Response,
    Statement,
)


class ReadOnly:
    """Viewable, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(GuardedAdminMixin, ReadOnly, admin.ModelAdmin):
    list_display = ["version", "title", "published_on", "loaded_at"]
    readonly_fields = ["version", "title", "published_on", "content_hash", "loaded_at"]


@admin.register(Level)
class LevelAdmin(GuardedAdminMixin, ReadOnly, admin.ModelAdmin):
    list_display = ["number", "name", "framework_version"]
    list_filter = ["framework_version"]


@admin.register(Domain)
class DomainAdmin(GuardedAdminMixin, ReadOnly, admin.ModelAdmin):
    list_display = ["title", "key", "position", "framework_version"]
    list_filter = ["framework_version"]
    search_fields = ["title", "key"]


@admin.register(Statement)
class StatementAdmin(GuardedAdminMixin, ReadOnly, admin.ModelAdmin):
    list_display = ["text", "key", "level", "domain"]
    list_filter = ["domain__framework_version", "domain__key", "level"]
    list_select_related = ["domain"]
    search_fields = ["text", "key"]


@admin.register(Resource)
class ResourceAdmin(GuardedAdminMixin, ReadOnly, admin.ModelAdmin):
    list_display = ["title", "provider", "level", "domain", "url"]
    list_filter = ["domain__framework_version", "domain__key", "level"]
    list_select_related = ["domain"]
    search_fields = ["title", "provider"]


@admin.register(Assessment)
class AssessmentAdmin(GuardedAdminMixin, ReadOnly, admin.ModelAdmin):
    list_display = [
        "pk",
        "person",
        "employer",
        "framework_version",
        "started_at",
        "submitted_at",
        "shared_with_employer",
    ]
    list_filter = ["shared_with_employer", "framework_version", "person__organisation"]
    list_select_related = ["person__organisation", "framework_version"]
    search_fields = ["=person__email"]
    date_hierarchy = "started_at"
    # Newest first, and a total order so a row never shows on two pages (the count annotation groups the rows).
    ordering = ["-started_at", "-pk"]
    fields = [
        "person",
        "employer",
        "framework_version",
        "started_at",
        "submitted_at",
        "shared_with_employer",
        "shared_at",
        "answered",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(answered_count=Count("responses"))

    @admin.display(description="employer", ordering="person__organisation__name")
    def employer(self, obj):
        return obj.person.organisation

    @admin.display(description="questions answered")
    def answered(self, obj):
        return obj.answered_count


@admin.register(Response)
class ResponseAdmin(GuardedAdminMixin, ReadOnly, admin.ModelAdmin):
    """Which questions a sitting has answered and when; the answers themselves are the person's (not shown)."""

    list_display = ["assessment", "statement_key", "answered_at"]
    list_select_related = ["statement"]
    search_fields = ["=assessment__pk"]
    fields = ["assessment", "statement", "answered_at"]
    readonly_fields = fields

    @admin.display(description="question")
    def statement_key(self, obj):
        return obj.statement.key


@admin.register(EmployerSkillsPolicy)
class EmployerSkillsPolicyAdmin(GuardedAdminMixin, admin.ModelAdmin):
    """Made by the employer's coordinator on /skills/employer/join-code/; a site admin may change the period."""

    list_display = ["employer", "has_join_code", "join_code_changed_at", "reassess_after_months"]
    list_select_related = ["employer"]
    search_fields = ["employer__name"]
    fields = ["employer", "join_code", "join_code_changed_at", "join_code_changed_by", "reassess_after_months"]
    readonly_fields = ["employer", "join_code", "join_code_changed_at", "join_code_changed_by"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(boolean=True, description="join code")
    def has_join_code(self, obj):
        return bool(obj.join_code)


@admin.register(JoinAttempt)
class JoinAttemptAdmin(GuardedAdminMixin, ReadOnly, admin.ModelAdmin):
    list_display = ["attempted_at", "ip_address", "code_matched"]
    list_filter = ["code_matched"]
    search_fields = ["=ip_address"]
    date_hierarchy = "attempted_at"
