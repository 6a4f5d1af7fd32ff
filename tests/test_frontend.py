"""The committed NHS.UK front end: compiled assets that ask no other host for anything, and
templates that the Content-Security-Policy (script-src/style-src 'self') can serve unchanged."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import get_template, render_to_string
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

ROOT = Path(settings.BASE_DIR)
STATIC = ROOT / "static"
TEMPLATES = ROOT / "templates"
# The project's templates and those of our own apps (the NHS.UK pack lives in nhsuk/templates/).
TEMPLATE_DIRS = [TEMPLATES, *sorted(ROOT.glob("*/templates"))]
CSS = STATIC / "css" / "main.css"
TEMPLATE_FILES = sorted(path for folder in set(TEMPLATE_DIRS) for path in folder.rglob("*.html"))


def template_id(path):
    return str(path.relative_to(ROOT))


# Pages the browser renders under our CSP. Email bodies are excluded: mail clients need inline
# styles, and the CSP does not apply to them.
PAGE_TEMPLATES = [path for path in TEMPLATE_FILES if "emails" not in Path(template_id(path)).parts]


# --- compiled assets -------------------------------------------------------------------------


def test_compiled_css_exists_and_contains_nhsuk_styles():
    css = CSS.read_text()

    assert len(css) > 100_000
    for selector in (".nhsuk-header", ".nhsuk-button", ".nhsuk-error-summary", ".nhsuk-date-input", ".app-"):
        assert selector in css


def test_compiled_css_never_falls_back_to_serif_or_loads_frutiger():
    css = CSS.read_text()

    assert "html{font-family:Arial,sans-serif}" in css
    assert "@font-face" not in css
    assert "Frutiger" not in css


def test_compiled_css_asks_no_other_host_for_anything():
    css = CSS.read_text()

    assert not re.search(r"https?://", css)
    assert not re.search(r"@import", css)
    assert "//" not in re.sub(r"/\*.*?\*/", "", css).replace("://", "")  # no protocol-relative URLs


def test_every_css_url_is_relative_and_exists_under_static():
    css = CSS.read_text()
    targets = re.findall(r"url\(\s*[\"']?([^\"')]+)[\"']?\s*\)", css)

    assert targets, "expected the NHS.UK icons to be referenced"
    for target in targets:
        if target.startswith("data:"):
            continue
        assert not target.startswith("/"), target
        assert (CSS.parent / target.split("?")[0].split("#")[0]).resolve().is_file(), target


def test_javascript_bundle_and_initialiser_are_committed():
    bundle = (STATIC / "js" / "nhsuk-frontend.min.js").read_text()
    app = (STATIC / "js" / "app.js").read_text()

    assert "initAll" in bundle
    # Django's manifest storage would fail collectstatic looking for a .map we do not ship.
    assert "sourceMappingURL" not in bundle
    assert 'from "./nhsuk-frontend.min.js"' in app
    assert "initAll()" in app
    assert "nhsuk-frontend-supported" in app


def test_frontend_packages_are_pinned_exactly_and_locked():
    package = json.loads((ROOT / "frontend" / "package.json").read_text())
    lock = json.loads((ROOT / "frontend" / "package-lock.json").read_text())
    pins = {**package.get("dependencies", {}), **package.get("devDependencies", {})}

    assert set(pins) >= {"nhsuk-frontend", "sass"}
    for name, version in pins.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} must be pinned exactly, not {version!r}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    assert pins["nhsuk-frontend"].split(".")[0] in {"9", "10"}


# --- templates and the Content-Security-Policy -----------------------------------------------


class ResourceFinder(HTMLParser):
    """Collects <script>, <link>, <img>... elements, inline script bodies and event-handler attributes."""

    RESOURCE_ATTRS = {
        "script": "src",
        "link": "href",
        "img": "src",
        "iframe": "src",
        "source": "src",
        "video": "src",
        "audio": "src",
        "embed": "src",
        "object": "data",
    }

    def __init__(self, text):
        super().__init__()
        self.resources = []
        self.inline_scripts = []
        self.handlers = []
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.RESOURCE_ATTRS and attrs.get(self.RESOURCE_ATTRS[tag]):
            self.resources.append((tag, attrs[self.RESOURCE_ATTRS[tag]]))
        if tag == "img" and attrs.get("srcset"):
            self.resources.append((tag, attrs["srcset"]))
        self.handlers.extend(name for name in attrs if name.startswith("on"))
        if tag == "script":
            self._in_script = True
            self._script_has_src = bool(attrs.get("src"))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts.append(data.strip())


@pytest.mark.parametrize("path", PAGE_TEMPLATES, ids=template_id)
def test_template_has_no_inline_styles(path):
    text = path.read_text()

    assert 'style="' not in text and "style='" not in text
    assert "<style" not in text.lower()


@pytest.mark.parametrize("path", PAGE_TEMPLATES, ids=template_id)
def test_template_has_no_inline_scripts_or_event_handlers(path):
    found = ResourceFinder(path.read_text())

    assert not found.inline_scripts
    assert not found.handlers
    assert "javascript:" not in path.read_text()


@pytest.mark.parametrize("path", PAGE_TEMPLATES, ids=template_id)
def test_template_loads_no_resource_from_another_host(path):
    found = ResourceFinder(path.read_text())

    for tag, url in found.resources:
        assert not re.match(r"^\s*(https?:)?//", url), f"<{tag}> loads {url} from another host"


def test_templates_only_mention_other_hosts_in_links():
    """An https:// address may appear as a link in prose (<a href>), never anywhere else."""
    for path in PAGE_TEMPLATES:
        text = path.read_text()
        for match in re.finditer(r"https?://[^\s\"'<>]+", text):
            before = text[: match.start()]
            assert re.search(r"<a\s[^>]*href=[\"']$", before), f"{template_id(path)}: {match.group()} outside <a href>"


def test_every_static_file_named_in_a_template_exists():
    for path in TEMPLATE_FILES:
        for name in re.findall(r"{%\s*static\s+[\"']([^\"']+)[\"']\s*%}", path.read_text()):
            assert (STATIC / name).is_file(), f"{template_id(path)} names missing static file {name}"


# --- base.html and the pages -----------------------------------------------------------------

URL_NAMES = ["home", "accounts:login", "accounts:logout", "accounts:signup", "accessibility", "privacy", "cookies"]


def missing_urls():
    missing = []
    for name in URL_NAMES:
        try:
            reverse(name)
        except NoReverseMatch:
            missing.append(name)
    return missing


needs_urls = pytest.mark.skipif(
    bool(missing_urls()), reason=f"base.html needs these URL names, not defined yet: {missing_urls()}"
)


@needs_urls
def test_base_page_has_nhs_structure_for_a_visitor():
    html = render_to_string("pages/home.html", {"user": AnonymousUser(), "nav_items": []})

    assert '<html lang="en-GB">' in html
    assert "<title>Home – Health & Care Work Experience</title>" in html
    assert '<meta name="viewport" content="width=device-width' in html
    assert '<a class="nhsuk-skip-link" href="#maincontent"' in html
    assert '<main class="nhsuk-main-wrapper" id="maincontent">' in html
    assert f'href="{reverse("home")}"' in html
    assert "Health & Care Work Experience</span>" in html
    assert f'<a class="nhsuk-header__account-link" href="{reverse("accounts:login")}">Sign in</a>' in html
    assert "Sign out" not in html
    for name in ("accessibility", "privacy", "cookies"):
        assert f'href="{reverse(name)}"' in html
    assert "© Health & Care Work Experience Portal" in html
    assert '<script type="module" src="/static/js/app.js"></script>' in html
    assert '<link rel="stylesheet" href="/static/css/main.css">' in html


@needs_urls
def test_home_page_calls_to_action():
    html = render_to_string("pages/home.html", {"user": AnonymousUser()})

    assert 'href="/opportunities/"' in html
    assert "Find a placement" in html
    assert f'href="{reverse("accounts:signup")}"' in html
    assert "Create an account" in html


@needs_urls
def test_signed_in_header_shows_email_and_a_sign_out_form():
    user = SimpleNamespace(is_authenticated=True, email="student@example.com", role=None)
    html = render_to_string("base.html", {"user": user, "nav_items": [], "csrf_token": "token123"})

    assert "student@example.com" in html
    form = re.search(
        r'<form class="nhsuk-header__account-form" action="([^"]+)" method="post"[^>]*>(.*?)</form>', html, re.S
    )
    assert form and form.group(1) == reverse("accounts:logout")
    assert 'name="csrfmiddlewaretoken" value="token123"' in form.group(2)
    assert '<button class="nhsuk-header__account-button" type="submit">Sign out</button>' in form.group(2)
    assert ">Sign in<" not in html


@needs_urls
def test_navigation_renders_nav_items_and_marks_the_current_one():
    nav_items = [
        {"label": "Find a placement", "url": "/opportunities/", "active": True},
        {"label": "My account", "url": "/accounts/", "active": False},
    ]
    html = render_to_string("base.html", {"user": AnonymousUser(), "nav_items": nav_items})

    assert '<nav class="nhsuk-header__navigation" aria-label="Menu">' in html
    current = re.search(
        r'<li class="nhsuk-header__navigation-item nhsuk-header__navigation-item--current">(.*?)</li>', html, re.S
    )
    assert current and 'href="/opportunities/"' in current.group(1) and 'aria-current="true"' in current.group(1)
    assert '<a class="nhsuk-header__navigation-link" href="/accounts/">My account</a>' in html


@needs_urls
def test_no_navigation_bar_without_nav_items():
    html = render_to_string("base.html", {"user": AnonymousUser(), "nav_items": []})

    assert "nhsuk-header__navigation" not in html


@needs_urls
def test_pages_render_with_the_real_context_processors():
    request = RequestFactory().get("/privacy/")
    request.user = AnonymousUser()
    for name in (
        "pages/home.html",
        "pages/accessibility.html",
        "pages/privacy.html",
        "pages/cookies.html",
        "404.html",
        "403.html",
        "400.html",
    ):
        html = render_to_string(name, request=request)
        assert "<h1>" in html, name


@needs_urls
def test_messages_render_as_accessible_banners():
    items = [
        _Message("success", "Your password has been changed"),
        _Message("error", "That link has expired"),
        _Message("info", "We have sent you an email"),
    ]
    html = render_to_string("includes/messages.html", {"messages": items})

    assert re.search(r'nhsuk-notification-banner--success" role="status"', html)
    assert "Your password has been changed" in html
    assert re.search(r'class="nhsuk-error-summary"[^>]*role="alert"', html)
    assert "That link has expired" in html
    assert re.search(r'<div class="nhsuk-inset-text" role="status">', html)


class _Message:
    def __init__(self, level_tag, text):
        self.level_tag = level_tag
        self.text = text

    def __str__(self):
        return self.text


def test_server_error_page_needs_no_request_or_context_processors():
    html = get_template("500.html").render()

    assert '<html lang="en-GB">' in html
    assert "Sorry, there is a problem with the service" in html
    assert "/static/css/main.css" in html
