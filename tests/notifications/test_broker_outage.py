"""With the broker down, a student can still submit; the confirmation goes out once it is back.

Uses a private redis-server on its own port, so stopping it disturbs nothing else.
"""

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.urls import reverse

from config.celery import app
from notifications.models import EmailStatus, OutboundEmail
from notifications.tasks import sweep_outbox_task
from placements.workflow import Status
from tests.celery_workers import start_worker, stop_worker, use_broker, wait_for_delivery
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


@pytest.fixture
def private_redis():
    if not shutil.which("redis-server"):
        pytest.skip("[redis] redis-server is not installed")
    redis = PrivateRedis(_free_port())
    redis.start()
    previous = app.conf.broker_url
    use_broker(f"redis://127.0.0.1:{redis.port}/0")
    yield redis
    redis.stop()
    use_broker(previous)


@pytest.fixture
def worker(tmp_path, private_redis):
    processes = []
    redis_url = f"redis://127.0.0.1:{private_redis.port}/0"
    yield lambda: processes.append(start_worker(redis_url=redis_url, var_dir=tmp_path))
    for process in processes:
        stop_worker(process)


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
    wait_for_delivery(email)
    assert email.status == EmailStatus.SENT and email.attempts == 1
    assert OutboundEmail.objects.filter(template="student_application_received").count() == 1
