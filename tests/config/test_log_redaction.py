"""PENTEST: the secret part of emailed links (consent, invitation, unlock, verify, reset) never reaches a log.

Gunicorn logs every request line and Referer (a token page's CSS and JavaScript are requested with the page's
address as Referer), and Django logs the path of every 404. Before the fix, each wrote usable tokens in full.
"""

import io
import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.module_loading import import_string
from gunicorn.config import Config

from config.gunicorn_logging import RedactingGunicornLogger
from config.log_redaction import RedactTokensFilter, redact_tokens

SECRET = "Sup3r-Secret_Token-abc123"
ROOT = Path(__file__).resolve().parents[2]


def _token_urls(patterns=None, namespace=""):
    """Every URL whose pattern takes a ``token``, with the secret in it."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _token_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and "token" in pattern.pattern.converters:
            kwargs = {name: SECRET if name == "token" else "MQ" for name in pattern.pattern.converters}
            yield reverse(f"{namespace}{pattern.name}", kwargs=kwargs)


TOKEN_URLS = list(_token_urls())


def test_every_link_with_a_token_is_known():
    assert len(TOKEN_URLS) >= 5, TOKEN_URLS  # consent, invitation, unlock, verify, reset


@pytest.mark.parametrize("url", TOKEN_URLS)
def test_the_token_in_each_link_is_redacted(url):
    line = f'GET {url}?utm=1 HTTP/1.1" 200 "https://placements.example{url}"'
    redacted = redact_tokens(line)
    assert SECRET not in redacted
    assert redacted.count("[redacted]") == 2


@pytest.mark.parametrize(
    "url", ["/accounts/unlock/", "/accounts/verify/resend/", "/opportunities/12/", "/accounts/reset/done/"]
)
def test_other_paths_are_left_alone(url):
    assert redact_tokens(f"GET {url} HTTP/1.1") == f"GET {url} HTTP/1.1"


@pytest.mark.django_db
def test_djangos_not_found_message_for_a_token_link_is_redacted(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactTokensFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get(reverse("placements:guardian-consent", kwargs={"token": SECRET}))
        client.get(reverse("accounts:sign-in-unlock", kwargs={"token": SECRET}))
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert "/consent/[redacted]/" in written
    assert SECRET not in written


def test_the_settings_put_the_filter_on_every_handler():
    from config.settings import base

    assert base.LOGGING["filters"]["redact_tokens"]["()"] == "config.log_redaction.RedactTokensFilter"
    for name, handler in base.LOGGING["handlers"].items():
        assert "redact_tokens" in handler.get("filters", []), name
    assert base.LOGGING["loggers"]["django.server"]["handlers"] == ["console"]


def test_gunicorns_access_log_has_no_token_in_the_request_line_path_or_referer():
    url = reverse("accounts:invitation-accept", kwargs={"token": SECRET})
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": url,
        "PATH_INFO": url,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_REFERER": f"https://placements.example{url}",
        "HTTP_USER_AGENT": "test",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[("Content-Type", "text/html")])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = RedactingGunicornLogger(Config()).atoms(response, request, environ, timedelta(seconds=1))
    assert all(SECRET not in str(value) for value in atoms.values())
    assert atoms["r"] == "POST /accounts/invitations/accept/[redacted]/ HTTP/1.1"


def test_gunicorn_reads_its_config_from_the_repository_root_and_uses_the_redacting_logger():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert import_string(config["logger_class"]) is RedactingGunicornLogger
