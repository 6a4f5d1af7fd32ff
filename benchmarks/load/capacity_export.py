"""The coordinator's cohort CSV at 1,000 and 10,000 rows: first byte, whole file and peak memory (issue 15).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/placements_perf .venv/bin/python benchmarks/load/capacity_export.py

On the load benchmark's database (built by run.py), signed in as coordinator@demo.test through the real pages: the
rows are added for the demo trust inside a transaction that is rolled back at the end, so the database is left as
it was. For each size, the export as it is served now (streamed) and django-import-export's own way (the whole file
built, then sent), each measured the same way: through Django's test client, production settings, tracemalloc's
peak while the response is produced and read a chunk at a time. Median of --runs.
"""

import argparse
import datetime as dt
import logging
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import DEFAULT_DB, DEFAULT_REDIS, server_env, sign_in  # noqa: E402

PERSONA = "coordinator@demo.test"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    args.database_url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    args.redis_url = os.environ.get("REDIS_URL", DEFAULT_REDIS)
    args.secret_key = "capacity-export-" + "x" * 40
    args.port = 8915
    os.environ.update(server_env(args))
    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone
    from import_export.admin import ExportMixin

    from accounts.models import User
    from placements.admin.coordinator import CoordinatorCohortAdmin
    from placements.models import Cohort, Opportunity

    client = Client()
    client.cookies["sessionid"] = sign_in(PERSONA)
    coordinator = User.objects.get(email=PERSONA)
    url = "/coordinator/placements/cohort/export/"
    form = {"format": "0", "resource": "0"}

    def measure() -> dict:
        tracemalloc.start()
        started = time.perf_counter()
        response = client.post(url, form)
        assert response.status_code == 200, response.status_code
        if response.streaming:
            chunks = iter(response.streaming_content)
            first = next(chunks)
            first_ms = (time.perf_counter() - started) * 1000
            size = len(first) + sum(len(chunk) for chunk in chunks)
        else:
            first_ms = (time.perf_counter() - started) * 1000
            size = len(response.content)
        total_ms = (time.perf_counter() - started) * 1000
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return {"first_ms": first_ms, "total_ms": total_ms, "peak_mb": peak / 1e6, "bytes": size}

    def library_way(self, file_format, request, queryset, export_form=None):
        return ExportMixin._do_file_export(self, file_format, request, queryset, export_form=export_form)

    streamed_way = CoordinatorCohortAdmin._do_file_export
    today = timezone.localdate()
    print(f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print("| rows | way | first byte ms | whole file ms | peak MB | file |")
    print("|---|---|---|---|---|---|")
    with transaction.atomic():
        opportunity = Opportunity.objects.filter(organisation_id=coordinator.organisation_id).first()
        existing = Cohort.objects.filter(opportunity__organisation_id=coordinator.organisation_id).count()
        for size in [int(s) for s in args.sizes.split(",")]:
            have = Cohort.objects.filter(opportunity__organisation_id=coordinator.organisation_id).count()
            Cohort.objects.bulk_create(
                Cohort(
                    opportunity=opportunity,
                    start_date=today + dt.timedelta(days=30 + n % 300),
                    end_date=today + dt.timedelta(days=32 + n % 300),
                    capacity=5,
                    application_deadline=today + dt.timedelta(days=20),
                )
                for n in range(size - have)
            )
            for way, method in (("streamed (now)", streamed_way), ("built whole (library)", library_way)):
                CoordinatorCohortAdmin._do_file_export = method
                try:
                    measure()  # warm
                    results = [measure() for _ in range(args.runs)]
                finally:
                    CoordinatorCohortAdmin._do_file_export = streamed_way
                med = {k: statistics.median(r[k] for r in results) for k in results[0]}
                print(
                    f"| {size:,} | {way} | {med['first_ms']:.0f} | {med['total_ms']:.0f} | {med['peak_mb']:.2f} "
                    f"| {med['bytes'] / 1e6:.2f} MB |",
                    flush=True,
                )
        transaction.set_rollback(True)
    print(f"(the demo trust had {existing} cohorts; the rows added were rolled back)")


if __name__ == "__main__":
    main()
