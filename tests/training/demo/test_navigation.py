"""The menu follows the kind of organisation: a college's coordinators reach its simulation suite, an NHS trust's
or care provider's coordinators book training, staff reach their own training; everyone keeps what they had."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from accounts.context_processors import navigation

PLACEMENTS = [("Placements", "placements:coordinator-home"), ("Manage capacity", "coordinator:index")]
# An employer's coordinators book training and (step 10) read their staff's digital skills.
EMPLOYER = [("Book training", "training:employer-home"), ("Digital skills", "skills:employer-dashboard")]
AFTER = [("Invitations", "accounts:invitation-list"), ("My account", "accounts:home")]
EXPECTED = {
    "college_coordinator": [*PLACEMENTS, ("Simulation suite", "training:college-home"), *AFTER],
    "coordinator": [*PLACEMENTS, *EMPLOYER, *AFTER],
    "care_provider_coordinator": [*PLACEMENTS, *EMPLOYER, *AFTER],
    "staff_member": [
        ("Training and skills", "accounts:staff-home"),
        ("My training", "training:my-training"),
        ("My account", "accounts:home"),
    ],
    "care_staff_member": [
        ("Training and skills", "accounts:staff-home"),
        ("My training", "training:my-training"),
        ("My account", "accounts:home"),
    ],
    "student": [
        ("Find a placement", "placements:opportunity-list"),
        ("My application", "placements:student-home"),
        ("My account", "accounts:home"),
    ],
    "tutor": [("My students", "placements:tutor-home"), ("My account", "accounts:home")],
    "partner": [("Planning reports", "insights:summary"), ("My account", "accounts:home")],
    "site_admin": [("Site admin", "admin:index"), *AFTER],
}


def _menu(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return navigation(request)["nav_items"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", list(EXPECTED))
def test_each_role_and_kind_of_organisation_sees_its_own_menu(request, persona):
    user = request.getfixturevalue(persona)
    menu = _menu(user)
    assert [(item["label"], item["url"]) for item in menu] == [
        (label, reverse(name)) for label, name in EXPECTED[persona]
    ]


@pytest.mark.django_db
def test_anonymous_visitors_see_only_the_placement_finder():
    assert [item["label"] for item in _menu(AnonymousUser())] == ["Find a placement"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "name", "label"),
    [
        ("college_coordinator", "training:college-sessions", "Simulation suite"),
        ("care_provider_coordinator", "training:employer-record", "Book training"),
        ("staff_member", "training:my-training", "My training"),
    ],
)
def test_a_training_page_marks_its_menu_item_as_current(request, persona, name, label):
    menu = _menu(request.getfixturevalue(persona), reverse(name))
    assert [item["label"] for item in menu if item["active"]] == [label]


@pytest.mark.django_db
def test_a_college_coordinator_is_not_offered_booking_and_an_employer_is_not_offered_a_suite(
    college_coordinator, coordinator
):
    assert "Book training" not in [item["label"] for item in _menu(college_coordinator)]
    assert "Simulation suite" not in [item["label"] for item in _menu(coordinator)]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["college_coordinator", "care_provider_coordinator", "staff_member"])
def test_the_menu_is_on_the_page_and_costs_no_query(client, request, persona, django_assert_num_queries):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    page = client.get(reverse("accounts:home"))
    assert page.status_code == 200
    nav = re.search(r'<nav class="nhsuk-header__navigation".*?</nav>', page.content.decode(), re.S).group(0)
    links = re.findall(r'<a class="nhsuk-header__navigation-link" href="([^"]+)"[^>]*>(?:<strong[^>]*>)?([^<]+)<', nav)
    assert links == [(reverse(name), label) for label, name in EXPECTED[persona]]
    with django_assert_num_queries(0):
        _menu(user)
