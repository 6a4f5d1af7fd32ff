"""Structured logs: slow requests, unhandled errors and failed Celery tasks as one JSON line each, no personal data."""

import io
import json
import logging
import logging.config
import os
import subprocess
import sys

import pytest
from celery import shared_task
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from operations.logs import CONSOLE_FORMAT, JsonFormatter, with_structured_logs


@pytest.fixture
def json_logs():
    """The production LOGGING (base.py's, in JSON) with its stdout handlers writing to a buffer; returns a reader."""
    from config.settings import base

    config = with_structured_logs(base.LOGGING, log_format="json")
    logging.config.dictConfig(config)
    buffer = io.StringIO()
    for handler in {h for name in ("", *config.get("loggers", {})) for h in logging.getLogger(name).handlers}:
        if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stdout:
            handler.setStream(buffer)

    def lines():
        return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]

    yield lines
    for name in config.get("loggers", {}):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    logging.config.dictConfig(django_settings.LOGGING)


@pytest.mark.django_db
def test_a_slow_request_is_one_json_line_with_route_status_duration_and_queries(client, settings, json_logs):
    settings.SLOW_REQUEST_MS = 0
    response = client.get(reverse("privacy"), HTTP_X_REQUEST_ID="lb-1234.abc")
    assert response.status_code == 200
    slow = [line for line in json_logs() if line.get("event") == "slow_request"]
    assert len(slow) == 1
    line = slow[0]
    assert line["level"] == "WARNING" and line["logger"] == "operations.requests"
    assert line["request_id"] == response["X-Request-ID"] == "lb-1234.abc"
    assert line["method"] == "GET"
    assert line["route"] == "privacy/" and line["view"] == "privacy" and line["path"] == "/privacy/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], int) and line["duration_ms"] >= 0
    assert isinstance(line["query_count"], int)
    assert line["time"].endswith("+00:00")


@pytest.mark.django_db
def test_slow_request_query_count_counts_the_requests_queries(client, settings, json_logs, student):
    settings.SLOW_REQUEST_MS = 0
    client.force_login(student)
    client.get(reverse("accounts:home"), follow=True)
    slow = [line for line in json_logs() if line.get("event") == "slow_request"]
    assert slow and all(line["query_count"] >= 2 for line in slow)  # the session and the user, at least
    assert all(line["user_id"] == student.pk for line in slow)


@pytest.mark.django_db
def test_a_fast_request_is_not_logged(client, settings, json_logs):
    settings.SLOW_REQUEST_MS = 60_000
    client.get(reverse("privacy"))
    assert not [line for line in json_logs() if line.get("event") == "slow_request"]


@pytest.mark.django_db
@pytest.mark.parametrize("incoming", ["", "has spaces and\nnewlines", "x" * 200, "<script>"])
def test_every_response_gets_a_request_id_and_a_bad_incoming_one_is_replaced(client, incoming):
    response = client.get(reverse("privacy"), HTTP_X_REQUEST_ID=incoming)
    request_id = response["X-Request-ID"]
    assert request_id != incoming and len(request_id) == 32 and request_id.isalnum()


@pytest.mark.django_db
@pytest.mark.urls("tests.operations.urls")
def test_an_unhandled_error_is_one_json_line_with_request_id_path_and_user_id_but_no_personal_data(student, json_logs):
    client = Client(raise_request_exception=False)
    client.force_login(student)
    response = client.get(reverse("test-boom"))
    assert response.status_code == 500
    output = json_logs()
    errors = [line for line in output if line["level"] == "ERROR"]
    assert len(errors) == 1
    line = errors[0]
    assert line["logger"] == "django.request"
    assert line["request_id"] == response["X-Request-ID"]
    assert line["path"] == "/test-errors/boom/" and line["method"] == "GET"
    assert line["user_id"] == student.pk
    assert line["status"] == 500
    assert line["exc_type"] == "RuntimeError"
    assert "fail_with_personal_data" in line["exception"]  # the traceback is there, to find the fault
    assert "Could not save [email] ([name] [name])" in line["exception"]
    text = json.dumps(output)
    for personal in (student.email, student.first_name, student.last_name):
        assert personal not in text


@pytest.mark.django_db
@pytest.mark.urls("tests.operations.urls")
def test_a_secret_in_the_url_is_logged_as_its_name(student, json_logs):
    client = Client(raise_request_exception=False)
    client.force_login(student)
    client.get(reverse("test-boom-token", kwargs={"token": "s3cr3t-consent-token"}))
    output = json_logs()
    assert "s3cr3t-consent-token" not in json.dumps(output)
    assert [line["path"] for line in output if line["level"] == "ERROR"] == ["/test-errors/consent/<token>/"]


@shared_task(name="tests.operations.failing_task")
def failing_task(student_id):
    raise ValueError(f"No place for student {student_id} at someone@example.test")


def test_a_failed_celery_task_is_a_json_line_with_task_name_and_id_but_not_its_arguments(json_logs):
    result = failing_task.apply(args=[987654])
    assert result.failed()
    failures = [line for line in json_logs() if line.get("event") == "task_failed"]
    assert len(failures) == 1
    line = failures[0]
    assert line["level"] == "ERROR" and line["logger"] == "celery.app.trace"
    assert [entry for entry in json_logs() if entry["level"] == "ERROR"] == [line]  # one line per failure
    assert line["task"] == "tests.operations.failing_task" and line["task_id"] == result.id
    assert line["exc_type"] == "ValueError" and line["retries"] == 0
    assert "someone@example.test" not in json.dumps(line) and "[email]" in line["exception"]


def test_only_known_fields_reach_the_collector():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello %s", ("a@b.example",), None)
    record.data = {"args": ["secret argument"]}
    record.request = object()
    record.status = 201
    line = json.loads(JsonFormatter().format(record))
    assert line == {"time": line["time"], "level": "INFO", "logger": "x", "message": "hello [email]", "status": 201}


def test_every_handler_writes_the_chosen_format_to_stdout_with_the_request_fields():
    config = {
        "version": 1,
        "filters": {"other": {"()": "logging.Filter"}},
        "formatters": {"plain": {"format": "%(message)s"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["other"]}},
    }
    once = with_structured_logs(config, log_format="json")
    twice = with_structured_logs(once, log_format="console")
    assert once["handlers"]["console"]["formatter"] == "json"
    assert once["handlers"]["console"]["stream"] == "ext://sys.stdout"
    assert twice["handlers"]["console"]["filters"] == ["other", "request_context"]
    assert twice["formatters"]["console"]["format"] == CONSOLE_FORMAT
    with pytest.raises(ValueError):
        with_structured_logs(config, log_format="xml")


def test_development_logs_are_readable_lines_and_production_logs_are_json():
    from config.settings import base

    assert base.LOG_FORMAT == ("console" if base.DEBUG else "json")
    assert {h["formatter"] for h in base.LOGGING["handlers"].values()} == {base.LOG_FORMAT}
    assert base.CELERY_WORKER_HIJACK_ROOT_LOGGER is False
    # Production, with DEBUG and LOG_FORMAT unset as in docker-compose: JSON on every handler.
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "LOG_FORMAT", "DATABASE_URL")}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="k" * 40 + "Zq9!x7Lm2#pR4vB8nW6tY1uJ3sD5fG0h",
        ALLOWED_HOSTS="placements.example.org",
    )
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(sorted({h['formatter'] for h in s.LOGGING['handlers'].values()}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=django_settings.BASE_DIR, env=environment, capture_output=True, text=True
    )
    assert result.stdout.strip() == "['json']", result.stderr
