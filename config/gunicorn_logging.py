"""Gunicorn's access log without the secret part of emailed links (see config/log_redaction.py)."""

from gunicorn.glogging import Logger

from config.log_redaction import redact_tokens


class RedactingGunicornLogger(Logger):
    """Gunicorn's logger, with link tokens redacted from every access-log field (request line, path, Referer)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact_tokens(value) if isinstance(value, str) else value for key, value in atoms.items()}
