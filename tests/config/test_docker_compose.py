"""Docker cannot run here, so check docker-compose.yml against the settings it must satisfy."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
SETTINGS_SOURCE = "".join(p.read_text() for p in (ROOT / "config" / "settings").glob("*.py"))
APP_SERVICES = ("web", "worker", "beat", "migrate")


def test_the_production_shaped_services_are_all_there():
    assert {"postgres", "redis", "web", "worker", "beat", "mailpit"} <= SERVICES.keys()


def test_web_worker_and_beat_share_one_image():
    images = {SERVICES[name]["image"] for name in APP_SERVICES}
    builds = {SERVICES[name]["build"] for name in APP_SERVICES}
    assert len(images) == 1 and builds == {"."}
    assert (ROOT / "Dockerfile").exists()


def test_commands_run_gunicorn_and_celery_against_our_apps():
    assert SERVICES["web"]["command"][:2] == ["gunicorn", "config.wsgi:application"]
    assert SERVICES["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert SERVICES["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    assert (ROOT / "config" / "wsgi.py").exists() and (ROOT / "config" / "celery.py").exists()


def test_every_variable_given_to_the_app_is_read_by_the_settings():
    for name in APP_SERVICES:
        for variable in SERVICES[name]["environment"]:
            if variable == "DJANGO_SETTINGS_MODULE":
                continue
            assert re.search(rf"""env(\.\w+)?\(\s*"{variable}\"""", SETTINGS_SOURCE), f"{variable} is not read"
    assert SERVICES["web"]["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"


def test_app_reaches_the_compose_database_broker_and_mail_catcher():
    environment = SERVICES["web"]["environment"]
    assert environment["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379")
    assert environment["EMAIL_URL"] == "smtp://mailpit:1025"
    postgres = SERVICES["postgres"]["environment"]
    assert f"{postgres['POSTGRES_USER']}:{postgres['POSTGRES_PASSWORD']}@" in environment["DATABASE_URL"]


def test_secret_key_has_no_default_in_compose():
    assert ":?" in SERVICES["web"]["environment"]["SECRET_KEY"]


def test_health_checks_and_start_order():
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert "healthcheck" in SERVICES[name], name
    for name in ("web", "worker"):
        depends = SERVICES[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_data_lives_in_named_volumes():
    assert {"postgres-data", "redis-data"} <= COMPOSE["volumes"].keys()
    assert any("postgres-data:" in v for v in SERVICES["postgres"]["volumes"])


# --- Health checks use /health/ (operations/health.py) --------------------------------------------------------


def _seconds(duration: str) -> int:
    """Compose durations such as "30s", "2m" or "1m30s"."""
    units = {"h": 3600, "m": 60, "s": 1}
    return sum(int(n) * units[u] for n, u in re.findall(r"(\d+)([hms])", duration))


def test_web_health_check_calls_health_on_its_own_server_with_what_the_image_has():
    test = SERVICES["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "scripts/healthcheck.py"]
    assert test[3] == "http://127.0.0.1:8000/health/"
    assert "0.0.0.0:8000" in SERVICES["web"]["command"]
    # The script is in the image (WORKDIR /app, the whole tree copied) and needs only Python's standard library.
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.1[2-9]", dockerfile, re.M)
    assert "WORKDIR /app" in dockerfile and "COPY . ." in dockerfile
    assert "scripts" not in (ROOT / ".dockerignore").read_text().split()
    script = (ROOT / "scripts" / "healthcheck.py").read_text()
    assert not re.search(r"^\s*(import|from) (django|requests|httpx)", script, re.M)


def test_health_urls_the_checks_call_exist():
    from django.urls import reverse

    assert reverse("health") == "/health/"
    assert reverse("health-beat") == "/health/beat/"


def test_worker_and_beat_health_checks_are_their_own():
    assert "inspect ping --destination celery@$$HOSTNAME" in SERVICES["worker"]["healthcheck"]["test"][1]
    assert SERVICES["beat"]["healthcheck"]["test"] == [
        "CMD",
        "python",
        "manage.py",
        "health_check",
        "health-beat",
        "--no-http",
    ]


def test_health_checks_allow_for_beats_first_tick(settings):
    tick = settings.CELERY_BEAT_SCHEDULE["record-beat-heartbeat"]["schedule"]
    for name in ("web", "beat"):
        healthcheck = SERVICES[name]["healthcheck"]
        assert _seconds(healthcheck["start_period"]) >= 2 * tick, name
        assert _seconds(healthcheck["timeout"]) < _seconds(healthcheck["interval"]), name
