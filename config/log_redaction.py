"""Keep the secret part of emailed links out of the logs.

Guardian consent, staff invitation, unlock, email verification and password reset links, and the calendar feed
addresses of people and rooms (training), carry a token in their path. Gunicorn's access log writes every path,
and the Referer of every request a page makes (its CSS and JavaScript, then the form posted back), and Django
logs the path of every 404; so anyone who could read the logs could open a link that is still usable. Here the
token in those paths becomes ``[redacted]``:

* ``RedactTokensFilter`` on the handlers in ``LOGGING`` (Django's own messages);
* ``config.gunicorn_logging.RedactingGunicornLogger`` for Gunicorn's access log, chosen in ``gunicorn.conf.py`` at
  the repository root, which Gunicorn reads from its working directory.

A new URL with a ``token`` argument must match ``TOKEN_IN_PATH``: tests/config/test_log_redaction.py checks every one.
"""

import logging
import re

SEGMENT = r"[^/\s?#\"']+"
TOKEN_IN_PATH = re.compile(
    rf"(/(?:consent|accounts/unlock|accounts/invitations/accept|training/calendar(?:/rooms)?)/"
    rf"|/accounts/(?:verify|reset)/{SEGMENT}/){SEGMENT}"
)
REDACTED = "[redacted]"


def redact_tokens(text: str) -> str:
    return TOKEN_IN_PATH.sub(rf"\g<1>{REDACTED}", text)


class RedactTokensFilter(logging.Filter):
    """A logging filter that rewrites the record's message with any link token redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 — a record that cannot be formatted is left for the handler to report
            return True
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
