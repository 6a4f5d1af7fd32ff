"""scripts/healthcheck.py, which docker-compose's web health check runs inside the container."""

import subprocess
import sys
from pathlib import Path

import pytest

from operations.services import heartbeat_record

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "healthcheck.py"


def _run(url: str, allowed_hosts: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), url],
        env={"ALLOWED_HOSTS": allowed_hosts, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.mark.django_db(transaction=True)
def test_script_passes_only_when_the_real_health_endpoint_says_200(live_server):
    url = f"{live_server.url}/health/"
    unhealthy = _run(url, "localhost")
    assert unhealthy.returncode == 1
    assert unhealthy.stdout.startswith("503 ") and '"beat": {"status": "unhealthy"' in unhealthy.stdout

    heartbeat_record()
    healthy = _run(url, "*,.localhost,placements.example.org")
    assert healthy.returncode == 0, healthy.stdout
    assert healthy.stdout.startswith("200 ")


def test_script_fails_when_nothing_answers():
    result = _run("http://127.0.0.1:9/health/", "localhost")
    assert result.returncode == 1 and "unreachable" in result.stdout


@pytest.mark.parametrize(
    ("allowed_hosts", "host"),
    [
        ("placements.example.org,localhost", "placements.example.org"),
        ("*,.example.org", "example.org"),
        ("", "localhost"),
    ],
)
def test_host_header_is_one_django_accepts(allowed_hosts, host):
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import healthcheck
    finally:
        sys.path.remove(str(SCRIPT.parent))
    assert healthcheck.host_header(allowed_hosts) == host
