"""The layout's rules (ADR 0014), read from the source with ast: imports point one way.

- services and selectors never import a tasks module (a service starts a job by name: config.jobs.enqueue);
- the platform apps (accounts, notifications, nhsuk) never import a capability app;
- every job started by name, and every job in beat's schedule, names a task that exists.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

from config.jobs import task_named

ROOT = Path(settings.BASE_DIR)
PLATFORM_APPS = {"accounts", "notifications", "nhsuk", "disclosure"}
SKIPPED = {".venv", "node_modules", "migrations", "tests", "var", "frontend", "benchmarks", "scripts"}


def python_files() -> list[Path]:
    return sorted(
        path for path in ROOT.rglob("*.py") if not SKIPPED & set(path.relative_to(ROOT).parts) and path.parent != ROOT
    )


def imports(path: Path, source: str | None = None) -> set[str]:
    """Every module ``path`` imports, at any depth (inside functions too); ``from x import y`` counts as x.y too."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text() if source is None else source, filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this file's package
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def is_service_or_selector(path: Path) -> bool:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return (
        bool({"services", "selectors"} & set(parts)) or path.relative_to(ROOT).as_posix() == "notifications/outbox.py"
    )


def is_tasks_module(name: str) -> bool:
    return name.split(".")[-1] == "tasks" or ".tasks." in f".{name}."


def test_the_walk_sees_the_services_and_selectors():
    checked = [path for path in python_files() if is_service_or_selector(path)]
    assert len(checked) >= 25
    assert ROOT / "placements" / "services" / "backfill.py" in checked


def test_no_service_or_selector_imports_a_tasks_module():
    offenders = {
        str(path.relative_to(ROOT)): sorted(name for name in imports(path) if is_tasks_module(name))
        for path in python_files()
        if is_service_or_selector(path)
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_import_check_catches_a_service_importing_tasks_inside_a_function():
    # What placements/services/backfill.py did before ADR 0014.
    service = ROOT / "placements" / "services" / "backfill.py"
    source = "def f():\n    from placements.tasks import run_matching_task\n    from . import tasks\n"
    found = imports(service, source)
    assert {"placements.tasks", "placements.tasks.run_matching_task", "placements.services.tasks"} <= found
    assert any(is_tasks_module(name) for name in found)


def test_platform_apps_import_no_capability_app():
    capability_apps = (
        {app for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir() and "." not in app}
        - PLATFORM_APPS
        - {"config"}
    )
    assert {"placements", "operations"} <= capability_apps
    offenders = {
        str(path.relative_to(ROOT)): sorted(name for name in imports(path) if name.split(".")[0] in capability_apps)
        for path in python_files()
        if path.relative_to(ROOT).parts[0] in PLATFORM_APPS
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def jobs_started_by_name() -> dict[str, str]:
    found = {}
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) == "enqueue"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found[node.args[0].value] = str(path.relative_to(ROOT))
    return found


def test_every_job_started_by_name_exists():
    names = jobs_started_by_name()
    assert {"placements.tasks.run_matching_task", "notifications.tasks.deliver_emails_task"} <= names.keys()
    for name in names:
        task_named(name)  # KeyError names the missing task


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_job_in_beats_schedule_exists(entry):
    task_named(settings.CELERY_BEAT_SCHEDULE[entry]["task"])
