import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from placements.models import Application, Endorsement, WideningParticipation
from placements.services import endorsements
from placements.workflow import Status
from tests.factories import PlacementFactory, RoundFactory, StudentFactory
from tests.placements.helpers import make_application


@pytest.fixture
def students(college, other_college):
    round_ = RoundFactory()
    mine = [
        make_application(
            StudentFactory(organisation=college),
            round_=round_,
            last_name=f"Mine{n}",
            occupational_health_notes="Latex allergy",
        )
        for n in range(3)
    ]
    theirs = make_application(StudentFactory(organisation=other_college), round_=round_, last_name="Theirs")
    WideningParticipation.objects.filter(application=mine[0]).update(care_experienced="yes")
    return mine, theirs


@pytest.mark.django_db
def test_tutor_sees_only_their_college_without_sensitive_answers(client, tutor, students):
    mine, theirs = students
    client.force_login(tutor)
    page = client.get(reverse("placements:tutor-home")).content.decode()
    assert all(a.last_name in page for a in mine) and "Theirs" not in page
    assert "Latex allergy" not in page and "care_experienced" not in page and "been in care" not in page
    assert client.get(reverse("placements:tutor-endorse", args=[theirs.pk])).status_code == 404


@pytest.mark.django_db
def test_export_contains_exactly_the_visible_rows_and_escapes_formulae(client, tutor, students):
    mine, _ = students
    Application.objects.filter(pk=mine[1].pk).update(first_name="=HYPERLINK(1)")
    client.force_login(tutor)
    rows = list(csv.reader(io.StringIO(client.get(reverse("placements:tutor-export")).getvalue().decode())))
    assert rows[0][0] == "Reference" and len(rows) == 1 + len(mine)
    assert {row[2] for row in rows[1:]} == {a.last_name for a in mine}
    assert "'=HYPERLINK(1)" in {row[1] for row in rows[1:]}
    filtered = list(
        csv.reader(io.StringIO(client.get(reverse("placements:tutor-export"), {"q": "Mine2"}).getvalue().decode()))
    )
    assert len(filtered) == 2 and "Latex allergy" not in str(filtered)


@pytest.mark.django_db
def test_tutor_endorses_and_the_flags_filters_work(client, tutor, students):
    mine, _ = students
    Application.objects.filter(pk__in=[a.pk for a in mine]).update(status=Status.READY_FOR_MATCHING)
    client.force_login(tutor)
    assert client.post(reverse("placements:tutor-endorse", args=[mine[0].pk]), {}).status_code == 200
    client.post(reverse("placements:tutor-endorse", args=[mine[0].pk]), {"strength": "3", "note": "Keen"})
    endorsement = Endorsement.objects.get(application=mine[0])
    assert endorsement.strength == 3 and endorsement.tutor == tutor
    needing = client.get(reverse("placements:tutor-home"), {"needs": "endorsement"})
    assert {a.pk for a in needing.context["page"]} == {mine[1].pk, mine[2].pk}
    Application.objects.filter(pk=mine[1].pk).update(status=Status.OFFERED)
    PlacementFactory(application=mine[1], offer_expires_at=timezone.now() + timedelta(hours=20))
    expiring = client.get(reverse("placements:tutor-home"), {"needs": "expiring"})
    assert [a.pk for a in expiring.context["page"]] == [mine[1].pk]


@pytest.mark.django_db
def test_an_accepted_or_confirmed_place_is_never_flagged_as_an_offer_expiring(client, tutor, students):
    mine, _ = students
    # The offer's deadline stays on the placement after the student accepts; it no longer means anything.
    for application, status in zip(mine, (Status.OFFERED, Status.ACCEPTED, Status.CONFIRMED), strict=True):
        Application.objects.filter(pk=application.pk).update(status=status)
        PlacementFactory(application=application, offer_expires_at=timezone.now() - timedelta(days=3))
    client.force_login(tutor)

    expiring = client.get(reverse("placements:tutor-home"), {"needs": "expiring"})
    assert [a.pk for a in expiring.context["page"]] == [mine[0].pk]
    page = client.get(reverse("placements:tutor-home")).content.decode()
    assert page.count("Offer expires within 48 hours") == 1


@pytest.mark.django_db
def test_tutors_of_other_colleges_cannot_endorse(other_college_tutor, students):
    mine, _ = students
    with pytest.raises(PermissionDenied):
        endorsements.endorsement_save(actor=other_college_tutor, application=mine[0], strength=3, note="")


@pytest.mark.django_db
def test_tutor_pages_do_a_bounded_number_of_queries_with_1000_applications(
    client, tutor, college, django_assert_max_num_queries
):
    round_ = RoundFactory()
    for n in range(1000):
        student = StudentFactory(organisation=college)
        Application.objects.create(
            student=student,
            round=round_,
            reference=f"T{n}",
            college=college,
            first_name="S",
            last_name=str(n),
            status=Status.READY_FOR_MATCHING,
        )
    client.force_login(tutor)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("placements:tutor-home"), {"page": "3"})
    assert page.context["page"].paginator.count == 1000 and len(page.context["page"]) == 25
    with django_assert_max_num_queries(8):
        export = client.get(reverse("placements:tutor-export"))
        body = export.getvalue().decode()  # streamed: the queries run as the rows are read
    assert len(body.splitlines()) == 1001


@pytest.mark.django_db
def test_tutors_see_the_coded_reason_a_host_gave_to_coach_the_student(client, tutor, students):
    mine, _ = students
    PlacementFactory(
        application=mine[0],
        released_at=timezone.now(),
        host_decline_reason="requirements",
        host_decline_note="Needs a DBS check first",
        cohort__opportunity__title="Theatre week",
    )
    client.force_login(tutor)
    page = client.get(reverse("placements:tutor-home")).content.decode()
    assert 'Theatre week: the host said "Requirements not met": Needs a DBS check first' in page


@pytest.mark.django_db
def test_tutor_invites_students_from_a_csv_reporting_bad_rows_and_never_emailing_twice(client, tutor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from notifications.models import OutboundEmail

    client.force_login(tutor)
    url = reverse("placements:tutor-invite")
    content = b"email\nsam@example.test\nnot-an-email\nKim@Example.test\nsam@example.test\n\n"
    first = client.post(url, {"file": SimpleUploadedFile("students.csv", content, content_type="text/csv")})
    report = first.context["report"]
    assert sorted(report.sent) == ["kim@example.test", "sam@example.test"]
    assert [(row, why) for row, _, why in report.invalid] == [
        (3, "not an email address"),
        (5, "appears earlier in the file"),
    ]
    page = first.content.decode()
    assert "2 invitations sent" in page and "2 rows could not be used" in page and "Rows we could not use" in page
    again = client.post(url, {"file": SimpleUploadedFile("students.csv", content, content_type="text/csv")})
    assert again.context["report"].sent == [] and len(again.context["report"].already_invited) == 2
    assert "2 already invited before, not emailed again" in again.content.decode()
    emails = OutboundEmail.objects.filter(template="student_invitation")
    assert emails.count() == 2 and tutor.organisation.name in emails.first().subject
    assert "Choose a CSV file" in client.post(url, {}).content.decode()
