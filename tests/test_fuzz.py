"""Hostile input on every page of every role gets an answer below 500, never a server error.

The fuzz walks the site as each role would see it, with the demo data loaded: every URL in the resolver,
every link and form on the pages it reaches, and every model on both admin sites (lists with their
filters, search, ordering and pages; add, change, delete and history pages; actions; export and import;
autocomplete). Then hypothesis draws hostile values for each list page's query parameters and each
form's fields: huge and negative numbers, empty and 10,000-character strings, NUL bytes, unicode digits,
lone surrogates, CR/LF, SQL- and HTML-like text, impossible dates, 255-320 character emails, several
values where one is expected and hostile CSV files. Every request runs in a savepoint that is rolled
back, so each one sees the same demo data and the run is repeatable (a fixed seed per target).

A failure lists every distinct server error with the role, method, URL, payload and traceback.
"""

from __future__ import annotations

import os
import re
import time
import traceback
import zlib
from collections import defaultdict, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qsl, quote_plus, urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch
from hypothesis import HealthCheck, Phase, example, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import Role, User
from placements.admin.coordinator_site import coordinator_site

# ---------------------------------------------------------------------------------------------------------------
# Hostile values
# ---------------------------------------------------------------------------------------------------------------

_EMAIL_DOMAIN = "@example.test"
FIXED_VALUES = [
    "",
    " ",
    "0",
    "-0",
    "-1",
    "-99999999999",
    "1.5",
    "1e309",
    "NaN",
    "inf",
    "0x10",
    "9" * 20,
    str(2**63),
    str(-(2**63) - 1),
    "9" * 400,
    "²",
    "١٢٣",
    "𝟗",
    "Ⅻ",
    "½",
    "\x00",
    "a\x00b",
    "%00",
    "\ud800",
    "a\udfffb",
    "\r\n",
    "a\rb",
    "line\nbreak",
    "\t",
    "' OR 1=1 --",
    "'; DROP TABLE accounts_user; --",
    '"><script>alert(1)</script>',
    "{{ 7|add:7 }}{% now 'Y' %}",
    "%",
    "_",
    "\\",
    "(",
    "[",
    "*",
    "../../../../etc/passwd",
    "null",
    "true",
    "[]",
    "{}",
    "99999999-99-99",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "31/12/99999",
    "-1-01-01",
    "00:00",
    "25:61",
    "a" * 10_000,
    "9" * 10_000,
    "é" * 10_000,
    "a@b",
    "ü@ü.de",
    "a" * 65 + _EMAIL_DOMAIN,
    "user@" + "a" * 300 + ".test",
]


def _email_of_length(length: int) -> str:
    return "a" * (length - len(_EMAIL_DOMAIN)) + _EMAIL_DOMAIN


scalar_values = st.one_of(
    st.sampled_from(FIXED_VALUES),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.integers(min_value=255, max_value=320).map(_email_of_length),
    st.text(st.characters(codec="utf-8", categories=["Cc", "Nd", "No", "P", "S", "Zs", "Lo"]), max_size=12),
)
# Several values where one is expected ("arrays where scalars are expected").
hostile_values = st.one_of(scalar_values, st.lists(scalar_values, min_size=2, max_size=3))

HUGE_CSV_FIELD = '"' + "x" * 131_073 + '"'
hostile_files = st.sampled_from(
    [
        b"",
        b"\x00\x01\x02\xff\xfe",
        b"\xef\xbb\xbf",
        b"not,a,csv\nfile",
        b"email\r" + b"student@example.test\r" * 3,
        b"email\n" + HUGE_CSV_FIELD.encode() + b"\n",
        b"email\n" + _email_of_length(300).encode() + b"\n",
        b"cohort_id,opportunity_id,start_date,end_date,places,application_deadline\n"
        b",99999999999999999999,99999999-99-99,0000-00-00,-1,\xff\n",
        b"cohort_id,opportunity_id,start_date,end_date,places,application_deadline\n"
        b"abc,\xc2\xb2,2026-02-30,9999-12-31,99999999999999999999,\x00\n",
        b"=cmd|'/C calc'!A0,+1,-1,@SUM(1)\n" * 3,
        "email\n" + "\u00e9" * 5000 + "\n",
    ]
).map(lambda content: content if isinstance(content, bytes) else content.encode())

# Tried on every page and form before the drawn examples (see fuzz_page and fuzz_form for how they are spread).
NUL = "\x00"
EVERYWHERE = [NUL, "9" * 20, "99999999-99-99", "²", "a" * 10_000, ["1", "-1"]]
# Parameters that choose what a request is about rather than carry data. Sent all at once, hostile values
# here would stop the request at the first check (a 400 for "_to_field", a 403 for an autocomplete on no
# model, "no action chosen") before the data reached anything; they keep the page's own value instead.
CONTROL_NAMES = {
    "csrfmiddlewaretoken",
    "_to_field",
    "_popup",
    "e",
    "app_label",
    "model_name",
    "field_name",
    "action",
    "index",
    "select_across",
}

# Names tried on every list page as well as the ones its links and forms use.
EXTRA_QUERY_NAMES = ["page", "p", "o", "q", "sort", "e", "all", "_to_field", "_popup", "id__gt", "pk__in", "foo"]
# Health checks answer 503 ("not ready") on purpose when the worker or beat is not running, as in tests.
DELIBERATELY_UNAVAILABLE = {"health", "health-beat"}
# Path values for <str:...> parts of URLs.
HOSTILE_PATH_VALUES = ["%00", "x" * 2000, "%ED%A0%80", "%C2%B2"]
HOSTILE_INT_PATH_VALUES = ["9" * 30, "0"]


# ---------------------------------------------------------------------------------------------------------------
# Reading pages: links, forms and their fields
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class FormField:
    kind: str
    values: list[str] = field(default_factory=list)  # what the page would send as it is
    options: list[str] = field(default_factory=list)  # other values a person could choose


@dataclass
class Form:
    action: str
    method: str
    multipart: bool
    fields: dict[str, FormField] = field(default_factory=dict)


class PageParser(HTMLParser):
    """Collects links, forms (with each field's current value and choices) and admin autocomplete widgets."""

    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.autocompletes: list[dict[str, str]] = []
        self._form: Form | None = None
        self._select: tuple[str, FormField] | None = None
        self._textarea: str | None = None

    def _add(self, name, kind) -> FormField:
        form_field = self._form.fields.setdefault(name, FormField(kind))
        return form_field

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "a" and attrs.get("href"):
            self.links.append(urljoin(self.base, attrs["href"]))
        if tag == "select" and attrs.get("data-ajax--url"):
            self.autocompletes.append(
                {
                    "url": urljoin(self.base, attrs["data-ajax--url"]),
                    "app_label": attrs.get("data-app-label", ""),
                    "model_name": attrs.get("data-model-name", ""),
                    "field_name": attrs.get("data-field-name", ""),
                }
            )
        if tag == "form":
            self._form = Form(
                action=urljoin(self.base, attrs.get("action") or self.base),
                method=(attrs.get("method") or "get").lower(),
                multipart="multipart" in attrs.get("enctype", ""),
            )
            self.forms.append(self._form)
            return
        if self._form is None or not attrs.get("name"):
            if tag == "option" and self._select is not None:
                self._option(attrs)
            return
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image"):
                self._add(name, "submit").options.append(attrs.get("value", ""))
            elif kind in ("checkbox", "radio"):
                value = attrs.get("value", "on")
                form_field = self._add(name, kind)
                form_field.options.append(value)
                if "checked" in attrs:
                    form_field.values.append(value)
            else:
                self._add(name, kind).values.append(attrs.get("value", ""))
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self._add(name, "submit").options.append(attrs.get("value", ""))
        elif tag == "select":
            self._select = (name, self._add(name, "select"))
        elif tag == "textarea":
            self._add(name, "textarea")
            self._textarea = name

    def _option(self, attrs):
        name, form_field = self._select
        value = attrs.get("value", "")
        form_field.options.append(value)
        if "selected" in attrs:
            form_field.values.append(value)

    def handle_data(self, data):
        if self._textarea is not None and self._form is not None:
            form_field = self._form.fields[self._textarea]
            form_field.values = [(form_field.values[0] if form_field.values else "") + data]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            name, form_field = self._select
            if not form_field.values and form_field.options:
                # A browser sends the first option; the first real one gets further (an action, not "---").
                form_field.values = [next((o for o in form_field.options if o), form_field.options[0])]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            form_field = self._form.fields[self._textarea] if self._form else None
            if form_field is not None and not form_field.values:
                form_field.values = [""]
            self._textarea = None


# ---------------------------------------------------------------------------------------------------------------
# Sending requests
# ---------------------------------------------------------------------------------------------------------------

Pairs = list[tuple[str, object]]


def _encode(value) -> str:
    return quote_plus(str(value).encode("utf-8", "surrogatepass"))


def encode_pairs(pairs: Pairs) -> str:
    return "&".join(f"{_encode(name)}={_encode(value)}" for name, value in pairs)


def _short(value, limit=120) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(str(value))} chars)"


@dataclass
class Failure:
    role: str
    method: str
    url: str
    payload: str
    error: str
    where: str
    trace: str

    def key(self) -> tuple:
        return (
            urlsplit(self.url).path if "?" in self.url else self.url,
            self.method,
            self.error.split(":")[0],
            self.where,
        )


@dataclass
class Visitor:
    """One role's browser: a client whose session survives the rolled-back requests."""

    role: str
    client: Client
    cookies: dict[str, str]
    failures: list[Failure]
    counter: dict[str, int]

    def send(self, method: str, path: str, pairs: Pairs | None = None, files: dict | None = None):
        self.client.cookies.clear()
        for name, value in self.cookies.items():
            self.client.cookies[name] = value
        self.counter["requests"] += 1
        self.counter[method] += 1
        url = path
        if method == "GET" and pairs:
            url = f"{path}{'&' if '?' in path else '?'}{encode_pairs(pairs)}"
        try:
            with transaction.atomic():
                try:
                    if method == "GET":
                        response = self.client.generic("GET", url)
                    elif files:
                        data = defaultdict(list)
                        for name, value in pairs or []:
                            data[name].append(str(value).encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
                        for name, (filename, content) in files.items():
                            data[name].append(SimpleUploadedFile(filename, content, content_type="text/csv"))
                        response = self.client.post(path, dict(data))
                    else:
                        body = encode_pairs(pairs or []).encode("ascii")
                        response = self.client.generic(
                            method, path, body, content_type="application/x-www-form-urlencoded"
                        )
                    content = b"".join(response.streaming_content) if response.streaming else response.content
                finally:
                    transaction.set_rollback(True)
        except Exception as error:  # noqa: BLE001 - every server error is what this test looks for
            frames = traceback.extract_tb(error.__traceback__)
            ours = [f for f in frames if "/site-packages/" not in f.filename and "/tests/" not in f.filename]
            where = " -> ".join(dict.fromkeys(f"{f.filename}:{f.lineno}" for f in [*ours[-1:], frames[-1]]))
            self.failures.append(
                Failure(
                    role=self.role,
                    method=method,
                    url=url if len(url) < 400 else url[:400] + "…",
                    payload=", ".join(
                        [
                            f"file {name}={filename!r}: {_short(content, 80)}"
                            for name, (filename, content) in (files or {}).items()
                        ]
                        + [f"{name}={_short(value)}" for name, value in (pairs or [])]
                    ),
                    error=f"{type(error).__name__}: {str(error)[:300]}",
                    where=where,
                    trace="".join(traceback.format_exception(error)[-40:]),
                )
            )
            return None, b""
        if response.status_code >= 500 and not (
            response.status_code == 503 and _view_name(urlsplit(path).path) in DELIBERATELY_UNAVAILABLE
        ):
            self.failures.append(
                Failure(self.role, method, url, encode_pairs(pairs or [])[:400], f"HTTP {response.status_code}", "", "")
            )
        return response, content


# ---------------------------------------------------------------------------------------------------------------
# Finding the pages
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Page:
    path: str
    view_name: str
    status: int = 0
    params: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    queries: set[str] = field(default_factory=set)


@dataclass
class Site:
    """What one role can reach: GET pages (with the query names seen) and forms."""

    pages: dict[str, Page] = field(default_factory=dict)
    forms: dict[tuple, Form] = field(default_factory=dict)
    # path -> query names (and values) that links and search forms on any page send to it
    offered: dict[str, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _is_internal(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("", "http") and parts.netloc in ("", "testserver") and parts.path.startswith("/")


def _skip(path: str) -> bool:
    return path.startswith((settings.STATIC_URL, "/media/"))


def url_patterns(patterns=None, namespace=""):
    """(view name, converters) for every named URL."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.pattern.converters


ADMIN_NAMESPACES = ("admin", "coordinator")


def _reverse_with(name: str, converters: dict, kwargs: dict, arg: str, value: str) -> str | None:
    """The URL with ``value`` (already quoted) in the ``arg`` part of the path, or None."""
    marker = "12345" if type(converters[arg]).__name__ == "IntConverter" else "zzfuzzzz"
    try:
        return reverse(name, kwargs={**kwargs, arg: marker}).replace(marker, value)
    except NoReverseMatch:
        return None


def seed_paths(known_kwargs: dict[str, list[dict]]) -> tuple[list[str], list[str]]:
    """Every named URL outside the admin sites: with the real arguments we know; and with hostile path parts."""
    paths, hostile_paths = [], []
    for name, converters in url_patterns():
        if name.split(":")[0] in ADMIN_NAMESPACES:
            continue
        kwargs = {arg: 1 if type(c).__name__ == "IntConverter" else "x" for arg, c in converters.items()}
        for candidate in [*known_kwargs.get(name, []), kwargs]:
            try:
                paths.append(reverse(name, kwargs=candidate))
            except NoReverseMatch:
                continue
        base = (known_kwargs.get(name) or [kwargs])[0]
        for arg, converter in converters.items():
            values = HOSTILE_INT_PATH_VALUES if type(converter).__name__ == "IntConverter" else HOSTILE_PATH_VALUES
            hostile_paths += filter(None, (_reverse_with(name, converters, base, arg, value) for value in values))
    return paths, hostile_paths


def closed_admin_paths() -> list[str]:
    """What a role without access to an admin site tries there: its index, a list, an add page and a login."""
    paths = []
    for site in (admin.site, coordinator_site):
        model = next(iter(site._registry))
        opts = model._meta
        paths += [
            reverse(f"{site.name}:index"),
            reverse(f"{site.name}:login"),
            reverse(f"{site.name}:{opts.app_label}_{opts.model_name}_changelist"),
            reverse(f"{site.name}:{opts.app_label}_{opts.model_name}_add"),
            reverse(f"{site.name}:{opts.app_label}_{opts.model_name}_change", args=[1]),
        ]
    return paths


def admin_paths(site, user) -> list[str]:
    """Every model on an admin site: list, add, one object's pages, export/import and each autocomplete."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    paths = [reverse(f"{site.name}:index")]
    for model, model_admin in site._registry.items():
        opts = model._meta
        prefix = f"{site.name}:{opts.app_label}_{opts.model_name}"
        paths.append(reverse(f"{prefix}_changelist"))
        paths.append(reverse(f"{prefix}_add"))
        for extra in ("export", "import"):
            try:
                paths.append(reverse(f"{prefix}_{extra}"))
            except NoReverseMatch:
                pass
        try:
            obj = model_admin.get_queryset(request).order_by("pk").last()
        except Exception:  # noqa: BLE001 - a role that cannot list this model has no object pages
            obj = None
        for suffix in ("change", "history", "delete"):
            if obj is not None:
                paths.append(reverse(f"{prefix}_{suffix}", args=[obj.pk]))
            paths += [reverse(f"{prefix}_{suffix}", args=["zzfuzzzz"]).replace("zzfuzzzz", v) for v in ("x", "%00")]
        paths.append(reverse(f"{prefix}_changelist") + "?q=%00")
        for model_field in opts.get_fields():
            remote = getattr(model_field, "remote_field", None)
            if remote is not None and model_field.concrete and remote.model in site._registry:
                query = f"app_label={opts.app_label}&model_name={opts.model_name}&field_name={model_field.name}"
                paths.append(f"{reverse(f'{site.name}:autocomplete')}?{query}")
    return paths


def admin_query_names(view_name: str, path: str) -> dict[str, set[str]]:
    """The query names an admin page understands (a changelist's list_filter, date_hierarchy, search, order and
    page; an autocomplete's term and page), with the values to try them with besides hostile ones."""
    if view_name.endswith(":autocomplete"):
        return {"term": {""}, "page": {"1"}}
    try:
        func = resolve(urlsplit(path).path).func
    except Resolver404:
        return {}
    model_admin = getattr(func, "model_admin", None)
    if model_admin is None or not view_name.endswith(("_changelist", "_export")):
        return {}
    names = ["q", "o", "p", "all", "e", "_changelist_filters", "_facets"]
    for entry in model_admin.list_filter:
        if isinstance(entry, (list, tuple)):
            entry = entry[0]
        if isinstance(entry, str):
            for suffix in ("", "__exact", "__id__exact", "__isnull", "__in", "__gte", "__lt", "__regex"):
                names.append(entry + suffix)
        elif hasattr(entry, "parameter_name"):
            names.append(entry.parameter_name)
    if model_admin.date_hierarchy:
        names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    return {name: set() for name in names}


def explore(visitor: Visitor, seeds: list[str], per_view: int = 2, limit: int = 400) -> Site:
    """Breadth-first over the seeds and the links they lead to; at most ``per_view`` linked paths per URL name.

    Every seed is fetched; ``limit`` caps only the pages reached by following links (with it capping seeds too,
    the site admin's model pages, seeded last, were never reached once the site had 400 other URLs)."""
    site = Site()
    queue: deque[tuple[str, bool]] = deque((seed_url, True) for seed_url in dict.fromkeys(seeds))
    seen_per_view: dict[str, int] = defaultdict(int)
    fetched = 0
    while queue:
        url, is_seed = queue.popleft()
        if not is_seed and fetched >= limit:
            continue
        parts = urlsplit(url)
        view_name = _view_name(parts.path)
        if view_name is None or _skip(parts.path):
            continue
        # An autocomplete is a page per model field: its query names the field, the fuzz adds the rest.
        path = url if view_name.endswith(":autocomplete") else parts.path
        if is_seed and path == parts.path:
            for name, value in parse_qsl(parts.query, keep_blank_values=True):
                site.offered[path][name].add(value)
        page = site.pages.get(path)
        if page is None:
            if not is_seed:
                if seen_per_view[view_name] >= per_view:
                    continue
                seen_per_view[view_name] += 1
            page = site.pages[path] = Page(path, view_name)
            response, content = visitor.send("GET", path)
            fetched += not is_seed
            page.status = response.status_code if response is not None else 500
            if page.status == 200 and "html" in response.get("Content-Type", ""):
                _read(site, queue, parts.path, content)
        if path == parts.path and parts.query and parts.query not in page.queries and len(page.queries) < 4:
            # A few of the filter, order and page links as the page itself offers them.
            page.queries.add(parts.query)
            visitor.send("GET", url)
            fetched += not is_seed
    for page in site.pages.values():
        for name, values in site.offered.get(page.path, {}).items():
            page.params[name].update(values)
        for name, values in admin_query_names(page.view_name, page.path).items():
            page.params[name].update(values)
    return site


def _read(site: Site, queue: deque, path: str, content: bytes) -> None:
    parser = PageParser(f"http://testserver{path}")
    parser.feed(content.decode("utf-8", "replace"))
    for link in parser.links:
        if _is_internal(link):
            parts = urlsplit(link)
            for name, value in parse_qsl(parts.query, keep_blank_values=True):
                site.offered[parts.path][name].add(value)
            queue.append((parts.path + (f"?{parts.query}" if parts.query else ""), False))
    for widget in parser.autocompletes:
        query = "&".join(f"{key}={widget[key]}" for key in ("app_label", "model_name", "field_name"))
        queue.append((f"{urlsplit(widget['url']).path}?{query}", True))
    for form in parser.forms:
        action = urlsplit(form.action)
        if not _is_internal(form.action) or _skip(action.path):
            continue
        if form.method == "get":
            for name, form_field in form.fields.items():
                site.offered[action.path][name].update(form_field.values + form_field.options)
            queue.append((action.path, False))
            continue
        key = (action.path + (f"?{action.query}" if action.query else ""), tuple(sorted(form.fields)))
        if key not in site.forms:
            form.action = key[0]
            site.forms[key] = form


# ---------------------------------------------------------------------------------------------------------------
# Fuzzing what was found
# ---------------------------------------------------------------------------------------------------------------

HYPOTHESIS = dict(
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _pairs(name: str, value) -> Pairs:
    return [(name, v) for v in value] if isinstance(value, list) else [(name, value)]


def fuzz_page(visitor: Visitor, page: Page, examples: int, killers: list) -> None:
    names = sorted({*page.params, *EXTRA_QUERY_NAMES})

    @st.composite
    def queries(draw):
        pairs: Pairs = []
        for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True)):
            observed = sorted(page.params.get(name, ()))
            choice = st.one_of(hostile_values, st.sampled_from(observed)) if observed else hostile_values
            pairs += _pairs(name, draw(choice))
        return pairs

    @seed(zlib.crc32(f"{visitor.role} GET {page.path}".encode()))
    @hypothesis_settings(max_examples=examples, **HYPOTHESIS)
    @given(queries())
    def run(pairs):
        visitor.send("GET", page.path, pairs)

    if killers:
        # Every parameter the page itself offers (its links and search forms) on its own, with a NUL byte and
        # with one other hostile value: a parameter that is refused stops the request before the others are
        # looked at. Then the worst two values in every parameter at once.
        control = [(name, value) for name in sorted(CONTROL_NAMES) for value in sorted(page.params.get(name, ()))[:1]]
        data = [name for name in names if name not in CONTROL_NAMES]
        offered = [name for name in data if page.params.get(name)]
        others = killers[1:]
        cases = [_pairs(name, NUL) for name in offered]
        cases += [_pairs(name, others[i % len(others)]) for i, name in enumerate(offered) if others]
        cases += [[pair for name in data for pair in _pairs(name, value)] for value in killers[:2]]
        for case in cases:
            run = example(control + case)(run)
    run()


def plausible(name: str, form_field: FormField) -> list[str]:
    """What a person would likely have typed into an empty field, so that one hostile field is not the only
    thing wrong with the form and reaches the code behind it."""
    if form_field.values and any(form_field.values):
        return list(form_field.values)
    if form_field.kind == "radio":
        return form_field.options[:1]
    if form_field.kind in ("checkbox", "select"):
        return list(form_field.values)
    lowered = name.lower()
    for hint, value in PLAUSIBLE:
        if hint in lowered or hint == form_field.kind:
            return [value]
    return ["Fuzz"]


PLAUSIBLE = [
    ("email", "fuzz.person@example.test"),
    ("password", "Plausible-Passw0rd-2027"),
    ("_day", "4"),
    ("_month", "1"),
    ("_year", "2027"),
    ("date", "2027-01-04"),
    ("number", "1"),
    ("postcode", "SE1 7JN"),
    ("phone", "07700 900123"),
    ("url", "https://example.test/"),
]


def field_killers(name: str, index: int, killers: list) -> list:
    """The hostile values one field gets on its own: NUL, one of the others in turn, and the ones its kind
    is most likely to mishandle (huge numbers in number and date parts, 255-320 character emails)."""
    lowered = name.lower()
    values = [NUL, killers[1 + index % (len(killers) - 1)]] if len(killers) > 1 else [NUL]
    if any(hint in lowered for hint in ("day", "month", "year", "date", "number", "capacity", "places", "age")):
        values.append("9" * 20)
    if "email" in lowered or lowered in ("username", "login"):
        values += [_email_of_length(255), _email_of_length(320)]
    return list({repr(v): v for v in values}.values())


def fuzz_form(visitor: Visitor, form: Form, examples: int, killers: list) -> None:
    names = sorted(form.fields)
    file_names = [name for name in names if form.fields[name].kind == "file"]
    submits = {name: f for name, f in form.fields.items() if f.kind == "submit"}
    plain = [name for name in names if name not in submits and name not in file_names] or names
    start = {name: plausible(name, f) for name, f in form.fields.items() if f.kind not in ("submit", "file")}
    submit = [(name, (f.options or [""])[0]) for name, f in sorted(submits.items())][:1]
    no_files = {name: ("data.csv", b"email\n" + b"\x00" * 10) for name in file_names}

    def baseline(draw) -> dict[str, list]:
        values = {name: list(v) for name, v in start.items()}
        if submits:
            name = draw(st.sampled_from(sorted(submits)))
            values[name] = [draw(st.sampled_from(submits[name].options or [""]))]
        return values

    @st.composite
    def payloads(draw):
        values = baseline(draw)
        if draw(st.integers(0, 9)) == 0:
            chosen = plain  # everything hostile at once
        else:
            chosen = draw(st.lists(st.sampled_from(plain), min_size=1, max_size=3, unique=True))
        for name in chosen:
            options = form.fields[name].options
            if options and draw(st.booleans()):
                values[name] = draw(st.lists(st.sampled_from(options), min_size=0, max_size=3))
            else:
                value = draw(hostile_values)
                values[name] = value if isinstance(value, list) else [value]
        if draw(st.integers(0, 9)) == 0:
            values[draw(st.sampled_from(EXTRA_QUERY_NAMES))] = [draw(scalar_values)]
        pairs = [(name, value) for name, vs in values.items() for value in vs]
        files = {
            name: (draw(st.sampled_from(["data.csv", "x" * 300 + ".csv", "a\x00.csv"])), draw(hostile_files))
            for name in file_names
        }
        return pairs, files

    @seed(zlib.crc32(f"{visitor.role} POST {form.action} {names}".encode()))
    @hypothesis_settings(max_examples=examples, **HYPOTHESIS)
    @given(payloads())
    def run(payload):
        pairs, files = payload
        visitor.send("POST", form.action, pairs, files or None)

    if killers:
        # Each field on its own, the rest as a person would have filled them in (a row of a formset stands for
        # the others: "cohorts-3-capacity" is checked as "cohorts-0-capacity" is); then every field at once.
        data = [name for name in plain if name not in CONTROL_NAMES]
        singles = list({re.sub(r"-\d+-", "-N-", name): name for name in reversed(data)}.values())
        for index, name in enumerate(sorted(singles)):
            for value in field_killers(name, index, killers):
                values = {**start, name: value if isinstance(value, list) else [value]}
                pairs = submit + [(n, v) for n, vs in values.items() for v in vs]
                run = example((pairs, no_files))(run)
        # Every admin action, on the first item listed.
        actions, selection = form.fields.get("action"), form.fields.get("_selected_action")
        for action in [o for o in actions.options if o] if actions and selection and selection.options else []:
            values = {**start, "action": [action], "_selected_action": selection.options[:1], "index": ["0"]}
            run = example(([(n, v) for n, vs in values.items() for v in vs], no_files))(run)
        control = [(name, v) for name in plain if name in CONTROL_NAMES for v in start.get(name, [])]
        for value in killers:
            pairs = submit + control + [pair for name in data for pair in _pairs(name, value)]
            run = example((pairs, no_files))(run)
    run()


# ---------------------------------------------------------------------------------------------------------------
# The people and the data
# ---------------------------------------------------------------------------------------------------------------

# role -> demo login (None: not signed in)
PERSONAS = {
    "anonymous": None,
    "student (offer waiting)": "student@demo.test",
    "student (draft)": "demo.draft@demo.test",
    "student (completed)": "demo.completed@demo.test",
    "student (no application)": "fuzz.new.student@demo.test",
    "tutor": "tutor@demo.test",
    "coordinator": "coordinator@demo.test",
    "site admin": "admin@demo.test",
    "college coordinator": "trainer@demo.test",
    "care coordinator": "coordinator.b@demo.test",
    "staff": "staff@demo.test",
    "partner": "partner@demo.test",
}


# The light pass (SQLite): a student with a draft, a coordinator and a site admin.
LIGHT_ROLES = ["student (draft)", "coordinator", "site admin"]


def _demo_data() -> dict[str, list[dict]]:
    """The demo data, one student without an application, and live tokens for the pages reached by link."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from accounts.models import Invitation, Organisation
    from accounts.tokens import email_verification_token
    from placements.application_steps import BY_SLUG
    from placements.models import GuardianConsent
    from placements.services.applications import _hash as consent_hash
    from tests import factories

    call_command("seed_demo", "--force", stdout=StringIO())
    college = Organisation.objects.get(name="Southbank College")
    newcomer = factories.StudentFactory(email=PERSONAS["student (no application)"], organisation=college)
    unverified = factories.StudentFactory(email="fuzz.unverified@demo.test", organisation=college)
    unverified.email_verified_at = None
    unverified.save()
    coordinator = User.objects.get(email=PERSONAS["coordinator"])
    from datetime import timedelta

    from django.utils import timezone

    Invitation.objects.create(
        email="fuzz.invitee@demo.test",
        organisation=coordinator.organisation,
        role=Role.COORDINATOR,
        invited_by=coordinator,
        token_hash=Invitation.hash_token("fuzz-invitation-token"),
        expires_at=timezone.now() + timedelta(days=7),
    )
    # Sign-in records, so django-axes' admin lists have rows, links and actions to follow.
    where = dict(ip_address="192.0.2.1", user_agent="fuzz", http_accept="*/*", path_info="/accounts/login/")
    AccessAttempt.objects.create(
        username="someone@demo.test", get_data="", post_data="", failures_since_start=2, **where
    )
    AccessLog.objects.create(username="student@demo.test", **where)
    AccessFailureLog.objects.create(username="someone@demo.test", locked_out=False, **where)
    consent = GuardianConsent.objects.filter(given_at__isnull=True).first()
    consent_kwargs = []
    if consent is not None:
        consent.token_hash = consent_hash("fuzz-consent-token")
        consent.expires_at = timezone.now() + timedelta(days=7)
        consent.save()
        consent_kwargs = [{"token": "fuzz-consent-token"}]
    uid = urlsafe_base64_encode(force_bytes(newcomer.pk))
    return {
        "placements:application-step": [{"slug": slug} for slug in BY_SLUG],
        "accounts:invitation-accept": [{"token": "fuzz-invitation-token"}],
        "placements:guardian-consent": consent_kwargs,
        "accounts:verify-email": [
            {
                "uidb64": urlsafe_base64_encode(force_bytes(unverified.pk)),
                "token": email_verification_token.make_token(unverified),
            }
        ],
        "accounts:password-reset-confirm": [{"uidb64": uid, "token": default_token_generator.make_token(newcomer)}],
    }


def _visitor(role: str, failures: list[Failure], counter) -> Visitor:
    client = Client(raise_request_exception=True)
    email = PERSONAS[role]
    if email:
        client.force_login(User.objects.get(email=email))
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    return Visitor(role, client, cookies, failures, counter)


def _report(failures: list[Failure], counter, elapsed: float) -> str:
    distinct: dict[tuple, list[Failure]] = defaultdict(list)
    for failure in failures:
        distinct[failure.key()].append(failure)
    lines = [
        f"{len(failures)} server errors ({len(distinct)} distinct) in {counter['requests']} requests "
        f"({elapsed:.0f} s). First of each:",
    ]
    for number, group in enumerate(distinct.values(), start=1):
        first = group[0]
        lines += [
            "",
            f"[{number}] {first.error}  (x{len(group)})",
            f"    as {first.role}: {first.method} {first.url}",
            f"    payload: {first.payload[:1500]}",
            f"    at {first.where}",
            "    " + first.trace.replace("\n", "\n    ")[-3000:],
        ]
    return "\n".join(lines)


def run_fuzz(
    *, roles: list[str], page_examples: int, form_examples: int, killers: list
) -> tuple[list[Failure], dict, float]:
    """Explore and fuzz as each persona in turn; returns the server errors, counts and the time taken.

    With FUZZ_PAGES=<file> set, every page reached is written there, one "role status view path" a line.
    """
    started = time.monotonic()
    known_kwargs = _demo_data()
    failures: list[Failure] = []
    counter: dict[str, int] = defaultdict(int)
    reached = []
    for role in roles:
        visitor = _visitor(role, failures, counter)
        user = User.objects.filter(email=PERSONAS[role]).first()
        paths, hostile_paths = seed_paths(known_kwargs)
        hostile = set(hostile_paths)
        seeds = paths + hostile_paths + closed_admin_paths()
        if user is not None and user.role == Role.ADMIN:
            seeds += admin_paths(admin.site, user)
        if user is not None and user.role == Role.COORDINATOR:
            seeds += admin_paths(coordinator_site, user)
        site = explore(visitor, seeds)
        counter[f"{role}: pages answering 200"] = sum(page.status == 200 for page in site.pages.values())
        counter[f"{role}: forms"] = len(site.forms)
        reached += [f"{role} {page.status} {page.view_name} {page.path[:200]}" for page in site.pages.values()]
        reached += [f"{role} POST {form.action[:200]} {len(form.fields)} fields" for form in site.forms.values()]
        for page in site.pages.values():
            if page.path in hostile:
                continue  # the path itself was the hostile part
            if page.status == 200:
                fuzz_page(visitor, page, page_examples, killers)
            else:
                fuzz_page(visitor, page, 1, [])  # refused: one check that the refusal holds
        for form in site.forms.values():
            fuzz_form(visitor, form, max(form_examples, min(2 * form_examples, len(form.fields) // 4)), killers)
    if os.environ.get("FUZZ_PAGES"):
        Path(os.environ["FUZZ_PAGES"]).write_text("\n".join(reached) + "\n")
    return failures, counter, time.monotonic() - started


# ---------------------------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db
def test_hostile_input_on_every_page_of_every_role_never_causes_a_server_error():
    # Every page of every role, reached as a seed; two hostile values per query parameter and three per form field
    # keep the pass near 15 minutes now that ten personas walk the training, skills and insights pages too.
    failures, counter, elapsed = run_fuzz(roles=list(PERSONAS), page_examples=2, form_examples=3, killers=EVERYWHERE)
    print(f"fuzz: {counter['requests']} requests in {elapsed:.0f} s; {dict(counter)}")
    if failures:
        pytest.fail(_report(failures, counter, elapsed), pytrace=False)


@pytest.mark.django_db
def test_hostile_input_light_pass_on_the_embedded_database():
    if connection.vendor == "postgresql":
        pytest.skip("the full pass runs on PostgreSQL")
    failures, counter, elapsed = run_fuzz(roles=LIGHT_ROLES, page_examples=1, form_examples=2, killers=EVERYWHERE[:1])
    if failures:
        pytest.fail(_report(failures, counter, elapsed), pytrace=False)
