"""Cohort CSV import in the coordinator admin: preview and confirm a file of the largest allowed size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/placements_import_bench \\
        .venv/bin/python benchmarks/cohort_import.py [--rows 5000] [--update-rows 0]

Recreates the database named in DATABASE_URL (its name must end in _bench; without DATABASE_URL a SQLite file in
/tmp), makes one coordinator with 50 opportunities, and posts a CSV of ``--rows`` new cohorts (default: the
largest allowed, ``COHORT_IMPORT_MAX_ROWS``) through the real import pages with Django's test client: the
preview, then the confirm. Then it exports everything and imports it back with ``--update-rows`` rows changed
(new places), which is the other common shape of a big file. Reports seconds and database queries for each step.
"""

import argparse
import csv
import datetime as dt
import io
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _recreate_database(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        Path(parsed.path).unlink(missing_ok=True)
        return
    name = parsed.path.lstrip("/")
    if not name.endswith("_bench"):
        sys.exit(f"Refusing to recreate {name!r}: the benchmark database's name must end in _bench.")
    base = ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432), "-U", parsed.username or "postgres"]
    subprocess.run(["dropdb", "--if-exists", *base, name], check=True)
    subprocess.run(["createdb", *base, name], check=True)


def _csv(rows: list[dict], headers: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=None, help="new cohorts in the file (default: the maximum)")
    parser.add_argument("--update-rows", type=int, default=1000, help="rows changed when the export is re-imported")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "sqlite:////tmp/placements_import_bench.sqlite3")
    _recreate_database(database_url)
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        VAR_DIR="/tmp/import-bench-var",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from placements.models import Cohort
    from placements.resources import COLUMNS, max_rows
    from tests import factories

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    rows = args.rows or max_rows()
    coordinator = factories.CoordinatorFactory()
    site = factories.SiteFactory(organisation=coordinator.organisation)
    opportunities = [factories.OpportunityFactory(site=site, title=f"Opportunity {n}") for n in range(50)]
    first = dt.date.today() + dt.timedelta(days=60)
    new_rows = [
        {
            "cohort_id": "",
            "opportunity_id": opportunities[n % 50].pk,
            "start_date": (first + dt.timedelta(days=7 * (n // 50))).isoformat(),
            "end_date": (first + dt.timedelta(days=7 * (n // 50) + 4)).isoformat(),
            "places": 4,
            "application_deadline": (first + dt.timedelta(days=7 * (n // 50) - 14)).isoformat(),
        }
        for n in range(rows)
    ]
    client = Client()
    client.force_login(coordinator)

    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    def step(label: str, do):
        queries[0] = 0
        started = time.perf_counter()
        with connection.execute_wrapper(count):
            response = do()
        seconds = time.perf_counter() - started
        print(f"{label}: {seconds:.2f} s, {queries[0]} queries, HTTP {response.status_code}")
        return response

    def import_file(content: bytes, label: str):
        upload = SimpleUploadedFile("cohorts.csv", content, content_type="text/csv")
        url = reverse("coordinator:placements_cohort_import")
        preview = step(
            f"{label} preview", lambda: client.post(url, {"format": "0", "resource": "0", "import_file": upload})
        )
        form = preview.context["confirm_form"]
        assert form is not None, "the preview refused the file"
        data = {name: form.initial.get(name, "") for name in form.fields}
        step(f"{label} confirm", lambda: client.post(reverse("coordinator:placements_cohort_process_import"), data))

    print(f"{connection.vendor}, {rows} rows ({len(_csv(new_rows, COLUMNS)):,} bytes)")
    import_file(_csv(new_rows, COLUMNS), f"{rows} new cohorts:")
    assert Cohort.objects.count() == rows, Cohort.objects.count()

    export = client.post(reverse("coordinator:placements_cohort_export"), {"format": "0", "resource": "0"})
    exported = list(csv.DictReader(io.StringIO(export.content.decode())))
    for row in exported[: args.update_rows]:
        row["places"] = "6"
    import_file(_csv(exported, COLUMNS), f"{len(exported)} rows, {args.update_rows} changed:")
    assert Cohort.objects.filter(capacity=6).count() == min(args.update_rows, rows)


if __name__ == "__main__":
    main()
