"""Delivery through a real SMTP conversation, to a local aiosmtpd server."""

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from accounts import outbox
from accounts.models import EmailStatus


class Collect(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


@pytest.fixture
def smtp_server():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.mark.django_db
def test_outbox_delivers_text_and_html_over_real_smtp_and_reuses_the_session(settings, smtp_server):
    handler, port = smtp_server
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    outbox._close_shared()
    try:
        for n in range(3):
            email = outbox.email_enqueue(
                dedupe_key=f"smtp-{n}",
                template="password_reset",
                to_email=f"sam{n}@example.test",
                context={"reset_url": "http://x/reset/", "valid_hours": 2},
            )
            assert outbox.email_deliver(email_id=email.pk) == EmailStatus.SENT
    finally:
        outbox._close_shared()
    assert [m["To"] for m in handler.messages] == ["sam0@example.test", "sam1@example.test", "sam2@example.test"]
    first = handler.messages[0]
    assert first["Subject"].startswith("[test] Reset your password") and first["X-Outbox-Key"] == "smtp-0"
    parts = {part.get_content_type() for part in first.walk()}
    assert {"text/plain", "text/html"} <= parts


@pytest.mark.django_db
def test_a_dead_smtp_server_leaves_the_email_pending_for_a_retry(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    outbox._close_shared()
    email = outbox.email_enqueue(
        dedupe_key="smtp-dead",
        template="password_reset",
        to_email="sam@example.test",
        context={"reset_url": "http://x/reset/", "valid_hours": 2},
    )
    assert outbox.email_deliver(email_id=email.pk) == EmailStatus.PENDING
    email.refresh_from_db()
    assert email.attempts == 1 and "Connection refused" in email.last_error
    outbox._close_shared()


@pytest.mark.django_db
def test_every_attempt_sends_the_same_bytes_with_the_same_message_id(settings, smtp_server):
    handler, port = smtp_server
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    outbox._close_shared()
    email = outbox.email_enqueue(
        dedupe_key="same-bytes",
        template="password_reset",
        to_email="sam@example.test",
        context={"reset_url": "http://x/reset/", "valid_hours": 2},
    )
    try:
        outbox.email_deliver(email_id=email.pk)
        # As if the worker died after the server accepted it: the sweep sends it again.
        type(email).objects.filter(pk=email.pk).update(status=EmailStatus.PENDING)
        outbox.email_deliver(email_id=email.pk)
    finally:
        outbox._close_shared()
    first, second = handler.messages
    assert first["Message-ID"] == second["Message-ID"] and first["Message-ID"].endswith(">")
    assert first["X-Outbox-Key"] == "same-bytes"
