"""Dates, times and distances read as a person writes them in pages, emails, the certificate and CSV exports;
emails name who to write to; students never meet the jargon "widening participation"."""

import csv
import datetime as dt
import io
import re
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from placements.models import Application, Placement, RoutedPreference
from placements.workflow import Status
from tests.factories import CohortFactory, PlacementFactory
from tests.placements.helpers import make_application

EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"
EMAIL_NAMES = sorted(p.name for p in EMAILS.iterdir() if (p / "subject.txt").exists())
LONDON = ZoneInfo("Europe/London")


def _render(name: str, part: str, **context) -> str:
    context = {"support_email": settings.SUPPORT_EMAIL, "site_url": "http://testserver", **context}
    return get_template(f"emails/{name}/{part}").template.render(Context(context, autoescape=part.endswith(".html")))


@pytest.mark.parametrize("name", EMAIL_NAMES)
@pytest.mark.parametrize("part", ["body.txt", "body.html"])
def test_every_email_names_where_to_write_and_never_says_reply_to_an_unnamed_person(name, part):
    text = " ".join(_render(name, part, **_offer_context()).split())
    assert settings.SUPPORT_EMAIL in text, f"{name}/{part} gives no address to write to"
    for vague in (
        "reply to your college tutor",
        "the coordinator named in your account",
        "ask your college tutor",
        "tell your tutor straight away",
        "contact us straight away",
    ):
        assert vague not in text.lower(), f"{name}/{part}: '{vague}' names nobody"
    assert re.sub(r"do not reply to this email", "", text, flags=re.I).lower().count("reply to") == 0


@pytest.mark.parametrize("name", [n for n in EMAIL_NAMES if n.startswith(("student_", "guardian_"))])
def test_emails_to_students_and_parents_avoid_jargon(name):
    for part in ("subject.txt", "body.txt", "body.html"):
        assert "widening participation" not in _render(name, part, **_offer_context()).lower()


def _offer_context():
    cohort = SimpleNamespace(start_date=dt.date(2027, 1, 4), end_date=dt.date(2027, 1, 4))
    return {
        "application": SimpleNamespace(first_name="Sam", reference="WE27-ABCDEF", status="offered"),
        "cohort": cohort,
        "opportunity": SimpleNamespace(title="Ward day", organisation=SimpleNamespace(name="Trust X")),
        "placement": SimpleNamespace(offer_expires_at=dt.datetime(2027, 1, 1, 8, 50, tzinfo=LONDON)),
    }


@pytest.mark.parametrize("name", ["student_offer_made", "student_offer_expiring", "student_offer_expired"])
def test_offer_emails_write_one_day_as_one_date_and_times_without_dots(name):
    text = _render(name, "subject.txt", **_offer_context()) + _render(name, "body.txt", **_offer_context())
    assert "4 January 2027" in text and "4 January to" not in text and "Jan" not in text.replace("January", "")
    assert "8:50am" in text and "a.m." not in text and ".." not in text


@pytest.mark.django_db
def test_the_offer_on_the_students_page_has_a_readable_deadline_and_one_full_stop(client, student):
    application = make_application(student)
    Application.objects.filter(pk=application.pk).update(status=Status.OFFERED)
    cohort = CohortFactory(start_date=dt.date(2027, 1, 4), end_date=dt.date(2027, 1, 4))
    PlacementFactory(
        application=application, cohort=cohort, offer_expires_at=dt.datetime(2027, 1, 1, 8, 50, tzinfo=LONDON)
    )
    client.force_login(student)
    page = client.get(reverse("placements:student-home")).content.decode()
    assert "Accept or decline by <strong>8:50am on Friday 1 January 2027</strong>. After that" in page
    assert "<p>Monday 4 January 2027</p>" in page
    assert "a.m." not in page and "Jan to" not in page


@pytest.mark.django_db
def test_a_routed_placement_next_door_is_less_than_1_km_away(client, student):
    application = make_application(student)
    Application.objects.filter(pk=application.pk).update(status=Status.READY_FOR_MATCHING)
    cohort = CohortFactory(start_date=dt.date(2027, 1, 30), end_date=dt.date(2027, 2, 3))
    RoutedPreference.objects.create(application=application, cohort=cohort, rank=1, source="routed", distance_km=0.3)
    client.force_login(student)
    page = client.get(reverse("placements:student-home")).content.decode()
    assert "(less than 1 km from home)" in page and "about 0 km" not in page
    assert "30 January to 3 February 2027" in page


@pytest.mark.django_db
def test_a_one_day_cohort_is_one_date_on_the_placement_page(client):
    cohort = CohortFactory(start_date=dt.date(2027, 1, 4), end_date=dt.date(2027, 1, 4))
    page = client.get(reverse("placements:opportunity-detail", args=[cohort.opportunity.pk])).content.decode()
    assert "4 January 2027" in page and "4 Jan to 4 Jan" not in page


@pytest.mark.django_db
def test_the_certificate_says_on_for_a_one_day_placement(client, student):
    application = make_application(student)
    Application.objects.filter(pk=application.pk).update(status=Status.COMPLETED)
    cohort = CohortFactory(start_date=dt.date(2027, 1, 4), end_date=dt.date(2027, 1, 4))
    PlacementFactory(application=application, cohort=cohort)
    Placement.objects.update(completed_at=dt.datetime(2027, 1, 5, 9, 0, tzinfo=LONDON))
    client.force_login(student)
    page = client.get(reverse("placements:certificate")).content.decode()
    assert " on 4 January 2027." in page and "from 4 January 2027 to 4 January 2027" not in page
    assert "Issued 5 January 2027." in page


@pytest.mark.django_db
def test_the_application_form_and_privacy_notice_say_background_not_widening_participation(client, student):
    make_application(student)
    client.force_login(student)
    for url in (
        reverse("placements:application-step", kwargs={"slug": "widening-participation"}),
        reverse("placements:application-step", kwargs={"slug": "declarations"}),
        reverse("placements:application-review"),
        reverse("placements:student-home"),
        reverse("placements:how-matching-works"),
        reverse("privacy"),
    ):
        page = client.get(url).content.decode()
        assert "widening participation" not in page.lower(), url
    privacy = client.get(reverse("privacy")).content.decode()
    assert "questions about your background, used to check the scheme is fair" in privacy


@pytest.mark.django_db
def test_the_tutor_csv_export_has_readable_dates_not_iso_timestamps(client, tutor, student):
    application = make_application(
        student, available_from=dt.date(2027, 1, 4), available_to=dt.date(2027, 2, 3), college=tutor.organisation
    )
    Application.objects.filter(pk=application.pk).update(
        status=Status.READY_FOR_MATCHING, submitted_at=dt.datetime(2027, 1, 2, 8, 50, 12, 345678, tzinfo=LONDON)
    )
    client.force_login(tutor)
    response = client.get(reverse("placements:tutor-export"))
    text = response.getvalue().decode()  # streamed: read once
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    assert "4 January 2027" in text and "3 February 2027" in text and "2 January 2027, 8:50am" in text
    assert "2027-01-02" not in text and "345678" not in text
    assert timezone.is_aware(application.created_at)


@pytest.mark.django_db
def test_a_cohort_names_its_dates_as_a_person_would_in_timelines_and_lists():
    one_day = CohortFactory(opportunity__title="Ward day", start_date=dt.date(2027, 1, 4), end_date=dt.date(2027, 1, 4))
    week = CohortFactory(opportunity__title="Ward week", start_date=dt.date(2027, 1, 4), end_date=dt.date(2027, 1, 8))
    assert str(one_day) == "Ward day: 4 January 2027"
    assert str(week) == "Ward week: 4 to 8 January 2027"


@pytest.mark.django_db
def test_an_expired_offer_says_when_in_the_students_timeline(student):
    from placements.services.reminders import offer_expire

    application = make_application(student)
    Application.objects.filter(pk=application.pk).update(status=Status.OFFERED)
    placement = PlacementFactory(
        application=application, offer_expires_at=dt.datetime(2026, 1, 2, 8, 50, tzinfo=LONDON)
    )
    assert offer_expire(placement=placement)
    reason = application.status_changes.get(to_status=Status.EXPIRED).reason
    assert reason == "Offer not answered by 8:50am on Friday 2 January 2026"
