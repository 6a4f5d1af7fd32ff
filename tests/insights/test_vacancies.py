"""Vacancy files: the example imports; a bad file imports nothing and names every bad line."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from insights.geography import DATA
from insights.models import Vacancy, VacancyUpload
from insights.services.vacancies import VacancyFileError, vacancies_import

HEADER = "period,region,icb,organisation_code,organisation_name,staff_group,vacancies_fte\n"
GOOD = "2026-09,London,South East London,RJ1,Guy's and St Thomas',Registered nurses,120.5\n"


def test_the_example_file_imports_and_maps_staff_groups_to_professions(partner):
    result = vacancies_import(actor=partner, content=(DATA / "example-vacancies.csv").read_bytes(), sector="nhs")
    assert result.rows == 12 and Vacancy.objects.count() == 12
    assert set(Vacancy.objects.values_list("profession_area", flat=True)) >= {"nursing", "midwifery", "paramedic"}
    # The same file again replaces its months: still one set of figures.
    vacancies_import(actor=partner, content=(DATA / "example-vacancies.csv").read_bytes(), sector="nhs")
    assert Vacancy.objects.count() == 12 and VacancyUpload.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (HEADER + GOOD + '2026-09,London,South East London,RJ1,"=HYPERLINK(""x"")",Registered nurses,1\n', "Line 3"),
        (HEADER + GOOD + "2026-09,London,South East London,RJ1,Trust,Registered nurses,-5\n", "Line 3"),
        (HEADER + GOOD + "2026-09,London,South East London,RJ1,Trust,Registered nurses,lots\n", "vacancies_fte"),
        (HEADER + GOOD + "2026-09,London,South East London,RJ1,Trust,Astronauts,3\n", "Astronauts"),
        (HEADER + GOOD + "2026-09,London,Mars,RJ1,Trust,Registered nurses,3\n", "Mars"),
        (HEADER + GOOD + "13/2026,London,South East London,RJ1,Trust,Registered nurses,3\n", "period"),
        (HEADER + GOOD + "2026-09,London,South East London,RJ1,,Registered nurses,3\n", "organisation_name is empty"),
        (HEADER + GOOD + "2026-09,London,South East London,RJ1,Trust,Registered nurses,9999999999\n", "Line 3"),
        ("period,icb\n" + GOOD, "first row must be the column headings"),
        (HEADER, "no rows"),
        ("", "no rows"),
    ],
)
def test_a_bad_file_imports_nothing_and_says_which_line(partner, content, expected):
    with pytest.raises(VacancyFileError) as error:
        vacancies_import(actor=partner, content=content.encode(), sector="nhs")
    assert expected in " ".join(error.value.messages)
    assert not Vacancy.objects.exists() and not VacancyUpload.objects.exists()


def test_files_too_big_too_long_or_not_text_are_refused(partner, settings):
    settings.INSIGHTS_VACANCY_MAX_ROWS = 2
    with pytest.raises(VacancyFileError, match="more than 2 rows"):
        vacancies_import(actor=partner, content=(HEADER + GOOD * 3).encode(), sector="nhs")
    settings.INSIGHTS_VACANCY_MAX_BYTES = 50
    with pytest.raises(VacancyFileError, match="bigger than"):
        vacancies_import(actor=partner, content=(HEADER + GOOD).encode(), sector="nhs")
    settings.INSIGHTS_VACANCY_MAX_BYTES = 10_000
    with pytest.raises(VacancyFileError, match="UTF-8"):
        vacancies_import(actor=partner, content=b"\xff\xfe" + "période".encode("utf-16"), sector="nhs")
    with pytest.raises(VacancyFileError):
        vacancies_import(actor=partner, content=(HEADER + GOOD).encode(), sector="space")


def test_only_partners_admins_and_employers_coordinators_import(student, tutor, college_coordinator, coordinator):
    for person in (student, tutor, college_coordinator):
        with pytest.raises(PermissionDenied):
            vacancies_import(actor=person, content=(HEADER + GOOD).encode(), sector="nhs")
    assert vacancies_import(actor=coordinator, content=(HEADER + GOOD).encode(), sector="nhs").rows == 1


def test_the_upload_page_imports_a_good_file_and_lists_a_bad_files_lines(client, partner):
    client.force_login(partner)
    url = reverse("insights:vacancy-upload")
    bad = SimpleUploadedFile("v.csv", (HEADER + GOOD + "x,London,Mars,,T,Astronauts,-1\n").encode(), "text/csv")
    response = client.post(url, {"sector": "nhs", "file": bad})
    assert response.status_code == 200 and "Line 3" in response.content.decode()
    assert not Vacancy.objects.exists()
    good = SimpleUploadedFile("v.csv", (HEADER + GOOD).encode(), "text/csv")
    response = client.post(url, {"sector": "nhs", "file": good}, follow=True)
    assert "1 rows of vacancy figures imported for September 2026" in response.content.decode()
    # Missing fields and a sector that does not exist are messages on the form, never a 500.
    for data in ({}, {"sector": "space"}, {"sector": "nhs"}):
        assert client.post(url, data).status_code == 200


def test_a_site_admin_takes_a_snapshot_now_and_the_job_runs_after_commit(
    client, site_admin, partner, world, django_capture_on_commit_callbacks, monkeypatch
):
    from insights.models import Snapshot
    from insights.services import snapshots

    started = []
    monkeypatch.setattr(snapshots, "enqueue", lambda name, *args: started.append((name, *args)))
    client.force_login(site_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("insights:snapshots"), follow=True)
    assert "A snapshot is being taken" in response.content.decode()
    snapshot = Snapshot.objects.get()
    assert started == [("insights.tasks.take_snapshot_task", snapshot.pk)]
    # Asking again while it waits is refused with a message.
    response = client.post(reverse("insights:snapshots"), follow=True)
    assert "already being taken" in response.content.decode() and Snapshot.objects.count() == 1
    from insights.tasks import take_snapshot_task

    assert take_snapshot_task(snapshot.pk) == snapshot.pk
    assert take_snapshot_task(snapshot.pk) is None  # a repeat claims nothing
    snapshot.refresh_from_db()
    assert snapshot.status == "succeeded" and snapshot.taken_by == site_admin
    client.force_login(partner)
    assert client.post(reverse("insights:snapshots")).status_code == 404
    with pytest.raises(PermissionDenied):
        snapshots.snapshot_request(actor=partner)
