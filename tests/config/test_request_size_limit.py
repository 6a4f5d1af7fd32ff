"""PENTEST: Django streams uploaded files to disk whatever their size, and the CSRF check and the sign-in lockout
read the body of any POST. A request body over ``REQUEST_BODY_MAX_BYTES`` is refused before anything reads it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from placements.resources import max_bytes

TOO_BIG = 6_000_000  # over the 5 MB default


@pytest.fixture
def no_file_is_written(monkeypatch):
    """Fail if Django starts writing an uploaded file anywhere: a refused body is never read."""
    from django.core.files import uploadhandler

    def refuse(*args, **kwargs):
        raise AssertionError("an uploaded file was read although the request was too big")

    monkeypatch.setattr(uploadhandler.MemoryFileUploadHandler, "new_file", refuse)
    monkeypatch.setattr(uploadhandler.TemporaryFileUploadHandler, "new_file", refuse)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["accounts:login", "accounts:signup", "accounts:password-reset", "home"])
def test_a_stranger_cannot_make_the_server_store_a_huge_upload(client, url_name, no_file_is_written):
    upload = SimpleUploadedFile("big.bin", b"A" * TOO_BIG)
    response = client.post(reverse(url_name), {"username": "someone@example.test", "file": upload})
    assert response.status_code == 413
    text = response.content.decode()
    assert "The file you sent is too big" in text
    assert "We can only accept 5 MB at a time" in text
    assert "Permissions-Policy" in response


@pytest.mark.django_db
def test_a_signed_in_tutor_uploading_a_huge_file_gets_the_same_page(client, tutor, no_file_is_written):
    client.force_login(tutor)
    upload = SimpleUploadedFile("students.csv", b"a@example.test\n" * (TOO_BIG // 15 + 1))
    response = client.post(reverse("placements:tutor-invite"), {"file": upload})
    assert response.status_code == 413


@pytest.mark.django_db
def test_a_file_just_over_an_upload_limit_still_gets_that_forms_own_message(client, tutor):
    """The limit sits above every upload the portal takes, so their friendlier messages still show."""
    client.force_login(tutor)
    upload = SimpleUploadedFile("students.csv", b"a@example.test\n" * 80_000)  # 1.2 MB
    response = client.post(reverse("placements:tutor-invite"), {"file": upload})
    assert response.status_code == 200
    assert "The file must be smaller than 1 MB" in response.content.decode()


def test_the_limit_is_above_every_upload_the_portal_accepts(settings):
    margin = 100_000  # the multipart envelope and the form's other fields
    assert settings.REQUEST_BODY_MAX_BYTES > max_bytes() + margin
    assert settings.REQUEST_BODY_MAX_BYTES > 1024 * 1024 + margin
    middleware = settings.MIDDLEWARE
    assert middleware.index("config.middleware.RequestSizeLimitMiddleware") < middleware.index(
        "django.middleware.csrf.CsrfViewMiddleware"
    )


@pytest.mark.django_db
def test_ordinary_posts_are_untouched(client):
    response = client.post(reverse("accounts:login"), {"username": "nobody@example.test", "password": "wrong"})
    assert response.status_code == 200
