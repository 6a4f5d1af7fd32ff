"""Real Celery workers for tests: point this process at a broker, and start a worker on the test database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

from config.celery import app

ROOT = Path(__file__).resolve().parents[1]


def use_broker(url: str) -> None:
    """Point the test process's Celery app at ``url``, dropping pooled connections to the old one."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_url = url


def start_worker(*, redis_url: str, var_dir: Path, queue: str | None = None) -> subprocess.Popen:
    """A solo-pool worker process on the current (PostgreSQL) test database; stop it with ``stop_worker``."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "VAR_DIR": str(var_dir),
        "EMAIL_URL": "",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool",
        "solo",
        "--loglevel",
        "WARNING",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
    ]
    if queue:
        command += ["--queues", queue]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def stop_worker(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(15)


def wait_for_delivery(email, *, seconds: float = 45) -> None:
    """Wait until a worker has sent the outbox ``email`` (or ``seconds`` pass); the caller asserts on its status."""
    from notifications.models import EmailStatus

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        email.refresh_from_db()
        if email.status == EmailStatus.SENT:
            return
        time.sleep(0.3)
