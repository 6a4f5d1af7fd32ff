"""Benchmark the matching engine against the `matching` package's hospital-resident solver.

    .venv/bin/pip install -r benchmarks/requirements.txt
    .venv/bin/python benchmarks/matching.py                       # 1k, 10k, 50k, 100k applicants
    .venv/bin/python benchmarks/matching.py --sizes 1000,10000 --skip-slow --json figures.json

Instances are seeded and London-sized: offers on a 50 x 40 km grid, about one offer per 20 applicants with 1-20
seats, applicants ranking 3-10 offers biased towards nearby ones, about a quarter of listed entries ineligible.
Each solver runs in a fresh subprocess so its peak RSS is its own; the `matching` package gets the same
eligible-only preference lists and each offer's full order, and is stopped after 300 s. Every assignment is
checked by the independent checker in placements/matching/checks.py.
"""

from __future__ import annotations

import argparse
import gc
import heapq
import json
import math
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import warnings
from datetime import date, timedelta
from pathlib import Path
from random import Random
from time import perf_counter, process_time
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# This file is itself called matching.py: drop its folder from sys.path, or `import matching` would import it.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from placements.matching import Cutoff, Instance, Offer, solve  # noqa: E402
from placements.matching.checks import blocking_pairs, cutoff_problems, validity_problems  # noqa: E402
from placements.matching.eligibility import ineligibility_reason  # noqa: E402
from placements.matching.model import Applicant  # noqa: E402

SIZES = (1_000, 10_000, 50_000, 100_000)
SEED = 20260501
PACKAGE_CAP_S = 300.0
PACKAGE_REPEAT_BELOW_S = 30.0  # median of 3 only when one run is quick
SLOW_ABOVE = 10_000  # --skip-slow leaves the package out above this size
WITHDRAW_SHARE = 0.01

MAP_KM = (50.0, 40.0)
CELL_KM = 2.5
SUMMER = date(2026, 6, 1)  # a Monday
VACCINES = ("hep_b", "mmr", "flu", "covid_19", "varicella")


# --- instances -------------------------------------------------------------------------------------------------


def generate_instance(n_applicants: int, seed: int) -> Instance:
    """A seeded London-sized instance (see the module docstring)."""
    rng = Random(seed)
    offers = [_random_offer(rng, number) for number in range(max(1, n_applicants // 20))]
    grid = _Grid(offers)
    lotteries = rng.sample(range(10 * n_applicants), n_applicants)
    applicants = [_random_applicant(rng, number, lotteries[number], grid) for number in range(n_applicants)]
    return Instance(offers=tuple(offers), applicants=tuple(applicants), match_date=date(2026, 5, 1))


def _random_offer(rng: Random, number: int) -> Offer:
    start = SUMMER + timedelta(weeks=rng.randrange(12))
    min_age = rng.choice((14, 14, 14, 15, 15, 16, 16, 16, 17, 18))
    return Offer(
        id=f"O{number:06d}",
        provider=f"P{number // 12:05d}",
        capacity=rng.randint(1, 20),
        min_age=min_age,
        requires_dbs=min_age >= 16 and rng.random() < 0.25,
        required_vaccinations=frozenset(rng.sample(VACCINES, rng.choice((0, 0, 0, 0, 1, 1, 2)))),
        start=start,
        end=start + timedelta(days=rng.choice((4, 4, 11))),
        x_km=round(rng.uniform(0, MAP_KM[0]), 2),
        y_km=round(rng.uniform(0, MAP_KM[1]), 2),
    )


def _random_applicant(rng: Random, number: int, lottery: int, grid: _Grid) -> Applicant:
    x, y = rng.uniform(0, MAP_KM[0]), rng.uniform(0, MAP_KM[1])
    age = rng.choice((15, 16, 16, 17, 17, 17, 18, 18, 18, 18))
    available_from = SUMMER + timedelta(weeks=rng.choice((0, 0, 0, 0, 0, 1, 2)))
    available_to = available_from + timedelta(weeks=rng.choice((8, 10, 12, 13, 13)), days=6)
    widening_participation = rng.random() < 0.3
    endorsed = rng.random() < 0.5
    prefs = []
    for offer, distance in grid.nearby_choices(rng, x, y, rng.randint(3, 10)):
        # The provider's policy: widening participation, tutor endorsement, then closeness (ties are common).
        priority = 100 * widening_participation + 50 * endorsed + max(0, 100 - int(4 * distance))
        prefs.append((offer.id, priority))
    return Applicant(
        id=f"A{number:07d}",
        age=age,
        dbs_checked=age >= 16 and rng.random() < 0.75,
        vaccinations=frozenset(v for v in VACCINES if rng.random() < 0.9),
        available_from=available_from,
        available_to=available_to,
        lottery=lottery,
        prefs=tuple(prefs),
    )


class _Grid:
    """Offers bucketed by map cell, to find the ones near a point without scanning them all."""

    def __init__(self, offers: list[Offer]) -> None:
        self.offers = offers
        self.cells: dict[tuple[int, int], list[Offer]] = {}
        for offer in offers:
            self.cells.setdefault(self._cell(offer.x_km, offer.y_km), []).append(offer)

    @staticmethod
    def _cell(x: float | None, y: float | None) -> tuple[int, int]:
        return int((x or 0) // CELL_KM), int((y or 0) // CELL_KM)

    def nearby_choices(self, rng: Random, x: float, y: float, count: int) -> list[tuple[Offer, float]]:
        """`count` distinct offers, nearer ones far likelier, in the order the applicant ranks them."""
        count = min(count, len(self.offers))
        cx, cy = self._cell(x, y)
        candidates: list[Offer] = []
        radius = 0
        while len(candidates) < 3 * count and len(candidates) < len(self.offers):
            candidates = [
                offer
                for dx in range(-radius, radius + 1)
                for dy in range(-radius, radius + 1)
                for offer in self.cells.get((cx + dx, cy + dy), ())
            ]
            radius += 1
        scored = []
        for offer in candidates:
            distance = math.hypot(offer.x_km - x, offer.y_km - y)  # type: ignore[operator]
            # Noise so that distance biases the ranking without deciding it.
            scored.append((distance * (0.5 + rng.random()), distance, offer.id, offer))
        return [(offer, distance) for _score, distance, _id, offer in heapq.nsmallest(count, scored)]


def package_input(instance: Instance) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int]]:
    """Resident and hospital preference dictionaries for the `matching` package, eligible entries only.

    Built with the reference eligibility rule, not the engine's. Applicants with no eligible entry and offers
    nobody eligible listed are left out: the package cannot take empty preference lists.
    """
    offers = {offer.id: offer for offer in instance.offers}
    resident_prefs: dict[str, list[str]] = {}
    ranked: dict[str, list[tuple[int, int, str]]] = {}
    for applicant in instance.applicants:
        eligible = [
            (offer_id, priority)
            for offer_id, priority in applicant.prefs
            if ineligibility_reason(applicant, offers[offer_id]) is None
        ]
        if eligible:
            resident_prefs[applicant.id] = [offer_id for offer_id, _priority in eligible]
        for offer_id, priority in eligible:
            ranked.setdefault(offer_id, []).append((-priority, applicant.lottery, applicant.id))
    hospital_prefs = {offer_id: [entry[2] for entry in sorted(entries)] for offer_id, entries in ranked.items()}
    capacities = {offer_id: offers[offer_id].capacity for offer_id in hospital_prefs}
    return resident_prefs, hospital_prefs, capacities


def ineligible_share(instance: Instance) -> float:
    """Share of listed entries the applicant is not eligible for."""
    offers = {offer.id: offer for offer in instance.offers}
    listed = ineligible = 0
    for applicant in instance.applicants:
        for offer_id, _priority in applicant.prefs:
            listed += 1
            ineligible += ineligibility_reason(applicant, offers[offer_id]) is not None
    return ineligible / listed if listed else 0.0


# --- workers: each runs in a fresh subprocess -------------------------------------------------------------------


def ours_worker(instance_path: Path, out_path: Path) -> dict[str, Any]:
    """Time our engine (median of 3), its peak RSS, and a re-match after 1% of placed applicants withdraw."""
    instance: Instance = pickle.loads(instance_path.read_bytes())
    gc.collect()
    baseline_mb = _current_rss_mb()
    runs, cpu_runs, result = [], [], None
    for _ in range(3):
        result = None  # let the previous result go before the next run, as a caller would
        started, cpu_started = perf_counter(), process_time()
        result = solve(instance, explain_result=False)
        runs.append((perf_counter() - started) * 1000)
        # CPU time beside wall time shows how much of a slow run was waiting for a core on a busy machine.
        cpu_runs.append((process_time() - cpu_started) * 1000)
    assert result is not None
    phases = dict(result.stats.timings_ms)
    started = perf_counter()
    explained = solve(instance)
    with_explanations_ms = (perf_counter() - started) * 1000
    matched = sorted(applicant_id for applicant_id, offer_id in result.assignment.items() if offer_id)
    withdrawn = Random(SEED).sample(matched, int(len(matched) * WITHDRAW_SHARE))
    rematch_runs, rematched = [], None
    for _ in range(3):
        rematched = None
        started = perf_counter()
        rematched = solve(instance.without_applicants(withdrawn), explain_result=False)
        rematch_runs.append((perf_counter() - started) * 1000)
    assert rematched is not None
    figures = {
        "solve_ms": statistics.median(runs),
        "solve_runs_ms": runs,
        "solve_cpu_runs_ms": cpu_runs,
        "phases_ms": phases,
        "with_explanations_ms": with_explanations_ms,
        "explain_ms": explained.stats.timings_ms["explain"],
        "rematch_ms": statistics.median(rematch_runs),
        "baseline_rss_mb": baseline_mb,
        "peak_rss_mb": _peak_rss_mb(),
        "withdrawn": withdrawn,
        "assignment": dict(result.assignment),
        "cutoffs": {k: None if c is None else [c.priority, c.lottery] for k, c in result.cutoffs.items()},
        "rematch_assignment": dict(rematched.assignment),
    }
    out_path.write_text(json.dumps(figures))
    return figures


def package_worker(input_path: Path, out_path: Path) -> dict[str, Any]:
    """Time the `matching` package's resident-optimal HospitalResident solve, stopping it after the cap.

    Its constructor deep-copies the player graph recursively, which overflows Python's default recursion limit
    from about 10,000 applicants; so the runs get a high limit and a thread with a large stack to use it.
    """
    resident_prefs, hospital_prefs, capacities = pickle.loads(input_path.read_bytes())
    gc.collect()
    baseline_mb = _current_rss_mb()
    sys.setrecursionlimit(10_000_000)
    threading.stack_size(2**30)  # address space only: untouched stack pages cost no memory
    runs: list[dict[str, Any]] = []
    progress = {"phase": "starting"}
    thread = threading.Thread(target=_package_runs, args=(resident_prefs, hospital_prefs, capacities, runs, progress))
    thread.daemon = True
    thread.start()
    thread.join(PACKAGE_CAP_S)
    if not runs:
        figures: dict[str, Any] = {
            "finished": False,
            "stopped_in": progress["phase"],
            "peak_rss_mb": _peak_rss_mb(),
            "baseline_rss_mb": baseline_mb,
        }
        out_path.write_text(json.dumps(figures))
        os._exit(0)  # the solver thread cannot be interrupted; leave without waiting for it
    thread.join()  # repeats happen only after a quick first run, so they end soon
    median_run = sorted(runs, key=lambda run: run["total_s"])[len(runs) // 2]
    figures = {
        "finished": True,
        "runs": [{key: value for key, value in run.items() if key != "assignment"} for run in runs],
        **median_run,
        "baseline_rss_mb": baseline_mb,
        "peak_rss_mb": _peak_rss_mb(),
    }
    out_path.write_text(json.dumps(figures))
    return figures


def _package_runs(
    resident_prefs: dict[str, list[str]],
    hospital_prefs: dict[str, list[str]],
    capacities: dict[str, int],
    runs: list[dict[str, Any]],
    progress: dict[str, str],
) -> None:
    """One run, and two more if it took under PACKAGE_REPEAT_BELOW_S; each appended to `runs` when done."""
    from matching.games import HospitalResident  # the PyPI package, not this file: see the sys.path note above

    while len(runs) < 3:
        started = perf_counter()
        progress["phase"] = "create_from_dictionaries"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
            built = perf_counter()
            progress["phase"] = "solve"
            matching = game.solve(optimal="resident")
        finished = perf_counter()
        assignment: dict[str, str | None] = {resident.name: None for resident in game.residents}
        for hospital, residents in matching.items():
            for resident in residents:
                assignment[resident.name] = hospital.name
        del game, matching
        total = finished - started
        timings = {"build_s": built - started, "solve_s": finished - built, "total_s": total}
        runs.append(timings | {"assignment": assignment})
        if total > PACKAGE_REPEAT_BELOW_S:
            return


def _peak_rss_mb() -> float:
    # VmHWM, not getrusage's ru_maxrss: on Linux a child inherits its parent's ru_maxrss across fork and exec,
    # so every worker would report at least this (large) parent's size.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    raise RuntimeError("no VmHWM in /proc/self/status")


def _current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def _run_worker(kind: str, input_path: Path, out_path: Path, timeout_s: float) -> dict[str, Any] | None:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, str(input_path), str(out_path)]
    try:
        subprocess.run(command, check=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(out_path.read_text())


# --- the comparison ---------------------------------------------------------------------------------------------


def measure(size: int, *, run_package: bool, workdir: Path) -> dict[str, Any]:
    """Everything the table shows for one size."""
    instance = generate_instance(size, SEED + size)
    instance_path = workdir / f"instance-{size}.pickle"
    instance_path.write_bytes(pickle.dumps(instance))
    row: dict[str, Any] = {
        "applicants": size,
        "offers": len(instance.offers),
        "seats": sum(offer.capacity for offer in instance.offers),
        "listed_entries": sum(len(applicant.prefs) for applicant in instance.applicants),
        "ineligible_share": round(ineligible_share(instance), 3),
    }
    row["load_average_before"] = round(os.getloadavg()[0], 2)
    ours = _run_worker("ours", instance_path, workdir / f"ours-{size}.json", timeout_s=1800)
    assert ours is not None
    row["ours"] = _summary(instance, ours["assignment"]) | {
        key: ours[key]
        for key in (
            "solve_ms",
            "solve_runs_ms",
            "solve_cpu_runs_ms",
            "phases_ms",
            "with_explanations_ms",
            "explain_ms",
            "rematch_ms",
        )
    }
    row["ours"] |= {"peak_rss_mb": round(ours["peak_rss_mb"]), "baseline_rss_mb": round(ours["baseline_rss_mb"])}
    cutoffs = {
        offer_id: None if value is None else Cutoff(priority=value[0], lottery=value[1])
        for offer_id, value in ours["cutoffs"].items()
    }
    row["ours"]["cutoff_problems"] = len(cutoff_problems(instance, ours["assignment"], cutoffs))
    row["rematch"] = _rematch_summary(instance, ours)
    row["package"] = {"ran": False}
    if run_package:
        row["package"] = _measure_package(instance, size, workdir, ours["assignment"])
    return row


def _measure_package(instance: Instance, size: int, workdir: Path, ours: dict[str, str | None]) -> dict[str, Any]:
    input_path = workdir / f"package-input-{size}.pickle"
    input_path.write_bytes(pickle.dumps(package_input(instance)))
    # The worker stops itself at the cap; the extra minutes only cover loading and a hung child.
    figures = _run_worker("package", input_path, workdir / f"package-{size}.json", PACKAGE_CAP_S * 3 + 300)
    if figures is None or not figures["finished"]:
        return {
            "ran": True,
            "finished": False,
            "stopped_in": figures and figures["stopped_in"],
            "peak_rss_mb": figures and round(figures["peak_rss_mb"]),
            "baseline_rss_mb": figures and round(figures["baseline_rss_mb"]),
        }
    # Applicants left out of the package's input (no eligible entry) are unmatched.
    assignment = {applicant.id: figures["assignment"].get(applicant.id) for applicant in instance.applicants}
    summary = _summary(instance, assignment)
    return {
        "ran": True,
        "finished": True,
        **summary,
        "runs": figures["runs"],
        "build_s": figures["build_s"],
        "solve_s": figures["solve_s"],
        "total_s": figures["total_s"],
        "peak_rss_mb": round(figures["peak_rss_mb"]),
        "baseline_rss_mb": round(figures["baseline_rss_mb"]),
        "identical_to_ours": assignment == ours,
        "differences": sum(assignment[key] != ours[key] for key in assignment),
    }


def _summary(instance: Instance, assignment: dict[str, str | None]) -> dict[str, Any]:
    """Checker verdicts plus matched share and average rank, computed here rather than trusted from a solver."""
    ranks = []
    for applicant in instance.applicants:
        offer_id = assignment[applicant.id]
        if offer_id is not None:
            ranks.append(1 + [listed for listed, _priority in applicant.prefs].index(offer_id))
    return {
        "invalid": len(validity_problems(instance, assignment)),
        "blocking_pairs": len(blocking_pairs(instance, assignment)),
        "matched": len(ranks),
        "percent_matched": round(100 * len(ranks) / len(instance.applicants), 2),
        "average_rank": round(sum(ranks) / len(ranks), 3) if ranks else None,
    }


def _rematch_summary(instance: Instance, ours: dict[str, Any]) -> dict[str, Any]:
    """Check the re-match after withdrawals: stable, and nobody who stayed moved down their list."""
    reduced = instance.without_applicants(ours["withdrawn"])
    before, after = ours["assignment"], ours["rematch_assignment"]
    moved_down = 0
    for applicant in reduced.applicants:
        ranks = {offer_id: rank for rank, (offer_id, _priority) in enumerate(applicant.prefs)}
        old, new = ranks.get(before[applicant.id], math.inf), ranks.get(after[applicant.id], math.inf)
        moved_down += new > old
    return {
        "withdrawn": len(ours["withdrawn"]),
        "rematch_ms": ours["rematch_ms"],
        "blocking_pairs": len(blocking_pairs(reduced, after)),
        "invalid": len(validity_problems(reduced, after)),
        "moved_down": moved_down,
        "newly_placed_or_moved_up": sum(
            1 for applicant in reduced.applicants if after[applicant.id] != before[applicant.id]
        ),
    }


# --- output -----------------------------------------------------------------------------------------------------


COLUMNS = (
    "applicants",
    "offers / seats",
    "ineligible entries",
    "solve ms, ours: median of 3 (eligibility + DA)",
    "solve s, `matching` (build + solve)",
    "peak RSS MB, ours / `matching`",
    "of which input, MB",
    "blocking pairs, ours / `matching`",
    "matched %, ours / `matching`",
    "average rank, ours / `matching`",
    "identical assignment",
    "1% withdraw re-match ms (blocking pairs, moved down)",
    "explanations ms",
)


def table(rows: list[dict[str, Any]]) -> str:
    """One Markdown table, ours and the package side by side."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        ours, package, rematch = row["ours"], row["package"], row["rematch"]
        phases = ours["phases_ms"]
        cells = [
            f"{row['applicants']:,}",
            f"{row['offers']:,} / {row['seats']:,}",
            f"{100 * row['ineligible_share']:.1f}%",
            f"{ours['solve_ms']:.0f} ({phases['eligibility']:.0f} + {phases['solve']:.0f})",
            _package_time(package),
            f"{ours['peak_rss_mb']} / {_package_field(package, 'peak_rss_mb')}",
            f"{ours['baseline_rss_mb']} / {_package_field(package, 'baseline_rss_mb')}",
            f"{ours['blocking_pairs']} / {_package_field(package, 'blocking_pairs')}",
            f"{ours['percent_matched']} / {_package_field(package, 'percent_matched')}",
            f"{ours['average_rank']} / {_package_field(package, 'average_rank')}",
            _identical(package),
            f"{rematch['rematch_ms']:.0f} ({rematch['blocking_pairs']}, {rematch['moved_down']})",
            f"{ours['explain_ms']:.0f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _package_time(package: dict[str, Any]) -> str:
    if not package["ran"]:
        return "skipped"
    if not package["finished"]:
        return f"did not finish in {PACKAGE_CAP_S:.0f} s (stopped in {package['stopped_in']})"
    runs = len(package["runs"])
    note = "median of 3" if runs == 3 else "1 run"
    return f"{package['total_s']:.1f} ({package['build_s']:.1f} + {package['solve_s']:.1f}), {note}"


def _package_field(package: dict[str, Any], key: str) -> str:
    if not package["ran"]:
        return "-"
    value = package.get(key)
    return "-" if value is None else str(value)


def _identical(package: dict[str, Any]) -> str:
    if not package.get("finished"):
        return "-"
    return "yes" if package["identical_to_ours"] else f"NO ({package['differences']} differ)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated applicant counts")
    parser.add_argument("--skip-slow", action="store_true", help=f"leave the package out above {SLOW_ABOVE:,}")
    parser.add_argument("--json", nargs="?", const="-", metavar="PATH", help="also dump the figures (- = stdout)")
    parser.add_argument("--worker", nargs=3, metavar=("KIND", "INPUT", "OUTPUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        kind, input_path, out_path = args.worker
        worker = ours_worker if kind == "ours" else package_worker
        worker(Path(input_path), Path(out_path))
        return 0
    rows = []
    with tempfile.TemporaryDirectory(prefix="matching-bench-") as tmp:
        for size in (int(text) for text in args.sizes.split(",")):
            run_package = not (args.skip_slow and size > SLOW_ABOVE)
            print(f"measuring {size:,} applicants ...", file=sys.stderr, flush=True)
            rows.append(measure(size, run_package=run_package, workdir=Path(tmp)))
    print(table(rows))
    loads = ", ".join(f"{row['load_average_before']:.1f}" for row in rows)
    print(f"\n{os.cpu_count()} cores; 1-minute load average before each size: {loads}")
    if args.json:
        text = json.dumps(rows, indent=1)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).write_text(text + "\n")
    return 1 if any(_problems(row) for row in rows) else 0


def _problems(row: dict[str, Any]) -> list[str]:
    """What would make the run a failure rather than a measurement."""
    ours, rematch, package = row["ours"], row["rematch"], row["package"]
    problems = [f"ours: {key}" for key in ("invalid", "blocking_pairs", "cutoff_problems") if ours[key]]
    problems += [f"re-match: {key}" for key in ("invalid", "blocking_pairs", "moved_down") if rematch[key]]
    if package.get("finished") and not package["identical_to_ours"]:
        problems.append("the two solvers disagree")
    return problems


if __name__ == "__main__":
    sys.exit(main())
