"""/health/: the database, the broker, the email outbox backlog and the age of beat's last tick.

Built on django-health-check's view (JSON, HTML, plain text and OpenMetrics by content negotiation). The checks are
named here, not taken from the library's defaults: its DNS and mail checks fail on a machine without a network.

Anyone may read it, so it says which service is unhealthy and nothing else: no host names, URLs, driver messages
or personal data. The underlying error goes to the log (with a request id) for whoever runs the service.
"""

import dataclasses
import os
from datetime import timedelta

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError
from django.http import JsonResponse
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from operations import selectors
from operations.models import Heartbeat
from operations.services import BEAT


@dataclasses.dataclass
class _Check(HealthCheck):
    """A synchronous check run in the request's own thread (``thread_sensitive``).

    The library runs a synchronous check in a thread pool, where a database connection is opened per pool thread and
    never closed at the end of the request; here each check uses the request's connection, like any view.
    """

    name = "check"
    detail: str = dataclasses.field(default="", init=False, repr=False)

    async def run(self) -> None:
        await sync_to_async(self.check, thread_sensitive=True)()

    def check(self) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.name

    @property
    def labels(self) -> dict[str, str]:
        return {"check": self.name}


class Database(_Check):
    """A query on one of our own tables: the server answers, and the schema is there."""

    name = "database"

    def check(self) -> None:
        try:
            Heartbeat.objects.exists()
        except DatabaseError as error:
            # The library logs this with its cause (the driver's message) for whoever runs the service.
            raise ServiceUnavailable("cannot query the database") from error


class Broker(_Check):
    """Opens a connection to the Celery broker the app publishes to (Redis, or the filesystem broker of make run)."""

    name = "broker"

    def check(self) -> None:
        from config.celery import app

        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=0, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)
                _check_filesystem_folders(connection)
        except Exception as error:  # noqa: BLE001 — any transport's error means the same thing here
            raise ServiceUnavailable("cannot connect to the broker") from error


def _check_filesystem_folders(connection) -> None:
    """The filesystem transport "connects" whatever happens; publishing needs its folders to exist and be writable."""
    if connection.transport_cls != "filesystem":
        return
    options = connection.transport_options
    for key in ("data_folder_out", "data_folder_in"):
        folder = options.get(key)
        if not folder or not os.path.isdir(folder) or not os.access(folder, os.W_OK):
            raise OSError(f"filesystem broker {key} is missing or read-only")


class OutboxBacklog(_Check):
    """More than ``HEALTH_OUTBOX_BACKLOG_MAX`` emails queued over ``HEALTH_OUTBOX_BACKLOG_MINUTES`` ago: mail is stuck.

    Pending and mid-send rows count; a retrying email stays pending until it is sent or fails for good.
    """

    name = "outbox"

    def check(self) -> None:
        minutes = settings.HEALTH_OUTBOX_BACKLOG_MINUTES
        count = selectors.outbox_backlog_count(older_than=timedelta(minutes=minutes))
        self.detail = f"{count} email{'s' if count != 1 else ''} waiting more than {minutes} minutes"
        if count > settings.HEALTH_OUTBOX_BACKLOG_MAX:
            raise ServiceUnavailable(self.detail)


class BeatHeartbeat(_Check):
    """Beat's last tick, recorded by a worker, is at most ``HEALTH_BEAT_MAX_AGE_MINUTES`` old: scheduled jobs run."""

    name = "beat"

    def check(self) -> None:
        last = selectors.heartbeat_last_seen(name=BEAT)
        if last is None:
            self.detail = "no tick recorded yet"
            raise ServiceUnavailable(self.detail)
        age = max(timezone.now() - last, timedelta(0))
        self.detail = f"last tick {_readable(age)} ago"
        if age > timedelta(minutes=settings.HEALTH_BEAT_MAX_AGE_MINUTES):
            raise ServiceUnavailable(self.detail)


def _readable(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    if seconds < 120:
        return f"{seconds} seconds"
    if seconds < 2 * 3600:
        return f"{seconds // 60} minutes"
    return f"{seconds // 3600} hours"


ALL_CHECKS = (Database, Broker, OutboxBacklog, BeatHeartbeat)


class HealthView(HealthCheckView):
    """200 when every check passes, 503 (not the library's 500) when any fails: "not ready", not "crashed"."""

    checks = ALL_CHECKS
    template_name = "operations/health.html"

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:  # the library's answer for "a check failed"; errors raise instead
            response.status_code = 503
        return response

    def render_to_response_json(self, status):
        return JsonResponse(
            {
                "status": "unhealthy" if any(result.error for result in self.results) else "ok",
                "checks": {result.check.name: _as_json(result) for result in self.results},
            },
            status=status,
        )


def _as_json(result) -> dict:
    """{"status": "ok" | "unhealthy", "detail": ...}: the check's own words only, never an exception's text."""
    answer = {"status": "unhealthy" if result.error else "ok"}
    detail = result.error.message if result.error else result.check.detail
    if detail:
        answer["detail"] = detail
    return answer
