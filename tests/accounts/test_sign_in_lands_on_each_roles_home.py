"""After signing in, each role lands on its own home page; a safe ?next= wins, an unsafe one is ignored."""

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, AdminFactory, CoordinatorFactory, StudentFactory, TutorFactory
from tests.two_factor import complete_second_factor

LOGIN = reverse("accounts:login")


def _sign_in(client, user, next_url=None):
    url = LOGIN if next_url is None else f"{LOGIN}?next={next_url}"
    return client.post(url, {"username": user.email, "password": TEST_PASSWORD})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "home"),
    [
        (StudentFactory, "/my-application/"),
        (TutorFactory, "/tutor/"),
        (CoordinatorFactory, "/host/"),
        (AdminFactory, "/admin/"),
    ],
)
def test_each_role_lands_on_its_home_after_signing_in(client, factory, home):
    user = factory()
    response = _sign_in(client, user)
    assert response.status_code == 302 and response.url == home
    complete_second_factor(client, user)  # staff: the code from their app first (ADR 0015)
    # And the page is really there for them (not a 404 or another sign-in).
    assert client.get(response.url).status_code == 200


@pytest.mark.django_db
def test_a_safe_next_is_honoured(client):
    response = _sign_in(client, StudentFactory(), next_url="/opportunities/?area=nursing")
    assert response.url == "/opportunities/?area=nursing"


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_an_unsafe_next_is_ignored_for_the_role_home(client, next_url):
    response = _sign_in(client, StudentFactory(), next_url=next_url)
    assert response.url == "/my-application/"


@pytest.mark.django_db
def test_a_signed_in_student_opening_sign_in_goes_to_their_application(client):
    student = StudentFactory()
    client.force_login(student)
    response = client.get(LOGIN)
    assert response.status_code == 302 and response.url == "/my-application/"
