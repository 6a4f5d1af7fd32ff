"""A real Celery worker takes the delivery task from Redis and sends the email: nothing eager, nothing mocked."""

import os
from pathlib import Path

import pytest

from config.celery import app
from notifications import outbox
from notifications.models import EmailStatus, OutboundEmail
from tests.celery_workers import start_worker, stop_worker, use_broker, wait_for_delivery

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_broker():
    previous = app.conf.broker_url
    use_broker(os.environ["REDIS_URL"])
    yield os.environ["REDIS_URL"]
    use_broker(previous)


@pytest.fixture
def worker(tmp_path, redis_broker):
    queue = f"test-{os.getpid()}"
    process = start_worker(redis_url=redis_broker, var_dir=tmp_path, queue=queue)
    app.conf.task_default_queue = queue
    yield tmp_path
    app.conf.task_default_queue = "celery"
    stop_worker(process)


def test_worker_delivers_an_outbox_email_published_through_redis(worker):
    email = outbox.email_enqueue(
        dedupe_key="worker-test",
        template="password_reset",
        to_email="sam@example.test",
        context={"reset_url": "http://x/reset/", "valid_hours": 2},
    )
    # Committed already (transactional test): on_commit has published the task to Redis.
    wait_for_delivery(email)
    assert email.status == EmailStatus.SENT, f"worker did not deliver; status={email.status} error={email.last_error}"
    written = "".join(p.read_text() for p in (worker / "mail").glob("*"))
    assert "sam@example.test" in written and "Reset your password" in written
    assert OutboundEmail.objects.get(pk=email.pk).attempts == 1
