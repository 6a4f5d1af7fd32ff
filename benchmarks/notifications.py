"""Outbox throughput: queue 10,000 emails, drain them with one Celery worker to a local SMTP sink.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/placements_notify_bench REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python benchmarks/notifications.py --emails 10000 --concurrency 2

Recreates the database named in DATABASE_URL (its name must end in _bench), flushes the Redis database in
REDIS_URL, starts an aiosmtpd sink and one worker, and reports emails per second from the first delivery
to the last. Target (issue 6): at least 200 emails a second on this 2-core machine.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RawSink:
    """A bare SMTP sink: answers every command with success and counts messages. Far cheaper per message than
    aiosmtpd (the default), to show how much of the figure is the sink."""

    def __init__(self, port: int):
        import socketserver

        sink = self
        self.count, self.first, self.last = 0, None, None
        self.lock = threading.Lock()

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                self.wfile.write(b"220 sink ready\r\n")
                in_data = False
                for line in self.rfile:
                    if in_data:
                        if line == b".\r\n":
                            in_data = False
                            sink.received()
                            self.wfile.write(b"250 OK\r\n")
                        continue
                    command = line[:4].upper()
                    if command == b"DATA":
                        in_data = True
                        self.wfile.write(b"354 go ahead\r\n")
                    elif command == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    elif command == b"EHLO":
                        self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
                    else:
                        self.wfile.write(b"250 OK\r\n")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def received(self):
        with self.lock:
            self.count += 1
            now = time.perf_counter()
            self.first = self.first or now
            self.last = now

    def stop(self):
        self.server.shutdown()


def _recreate_database(url: str) -> None:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.endswith("_bench"):
        sys.exit(f"Refusing to recreate {name!r}: the benchmark database's name must end in _bench.")
    base = ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432), "-U", parsed.username or "postgres"]
    subprocess.run(["dropdb", "--if-exists", *base, name], check=True)
    subprocess.run(["createdb", *base, name], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--emails", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=2, help="processes in the one worker")
    parser.add_argument("--sink", choices=["aiosmtpd", "raw"], default="aiosmtpd", help="the local SMTP server to use")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/placements_notify_bench")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
    _recreate_database(database_url)

    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self):
            self.count, self.first, self.last = 0, None, None
            self.lock = threading.Lock()

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's hook name
            with self.lock:
                self.count += 1
                now = time.perf_counter()
                self.first = self.first or now
                self.last = now
            return "250 OK"

    smtp_port = _free_port()
    if args.sink == "aiosmtpd":
        sink = Sink()
        controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
        controller.start()
    else:
        sink = controller = RawSink(smtp_port)

    os.environ.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        DJANGO_SETTINGS_MODULE="config.settings.base",
        VAR_DIR="/tmp/notify-bench-var",
    )
    import django

    django.setup()
    import redis
    from django.core.management import call_command
    from django.db import transaction

    from notifications.models import EmailStatus, OutboundEmail
    from notifications.outbox import email_enqueue

    call_command("migrate", verbosity=0)
    redis.Redis.from_url(redis_url).flushdb()
    started = time.perf_counter()
    with transaction.atomic():
        for n in range(args.emails):
            email_enqueue(
                dedupe_key=f"bench:{n}",
                template="password_reset",
                to_email=f"person{n}@bench.test",
                context={"reset_url": f"http://127.0.0.1/reset/{n}/", "valid_hours": 2},
            )
    print(
        f"queued {args.emails} emails (rows written, tasks published after commit) in "
        f"{time.perf_counter() - started:.1f} s"
    )

    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel",
            "WARNING",
            "--concurrency",
            str(args.concurrency),
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=dict(os.environ),
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 600
        while sink.count < args.emails and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)
        controller.stop()
        shutil.rmtree("/tmp/notify-bench-var", ignore_errors=True)
    sent_rows = OutboundEmail.objects.filter(status=EmailStatus.SENT).count()
    elapsed = (sink.last - sink.first) if sink.count > 1 else float("nan")
    rate = (sink.count - 1) / elapsed if sink.count > 1 else 0.0
    print(
        f"delivered {sink.count} messages to the SMTP sink; {sent_rows} rows marked sent; "
        f"duplicates {max(0, sink.count - args.emails)}"
    )
    print(
        f"throughput: {rate:.0f} emails/s with one worker (concurrency {args.concurrency}) "
        f"-> target 200/s {'met' if rate >= 200 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
