"""Container health check: GET this container's own /health/ and exit 0 on a 200, 1 on anything else.

docker-compose.yml's web service runs it (the image has Python but no curl). Standard library only, and no Django
start-up, so it is cheap every 30 seconds. The Host header is the first usable ALLOWED_HOSTS entry, so Django's host
check passes whatever the deployment's host names are; ``X-Forwarded-Proto: https`` stops SECURE_SSL_REDIRECT from
redirecting a plain-HTTP probe from inside the container.

    python scripts/healthcheck.py [URL]     # default http://127.0.0.1:8000/health/
"""

import os
import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8000/health/"
TIMEOUT_SECONDS = 8


def host_header(allowed_hosts: str) -> str:
    """The first ALLOWED_HOSTS entry a request can name ('.example.org' -> 'example.org'; '*' is skipped)."""
    for host in allowed_hosts.split(","):
        host = host.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer, not health: report it as it is


def check(url: str, allowed_hosts: str) -> tuple[int, str]:
    if not url.startswith(("http://", "https://")):
        return 0, f"not an http(s) URL: {url}"
    request = urllib.request.Request(  # noqa: S310 — http(s) only, checked above
        url,
        headers={
            "Host": host_header(allowed_hosts),
            "X-Forwarded-Proto": "https",
            "Accept": "application/json",
            "X-Request-ID": "container-healthcheck",
        },
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, response.read(4000).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read(4000).decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as error:
        return 0, f"unreachable: {error}"


def main(argv: list[str]) -> int:
    status, body = check(argv[1] if len(argv) > 1 else DEFAULT_URL, os.environ.get("ALLOWED_HOSTS", ""))
    print(status, body)
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
