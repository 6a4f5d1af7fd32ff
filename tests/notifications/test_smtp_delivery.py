"""Delivery through a real SMTP conversation, to a local aiosmtpd server."""

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from notifications import outbox
from notifications.models import EmailStatus


class Collect(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _use_smtp(settings, port: int, timeout: int = 5) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": timeout},
        }
    }


@pytest.fixture
def smtp_server(settings):
    """A listening aiosmtpd server, with the outbox pointed at it; yields the handler that collects messages."""
    handler, port = Collect(), _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    _use_smtp(settings, port)
    outbox._close_shared()
    yield handler
    outbox._close_shared()
    controller.stop()


def _enqueue(key: str, to: str = "sam@example.test"):
    return outbox.email_enqueue(
        dedupe_key=key,
        template="password_reset",
        to_email=to,
        context={"reset_url": "http://x/reset/", "valid_hours": 2},
    )


@pytest.mark.django_db
def test_outbox_delivers_text_and_html_over_real_smtp_and_reuses_the_session(smtp_server):
    for n in range(3):
        assert outbox.email_deliver(email_id=_enqueue(f"smtp-{n}", f"sam{n}@example.test").pk) == EmailStatus.SENT
    assert [m["To"] for m in smtp_server.messages] == ["sam0@example.test", "sam1@example.test", "sam2@example.test"]
    first = smtp_server.messages[0]
    assert first["Subject"].startswith("[test] Reset your password") and first["X-Outbox-Key"] == "smtp-0"
    assert {"text/plain", "text/html"} <= {part.get_content_type() for part in first.walk()}


@pytest.mark.django_db
def test_a_dead_smtp_server_leaves_the_email_pending_for_a_retry(settings):
    _use_smtp(settings, _free_port(), timeout=2)  # nothing listens there
    outbox._close_shared()
    email = _enqueue("smtp-dead")
    assert outbox.email_deliver(email_id=email.pk) == EmailStatus.PENDING
    email.refresh_from_db()
    assert email.attempts == 1 and "Connection refused" in email.last_error
    outbox._close_shared()


@pytest.mark.django_db
def test_every_attempt_sends_the_same_bytes_with_the_same_message_id(smtp_server):
    email = _enqueue("same-bytes")
    outbox.email_deliver(email_id=email.pk)
    # As if the worker died after the server accepted it: the sweep sends it again.
    type(email).objects.filter(pk=email.pk).update(status=EmailStatus.PENDING)
    outbox.email_deliver(email_id=email.pk)
    first, second = smtp_server.messages
    assert first["Message-ID"] == second["Message-ID"] and first["Message-ID"].endswith(">")
    assert first["X-Outbox-Key"] == "same-bytes"
