"""What every browser journey does the same way: sign in (with the staff roles' second factor), run axe-core,
photograph a page on a phone and on a desktop. One place, so a change to the sign-in form or the axe rules is
made once."""

from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from tests.factories import TEST_PASSWORD
from tests.two_factor import pass_second_factor

__all__ = [
    "DEMO_PASSWORD",
    "DESKTOP",
    "PHONE",
    "SCREENSHOTS",
    "TEST_PASSWORD",
    "assert_accessible",
    "assert_accessible_and_shoot",
    "axe_violations",
    "fits_the_phone",
    "next_monday",
    "serious_violations",
    "shoot",
    "sign_in",
    "submit_password",
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LOGIN_URL = "/accounts/login/"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
AXE_SOURCE = next((Path(__file__).parent / "vendor").glob("axe-*.min.js")).read_text()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = ("(serious)", "(critical)")


def submit_password(page, email: str, password: str = TEST_PASSWORD, *, login_url: str = LOGIN_URL) -> None:
    """Open the sign-in form and send an email address and password; where that lands is the caller's to check
    (a locked-out person stays on the form)."""
    page.goto(login_url)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_in(
    page, email: str, password: str = TEST_PASSWORD, *, login_url: str = LOGIN_URL, second_factor: bool = True
) -> None:
    """Sign in through the form as the person would, whoever was signed in before. Staff roles then enter a real
    code from their authenticator app, or set one up (ADR 0015), unless ``second_factor=False`` leaves them on
    that step. Demo logins take ``DEMO_PASSWORD``; people made by the factories, ``TEST_PASSWORD``."""
    page.context.clear_cookies()
    submit_password(page, email, password, login_url=login_url)
    if second_factor:
        pass_second_factor(page, email)
    else:
        page.wait_for_url(lambda url: "/accounts/login/" not in url)


def axe_violations(page) -> list[str]:
    """Run axe-core (WCAG 2.0-2.2 A and AA rules) on the current page; return readable violations."""
    # Evaluated through DevTools rather than a <script> tag, so our strict CSP stays switched on.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def serious_violations(page) -> list[str]:
    """The serious and critical violations only: what the admin pages (Django's own markup) are held to."""
    return [v for v in axe_violations(page) if v.split(":")[0].endswith(BLOCKING)]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n" + "\n".join(violations)


def shoot(page, stem: Path, *, back_to: dict = PHONE) -> None:
    """Photograph the whole page on a phone (``<stem>-390.png``) and on a desktop (``<stem>-1280.png``), then
    go back to ``back_to`` for the next step."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        page.screenshot(path=f"{stem}-{viewport['width']}.png", full_page=True)
    page.set_viewport_size(back_to)


def assert_accessible_and_shoot(page, stem: Path, *, back_to: dict = PHONE) -> None:
    """axe-core finds nothing, and the page is photographed on a phone and on a desktop."""
    assert_accessible(page)
    shoot(page, stem, back_to=back_to)


def fits_the_phone(page) -> bool:
    """Nothing pushes the page wider than the screen (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def next_monday(weeks_ahead: int) -> date:
    """A Monday after today, ``weeks_ahead`` weeks after the first one."""
    today = timezone.localdate()
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7) + timedelta(weeks=weeks_ahead)
