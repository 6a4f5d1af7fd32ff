"""The whole matching job on PostgreSQL: snapshot, solve, write, as a coordinator would trigger it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/placements_bench .venv/bin/python benchmarks/matching_job.py \\
        --applicants 100000 --seed 7

It recreates the database named in DATABASE_URL (never point it at real data), migrates, fills it with
``manage.py generate_load``, then times a full run, a re-run with unchanged input, and a backfill run after
1% of the matched applicants withdraw. Target (issue 5): the full run at 100k in at most 30 s.
"""

import argparse
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
    name = parsed.path.lstrip("/")
    if not name.endswith("_bench"):
        sys.exit(f"Refusing to recreate {name!r}: the benchmark database's name must end in _bench.")
    base = ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432), "-U", parsed.username or "postgres"]
    subprocess.run(["dropdb", "--if-exists", *base, name], check=True)
    subprocess.run(["createdb", *base, name], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applicants", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/placements_bench")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database whose name ends in _bench.")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    _recreate_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from placements.models import Application, Placement, Round
    from placements.services.matching_runs import matching_run_create, matching_run_execute
    from placements.workflow import Status

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("generate_load", applicants=args.applicants, seed=args.seed, force=True)
    print(f"generate_load: {time.perf_counter() - started:.1f} s (not part of the job)")
    round_ = Round.objects.latest("pk")

    def timed_run(label: str, kind: str = "manual"):
        started = time.perf_counter()
        run = matching_run_execute(run_id=matching_run_create(actor=None, round_=round_, kind=kind).pk)
        seconds = time.perf_counter() - started
        print(
            f"{label:<34} {seconds:6.1f} s  matched {run.matched:>6} of {run.applicants} "
            f"({run.percent_matched:.1f}%), avg rank {run.average_rank:.2f}, created {run.placements_created}, "
            f"released {run.placements_released}, phases (ms) {run.timings_ms}"
        )
        return seconds

    full = timed_run("full run (snapshot, solve, write)")
    timed_run("re-run, input unchanged")
    matched = list(
        Placement.objects.filter(application__round=round_, released_at__isnull=True).values_list(
            "pk", "application_id"
        )[: max(1, args.applicants // 100)]
    )
    with transaction.atomic():
        Application.objects.filter(pk__in=[a for _, a in matched]).update(status=Status.WITHDRAWN)
        Placement.objects.filter(pk__in=[p for p, _ in matched]).update(
            released_at=timezone.now(), release_reason="withdrawn"
        )
    timed_run(f"backfill after {len(matched)} withdraw", kind="backfill")
    print(f"target: full run at most 30 s -> {'met' if full <= 30 else 'NOT met'} ({full:.1f} s)")


if __name__ == "__main__":
    main()
