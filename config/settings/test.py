"""Test settings: the base settings with fast hashing and no outside world.

``DATABASE_URL`` still chooses the database, so ``make test`` runs on PostgreSQL in CI.
"""

from .base import *  # noqa: F403
from .base import BASE_DIR, STORAGES

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
STATICFILES_DIRS = [BASE_DIR / "static"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
EMAIL_SUBJECT_PREFIX = "[test] "
# Tasks run in the worker in real life; in unit tests the outbox row is what we assert on,
# and delivery is exercised explicitly. Browser and service tests use a real broker.
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
AXES_ENABLED = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Tests change capacity and look again at once: the finder's few-seconds cache is off (its own test turns it on).
FINDER_CACHE_SECONDS = 0
CATALOGUE_CACHE_SECONDS = 0
