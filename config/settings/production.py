"""Production: everything secret or site-specific comes from the environment, with no default."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, with_structured_logs

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # raises ImproperlyConfigured when unset
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")  # raises ImproperlyConfigured when unset
if not ALLOWED_HOSTS or len(SECRET_KEY) < 32 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("Set ALLOWED_HOSTS and a random SECRET_KEY of at least 32 characters for production.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"https://{host}" for host in ALLOWED_HOSTS])
ENVIRONMENT_NAME = env("ENVIRONMENT_NAME", default="production")
EMAIL_SUBJECT_PREFIX = env("EMAIL_SUBJECT_PREFIX", default="")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
CRISPY_FAIL_SILENTLY = True

# Structured logs: JSON lines on stdout for a log collector, whatever DEBUG defaulted to in base.py.
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = with_structured_logs(LOGGING, log_format=LOG_FORMAT)  # noqa: F405
