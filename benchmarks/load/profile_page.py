"""Profile one page on the live code path: production settings, the load benchmark's database, a real request.

    .venv/bin/python benchmarks/load/profile_page.py /opportunities/ [--as tutor@demo.test] [--requests 20]

Requests go through Django's test client (the whole middleware stack, templates and queries as under gunicorn)
after the benchmark's database is built (benchmarks/load/run.py). Prints the time per request, the share spent in
SQL, and cProfile's top functions by own time and by cumulative time.
"""

import argparse
import cProfile
import logging
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import DEFAULT_DB, DEFAULT_REDIS, server_env, sign_in  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("--as", dest="persona", default=None, help="Sign in as this demo persona first.")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    args.database_url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    args.redis_url = os.environ.get("REDIS_URL", DEFAULT_REDIS)
    args.secret_key = "profile-" + "x" * 48
    args.port = 8915
    os.environ.update(server_env(args))
    import django

    django.setup()
    logging.disable(logging.INFO)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if args.persona:
        client.cookies["sessionid"] = sign_in(args.persona)

    def get():
        response = client.get(args.path)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        assert response.status_code == 200, response.status_code
        return response

    get()  # warm: templates compiled, connections open
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        get()
        one = time.perf_counter() - started
    sql = sum(float(q["time"]) for q in queries.captured_queries)
    started = time.perf_counter()
    for _ in range(args.requests):
        get()
    each = (time.perf_counter() - started) / args.requests
    print(f"{args.path}: {each * 1000:.1f} ms a request ({args.requests} requests)")
    print(f"one request: {one * 1000:.1f} ms, {len(queries)} queries, {sql * 1000:.1f} ms in SQL")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.requests):
        get()
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
