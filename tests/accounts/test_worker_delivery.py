"""A real Celery worker takes the delivery task from Redis and sends the email: nothing eager, nothing mocked."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from accounts import outbox
from accounts.models import EmailStatus, OutboundEmail
from config.celery import app

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _use_broker(url: str) -> None:
    """Point the test process's Celery app at ``url``, dropping pooled connections to the old one."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_url = url


@pytest.fixture
def redis_broker():
    previous = app.conf.broker_url
    _use_broker(os.environ["REDIS_URL"])
    yield os.environ["REDIS_URL"]
    _use_broker(previous)


@pytest.fixture
def worker(tmp_path, redis_broker):
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_broker,
        "VAR_DIR": str(tmp_path),
        "EMAIL_URL": "",
    }
    queue = f"test-{os.getpid()}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    app.conf.task_default_queue = queue
    yield tmp_path
    app.conf.task_default_queue = "celery"
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(15)


def test_worker_delivers_an_outbox_email_published_through_redis(worker):
    email = outbox.email_enqueue(
        dedupe_key="worker-test",
        template="password_reset",
        to_email="sam@example.test",
        context={"reset_url": "http://x/reset/", "valid_hours": 2},
    )
    # Committed already (transactional test): on_commit has published the task to Redis.
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        email.refresh_from_db()
        if email.status == EmailStatus.SENT:
            break
        time.sleep(0.3)
    assert email.status == EmailStatus.SENT, f"worker did not deliver; status={email.status} error={email.last_error}"
    written = "".join(p.read_text() for p in (worker / "mail").glob("*"))
    assert "sam@example.test" in written and "Reset your password" in written
    assert OutboundEmail.objects.get(pk=email.pk).attempts == 1
