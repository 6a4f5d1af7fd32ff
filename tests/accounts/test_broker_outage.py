"""With the broker down, a student can still submit; the confirmation goes out once it is back.

Uses a private redis-server on its own port, so stopping it disturbs nothing else.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import EmailStatus, OutboundEmail
from accounts.tasks import sweep_outbox_task
from config.celery import app
from placements.workflow import Status
from tests.placements.helpers import make_application

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    def __init__(self, port: int):
        self.port, self.process = port, None

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("private redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def _use_broker(url: str) -> None:
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_url = url


@pytest.fixture
def private_redis():
    if not shutil.which("redis-server"):
        pytest.skip("[redis] redis-server is not installed")
    redis = PrivateRedis(_free_port())
    redis.start()
    previous = app.conf.broker_url
    _use_broker(f"redis://127.0.0.1:{redis.port}/0")
    yield redis
    redis.stop()
    _use_broker(previous)


@pytest.fixture
def worker(tmp_path, private_redis):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "VAR_DIR": str(tmp_path),
        "EMAIL_URL": "",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": f"redis://127.0.0.1:{private_redis.port}/0",
    }

    def start():
        return subprocess.Popen(
            [
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
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    processes = []
    yield lambda: processes.append(start())
    for process in processes:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(15)


def test_submit_works_with_the_broker_down_and_the_email_arrives_once_it_is_back(
    client, student, private_redis, worker
):
    application = make_application(student, age=19)
    private_redis.stop()
    client.force_login(student)
    started = time.monotonic()
    response = client.post(reverse("placements:application-review"))
    assert response.status_code == 302 and time.monotonic() - started < 10  # the page answers
    application.refresh_from_db()
    assert application.status == Status.READY_FOR_MATCHING  # the data is saved
    email = OutboundEmail.objects.get(template="student_application_received")
    assert email.status == EmailStatus.PENDING

    private_redis.start()
    worker()
    sweep_outbox_task.run()  # what beat does every minute
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        email.refresh_from_db()
        if email.status == EmailStatus.SENT:
            break
        time.sleep(0.3)
    assert email.status == EmailStatus.SENT and email.attempts == 1
    assert OutboundEmail.objects.filter(template="student_application_received").count() == 1
