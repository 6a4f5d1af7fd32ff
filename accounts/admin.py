from axes import admin as axes_admin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.admin_guards import GuardedAdminMixin
from accounts.models import Invitation, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "borough", "postcode", "code"]
    list_filter = ["kind", "borough"]
    search_fields = ["name", "code", "postcode"]

    def get_readonly_fields(self, request, obj=None):
        # Changing kind would break who may belong (a tutor must be at a college, a planning partner at an
        # integrated care board...), for members and for anyone whose invitation is still waiting.
        if obj is None:
            return []
        waiting = obj.invitations.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        return ["kind"] if obj.members.exists() or waiting.exists() else []


@admin.register(User)
class UserAdmin(GuardedAdminMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "organisation", "email_verified_at", "is_active"]
    list_filter = ["role", "is_active", "organisation__kind"]
    list_select_related = ["organisation"]
    search_fields = ["email", "first_name", "last_name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Name", {"fields": ["first_name", "last_name"]}),
        ("Role", {"fields": ["role", "organisation", "email_verified_at"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "role", "organisation", "password1", "password2"]})
    ]


@admin.register(Invitation)
class InvitationAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = [
        "email",
        "organisation",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role", "organisation__kind"]
    list_select_related = ["organisation", "invited_by"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = ["token_hash", "accepted_at", "accepted_user", "invited_by", "created_at"]

    def has_add_permission(self, request):
        # Invitations are sent from the invitation page so that the email goes out with them.
        return False


# Django's and django-axes' own pages get the same guards (see accounts.admin_guards).
class GroupAdmin(GuardedAdminMixin, BaseGroupAdmin):
    pass


class AccessAttemptAdmin(GuardedAdminMixin, axes_admin.AccessAttemptAdmin):
    @admin.action(description="Clean up expired attempts")
    def cleanup_expired_attempts(self, request, queryset):
        # axes reads the time of "this attempt" from the request, which only its sign-in handling sets.
        AxesProxyHandler.update_request(request)
        return super().cleanup_expired_attempts(request, queryset)


class AccessLogAdmin(GuardedAdminMixin, axes_admin.AccessLogAdmin):
    pass


class AccessFailureLogAdmin(GuardedAdminMixin, axes_admin.AccessFailureLogAdmin):
    pass


for _model, _admin_class in [
    (Group, GroupAdmin),
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_model, _admin_class)
