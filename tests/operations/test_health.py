"""/health/ reports the database, the broker, the outbox backlog and beat's last tick, each failure with a 503."""

import os
import socket
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from asgiref.sync import SyncToAsync
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from notifications.models import EmailStatus, OutboundEmail
from operations.models import Heartbeat
from operations.services import BEAT, heartbeat_record
from operations.tasks import record_beat_heartbeat_task
from tests.celery_workers import use_broker

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def test_broker():
    """Each test may point the app at another broker; the test settings' in-memory one comes back after."""
    options = app.conf.broker_transport_options
    yield
    app.conf.broker_transport_options = options
    use_broker("memory://")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket closes


def _health(client, **extra):
    response = client.get(reverse("health"), **{**JSON, **extra})
    return response, response.json()


def _queue_email(n: int, *, age: timedelta, status=EmailStatus.PENDING):
    for i in range(n):
        OutboundEmail.objects.create(
            dedupe_key=f"health-test:{status}:{age}:{i}",
            template="student_offer_made",
            to_email=f"person{i}@example.test",
            subject="Subject",
            body_text="Body",
            status=status,
            created_at=timezone.now() - age,
        )


def test_healthy_service_answers_200_with_every_check(client):
    heartbeat_record()
    response, body = _health(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "broker": "ok",
        "outbox": "ok",
        "beat": "ok",
    }
    assert body["checks"]["outbox"]["detail"] == "0 emails waiting more than 30 minutes"
    assert body["checks"]["beat"]["detail"].startswith("last tick ")
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_broker_down_is_a_503_naming_only_the_broker(client):
    heartbeat_record()
    use_broker(f"redis://:hunter2-broker-password@127.0.0.1:{_closed_port()}/0")
    response, body = _health(client)
    assert response.status_code == 503
    assert body["status"] == "unhealthy"
    assert body["checks"]["broker"] == {"status": "unhealthy", "detail": "cannot connect to the broker"}
    assert body["checks"]["database"]["status"] == "ok"
    assert "hunter2" not in response.content.decode() and "127.0.0.1" not in response.content.decode()


def test_the_filesystem_broker_of_make_run_is_checked_by_its_folders(client, tmp_path):
    heartbeat_record()
    use_broker("filesystem://")
    queue = tmp_path / "queue"
    app.conf.broker_transport_options = {"data_folder_in": str(queue), "data_folder_out": str(queue)}
    response, body = _health(client)
    assert response.status_code == 503 and body["checks"]["broker"]["status"] == "unhealthy"

    queue.mkdir()
    response, body = _health(client)
    assert response.status_code == 200 and body["checks"]["broker"]["status"] == "ok"


@pytest.mark.redis
def test_a_running_redis_broker_is_healthy(client):
    heartbeat_record()
    use_broker(os.environ["REDIS_URL"])
    response, body = _health(client)
    assert body["checks"]["broker"]["status"] == "ok"
    assert response.status_code == 200


def test_no_beat_tick_yet_is_a_503(client):
    response, body = _health(client)
    assert response.status_code == 503
    assert body["checks"]["beat"] == {"status": "unhealthy", "detail": "no tick recorded yet"}


def test_an_old_beat_tick_is_a_503_with_its_age(client, settings):
    settings.HEALTH_BEAT_MAX_AGE_MINUTES = 5
    Heartbeat.objects.create(name=BEAT, at=timezone.now() - timedelta(minutes=7))
    response, body = _health(client)
    assert response.status_code == 503
    assert body["checks"]["beat"] == {"status": "unhealthy", "detail": "last tick 7 minutes ago"}

    Heartbeat.objects.filter(name=BEAT).update(at=timezone.now() - timedelta(minutes=4))
    response, body = _health(client)
    assert response.status_code == 200 and body["checks"]["beat"]["status"] == "ok"


def test_beat_heartbeat_task_records_the_tick_and_beat_sends_it_every_minute(client, settings):
    record_beat_heartbeat_task.apply()
    assert Heartbeat.objects.get(name=BEAT).at > timezone.now() - timedelta(seconds=30)
    record_beat_heartbeat_task.apply()
    assert Heartbeat.objects.count() == 1
    entry = settings.CELERY_BEAT_SCHEDULE["record-beat-heartbeat"]
    assert entry["task"] == record_beat_heartbeat_task.name
    assert entry["schedule"] <= 60 < settings.HEALTH_BEAT_MAX_AGE_MINUTES * 60
    # Ticks queued while no worker runs expire instead of piling up.
    assert entry["options"]["expires"] <= entry["schedule"]


def test_an_outbox_backlog_over_the_threshold_is_a_503_with_the_count(client, settings):
    settings.HEALTH_OUTBOX_BACKLOG_MINUTES = 30
    settings.HEALTH_OUTBOX_BACKLOG_MAX = 2
    heartbeat_record()
    _queue_email(5, age=timedelta(minutes=5))  # recent: still on their way
    _queue_email(3, age=timedelta(hours=2), status=EmailStatus.SENT)
    _queue_email(2, age=timedelta(minutes=45))
    response, body = _health(client)
    assert response.status_code == 200
    assert body["checks"]["outbox"] == {"status": "ok", "detail": "2 emails waiting more than 30 minutes"}

    _queue_email(1, age=timedelta(hours=3), status=EmailStatus.SENDING)  # claimed by a worker that died
    response, body = _health(client)
    assert response.status_code == 503
    assert body["checks"]["outbox"] == {"status": "unhealthy", "detail": "3 emails waiting more than 30 minutes"}
    assert "example.test" not in response.content.decode()


def test_a_database_error_is_a_503_without_the_drivers_message(client, monkeypatch):
    from django.db import OperationalError

    from operations import health

    heartbeat_record()

    def broken():
        raise OperationalError('connection to server at "db.internal" (10.0.0.5), port 5432 failed')

    monkeypatch.setattr(health.Heartbeat.objects, "exists", broken)
    response, body = _health(client)
    assert response.status_code == 503
    assert body["checks"]["database"] == {"status": "unhealthy", "detail": "cannot query the database"}
    assert "db.internal" not in response.content.decode() and "10.0.0.5" not in response.content.decode()


def test_health_makes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    heartbeat_record()
    _queue_email(20, age=timedelta(hours=1))
    with django_assert_max_num_queries(3):
        response = client.get(reverse("health"), **JSON)
    assert response.status_code == 503  # 20 > the default threshold of 10: counted in one query


@pytest.mark.parametrize(
    ("query", "accept", "content_type"),
    [
        ("?format=json", "*/*", "application/json"),
        ("", "text/html", "text/html; charset=utf-8"),
        ("?format=text", "*/*", "text/plain; charset=utf-8"),
    ],
)
def test_health_answers_people_and_machines(client, query, accept, content_type):
    heartbeat_record()
    response = client.get(reverse("health") + query, HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert b"broker" in response.content


def test_html_page_says_what_is_not_working(client):
    response = client.get(reverse("health"), HTTP_ACCEPT="text/html")
    assert response.status_code == 503
    page = response.content.decode()
    assert "Service status" in page and "Not working" in page and "no tick recorded yet" in page


def test_beat_endpoint_checks_only_the_heartbeat(client):
    use_broker(f"redis://127.0.0.1:{_closed_port()}/0")
    heartbeat_record()
    response = client.get(reverse("health-beat"), **JSON)
    assert response.status_code == 200
    assert list(response.json()["checks"]) == ["beat"]


@pytest.mark.django_db(transaction=True)
def test_beat_container_health_command_exits_non_zero_on_an_old_tick():
    """docker-compose's beat health check: `manage.py health_check health-beat --no-http`."""

    def exit_code() -> int:
        # The command calls asyncio.run(), as it does in its own process; a browser test earlier in the session
        # may leave an event loop running in this thread, so run it in a fresh one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            future = pool.submit(call_command, "health_check", "health-beat", "--no-http")
            with pytest.raises(SystemExit) as exit_:
                future.result()
        return exit_.value.code

    try:
        assert exit_code() == 1
        heartbeat_record()
        assert exit_code() == 0
    finally:
        # Outside a request the checks run in asgiref's one shared thread: close the connection opened there.
        SyncToAsync.single_thread_executor.submit(connections.close_all).result()
