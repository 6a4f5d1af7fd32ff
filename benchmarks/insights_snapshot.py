"""The insights snapshot job at London scale on PostgreSQL (issue 14): target at most 60 s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/placements_d_bench \\
        .venv/bin/python benchmarks/insights_snapshot.py --build      # recreate, migrate, generate, match, measure
    ... benchmarks/insights_snapshot.py                                # measure again on the same database
    ... benchmarks/insights_snapshot.py --profile /tmp/snapshot.prof   # and where the time goes (cProfile)

``--build`` recreates the database named in DATABASE_URL (its name must end in ``_bench`` or ``_perf``), migrates
(which loads the digital-skills framework), runs ``generate_load`` at the issue's sizes (100,000 applicants,
5,000 opportunities, 5,000 simulation sessions, 50,000 skills assessments) and then the matching job once on the
generated round, so applications have outcomes (offered, not placed) and status changes as on matching day;
then ``VACUUM ANALYZE``. Each of these is timed and printed, none is part of the figures.

Measured, each the median of ``--runs`` (3):
- ``snapshot_documents()``: every figure of every theme computed (wall and CPU seconds, queries, SQL seconds,
  the slowest statements), and the documents' sizes;
- the whole path a site admin starts: ``snapshot_request`` (the pending row; the Celery task it enqueues after
  commit is captured, not sent) and then the task itself, ``take_snapshot_task`` -> ``snapshot_run`` -> ``_take``
  (claim, compute, write the theme rows), wall seconds and the ``duration_ms`` the job records;
- memory: a separate run of ``snapshot_documents()`` under ``tracemalloc`` (peak Python allocation; slower, so
  not timed) and the process's peak RSS (``resource.getrusage``);
- every insights page and CSV, read from the newest snapshot as a planning partner: status, queries, ms.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 60
SIZES = {"applicants": 100_000, "opportunities": 5_000, "sessions": 5_000, "skills_responses": 50_000}


def _database_name(url: str) -> str:
    name = urlparse(url).path.lstrip("/")
    if not name.endswith(("_bench", "_perf")):
        sys.exit(f"Refusing to use {name!r}: the benchmark database's name must end in _bench or _perf.")
    return name


def _recreate_database(url: str) -> None:
    parsed = urlparse(url)
    name = _database_name(url)
    base = ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432), "-U", parsed.username or "postgres"]
    subprocess.run(["dropdb", "--if-exists", *base, name], check=True)
    subprocess.run(["createdb", *base, name], check=True)


class SqlTimer:
    """Every statement's time, through Django's execute wrapper: total, count and the slowest shapes."""

    def __init__(self):
        self.statements: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((time.perf_counter() - started, sql))

    def slowest(self, how_many=6) -> list[tuple[float, int, str]]:
        shapes: dict[str, list[float]] = {}
        for seconds, sql in self.statements:
            # Batched reads differ only in their parameters: one shape per statement text.
            shapes.setdefault(sql[:160], []).append(seconds)
        ranked = sorted(((sum(t), len(t), sql) for sql, t in shapes.items()), reverse=True)
        return ranked[:how_many]


def _build(args, url: str) -> dict:
    from django.core.management import call_command
    from django.db import connection

    timings = {}
    _recreate_database(url)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings["migrate_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    call_command(
        "generate_load",
        applicants=args.applicants,
        opportunities=args.opportunities,
        sessions=args.sessions,
        skills_responses=args.skills_responses,
        seed=args.seed,
        force=True,
    )
    timings["generate_load_s"] = round(time.perf_counter() - started, 1)
    print(f"generate_load: {timings['generate_load_s']} s")
    if not args.no_match:
        from placements.models import Round
        from placements.services.matching_runs import matching_run_create, matching_run_execute

        started = time.perf_counter()
        round_ = Round.objects.latest("pk")
        run = matching_run_execute(run_id=matching_run_create(actor=None, round_=round_, kind="manual").pk)
        timings["matching_run_s"] = round(time.perf_counter() - started, 1)
        print(f"matching run: {timings['matching_run_s']} s, {run.matched} of {run.applicants} matched")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    timings["vacuum_analyze_s"] = round(time.perf_counter() - started, 1)
    return timings


def _counts() -> dict:
    from insights.models import Snapshot
    from placements.models import Application, Cohort, Opportunity, StatusChange
    from skills.models import Assessment, Response
    from training.models import Attendee, Session

    return {
        "applications": Application.objects.count(),
        "opportunities": Opportunity.objects.count(),
        "cohorts": Cohort.objects.count(),
        "status_changes": StatusChange.objects.count(),
        "sessions": Session.objects.count(),
        "attendees": Attendee.objects.count(),
        "assessments": Assessment.objects.filter(submitted_at__isnull=False).count(),
        "responses": Response.objects.count(),
        "snapshots": Snapshot.objects.count(),
    }


def _documents_run(profile_path: str | None = None) -> dict:
    from django.db import connection

    from insights.services.snapshots import snapshot_documents

    timer = SqlTimer()
    profiler = None
    if profile_path:
        import cProfile

        profiler = cProfile.Profile()
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(timer):
        if profiler:
            profiler.enable()
        periods, documents = snapshot_documents()
        if profiler:
            profiler.disable()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler:
        profiler.dump_stats(profile_path)
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "queries": len(timer.statements),
        "sql_s": sum(seconds for seconds, _ in timer.statements),
        "slowest": timer.slowest(),
        "periods": len(periods),
        "document_kb": {
            str(theme): round(len(json.dumps(doc, default=str)) / 1024) for theme, doc in documents.items()
        },
    }


def _whole_path(admin) -> dict:
    """What "Take a snapshot now" starts: the pending row, then the task the worker runs."""
    from insights import tasks
    from insights.services import snapshots

    sent = []
    real_enqueue = snapshots.enqueue
    snapshots.enqueue = lambda name, *a, **k: sent.append((name, a))
    try:
        started = time.perf_counter()
        snapshot = snapshots.snapshot_request(actor=admin)
    finally:
        snapshots.enqueue = real_enqueue
    assert sent == [("insights.tasks.take_snapshot_task", (snapshot.pk,))], sent
    tasks.take_snapshot_task(snapshot.pk)
    wall = time.perf_counter() - started
    snapshot.refresh_from_db()
    assert snapshot.status == "succeeded", (snapshot.status, snapshot.error)
    return {"wall_s": wall, "duration_ms": snapshot.duration_ms, "snapshot": snapshot.pk}


def _memory() -> dict:
    from insights.services.snapshots import snapshot_documents

    tracemalloc.start()
    snapshot_documents()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"tracemalloc_peak_mb": round(peak / 2**20, 1)}


def _people():
    from accounts.models import Organisation, OrganisationKind, Role, User

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).first()
    if admin is None:
        admin = User.objects.create_user(email="bench-admin@load.test", password=None, role=Role.ADMIN)
    partner = User.objects.filter(role=Role.PARTNER, is_active=True).first()
    if partner is None:
        lsip, _ = Organisation.objects.get_or_create(
            name="Load LSIP partnership", defaults={"kind": OrganisationKind.LSIP, "postcode": "SE1 7PB"}
        )
        partner = User.objects.create_user(
            email="bench-partner@load.test", password=None, role=Role.PARTNER, organisation=lsip
        )
    return admin, partner


def _pages(partner) -> list[dict]:
    """Every insights page and CSV as a partner, from the newest snapshot (first period, every breakdown)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from insights.models import Snapshot
    from tests.two_factor import force_login_with_second_factor

    snapshot = Snapshot.objects.filter(status="succeeded").order_by("-taken_at", "-pk").first()
    client = Client()
    force_login_with_second_factor(Client.force_login)(client, partner)
    key = snapshot.periods[0]["key"] if snapshot.periods else ""
    urls = [
        reverse("insights:summary"),
        reverse("insights:summary-csv"),
        reverse("insights:who-gets-in") + f"?period={key}&breakdown=borough",
        reverse("insights:who-gets-in-csv", args=["funnel"]) + f"?period={key}&breakdown=college",
        reverse("insights:who-gets-in-csv", args=["places"]) + f"?period={key}&breakdown=borough",
        reverse("insights:training"),
        reverse("insights:training-csv", args=["sessions"]),
        reverse("insights:skills"),
        reverse("insights:compare"),
    ]
    rows = []
    client.get(urls[0])  # warm: the session, templates
    for url in urls:
        times, queries, status, size = [], 0, 0, 0
        for _ in range(3):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                # A streamed CSV is read to its end: its queries and time belong to the request.
                body = b"".join(response.streaming_content) if response.streaming else response.content
                times.append(time.perf_counter() - started)
            queries, status, size = len(captured), response.status_code, len(body)
        rows.append(
            {
                "url": url,
                "status": status,
                "queries": queries,
                "ms": round(statistics.median(times) * 1000),
                "kb": size // 1024,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", action="store_true", help="Recreate and fill the database first.")
    parser.add_argument("--applicants", type=int, default=SIZES["applicants"])
    parser.add_argument("--opportunities", type=int, default=SIZES["opportunities"])
    parser.add_argument("--sessions", type=int, default=SIZES["sessions"])
    parser.add_argument("--skills-responses", type=int, default=SIZES["skills_responses"])
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--no-match", action="store_true", help="With --build: leave applications unmatched.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", help="Write a cProfile of one snapshot_documents() run here.")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--json", help="Write the figures here too.")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/placements_bench")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database whose name ends in _bench or _perf.")
    _database_name(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    # As the worker runs it: no query log kept in memory, no debug pages.
    os.environ.setdefault("DEBUG", "false")

    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # The pages are read in-process: static files from the source tree, as the tests do (no collectstatic).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout
    figures: dict = {"commit": commit.strip(), "load_before": os.getloadavg()}
    if args.build:
        figures["build"] = _build(args, url)
    figures["rows"] = _counts()
    print("rows:", figures["rows"])

    runs = [_documents_run() for _ in range(args.runs)]
    for n, run in enumerate(runs, start=1):
        print(
            f"snapshot_documents run {n}: {run['wall_s']:.1f} s wall, {run['cpu_s']:.1f} s CPU, "
            f"{run['queries']} queries, {run['sql_s']:.1f} s in SQL"
        )
    figures["documents"] = {
        "wall_s_median": round(statistics.median(r["wall_s"] for r in runs), 2),
        "cpu_s_median": round(statistics.median(r["cpu_s"] for r in runs), 2),
        "sql_s_median": round(statistics.median(r["sql_s"] for r in runs), 2),
        "wall_s_runs": [round(r["wall_s"], 2) for r in runs],
        "queries": runs[0]["queries"],
        "periods": runs[0]["periods"],
        "document_kb": runs[0]["document_kb"],
        "slowest_sql": [(round(s, 2), n, sql) for s, n, sql in runs[0]["slowest"]],
    }
    print("slowest statements (s, times, text):")
    for seconds, times, sql in runs[0]["slowest"]:
        print(f"  {seconds:6.2f} {times:5d}  {sql[:150]}")

    admin, partner = _people()
    whole = [_whole_path(admin) for _ in range(args.runs)]
    figures["whole_path"] = {
        "wall_s_median": round(statistics.median(w["wall_s"] for w in whole), 2),
        "duration_ms_median": statistics.median(w["duration_ms"] for w in whole),
        "wall_s_runs": [round(w["wall_s"], 2) for w in whole],
    }
    print(f"snapshot_request + take_snapshot_task: {figures['whole_path']}")
    figures["memory"] = _memory()
    figures["memory"]["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print("memory:", figures["memory"])
    if args.profile:
        _documents_run(args.profile)
        print(f"profile written to {args.profile} (python -m pstats {args.profile}; sort cumtime; stats 30)")
    if not args.skip_pages:
        figures["pages"] = _pages(partner)
        for row in figures["pages"]:
            print(f"  {row['status']} {row['queries']:3d} queries {row['ms']:6d} ms {row['kb']:5d} kB  {row['url']}")
    figures["load_after"] = os.getloadavg()
    slowest = max(figures["documents"]["wall_s_median"], figures["whole_path"]["wall_s_median"])
    print(
        f"target: at most {TARGET_SECONDS} s -> {'met' if slowest <= TARGET_SECONDS else 'NOT met'} ({slowest:.1f} s)"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main()
