"""The outbox in the site admin: read what was sent (without anyone's single-use links), send failures again."""

import re
from urllib.parse import urlsplit

from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.urls import Resolver404, resolve

from accounts.admin_guards import GuardedAdminMixin
from notifications.models import EmailStatus, OutboundEmail
from notifications.outbox import email_resend

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
