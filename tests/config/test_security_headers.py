"""Every page sends a restrictive Permissions-Policy, and no page showing personal data may be stored.

Walks the same URL list as tests/test_url_permissions.py, as every kind of visitor, so a new page is covered
the day it gets its access expectation.
"""

import pytest
from django.urls import reverse

from config.middleware import PUBLIC_PAGES
from tests.test_url_permissions import EXPECTED, VISITORS


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
def test_every_page_but_public_ones_for_visitors_is_never_stored(client, personas, visitor):
    if visitor != "anonymous":
        client.force_login(personas[visitor])
    wrong = []
    for name, (kwargs, _) in sorted(EXPECTED.items()):
        response = client.get(reverse(name, kwargs=kwargs))
        private = visitor != "anonymous" or name not in PUBLIC_PAGES
        if private and not (_no_store(response) and "private" in response["Cache-Control"]):
            wrong.append(f"{name}: Cache-Control {response.get('Cache-Control')!r} for {visitor}")
        if not private and _no_store(response):
            wrong.append(f"{name}: public page marked no-store for {visitor}")
        if "camera=()" not in response.get("Permissions-Policy", ""):
            wrong.append(f"{name}: Permissions-Policy {response.get('Permissions-Policy')!r} for {visitor}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/my-data/", "/my-application/", "/host/", "/tutor/", "/accounts/", "/admin/", "/coordinator/"],
)
def test_the_pages_named_in_the_report_are_never_stored_when_signed_in(client, personas, path):
    who = {
        "/my-data/": "student",
        "/my-application/": "student",
        "/host/": "coordinator",
        "/coordinator/": "coordinator",
        "/tutor/": "tutor",
    }
    client.force_login(personas[who.get(path, "admin")])
    response = client.get(path)
    assert response.status_code in (200, 302)
    assert _no_store(response), response.get("Cache-Control")


@pytest.mark.django_db
def test_a_private_link_opened_while_signed_out_is_never_stored(client):
    # A guardian's consent link, a password reset link, a staff invitation: personal, and nobody is signed in.
    for name, kwargs in [
        ("placements:guardian-consent", {"token": "anything"}),
        ("accounts:password-reset-confirm", {"uidb64": "MQ", "token": "x"}),
        ("accounts:invitation-accept", {"token": "x"}),
        ("accounts:signup-done", {}),
    ]:
        assert _no_store(client.get(reverse(name, kwargs=kwargs))), name


@pytest.mark.django_db
def test_unknown_pages_and_downloads_carry_the_headers_too(client, student):
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and _no_store(missing) and "geolocation=()" in missing["Permissions-Policy"]
    client.force_login(student)
    download = client.get(reverse("placements:data-export"))
    assert download.status_code == 200 and _no_store(download)


def test_the_policy_denies_every_powerful_feature(settings):
    from config.middleware import permissions_policy_header

    header = permissions_policy_header(settings.PERMISSIONS_POLICY)
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header
    assert "*" not in header and "self" not in header
