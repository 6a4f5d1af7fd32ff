"""Structured logs: one JSON object per line on stdout, for a log collector (``LOG_FORMAT=json``, production).

Every line names its time, level, logger and message, and, inside a request or a Celery task, the request id (also
sent back as ``X-Request-ID``), the route and the signed-in user's id, or the task's name and id. Only the fields in
``FIELDS`` are written: a log call's other ``extra`` values (Django passes the request object, Celery the task's
arguments) never reach the collector. Email addresses, and the signed-in person's own name, are masked in messages
and tracebacks; values in the URL that are secrets (tokens in sign-in, invitation and consent links) become the
name of the URL part.
"""

import contextvars
import dataclasses
import json
import logging
import re
import traceback
from datetime import UTC, datetime
from typing import Any

from django.utils.functional import empty  # settings import this module: nothing here may read settings

# What a collector may receive, besides time, level, logger, message and exception.
FIELDS = (
    "event",
    "request_id",
    "method",
    "path",
    "route",
    "view",
    "status",
    "duration_ms",
    "query_count",
    "user_id",
    "task",
    "task_id",
    "retries",
    "exc_type",
)
EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
# Where Celery logs a task's failure, once, with its traceback.
CELERY_TRACE_LOGGER = "celery.app.trace"
# URL parts whose value is a secret: shown as the part's name.
SECRET_URL_KWARGS = re.compile(r"token|uid|key|secret|signature", re.IGNORECASE)


@dataclasses.dataclass
class LogContext:
    request_id: str = ""
    request: Any = None
    task: str = ""
    task_id: str = ""
    retries: int | None = None


CONTEXT: contextvars.ContextVar[LogContext | None] = contextvars.ContextVar("operations_log_context", default=None)


def _evaluated_user(request):
    """The signed-in user if this request has already loaded it: logging must never run a query of its own."""
    user = getattr(request, "user", None) if request is not None else None
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)  # SimpleLazyObject until something reads it
    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped


def safe_path(request) -> str:
    """``request.path`` with secret URL parts replaced by their names, e.g. /consent/<token>/."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if SECRET_URL_KWARGS.search(name) and str(value):
                path = path.replace(str(value), f"<{name}>")
    return path


class RequestContextFilter(logging.Filter):
    """Adds the current request's or task's fields to every record (``request_id`` is "-" outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = CONTEXT.get()
        request = context.request if context is not None else None
        if request is None:
            # Django logs a 4xx/5xx response after the middleware has finished, passing the request itself.
            request = getattr(record, "request", None)
            request = request if hasattr(request, "resolver_match") else None
        record.request_id = (
            getattr(record, "request_id", None)
            or (context.request_id if context is not None else "")
            or getattr(request, "request_id", "")
            or "-"
        )
        if request is not None:
            match = getattr(request, "resolver_match", None)
            _default(record, "method", request.method)
            _default(record, "path", safe_path(request))
            if match is not None:
                _default(record, "route", match.route)
                _default(record, "view", match.view_name)
            user = _evaluated_user(request)
            if user is not None:
                _default(record, "user_id", user.pk)
            record._personal = _personal_values(user, request)
        if context is not None and context.task:
            _default(record, "task", context.task)
            _default(record, "task_id", context.task_id)
            if record.name == CELERY_TRACE_LOGGER and record.levelno >= logging.ERROR:
                _default(record, "event", "task_failed")
                _default(record, "retries", context.retries)
        return True


def _default(record, name, value):
    if getattr(record, name, None) in (None, ""):
        setattr(record, name, value)


def _personal_values(user, request) -> list[tuple[str, str]]:
    """(value, replacement) pairs to mask in this request's log lines."""
    pairs = []
    if request is not None:
        raw, safe = request.path, safe_path(request)
        if raw != safe:
            pairs.append((raw, safe))
    if user is not None:
        for value in (getattr(user, "first_name", ""), getattr(user, "last_name", "")):
            if value and len(value.strip()) >= 2:
                pairs.append((value.strip(), "[name]"))
    return pairs


def redact(text: str, pairs: list[tuple[str, str]] = ()) -> str:
    for value, replacement in pairs:
        text = text.replace(value, replacement)
    return EMAIL.sub("[email]", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        pairs = getattr(record, "_personal", [])
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage(), pairs),
        }
        if getattr(record, "status", None) is None and getattr(record, "status_code", None) is not None:
            record.status = record.status_code  # Django's own request log calls it status_code
        for name in FIELDS:
            value = getattr(record, name, None)
            if value not in (None, "", "-"):
                line[name] = value if isinstance(value, int | float | bool) else str(value)
        if record.exc_info and record.exc_info[0] is not None:
            line.setdefault("exc_type", record.exc_info[0].__name__)
            line["exception"] = redact("".join(traceback.format_exception(*record.exc_info)).rstrip(), pairs)
        return json.dumps(line, ensure_ascii=False, default=str)


CONSOLE_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def with_structured_logs(config: dict, *, log_format: str) -> dict:
    """``config`` (a LOGGING dict) with every handler writing ``log_format`` ("json" or "console") to stdout,
    with the request/task fields filter after any filter it already has. Safe to apply twice."""
    if log_format not in ("json", "console"):
        raise ValueError(f"LOG_FORMAT must be 'json' or 'console', not {log_format!r}")
    config = {**config}
    config["filters"] = {**config.get("filters", {}), "request_context": {"()": f"{__name__}.RequestContextFilter"}}
    config["formatters"] = {
        **config.get("formatters", {}),
        "json": {"()": f"{__name__}.JsonFormatter"},
        "console": {"format": CONSOLE_FORMAT},
    }
    handlers = {}
    for name, handler in config.get("handlers", {}).items():
        handler = {**handler, "formatter": log_format}
        if handler.get("class") == "logging.StreamHandler":
            handler["stream"] = "ext://sys.stdout"
        filters = [f for f in handler.get("filters", []) if f != "request_context"]
        handler["filters"] = [*filters, "request_context"]
        handlers[name] = handler
    config["handlers"] = handlers
    return config
