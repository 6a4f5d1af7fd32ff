import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "find_python.sh"


def _run(tmp_path, path_dirs, **env):
    return subprocess.run(
        ["sh", str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=30,
        env={
            "PATH": ":".join(path_dirs),
            "HOME": str(tmp_path),
            "PYTHON_SEARCH_DIRS": str(tmp_path / "nothing"),
            **env,
        },
    )


def _fake_python(folder: Path, name: str, version: tuple[int, int], works: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if works:
        target.write_text(f'#!/bin/sh\nexec "{sys.executable}" -c "import sys; sys.exit({int(version < (3, 12))})"\n')
    else:  # like a pyenv shim for a version that is not selected
        target.write_text("#!/bin/sh\necho 'pyenv: python3.12: command not found' >&2\nexit 127\n")
    target.chmod(0o755)
    return target


def test_says_exactly_what_to_install_when_there_is_no_python_312(tmp_path):
    bin_dir = tmp_path / "bin"
    _fake_python(bin_dir, "python3", (3, 11))
    _fake_python(bin_dir, "python3.12", (3, 12), works=False)
    result = _run(tmp_path, [str(bin_dir), "/usr/bin", "/bin"])
    assert result.returncode == 1 and result.stdout == ""
    assert "No Python 3.12 or newer" in result.stderr and "apt install python3.12" in result.stderr


def test_skips_broken_shims_and_finds_a_working_312(tmp_path):
    bin_dir = tmp_path / "bin"
    _fake_python(bin_dir, "python3.13", (3, 13), works=False)
    good = _fake_python(bin_dir, "python3.12", (3, 12))
    result = _run(tmp_path, [str(bin_dir), "/usr/bin", "/bin"])
    assert result.returncode == 0 and result.stdout.strip() == str(good)


def test_an_explicit_python_wins(tmp_path):
    chosen = _fake_python(tmp_path / "elsewhere", "mypython", (3, 13))
    result = _run(tmp_path, ["/usr/bin", "/bin"], PYTHON=str(chosen))
    assert result.stdout.strip() == str(chosen)


def test_the_makefile_uses_the_finder():
    assert "scripts/find_python.sh" in (ROOT / "Makefile").read_text()
    assert os.access(SCRIPT, os.X_OK)
