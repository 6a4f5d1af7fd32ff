import re
from urllib.parse import urlsplit

from axes import admin as axes_admin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.urls import Resolver404, resolve
from django.utils import timezone

from accounts.admin_guards import GuardedAdminMixin
from accounts.models import EmailStatus, Invitation, Organisation, OutboundEmail, User
from accounts.outbox import email_resend


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


# URL parts that make a link a key: whoever holds it can act as the person it was sent to.
SECRET_URL_ARGUMENTS = {"token", "uidb64"}
LINK = re.compile(r"""https?://[^\s"'<>]+""")
LINK_HIDDEN = "[link hidden: it lets whoever holds it act as the recipient]"
# The bodies are shown without keys; the stored MIME message (both bodies again, encoded) is not shown at all.
_SHOWN_INSTEAD = {"body_text": "body_text_shown", "body_html": "body_html_shown"}
_OUTBOX_FIELDS_SHOWN = [
    _SHOWN_INSTEAD.get(f.name, f.name) for f in OutboundEmail._meta.fields if f.name not in ("id", "raw_message")
]


def _is_secret_link(url: str) -> bool:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    return bool(SECRET_URL_ARGUMENTS & match.kwargs.keys())


def _hide_if_secret(found: re.Match) -> str:
    link = found.group()
    stripped = link.rstrip(".,;:!?)]")  # the end of the sentence the link sits in
    return (LINK_HIDDEN if _is_secret_link(stripped) else stripped) + link[len(stripped) :]


def without_secret_links(text: str) -> str:
    """``text`` with every single-use link (password reset, sign-in unlock, invitation, verification,
    guardian consent) replaced by a note, so reading the outbox never hands someone else's key over."""
    return LINK.sub(_hide_if_secret, text)


@admin.register(OutboundEmail)
class OutboundEmailAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["subject", "to_email", "template", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "template", "category"]
    search_fields = ["to_email", "subject", "dedupe_key"]
    fields = readonly_fields = _OUTBOX_FIELDS_SHOWN
    actions = ["resend"]

    @admin.display(description="body text")
    def body_text_shown(self, obj):
        return without_secret_links(obj.body_text)

    @admin.display(description="body HTML (source)")
    def body_html_shown(self, obj):
        return without_secret_links(obj.body_html)

    def get_queryset(self, request):
        from django.db.models import Case, IntegerField, Value, When

        # Failed first: they are the ones someone must act on.
        return (
            super()
            .get_queryset(request)
            .annotate(
                failed_first=Case(
                    When(status=EmailStatus.FAILED, then=Value(0)), default=Value(1), output_field=IntegerField()
                )
            )
            .order_by("failed_first", "-created_at")
        )

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send again (failed emails only)")
    def resend(self, request, queryset):
        failed = list(queryset.filter(status=EmailStatus.FAILED))
        for email in failed:
            email_resend(email=email)
        self.message_user(request, f"{len(failed)} email(s) queued to send again.", messages.SUCCESS)


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
