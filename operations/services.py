from django.db import IntegrityError, transaction
from django.utils import timezone

from operations.models import Heartbeat

BEAT = "beat"


def heartbeat_record(*, name: str = BEAT) -> None:
    """Stamp ``name``'s heartbeat with the current time (one UPDATE; an INSERT the very first time)."""
    now = timezone.now()
    if Heartbeat.objects.filter(name=name).update(at=now):
        return
    try:
        with transaction.atomic():
            Heartbeat.objects.create(name=name, at=now)
    except IntegrityError:
        # Two workers ran the first tick at once: the other row is just as fresh.
        Heartbeat.objects.filter(name=name).update(at=now)
