"""Settings shared by every environment, read from environment variables.

The defaults here are the *embedded* set-up used by ``make run`` and ``make test``:
SQLite, kombu's filesystem broker and emails written to ``var/``. Setting
``DATABASE_URL`` / ``REDIS_URL`` switches to PostgreSQL / Redis with no other change.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
# Where local state lives: SQLite database, embedded broker, emails written to files.
VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=True)
# Only ever used on a developer's machine: production.py refuses to start without a real one.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-only")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
ENVIRONMENT_NAME = env("ENVIRONMENT_NAME", default="local")
# The mailbox people write to for help, data requests and accessibility problems.
SUPPORT_EMAIL = env("SUPPORT_EMAIL", default="support@placements.localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "axes",
    "simple_history",
    "import_export",
    "django_filters",
    "django_tables2",
    "health_check",
    "accounts",
    # Two-factor sign-in (ADR 0015): django-otp's TOTP device, then our recovery codes, middleware and pages.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts.second_factor",
    "notifications",
    "nhsuk",
    "placements",
    "training",
    "skills",
    "insights",
    "operations",
]

MIDDLEWARE = [
    # First: every response carries X-Request-ID, every log line in the request names it, slow requests are logged.
    "operations.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy on every response; Cache-Control: no-store on every private page (see the module).
    "config.middleware.SecurityHeadersMiddleware",
    # A body too big for any form or upload here is refused before the CSRF check or sign-in reads it.
    "config.middleware.RequestSizeLimitMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Early, so the idle sign-out below can leave a message on the sign-in page.
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Staff (everyone who sees other people's data) are signed out after STAFF_IDLE_TIMEOUT_MINUTES unused.
    "accounts.sessions.StaffIdleTimeoutMiddleware",
    # Which second factor verified this session (django-otp); then staff without one go to set up or enter a code.
    "django_otp.middleware.OTPMiddleware",
    "accounts.second_factor.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so a locked-out login is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "accounts.context_processors.support_email",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh clone has no var/ yet, and even `manage.py check` opens the database (JSONField support).
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server, worker and beat read while one of them writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2
INVITATION_VALID_DAYS = 7

# Sign-in throttling (accounts/signin.py, ADR "Sign-in lockout"). The username is the normalised email address.
# 5 failures for one account from one address lock that pair for 15 minutes (the owner is emailed a link that
# lifts it); SIGN_IN_FAILURES_PER_IP failures from one address, any accounts, pause sign-in from that address.
# Colleges share one address, so that limit is high, and an unlock link lets a real owner past it.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.signin.axes_username"
AXES_CLIENT_IP_CALLABLE = "accounts.signin.client_ip"
AXES_HANDLER = "accounts.signin.SignInLockHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
SIGN_IN_FAILURES_PER_IP = env.int("SIGN_IN_FAILURES_PER_IP", default=50)
SIGN_IN_UNLOCK_VALID_HOURS = 24
# How long a browser that opened an unlock link may sign in to that account past the per-address limit.
SIGN_IN_UNLOCK_COOKIE_DAYS = 30
# Reverse proxies in front of the web server that append to X-Forwarded-For (0: clients connect directly).
# Set it behind a load balancer, or every sign-in failure counts against the proxy's one address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Two-factor sign-in (ADR 0015). Wrong codes: django-otp's growing delay per device, and at most
# SECOND_FACTOR_FAILURE_LIMIT failures for one person from one address in SECOND_FACTOR_COOLOFF_MINUTES.
OTP_TOTP_ISSUER = "Health & Care Work Experience"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
SECOND_FACTOR_FAILURE_LIMIT = 5
SECOND_FACTOR_COOLOFF_MINUTES = 15

SESSION_COOKIE_AGE = 60 * 60 * 8
# Staff sessions (every role but students) end after this long without a request (accounts/sessions.py).
STAFF_IDLE_TIMEOUT_MINUTES = env.int("STAFF_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation ----------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]

# --- Static files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Forms --------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)
CRISPY_TEMPLATE_PACK = "nhsuk"
CRISPY_FAIL_SILENTLY = not DEBUG
# Django's widget templates, with text inputs and selects written out in Python (same HTML; issue 15).
FORM_RENDERER = "nhsuk.renderers.NHSFormRenderer"

# --- CSV import/export (django-import-export) --------------------------------------
# A file imports completely or not at all; cells that would run as spreadsheet formulae are escaped.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# An upload waits here between preview and confirm, under a random name only the storage makes: the confirm
# form's hidden file name cannot point anywhere else (see config/import_storage.py).
IMPORT_EXPORT_TMP_STORAGE_CLASS = "config.import_storage.ImportUploadStorage"
IMPORT_UPLOAD_DIR = env("IMPORT_UPLOAD_DIR", default=str(VAR_DIR / "imports"))

# --- Security -----------------------------------------------------------------------
# No request leaves the site: every script, style, font and image is served by us.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The largest request body accepted (config/middleware.py). Uploads here are at most 1 MB (cohort CSV import,
# tutor's invitation CSV); keep this above COHORT_IMPORT_MAX_BYTES if that is raised.
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=5_000_000)
# No page uses a powerful browser feature, so none is allowed (config/middleware.py sends the header).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# --- Email --------------------------------------------------------------------------
# Django 6.1 mailers. Local default: each message to the console *and* a file in var/mail.
EMAIL_URL = env("EMAIL_URL", default="")


def _mailer_from_url(url: str) -> dict:
    """``smtp://user:pass@host:port`` (``smtp+tls://`` for STARTTLS) -> a MAILERS entry."""
    if not url:
        return {
            "BACKEND": "notifications.backends.ConsoleAndFileBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    parsed = environ.Env.email_url_config(url)
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parsed["EMAIL_HOST"],
            "port": parsed["EMAIL_PORT"],
            "username": parsed["EMAIL_HOST_USER"] or None,
            "password": parsed["EMAIL_HOST_PASSWORD"] or None,
            "use_tls": bool(parsed.get("EMAIL_USE_TLS")),
            "use_ssl": bool(parsed.get("EMAIL_USE_SSL")),
            "timeout": 10,
        },
    }


MAILERS = {"default": _mailer_from_url(EMAIL_URL)}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Health & Care Work Experience <no-reply@placements.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = env("EMAIL_SUBJECT_PREFIX", default=f"[{ENVIRONMENT_NAME}] ")

# --- Celery -------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": 3600}
    if REDIS_URL
    else {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        # Without this, kombu writes its control exchange into the current directory.
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }
)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Publishing must never hang a web request: the outbox sweep delivers anything not enqueued.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Tokens in emailed links (consent, invitation, unlock, verify, reset) never reach the log: config/log_redaction.py
    "filters": {"redact_tokens": {"()": "config.log_redaction.RedactTokensFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own default handlers (a console one when DEBUG, runserver's request lines) are replaced by
        # ours, so everything goes through the same filter.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}

# Periodic jobs, declared in code (django-celery-beat does not support Django 6.1). Every job is
# safe to run twice or late: it selects what is due and not yet done.
CELERY_BEAT_SCHEDULE = {
    # Proves beat, the broker and a worker all run: /health/ reports its age. A tick nobody ran in time is dropped.
    "record-beat-heartbeat": {
        "task": "operations.tasks.record_beat_heartbeat_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "sweep-outbox": {"task": "notifications.tasks.sweep_outbox_task", "schedule": 60.0},
    "sweep-pending-matching-runs": {"task": "placements.tasks.sweep_pending_runs_task", "schedule": 300.0},
    "nightly-matching": {
        "task": "placements.tasks.schedule_nightly_matching_task",
        "schedule": crontab(hour=2, minute=0),  # Europe/London (CELERY_TIMEZONE)
    },
    # Scheduled emails. Beat does not catch up a missed run, so each job selects everything due and not yet
    # sent; the weekly and monthly digests run daily and send once per ISO week / month (dedupe key).
    "remind-expiring-offers": {"task": "placements.tasks.remind_expiring_offers_task", "schedule": crontab(minute=5)},
    "expire-offers": {"task": "placements.tasks.expire_offers_task", "schedule": crontab(minute="*/15")},
    # The finder's stored listing, worked out again for every opportunity: bounds to 15 minutes a listing left
    # wrong by a process that died between a writer's commit and its refresh (placements/services/finder_listing.py).
    "refresh-finder-listings": {
        "task": "placements.tasks.refresh_finder_listings_task",
        "schedule": 900.0,
        "options": {"expires": 840},
    },
    "remind-placement-start": {
        "task": "placements.tasks.remind_placement_start_task",
        "schedule": crontab(hour=8, minute=0),
    },
    "request-placement-feedback": {
        "task": "placements.tasks.request_placement_feedback_task",
        "schedule": crontab(hour=10, minute=0),
    },
    "send-round-outcomes": {"task": "placements.tasks.send_round_outcomes_task", "schedule": crontab(hour=9, minute=0)},
    "send-coordinator-digest": {
        "task": "placements.tasks.send_coordinator_digest_task",
        "schedule": crontab(hour=7, minute=30),
    },
    "send-tutor-digest": {"task": "placements.tasks.send_tutor_digest_task", "schedule": crontab(hour=7, minute=45)},
    "send-capacity-nudge": {
        "task": "placements.tasks.send_capacity_nudge_task",
        "schedule": crontab(hour=8, minute=15),
    },
    # Hosts' decide-by dates: a chaser two working days before, and at 01:00 (before the nightly run) the
    # matches nobody decided go back to the pool.
    "chase-host-decisions": {
        "task": "placements.tasks.chase_host_decisions_task",
        "schedule": crontab(hour=7, minute=40),
    },
    "release-undecided-matches": {
        "task": "placements.tasks.release_undecided_matches_task",
        "schedule": crontab(hour=1, minute=0),
    },
    # The privacy notice's retention periods (RETENTION below), enforced nightly; see ADR 0009.
    "enforce-retention": {
        "task": "placements.tasks.enforce_retention_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # --- Insights (planning partners' reports, step 11; owned by insights/tasks.py) ---
    # Daily at 04:15, after retention: the first run of each month takes the month's snapshot, later runs find it
    # taken (a unique constraint claims the month) and do nothing; a failed one is taken again. See ADR 0019.
    "take-monthly-insights-snapshot": {
        "task": "insights.tasks.take_monthly_snapshot_task",
        "schedule": crontab(hour=4, minute=15),
    },
    # --- Training (simulation suites, step 9; owned by training/tasks.py) ---
    # At each session's booking cut-off: cancel below the minimum with everyone told, or confirm it (claimed once).
    "check-session-cutoffs": {"task": "training.tasks.check_session_cutoffs_task", "schedule": crontab(minute="*/15")},
    "remind-upcoming-sessions": {
        "task": "training.tasks.remind_upcoming_sessions_task",
        "schedule": crontab(hour=8, minute=0),  # Europe/London (CELERY_TIMEZONE)
    },
    # --- Skills (digital and data self-assessment, step 10; owned by skills/tasks.py) ---
    # Daily; each email has a dedupe key, so a repeat or a late run sends nothing twice.
    "chase-skills-not-started": {
        "task": "skills.tasks.chase_skills_not_started_task",
        "schedule": crontab(hour=10, minute=30),
    },
    "remind-skills-check-again": {
        "task": "skills.tasks.remind_skills_check_again_task",
        "schedule": crontab(hour=10, minute=45),
    },
}
# The finder's answer to one question (filters, page, day) and its rendered body are shared between visitors for this
# many seconds, so the places left it shows are at most this old (placements/selectors/opportunities.py,
# placements/views/public.py, nhsuk/fragments.py; issue 15). 0 turns it off.
FINDER_CACHE_SECONDS = env.int("FINDER_CACHE_SECONDS", default=5)
# The same for the simulation-training catalogue's body (training/views/catalogue.py): seats left at most this old.
CATALOGUE_CACHE_SECONDS = env.int("CATALOGUE_CACHE_SECONDS", default=5)
# Limits on one cohort CSV import (placements/resources.py): a year of weekly dates for 96 opportunities.
COHORT_IMPORT_MAX_ROWS = env.int("COHORT_IMPORT_MAX_ROWS", default=5_000)
COHORT_IMPORT_MAX_BYTES = env.int("COHORT_IMPORT_MAX_BYTES", default=1_000_000)
# Working days a host has to approve or decline a proposed match before it is released (placements/working_days.py).
HOST_DECISION_WORKING_DAYS = env.int("HOST_DECISION_WORKING_DAYS", default=5)
# One-off bank holidays (ISO dates) on top of the regular England and Wales ones, e.g. "2027-06-07".
EXTRA_BANK_HOLIDAYS = env.list("EXTRA_BANK_HOLIDAYS", default=[])
# How long personal data is kept, in days: the privacy notice renders these and the nightly enforce-retention job
# applies them (placements/services/retention.py, ADR 0009). Each can be overridden with RETENTION_<NAME>_DAYS.
RETENTION = {
    name: env.int(f"RETENTION_{name.upper()}_DAYS", default=days)
    for name, days in {
        # An account whose email address was never confirmed, counted from sign-up.
        "unverified_accounts": 30,
        # An account nobody has signed in to, counted from the last sign-in (or sign-up)...
        "inactive_accounts": 730,
        # ...after a warning email sent this many days before it is deleted.
        "inactive_account_warning": 30,
        # Applications of a round, counted from the round's last placement date; then only anonymous counts stay.
        "closed_round_applications": 180,
        # The text of emails we sent; the record that one was sent (to whom, which, when) stays with the account.
        "email_bodies": 90,
        # Sign-in records: failed attempts, lockouts and sign-ins (django-axes).
        "sign_in_logs": 90,
        # Invitation and guardian-consent links nobody used, counted from when they expired.
        "expired_tokens": 30,
    }.items()
}

# --- Operations: /health/, request ids and structured logs (operations/) --------------------------------------
# /health/ is unhealthy when more than HEALTH_OUTBOX_BACKLOG_MAX emails have waited over HEALTH_OUTBOX_BACKLOG_MINUTES
# (one email retrying with backoff is not an outage), or when beat's last tick is older than
# HEALTH_BEAT_MAX_AGE_MINUTES (it ticks every minute).
HEALTH_OUTBOX_BACKLOG_MINUTES = env.int("HEALTH_OUTBOX_BACKLOG_MINUTES", default=30)
HEALTH_OUTBOX_BACKLOG_MAX = env.int("HEALTH_OUTBOX_BACKLOG_MAX", default=10)
HEALTH_BEAT_MAX_AGE_MINUTES = env.int("HEALTH_BEAT_MAX_AGE_MINUTES", default=5)
# A request taking at least this long is logged with its route, status, duration and number of queries.
SLOW_REQUEST_MS = env.int("SLOW_REQUEST_MS", default=1000)
# "json": one JSON object per line on stdout for a log collector (production's default); "console": readable lines.
# Every handler in LOGGING gets the format, and the request id / route / user id / task of each line.
LOG_FORMAT = env("LOG_FORMAT", default="console" if DEBUG else "json")
from operations.logs import with_structured_logs  # noqa: E402 — standard library only, safe in settings

LOGGING = with_structured_logs(LOGGING, log_format=LOG_FORMAT)
# The worker and beat log through LOGGING too, instead of Celery's own plain-text set-up.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
