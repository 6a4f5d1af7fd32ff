"""Cost against data size (issue 15): one page's single-request latency on a small and a large database.

    .venv/bin/python benchmarks/load/growth.py \
        --small postgres://postgres@127.0.0.1:5432/placements_1k_perf \
        --large postgres://postgres@127.0.0.1:5432/placements_100k_perf [--rounds 3 --requests 10] \
        [--pages finder,finder-postcode]

Each database is built like run.py's (migrate, seed_demo, generate_load, 1,000 applicants moved to the demo tutor's
college), the large one with `generate_load --applicants 100000 --opportunities 5000`, then growth_placements.sql
(every generated applicant matched or offered, so /host/ and the tutor list run against 100,000 placements). The
databases are measured in turn, `--rounds` times, `--requests` requests a page each time, through Django's test
client with production settings and the finder's shared cache off (FINDER_CACHE_SECONDS=0: the query every time).
Prints the median per page and database, and the ratio large / small (target: at most 1.25).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PAGES = [
    ("finder", "/opportunities/", None),
    ("finder-postcode", "/opportunities/?postcode=SE5+9RS", None),
    ("tutor-list", "/tutor/", "tutor@demo.test"),
    ("tutor-list-filtered", "/tutor/?status=ready_for_matching&sort=name", "tutor@demo.test"),
    ("tutor-export", "/tutor/export.csv", "tutor@demo.test"),
    ("host", "/host/", "coordinator@demo.test"),
    ("cohorts", "/coordinator/placements/cohort/", "coordinator@demo.test"),
    ("opportunities-admin", "/coordinator/placements/opportunity/", "coordinator@demo.test"),
    ("student-home", "/my-application/", "student@demo.test"),
]


def measure(requests: int, pages: list[str]) -> None:
    """In a child process (one database): print one JSON line per page."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(HERE))
    from run import server_env, sign_in

    class Args:
        database_url = os.environ["DATABASE_URL"]
        redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
        secret_key = "growth-" + "x" * 48
        port = 8915

    os.environ.update(server_env(Args), FINDER_CACHE_SECONDS="0")
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.test import Client

    clients = {}
    for key, path, persona in PAGES:
        if key not in pages:
            continue
        if persona not in clients:
            clients[persona] = Client()
            if persona:
                clients[persona].cookies["sessionid"] = sign_in(persona)
        client = clients[persona]

        def get(client=client, path=path):
            response = client.get(path)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            assert response.status_code == 200, (path, response.status_code)

        get()
        get()
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            get()
            times.append((time.perf_counter() - started) * 1000)
        print(json.dumps({"page": key, "times": times}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", required=True)
    parser.add_argument("--large", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument(
        "--pages", default=",".join(key for key, _, _ in PAGES), help="comma-separated page keys (default: all)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    pages = args.pages.split(",")
    if args.child:
        measure(args.requests, pages)
        return
    times = {}
    for _ in range(args.rounds):
        for size, url in (("small", args.small), ("large", args.large)):
            output = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    *("--small", "-", "--large", "-", "--child"),
                    *("--requests", str(args.requests), "--pages", args.pages),
                ],
                env=dict(os.environ, DATABASE_URL=url),
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            for line in output.splitlines():
                if line.startswith('{"page"'):
                    row = json.loads(line)
                    times.setdefault((row["page"], size), []).extend(row["times"])
    print(f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print("| page | median ms, small | median ms, large | large / small |")
    print("|---|---|---|---|")
    for key in pages:
        small, large = statistics.median(times[(key, "small")]), statistics.median(times[(key, "large")])
        print(f"| {key} | {small:.0f} | {large:.0f} | **{large / small:.2f}x** |")


if __name__ == "__main__":
    main()
