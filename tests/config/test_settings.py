import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 20 + "Zq9!x7Lm2#pR4vB8nW6tY1uJ3sD5fG0h"


# CI sets these; a fresh clone has none of them, and the commands must work there too.
SERVICE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "VAR_DIR")


def _manage(*args, **env):
    ignored = ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", *SERVICE_VARIABLES)
    environment = {k: v for k, v in os.environ.items() if k not in ignored}
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    # VAR_DIR as on a fresh clone: not there yet (the default SQLite file lives in it).
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="placements.example.org",
        VAR_DIR=str(tmp_path / "fresh-clone-var"),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_manage_check_works_on_a_fresh_clone_without_service_variables(tmp_path):
    var_dir = tmp_path / "var"
    result = _manage("check", DJANGO_SETTINGS_MODULE="config.settings.base", VAR_DIR=str(var_dir))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (var_dir).is_dir()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "placements.example.org"}, "SECRET_KEY"),
        ({"SECRET_KEY": STRONG_KEY}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "placements.example.org"}, "SECRET_KEY"),
    ],
)
def test_production_refuses_to_start_without_secrets(env, message):
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_every_dependency_is_pinned_exactly():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r"):
                assert "==" in line, f"{name}: {line} is not pinned with =="


def test_settings_read_database_and_broker_from_the_environment(monkeypatch):
    import environ

    env = environ.Env()
    assert env.db_url_config("postgres://u:p@db:5432/x")["ENGINE"] == "django.db.backends.postgresql"
    from config.settings import base

    assert base.CELERY_BROKER_URL in ("filesystem://", os.environ.get("REDIS_URL"))
    assert base.MAILERS["default"]["BACKEND"]
    assert not hasattr(base, "EMAIL_BACKEND"), "Django 6.1: define MAILERS, not EMAIL_BACKEND"


def test_env_example_documents_every_variable_the_settings_read():
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    settings_source = "".join(p.read_text() for p in (ROOT / "config" / "settings").glob("*.py"))
    read = set(re.findall(r"""env(?:\.\w+)?\(\s*"([A-Z_]+)\"""", settings_source))
    assert read - documented == set(), f"Document these in .env.example: {sorted(read - documented)}"


@pytest.mark.django_db
def test_csrf_failure_page_is_ours_and_says_what_to_do(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "a@example.test", "password": "x"})
    assert response.status_code == 403 and "Your form has expired" in response.content.decode()
    assert 'style="' not in response.content.decode()


@pytest.mark.django_db
def test_support_email_comes_from_settings(client, settings):
    settings.SUPPORT_EMAIL = "help@trust.nhs.uk"
    assert "mailto:help@trust.nhs.uk" in client.get("/privacy/").content.decode()
