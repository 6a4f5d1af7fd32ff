from datetime import datetime, timedelta

from django.utils import timezone

from notifications.models import EmailStatus, OutboundEmail
from operations.models import Heartbeat


def outbox_backlog_count(*, older_than: timedelta) -> int:
    """Emails still waiting to go (or stuck mid-send) that were queued more than ``older_than`` ago."""
    return OutboundEmail.objects.filter(
        status__in=(EmailStatus.PENDING, EmailStatus.SENDING), created_at__lt=timezone.now() - older_than
    ).count()


def heartbeat_last_seen(*, name: str) -> datetime | None:
    return Heartbeat.objects.filter(name=name).values_list("at", flat=True).first()
