"""`python -m placements.matching solve INSTANCE.json [-o RESULT.json]`, run as a user would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .samples import INVALID_CASES, invalid_instance_text, sample_instance

REPO = Path(__file__).resolve().parents[3]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "placements.matching", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def instance_file(tmp_path: Path) -> Path:
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(sample_instance()))
    return path


def test_solve_writes_the_result_file(instance_file: Path, tmp_path: Path) -> None:
    output = tmp_path / "result.json"

    completed = run_cli("solve", str(instance_file), "-o", str(output))

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == ""
    result = json.loads(output.read_text())
    assert result["format"] == "placement-match-result/1"
    assert result["assignment"] == {"A1": "O2", "A2": "O1", "A3": "O2", "A4": None}
    assert set(result["cutoffs"]) == {"O1", "O2"}
    assert {"matched", "percent_matched", "average_rank", "timings_ms"} <= set(result["stats"])
    assert set(result["explanations"]) == {"A1", "A2", "A3", "A4"}


def test_solve_prints_the_result_without_output_option(instance_file: Path) -> None:
    completed = run_cli("solve", str(instance_file))

    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["assignment"]["A2"] == "O1"


@pytest.mark.parametrize(("name", "change", "fragment"), INVALID_CASES, ids=[case[0] for case in INVALID_CASES])
def test_invalid_instance_exits_non_zero_with_one_line(name, change, fragment, tmp_path: Path) -> None:
    path = tmp_path / "instance.json"
    path.write_text(invalid_instance_text(change))

    completed = run_cli("solve", str(path), "-o", str(tmp_path / "result.json"))

    assert completed.returncode != 0
    assert completed.stderr.count("\n") == 1 and fragment in completed.stderr
    assert not (tmp_path / "result.json").exists()


@pytest.mark.parametrize("problem", ["missing file", "not JSON", "a directory"])
def test_unreadable_instance_exits_non_zero_with_one_line(problem: str, tmp_path: Path) -> None:
    path = {"missing file": tmp_path / "nope.json", "not JSON": tmp_path / "bad.json", "a directory": tmp_path}[problem]
    if problem == "not JSON":
        path.write_text("{ this is not json")

    completed = run_cli("solve", str(path))

    assert completed.returncode != 0
    assert completed.stderr.count("\n") == 1 and completed.stderr.startswith("error: ")
    assert completed.stdout == ""
