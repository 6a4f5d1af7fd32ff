"""placements/matching/ takes plain data and returns plain data: no module there may import Django."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import placements.matching

PACKAGE = Path(placements.matching.__file__).parent
REPO = PACKAGE.parents[1]


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def test_no_module_in_the_engine_imports_django() -> None:
    offenders = {
        path.name: sorted(name for name in imported_modules(path) if name.split(".")[0] == "django")
        for path in sorted(PACKAGE.rglob("*.py"))
    }

    assert len(offenders) >= 8  # the check saw the package
    assert {name: found for name, found in offenders.items() if found} == {}


def test_importing_the_engine_loads_no_django_module() -> None:
    code = (
        "import sys, placements.matching, placements.matching.__main__;"
        "print(any(name.split('.')[0] == 'django' for name in sys.modules))"
    )

    completed = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)

    assert completed.stdout.strip() == "False", completed.stderr
