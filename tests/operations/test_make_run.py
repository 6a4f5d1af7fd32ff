"""Command one, for real: scripts/run_local.py (what `make run` starts) on the embedded defaults.

Starts web + Celery worker + beat on a fresh SQLite database and the filesystem broker, signs up
through the web page, waits for the *worker* to deliver the verification email into var/mail,
then stops everything with Ctrl-C and checks no process is left behind.
"""

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


# A first `make run` migrates and seeds the demo (about a minute of CPU; more when the other test worker is busy).
FIRST_RUN_SECONDS = 240


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _get(opener, url):
    try:
        return opener.open(url, timeout=5).read().decode()
    except OSError:
        return None


@pytest.fixture
def running_portal(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(VAR_DIR=str(tmp_path / "var"), PORT=str(port), SITE_URL=f"http://127.0.0.1:{port}")
    log = (tmp_path / "run.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "scripts/run_local.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    yield process, port, tmp_path
    # Stop it as Ctrl-C would (it stops its own children), then make sure nothing it started survives.
    children = _descendants(process.pid)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    for pid in children:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def test_make_run_serves_the_site_and_the_worker_delivers_email(running_portal):
    process, port, tmp_path = running_portal
    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    try:
        _wait_for(lambda: _get(opener, f"{base}/healthz/"), FIRST_RUN_SECONDS, "the web server")
    except AssertionError:
        raise AssertionError((tmp_path / "run.log").read_text()[-3000:]) from None
    output = (tmp_path / "run.log").read_text()
    assert f"http://127.0.0.1:{port}/" in output and "student@demo.test" in output and "placements-demo" in output
    # Demo staff sign in with a code from the known demo secret (ADR 0015), printed with the logins.
    from accounts.demo_totp import DEMO_TOTP_SECRET

    assert DEMO_TOTP_SECRET in output and "python -m accounts.demo_totp" in output

    page = _get(opener, f"{base}/accounts/signup/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {
        "csrfmiddlewaretoken": token,
        "first_name": "Run",
        "last_name": "Test",
        "email": "run.test@example.test",
        "password1": "a-long-unusual-passphrase",
        "password2": "a-long-unusual-passphrase",
    }
    request = urllib.request.Request(
        f"{base}/accounts/signup/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": f"{base}/accounts/signup/"},
    )
    assert "Check your email" in opener.open(request, timeout=10).read().decode()

    def delivered():
        for path in (tmp_path / "var" / "mail").glob("*"):
            if "run.test@example.test" in path.read_text(errors="replace"):
                return path
        return None

    _wait_for(delivered, 60, "the Celery worker to deliver the verification email to var/mail")
    database = sqlite3.connect(tmp_path / "var" / "db.sqlite3")
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # web, worker and beat share it
    database.close()

    started = _descendants(process.pid)
    assert len(started) >= 3  # web, worker (and its pool), beat
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    assert process.wait(timeout=30) == 0
    time.sleep(1)
    leftover = [pid for pid in started if _alive(pid)]
    assert not leftover, f"processes left running after Ctrl-C: {leftover}"


def test_a_second_make_run_on_the_same_port_says_so_and_changes_nothing(running_portal):
    process, port, tmp_path = running_portal
    _wait_for(
        lambda: _get(urllib.request.build_opener(), f"http://127.0.0.1:{port}/healthz/"),
        FIRST_RUN_SECONDS,
        "the web server",
    )
    env = {**os.environ, "VAR_DIR": str(tmp_path / "var"), "PORT": str(port)}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    second = subprocess.run(
        [sys.executable, "scripts/run_local.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert second.returncode == 1 and "already in use" in second.stdout
    assert process.poll() is None
