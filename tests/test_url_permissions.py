"""Walks every URL pattern and checks the status each kind of visitor gets.

A new URL without an entry in EXPECTED fails this test: decide who may see it before it ships.
Per-object checks (another college's or trust's objects) live in each feature's tests.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.insights.expected_urls import EXPECTED as INSIGHTS_EXPECTED
from tests.skills.expected_urls import EXPECTED as SKILLS_EXPECTED
from tests.training.expected_urls import EXPECTED as TRAINING_EXPECTED

LOGIN = "login"  # redirect to the sign-in page
# "coordinator" is an NHS trust's; "college_coordinator" runs a college's simulation suite and
# "care_coordinator" books seats for a social-care provider's staff (step 9).
VISITORS = (
    "anonymous",
    "student",
    "tutor",
    "coordinator",
    "college_coordinator",
    "care_coordinator",
    "admin",
    "staff",
    "partner",
)
# Health and care staff and planning partners: only their own home and their account pages (ADR 0002, amended).
NEW_ROLES_SEE_NOTHING = {"staff": 404, "partner": 404}
# Every host's coordinator (an NHS trust's, a college's, a care provider's) gets the placement host pages.
HOSTS = {"coordinator", "college_coordinator", "care_coordinator"}

# url name -> (kwargs, {visitor: expected status or LOGIN}); "*" applies to every visitor not listed.
# The simulation suites' pages (/training/) are listed per area in tests/training/expected_urls/.
EXPECTED = {
    **TRAINING_EXPECTED,
    **SKILLS_EXPECTED,
    **INSIGHTS_EXPECTED,
    "home": ({}, {"*": 200}),
    "accessibility": ({}, {"*": 200}),
    "privacy": ({}, {"*": 200}),
    "cookies": ({}, {"*": 200}),
    "healthz": ({}, {"*": 200}),
    # Status only, for monitors and docker-compose: anyone may read it (503 here: beat has never ticked in a test).
    "health": ({}, {"*": 503}),
    "health-beat": ({}, {"*": 503}),
    "accounts:home": ({}, {"anonymous": LOGIN, "*": 200}),
    "accounts:signup": ({}, {"anonymous": 200, "*": 302}),
    "accounts:signup-done": ({}, {"*": 200}),
    "accounts:verify-email": ({"uidb64": "OTk5OTk5", "token": "bad-token"}, {"*": 400}),
    "accounts:verify-email-resend": ({}, {"anonymous": LOGIN, "*": 405}),
    "accounts:email-preferences": ({}, {"anonymous": LOGIN, "*": 405}),
    "accounts:login": ({}, {"anonymous": 200, "*": 302}),
    "accounts:sign-in-unlock-request": ({}, {"*": 200}),
    "accounts:sign-in-unlock": ({"token": "no-such-token"}, {"*": 404}),
    "accounts:logout": ({}, {"*": 405}),
    "accounts:password-reset": ({}, {"*": 200}),
    "accounts:password-reset-done": ({}, {"*": 200}),
    "accounts:password-reset-confirm": ({"uidb64": "MQ", "token": "bad-token"}, {"*": 200}),
    "accounts:password-reset-complete": ({}, {"*": 200}),
    "accounts:password-change": ({}, {"anonymous": LOGIN, "*": 200}),
    "accounts:password-change-done": ({}, {"anonymous": LOGIN, "*": 200}),
    # Two-factor sign-in: everyone but students (ADR 0015). Signed in and verified, "enter a code" goes on.
    "accounts:second_factor:verify": ({}, {"anonymous": LOGIN, "student": 404, "*": 302}),
    "accounts:second_factor:set-up": ({}, {"anonymous": LOGIN, "student": 404, "*": 200}),
    "accounts:second_factor:manage": ({}, {"anonymous": LOGIN, "student": 404, "*": 200}),
    # POST only; and only in a verified session (test_unverified_staff_reach_none_of_the_pages_beyond_set_up).
    "accounts:second_factor:recovery-codes-new": ({}, {"anonymous": LOGIN, "student": 404, "*": 405}),
    "accounts:staff-home": ({}, {"anonymous": LOGIN, "staff": 200, "*": 404}),
    # Partners' old home: on to the planning reports (insights:summary).
    "accounts:partner-home": ({}, {"anonymous": LOGIN, "partner": 302, "*": 404}),
    "accounts:invitation-list": (
        {},
        {"anonymous": LOGIN, "student": 404, "tutor": 404, **NEW_ROLES_SEE_NOTHING, "*": 200},
    ),
    "accounts:invitation-create": (
        {},
        {"anonymous": LOGIN, "student": 404, "tutor": 404, **NEW_ROLES_SEE_NOTHING, "*": 200},
    ),
    "accounts:invitation-upload": (
        {},
        {"anonymous": LOGIN, "student": 404, "tutor": 404, **NEW_ROLES_SEE_NOTHING, "*": 200},
    ),
    "accounts:invitation-revoke": (
        {"pk": 1},
        {"anonymous": LOGIN, "student": 404, "tutor": 404, **NEW_ROLES_SEE_NOTHING, "*": 405},
    ),
    "accounts:invitation-accept": ({"token": "no-such-token"}, {"*": 404}),
    "placements:opportunity-list": ({}, {"*": 200}),
    "placements:how-matching-works": ({}, {"*": 200}),
    "placements:opportunity-detail": ({"pk": 999999}, {"*": 404}),
    # Student pages: only the student; with no application yet, the application pages are 404.
    "placements:student-home": ({}, {"anonymous": LOGIN, "student": 200, "*": 404}),
    "placements:application-start": ({}, {"anonymous": LOGIN, "student": 405, "*": 404}),
    "placements:application-step": ({"slug": "about-you"}, {"anonymous": LOGIN, "*": 404}),
    "placements:application-review": ({}, {"anonymous": LOGIN, "*": 404}),
    "placements:application-withdraw": ({}, {"anonymous": LOGIN, "*": 404}),
    "placements:choice-add": ({"opportunity_pk": 1}, {"anonymous": LOGIN, "student": 405, "*": 404}),
    "placements:choice-change": ({"choice_pk": 1}, {"anonymous": LOGIN, "student": 405, "*": 404}),
    "placements:offer-accept": ({}, {"anonymous": LOGIN, "*": 404}),
    "placements:offer-decline": ({}, {"anonymous": LOGIN, "*": 404}),
    "placements:data-export": ({}, {"anonymous": LOGIN, "student": 200, "*": 404}),
    "placements:account-delete": ({}, {"anonymous": LOGIN, "student": 200, "*": 404}),
    "placements:tutor-home": ({}, {"anonymous": LOGIN, "tutor": 200, "*": 404}),
    "placements:tutor-export": ({}, {"anonymous": LOGIN, "tutor": 200, "*": 404}),
    "placements:tutor-invite": ({}, {"anonymous": LOGIN, "tutor": 200, "*": 404}),
    "placements:tutor-application": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
    "placements:tutor-endorse": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
    "placements:coordinator-home": ({}, {"anonymous": LOGIN, **dict.fromkeys(HOSTS, 200), "*": 404}),
    "placements:coordinator-application": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
    "placements:matches-approve": ({}, {"anonymous": LOGIN, **dict.fromkeys(HOSTS, 405), "*": 404}),
    "placements:match-decline": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
    "placements:placement-checks": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
    "placements:placement-attendance": (
        {"pk": 999999},
        {"anonymous": LOGIN, **dict.fromkeys(HOSTS, 405), "*": 404},
    ),
    "placements:placement-complete": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
    "placements:placement-cancel": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
    "placements:certificate": ({}, {"anonymous": LOGIN, "*": 404}),
    "placements:guardian-consent": ({"token": "no-such-token"}, {"*": 404}),
}
# Namespaces whose pages belong to Django's admin machinery; checked separately below.
ADMIN_NAMESPACES = ("admin", "coordinator")


def _all_url_names(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _all_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def _expected(name, visitor):
    rules = EXPECTED[name][1]
    return rules.get(visitor, rules.get("*"))


def test_every_url_has_an_access_expectation():
    names = {n for n in _all_url_names() if n.split(":")[0] not in ADMIN_NAMESPACES}
    missing = sorted(names - EXPECTED.keys())
    assert not missing, f"Add these URLs to EXPECTED with who may see them: {missing}"
    stale = sorted(EXPECTED.keys() - names)
    assert not stale, f"These URLs no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
def test_each_url_answers_each_visitor_as_expected(client, personas, visitor):
    if visitor != "anonymous":
        client.force_login(personas[visitor])
    wrong = []
    for name, (kwargs, _) in sorted(EXPECTED.items()):
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        expected = _expected(name, visitor)
        if expected == LOGIN:
            ok = response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
        else:
            ok = response.status_code == expected
        if not ok:
            wrong.append(f"{name} ({url}): expected {expected}, got {response.status_code}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("visitor", "allowed"),
    [
        ("anonymous", False),
        ("student", False),
        ("tutor", False),
        ("coordinator", False),
        ("admin", True),
        ("staff", False),
        ("partner", False),
    ],
)
def test_only_site_admins_reach_the_site_admin(client, personas, visitor, allowed):
    if visitor != "anonymous":
        client.force_login(personas[visitor])
    response = client.get(reverse("admin:index"))
    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/admin/login/" in response.url


def _admin_pages(site):
    for model in site._registry:
        opts = model._meta
        for view in ("changelist", "add"):
            yield reverse(f"{site.name}:{opts.app_label}_{opts.model_name}_{view}")
    yield reverse(f"{site.name}:index")


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", ["staff", "partner"])
def test_staff_members_and_partners_reach_no_page_of_either_admin(client, personas, visitor):
    from django.contrib import admin

    from placements.admin import coordinator_site

    client.force_login(personas[visitor])
    wrong = []
    for url in _admin_pages(admin.site):
        response = client.get(url)
        if not (response.status_code == 302 and "/admin/login/" in response.url):
            wrong.append(f"{url}: got {response.status_code}")
    for url in _admin_pages(coordinator_site):
        response = client.get(url)
        if response.status_code != 404:
            wrong.append(f"{url}: got {response.status_code}")
    assert not wrong, "\n".join(wrong)


# --- Per-object checks for the application pages and host cancellation: every role, own and other organisation.

OBJECT_VISITORS = (
    "anonymous",
    "student",
    "tutor",
    "other_college_tutor",
    "coordinator",
    "other_trust_coordinator",
    "staff_member",
    "partner",
)


@pytest.fixture
def placed(college, coordinator):
    """An application from ``college``, with an accepted place at the coordinator's trust."""
    from datetime import timedelta

    from placements.workflow import Status
    from tests.factories import CohortFactory, PlacementFactory, RoundFactory
    from tests.placements.helpers import ready_application

    round_ = RoundFactory()
    cohort = CohortFactory(
        start_date=round_.placements_from + timedelta(days=7), opportunity__site__organisation=coordinator.organisation
    )
    application = ready_application(round_, [cohort], status=Status.ACCEPTED, college=college)
    application.student.organisation = college
    application.student.save()
    return PlacementFactory(application=application, cohort=cohort, booked_seat=False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "by", "allowed"),
    [
        ("placements:coordinator-application", "application", "coordinator"),
        ("placements:placement-cancel", "placement", "coordinator"),
        ("placements:tutor-application", "application", "tutor"),
    ],
)
def test_application_pages_answer_only_their_own_organisation(
    client,
    placed,
    student,
    tutor,
    other_college_tutor,
    coordinator,
    other_trust_coordinator,
    staff_member,
    partner,
    name,
    by,
    allowed,
):
    # staff_member works at the hosting trust itself: employment there shows them no applications.
    people = {
        "student": placed.application.student,
        "tutor": tutor,
        "other_college_tutor": other_college_tutor,
        "coordinator": coordinator,
        "other_trust_coordinator": other_trust_coordinator,
        "staff_member": staff_member,
        "partner": partner,
    }
    url = reverse(name, args=[placed.application_id if by == "application" else placed.pk])
    wrong = []
    for visitor in OBJECT_VISITORS:
        client.logout()
        if visitor != "anonymous":
            client.force_login(people[visitor])
        response = client.get(url)
        if visitor == "anonymous":
            ok = response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
        else:
            ok = response.status_code == (200 if visitor == allowed else 404)
        if not ok:
            wrong.append(f"{visitor}: got {response.status_code}")
    assert not wrong, f"{url}: " + "; ".join(wrong)


# --- The site admin's audit trail of one application (ADR 0013): site admins only, 404 for everyone else.


@pytest.mark.django_db
def test_an_applications_audit_trail_answers_only_site_admins(
    client, placed, site_admin, tutor, other_college_tutor, coordinator, other_trust_coordinator, staff_member, partner
):
    url = reverse("admin:placements_application_audit_trail", args=[placed.application_id])
    people = {
        "student": placed.application.student,
        "tutor": tutor,
        "other_college_tutor": other_college_tutor,
        "coordinator": coordinator,
        "other_trust_coordinator": other_trust_coordinator,
        "staff_member": staff_member,
        "partner": partner,
        "admin": site_admin,
    }
    wrong = []
    response = client.get(url, follow=True)
    if not response.redirect_chain or not response.redirect_chain[-1][0].startswith(reverse("accounts:login")):
        wrong.append(f"anonymous: ended at {response.redirect_chain}")
    for visitor, person in people.items():
        client.logout()
        client.force_login(person)
        response = client.get(url, follow=True)
        if response.status_code != (200 if visitor == "admin" else 404):
            wrong.append(f"{visitor}: got {response.status_code}")
    assert not wrong, f"{url}: " + "; ".join(wrong)


# --- Two-factor sign-in (ADR 0015): signed in with a password only, nobody but a student gets past set-up. ---

# Pages a person who has not entered a code may still open.
OPEN_BEFORE_SECOND_FACTOR = {
    "home",
    "accessibility",
    "privacy",
    "cookies",
    "healthz",
    "health",
    "health-beat",
    "accounts:login",
    "accounts:logout",
    "accounts:second_factor:verify",
    "accounts:second_factor:set-up",
}


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", ["tutor", "coordinator", "admin", "staff", "partner"])
def test_unverified_staff_reach_none_of_the_pages_beyond_set_up(client, personas, visitor):
    from django.contrib import admin

    from placements.admin import coordinator_site

    client.force_login(personas[visitor], second_factor=False)
    set_up = reverse("accounts:second_factor:set-up")
    wrong = []
    urls = [
        reverse(name, kwargs=kwargs) for name, (kwargs, _) in EXPECTED.items() if name not in OPEN_BEFORE_SECOND_FACTOR
    ]
    urls += list(_admin_pages(admin.site)) + list(_admin_pages(coordinator_site))
    for url in sorted(set(urls)):
        for method in (client.get, client.post):
            response = method(url)
            if not (response.status_code == 302 and response.url.split("?")[0] == set_up):
                wrong.append(f"{method.__name__.upper()} {url}: got {response.status_code}")
    assert not wrong, "\n".join(wrong)
