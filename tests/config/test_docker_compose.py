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
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in SERVICES[name], name
    for name in ("web", "worker"):
        depends = SERVICES[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_data_lives_in_named_volumes():
    assert {"postgres-data", "redis-data"} <= COMPOSE["volumes"].keys()
    assert any("postgres-data:" in v for v in SERVICES["postgres"]["volumes"])
