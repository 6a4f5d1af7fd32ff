"""Load benchmark (issue 15): each page's throughput and latency as a ratio of an empty layout page, under gunicorn.

    .venv/bin/python benchmarks/load/run.py                 # build placements_perf, then measure (about 25 min)
    .venv/bin/python benchmarks/load/run.py --reuse-db      # measure again on the database already built
    .venv/bin/python benchmarks/load/run.py --reuse-db --pages finder,tutor-list --runs 1 --seconds 3

Needs `wrk` (Debian: `apt-get install wrk`) and a local PostgreSQL and Redis. The database named by DATABASE_URL
(default placements_perf; its name must end in _perf or _bench) is dropped and rebuilt unless --reuse-db:
migrate, `seed_demo` (the demo personas, training, skills and insights data), `generate_load` (20,000 submitted
applicants), then 1,000 of those applicants are moved to the demo tutor's college so the tutor's list and CSV have
realistic sizes, then steps 9-11's data at the sizes issues 12-14 name (steps_9_11.py: 5,000 sessions, 50,000 skills
responses, a snapshot) and ANALYZE.

The portal runs as production runs it: gunicorn, 2 workers, `config.settings.production` (DEBUG off, JSON logs),
PostgreSQL and Redis; plain HTTP on 127.0.0.1 through production.py's own switches (SECURE_SSL_REDIRECT=false ...).
BENCHMARK_PAGES=1 adds `/benchmark/empty/`, a page that renders only the base layout (config/urls.py); it does not
exist otherwise. Signed-in personas sign in once through the real sign-in pages (password, then the demo
authenticator code) and the load tool reuses their session cookie.

For every concurrency (8 and 32) and run (3), pages are measured interleaved with the empty page, signed in as the
same persona: empty, page A, empty, page B, ... Each page's ratio is its requests/s over the empty page's measured
just before it; the table gives the median of the runs. Latency ratios are the page's percentile over the empty
page's (higher is slower). Queries per request are counted separately, once per page, with Django's test client and
CaptureQueriesContext on the same database and settings.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import steps_9_11  # this folder (the script's own) is on sys.path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/placements_perf"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
EMPTY = "/benchmark/empty/"
PASSWORD = "placements-demo"  # accounts.demo.DEMO_PASSWORD


@dataclass
class Page:
    key: str
    label: str
    path: str  # "{name}" placeholders are filled from discover()
    persona: str | None = None  # None: anonymous
    public: bool = False
    runs: list = field(default_factory=list)


TUTOR = "tutor@demo.test"
DEMO_STAFF = ("staff@demo.test", "staff.b@demo.test")
PAGES = [
    Page("finder", "Finder", "/opportunities/", public=True),
    Page("finder-postcode", "Finder near SE5 (sorted by distance)", "/opportunities/?postcode=SE5+9RS", public=True),
    Page("opportunity", "Opportunity page", "/opportunities/{opportunity}/", public=True),
    Page("catalogue", "Training catalogue /training/", "/training/", public=True),
    Page("student-home", "Student dashboard", "/my-application/", "student@demo.test"),
    Page("tutor-list", "Tutor list", "/tutor/", "tutor@demo.test"),
    Page("tutor-list-filtered", "Tutor list, filtered", "/tutor/?status=ready_for_matching&sort=name", TUTOR),
    Page("tutor-export", "Tutor CSV export (1,000+ rows)", "/tutor/export.csv", "tutor@demo.test"),
    Page("host", "Coordinator queue /host/", "/host/", "coordinator@demo.test"),
    Page("cohorts", "Cohort list /coordinator/", "/coordinator/placements/cohort/", "coordinator@demo.test"),
    Page("employer-training", "Employer's training home", "/training/employer/", "coordinator@demo.test"),
    Page("skills-result", "Skills result", "/skills/assessment/{skills_result}/result/", "{skills_person}"),
    Page("skills-employer", "Skills employer dashboard", "/skills/employer/", "coordinator@demo.test"),
    Page("insights", "Insights summary /insights/", "/insights/", "partner@demo.test"),
]
# Steps 9-11's other signed-in pages: their data, pages and ids live in steps_9_11.py.
PAGES += [Page(*page) for page in steps_9_11.PAGES]


def server_env(args) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        SECRET_KEY=args.secret_key,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SITE_URL=f"http://127.0.0.1:{args.port}",
        # production.py's switches for plain HTTP on localhost (as docker-compose.yml sets them).
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        ENVIRONMENT_NAME="load-benchmark",
        VAR_DIR=str(ROOT / "var" / "bench-load"),
        BENCHMARK_PAGES="1",
    )
    return env


def manage(*argv, env=None) -> None:
    subprocess.run([PYTHON, "manage.py", *argv], cwd=ROOT, env=env, check=True)


def build_database(args) -> None:
    parsed = urlparse(args.database_url)
    name = parsed.path.lstrip("/")
    if not name.endswith(("_perf", "_bench")):
        sys.exit(f"Refusing to recreate {name!r}: the benchmark database's name must end in _perf or _bench.")
    base = ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432), "-U", parsed.username or "postgres"]
    subprocess.run(["dropdb", "--if-exists", *base, name], check=True)
    subprocess.run(["createdb", *base, name], check=True)
    # Seeding runs with the development settings (DEBUG on: seed_demo gives demo staff the demo authenticator).
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.base", DATABASE_URL=args.database_url)
    env.update(REDIS_URL=args.redis_url, VAR_DIR=str(ROOT / "var" / "bench-load"))
    started = time.perf_counter()
    manage("migrate", "--no-input", "-v", "0", env=env)
    manage("seed_demo", env=env)
    manage("generate_load", "--applicants", str(args.applicants), "--seed", "15", "--force", env=env)
    manage("shell", "-c", MOVE_TO_COLLEGE.format(count=args.tutor_rows), env=env)
    manage("shell", "-c", STEPS_9_11_DATA, env=env)
    print(f"database built in {time.perf_counter() - started:.0f} s", flush=True)


# The demo tutor's college gets `count` of the generated applicants (their tutor list and CSV export).
MOVE_TO_COLLEGE = """
from accounts.models import User
from placements.models import Application
tutor = User.objects.get(email="tutor@demo.test")
generated = Application.objects.filter(student__email__startswith="load-").order_by("pk")
ids = list(generated.values_list("pk", flat=True)[:{count}])
Application.objects.filter(pk__in=ids).update(college_id=tutor.organisation_id)
print(len(ids), "generated applicants moved to", tutor.organisation)
"""


# Steps 9-11's data at the sizes issues 12-14 name: 5,000 sessions, 50,000 skills responses, a fresh snapshot.
STEPS_9_11_DATA = f"import sys; sys.path.insert(0, {str(HERE)!r}); from steps_9_11 import load; load()"


def collect_static(env) -> None:
    if not (Path(env["VAR_DIR"]) / "static" / "staticfiles.json").exists():
        manage("collectstatic", "--no-input", "-v", "0", env=env)


def start_server(args, env) -> subprocess.Popen:
    log = open(ROOT / "var" / "bench-load" / "gunicorn.log", "ab")  # noqa: SIM115 (lives as long as the server)
    command = [
        str(Path(PYTHON).with_name("gunicorn")),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    deadline = time.time() + 60
    try:
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}{EMPTY}", timeout=30).read()
                return server
            except OSError:  # not listening yet, or still booting
                time.sleep(0.5)
    except BaseException:
        stop_server(server)
        raise
    stop_server(server)
    sys.exit("gunicorn did not answer on the empty page within 60 s (see var/bench-load/gunicorn.log)")


def stop_server(server) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def discover() -> dict:
    """Ids the page paths need, found on the data itself."""
    from placements.models import Cohort
    from skills.models import Assessment

    opportunity = (
        Cohort.objects.filter(opportunity__status="published", opportunity__title__startswith="Load")
        .order_by("pk")
        .values_list("opportunity_id", flat=True)
        .first()
    )
    assessment = (
        # A demo login's (others have no authenticator set up); the latest, as the person would open it.
        Assessment.objects.filter(submitted_at__isnull=False, person__email__in=DEMO_STAFF)
        .order_by("-submitted_at", "-pk")
        .select_related("person")
        .first()
    )
    return {
        "opportunity": opportunity,
        "skills_result": assessment.pk if assessment else None,
        "skills_person": assessment.person.email if assessment else None,
        **steps_9_11.discover(),
    }


def sign_in(email: str) -> str:
    """The session cookie of `email`, signed in through the real pages (password, then an authenticator code)."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.demo_totp import demo_totp_code

    client = Client()
    response = client.post("/accounts/login/", {"username": email, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"{email}: sign-in answered {response.status_code}")
    if TOTPDevice.objects.filter(user__email=email, confirmed=True).exists():
        # A code is single use: let a re-run within the same 30 seconds in.
        TOTPDevice.objects.filter(user__email=email).update(last_t=-1, throttling_failure_count=0)
        response = client.post("/accounts/two-factor/", {"code": demo_totp_code()})
        if response.status_code != 302:
            raise RuntimeError(f"{email}: the second factor answered {response.status_code}")
    return client.cookies["sessionid"].value


def count_queries(path: str, cookie: str | None) -> tuple[int, int, float]:
    """(status, queries, ms) of one request through Django's test client, after one warm-up request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if cookie:
        client.cookies["sessionid"] = cookie
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(path)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        ms = (time.perf_counter() - started) * 1000
    return response.status_code, len(captured), ms


def status_of(url: str, cookie: str | None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"} if cookie else {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None

    try:
        return urllib.request.build_opener(NoRedirect).open(request, timeout=60).status
    except urllib.error.HTTPError as error:
        return error.code


def wrk(url: str, cookie: str | None, connections: int, seconds: int) -> dict:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s"]
    command += ["-s", str(HERE / "report.lua")]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"]
    result["errors"] = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    return result


def settle(base: str) -> None:
    """Wait until the workers have worked off what the last measurement left queued (slow pages leave a backlog)."""
    deadline = time.time() + 120
    while time.time() < deadline:
        started = time.perf_counter()
        urllib.request.urlopen(base + EMPTY, timeout=120).read()
        if time.perf_counter() - started < 0.25:
            return


def ratio(page: dict, empty: dict) -> float:
    return page["rps"] / empty["rps"] if empty["rps"] else 0.0


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--reuse-db", action="store_true", help="Measure on the database already built.")
    parser.add_argument("--applicants", type=int, default=20_000)
    parser.add_argument("--tutor-rows", type=int, default=1_000)
    parser.add_argument("--pages", default="", help="Comma-separated page keys (default: all).")
    parser.add_argument("--connections", default="8,32")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5, help="Length of each wrk measurement.")
    parser.add_argument("--port", type=int, default=8915)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", help="Write every measurement to this file.")
    args = parser.parse_args()
    args.secret_key = secrets.token_urlsafe(48)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian/Ubuntu: apt-get install wrk).")
    (ROOT / "var" / "bench-load").mkdir(parents=True, exist_ok=True)
    if not args.reuse_db:
        build_database(args)
    env = server_env(args)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)  # this process's sign-ins and query counts; the server logs as production does
    collect_static(env)

    pages = [p for p in PAGES if not args.pages or p.key in args.pages.split(",")]
    ids = discover()
    server = start_server(args, env)
    try:
        measure(args, pages, ids)
    finally:
        stop_server(server)


def measure(args, pages, ids) -> None:
    base = f"http://127.0.0.1:{args.port}"
    cookies, missing, ready = {}, [], []
    for page in pages:
        try:
            page.path = page.path.format(**ids)
            page.persona = page.persona.format(**ids) if page.persona else None
        except KeyError:
            missing.append((page, "no data"))
            continue
        if "None" in page.path or page.persona == "None":
            missing.append((page, "no data"))
            continue
        if page.persona and page.persona not in cookies:
            cookies[page.persona] = sign_in(page.persona)
        cookie = cookies.get(page.persona)
        status = status_of(base + page.path, cookie)
        if status != 200:
            missing.append((page, f"HTTP {status}"))
            continue
        page.queries_status, page.queries, page.single_ms = count_queries(page.path, cookie)
        ready.append(page)
    print(f"load average before: {load_average()}", flush=True)
    connections = [int(c) for c in args.connections.split(",")]
    for run in range(args.runs):
        for conns in connections:
            for page in ready:
                cookie = cookies.get(page.persona)
                settle(base)
                empty = wrk(base + EMPTY, cookie, conns, args.seconds)
                settle(base)
                measured = wrk(base + page.path, cookie, conns, args.seconds)
                page.runs.append({"run": run, "connections": conns, "empty": empty, "page": measured})
                print(
                    f"run {run + 1} c{conns:<3} {page.key:<22} {measured['rps']:7.1f} rps / empty "
                    f"{empty['rps']:7.1f} = {ratio(measured, empty):.3f}x  p50 {measured['p50']:.0f} ms  "
                    f"errors {measured['errors']}  load {load_average()}",
                    flush=True,
                )
    print(f"load average after: {load_average()}", flush=True)
    report(ready, missing, connections)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "pages": [
                        {"key": p.key, "path": p.path, "queries": p.queries, "single_ms": p.single_ms, "runs": p.runs}
                        for p in ready
                    ],
                    "missing": [{"key": p.key, "path": p.path, "why": why} for p, why in missing],
                },
                indent=1,
            )
        )


def report(ready, missing, connections) -> None:
    print()
    print(
        "| page | persona | queries | c | req/s (empty) | ratio | p50 ms (x empty) | p95 ms (x empty) "
        "| p99 ms (x empty) | errors | target |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for page in ready:
        for conns in connections:
            runs = [r for r in page.runs if r["connections"] == conns]
            if not runs:
                continue

            def med(key, source="page", runs=runs):
                return statistics.median(r[source][key] for r in runs)

            rps_ratio = statistics.median(ratio(r["page"], r["empty"]) for r in runs)
            target = 0.25 if page.public else 0.12
            latencies = " | ".join(
                f"{med(p):.0f} ({statistics.median(r['page'][p] / r['empty'][p] for r in runs):.1f})"
                for p in ("p50", "p95", "p99")
            )
            errors = sum(r["page"]["errors"] for r in runs)
            print(
                f"| {page.label} | {page.persona or 'anonymous'} | {page.queries} | {conns} | {med('rps'):.0f} "
                f"({med('rps', 'empty'):.0f}) | **{rps_ratio:.2f}x** | {latencies} | {errors} | "
                f"{target}x {'met' if rps_ratio >= target and not errors else 'NOT met'} |"
            )
    for page, why in missing:
        print(f"skipped: {page.label} ({page.path}): {why}")


if __name__ == "__main__":
    main()
