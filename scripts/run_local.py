"""`make run`: migrate, load demo data, then run web + Celery worker + Celery beat until Ctrl-C.

Everything runs on the embedded defaults unless DATABASE_URL / REDIS_URL are set.
Every child runs in its own process group, so Ctrl-C (or a crash of any one) stops them all.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("VAR_DIR", ROOT / "var"))
PYTHON = sys.executable
PORT = int(os.environ.get("PORT", "8000"))
HOST = os.environ.get("HOST", "127.0.0.1")

sys.path.insert(0, str(ROOT))
from accounts.demo_totp import DEMO_TOTP_SECRET  # noqa: E402  (standard library only, no Django set-up)


def port_in_use(host: str, port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((host, port)) == 0


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, check=True)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("SITE_URL", f"http://{HOST}:{PORT}")
    for folder in ("broker/queue", "broker/processed", "broker/control", "mail", "static"):
        (VAR / folder).mkdir(parents=True, exist_ok=True)
    if port_in_use(HOST, PORT):
        print(f"Port {PORT} is already in use: is `make run` already running? Stop it, or use PORT=8001 make run.")
        return 1

    manage("migrate", "--no-input", "-v", "0")
    manage("seed_demo")

    celery = [PYTHON, "-m", "celery", "-A", "config"]
    commands = {
        "web": [PYTHON, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"],
        "worker": [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2", "--hostname", "local@%h"],
        "beat": [*celery, "beat", "--loglevel", "INFO", "--schedule", str(VAR / "celerybeat-schedule")],
    }
    children = {name: subprocess.Popen(cmd, cwd=ROOT, start_new_session=True) for name, cmd in commands.items()}

    broker = "Redis" if os.environ.get("REDIS_URL") else "embedded filesystem broker (var/broker)"
    database = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite (var/db.sqlite3)"
    print(
        "\n"
        f"  Health & Care Work Experience is running at http://{HOST}:{PORT}/\n"
        f"  Database: {database}.  Broker: {broker}.  Emails: console and var/mail/.\n"
        "  Demo logins (password: placements-demo):\n"
        "    student@demo.test, student.b@demo.test, tutor@demo.test, tutor.b@demo.test,\n"
        "    coordinator@demo.test, coordinator.b@demo.test, admin@demo.test, staff@demo.test, staff.b@demo.test,\n"
        "    trainer@demo.test, trainer.b@demo.test (simulation suites), partner@demo.test (planning reports)\n"
        "  Everyone but the students also needs a code from an authenticator app holding the demo secret\n"
        f"    {DEMO_TOTP_SECRET}  (or print the current code: .venv/bin/python -m accounts.demo_totp)\n"
        "  Press Ctrl-C to stop the web server, the Celery worker and Celery beat.\n",
        flush=True,
    )

    def stop(*_):
        for child in children.values():
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)

    signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
    try:
        while True:
            for name, child in children.items():
                if child.poll() is not None:
                    print(f"The {name} process stopped (exit code {child.returncode}); stopping the others.")
                    stop()
                    return child.returncode or 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping…")
        stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
