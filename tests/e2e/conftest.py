"""Browser fixtures: Debian's chromium driven by Playwright (never `playwright install`), and the demo data.

The helpers every journey shares (sign-in, axe-core, screenshots) are in tests/e2e/helpers.py."""

import os
from io import StringIO

import pytest
from django.core.management import call_command

# Journeys written before helpers.py imported these from here; new ones import them from tests.e2e.helpers.
from tests.e2e.helpers import PHONE, assert_accessible, axe_violations  # noqa: F401

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses that unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    csp_errors = []
    page.on("console", lambda message: "Content Security Policy" in message.text and csp_errors.append(message.text))
    yield page
    context.close()
    assert not csp_errors, f"The page broke its own Content-Security-Policy: {csp_errors}"


@pytest.fixture
def demo_data(settings):
    """The demo organisations, people and applications (`make demo`; demo logins take DEMO_PASSWORD) in the
    live server's database. seed_demo refuses to run unless DEBUG is on."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
