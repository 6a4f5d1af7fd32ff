"""CSV export and import of cohorts in the coordinator admin: own rows only, all or nothing, plain English."""

import csv
import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from config.import_storage import ImportUploadStorage
from placements.models import Cohort
from placements.resources import COLUMNS, CohortResource
from placements.templatetags.wording import day
from tests import factories

TODAY = timezone.localdate()
EXPORT_URL = reverse("coordinator:placements_cohort_export")
IMPORT_URL = reverse("coordinator:placements_cohort_import")
PROCESS_URL = reverse("coordinator:placements_cohort_process_import")


@pytest.fixture
def x(trust):
    site = factories.SiteFactory(organisation=trust, name="Denmark Hill")
    ward = factories.OpportunityFactory(site=site, title="Shadow a ward nurse")
    pharmacy = factories.OpportunityFactory(site=site, title="Pharmacy insight day")
    start = TODAY + dt.timedelta(days=30)
    return {
        "ward": ward,
        "pharmacy": pharmacy,
        "cohorts": [
            factories.CohortFactory(opportunity=ward, capacity=6, start_date=start),
            factories.CohortFactory(opportunity=ward, capacity=4, start_date=start + dt.timedelta(weeks=1)),
            factories.CohortFactory(opportunity=pharmacy, capacity=10, start_date=start),
        ],
    }


@pytest.fixture
def y(other_trust):
    opportunity = factories.OpportunityFactory(
        site=factories.SiteFactory(organisation=other_trust), title="Y radiography"
    )
    return {"opportunity": opportunity, "cohort": factories.CohortFactory(opportunity=opportunity)}


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def export_rows(client) -> list[dict]:
    response = client.post(EXPORT_URL, {"format": "0", "resource": "0"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


def to_csv(rows: list[dict], headers=COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def preview(client, content: bytes):
    upload = SimpleUploadedFile("cohorts.csv", content, content_type="text/csv")
    response = client.post(IMPORT_URL, {"format": "0", "resource": "0", "import_file": upload})
    assert response.status_code == 200
    return response


def confirm(client, preview_response):
    form = preview_response.context["confirm_form"]
    assert form is not None, "the preview should have offered to confirm"
    return client.post(PROCESS_URL, {name: form.initial.get(name, "") for name in form.fields})


def forge_confirm(client, content: bytes):
    """Post the confirm step directly, as if the preview had offered it: the import must still refuse."""
    storage = ImportUploadStorage(encoding="utf-8-sig", read_mode="r")
    storage.save(content)
    return client.post(
        PROCESS_URL,
        {"import_file_name": storage.name, "original_file_name": "cohorts.csv", "format": "0", "resource": "0"},
    )


def snapshot():
    return list(
        Cohort.objects.order_by("pk").values_list(
            "pk", "opportunity_id", "start_date", "end_date", "capacity", "booked", "application_deadline"
        )
    )


def row_for(cohort, **changes):
    row = {
        "cohort_id": cohort.pk,
        "opportunity_id": cohort.opportunity_id,
        "start_date": cohort.start_date.isoformat(),
        "end_date": cohort.end_date.isoformat(),
        "places": cohort.capacity,
        "application_deadline": cohort.application_deadline.isoformat(),
    }
    return {**row, **changes}


# --- Export -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_has_the_documented_columns_and_only_own_rows(coordinator_client, x, y):
    rows = export_rows(coordinator_client)
    assert list(rows[0].keys()) == COLUMNS
    assert sorted(int(r["cohort_id"]) for r in rows) == sorted(c.pk for c in x["cohorts"])
    first = next(r for r in rows if int(r["cohort_id"]) == x["cohorts"][0].pk)
    assert first == {
        "cohort_id": str(x["cohorts"][0].pk),
        "opportunity_id": str(x["ward"].pk),
        "opportunity_title": "Shadow a ward nurse",
        "site": "Denmark Hill",
        "start_date": day(x["cohorts"][0].start_date),  # readable: 15 March 2027
        "end_date": day(x["cohorts"][0].end_date),  # readable: 15 March 2027
        "places": "6",
        "booked": "0",
        "application_deadline": day(x["cohorts"][0].application_deadline),  # readable: 15 March 2027
    }


@pytest.mark.django_db
def test_other_trust_coordinators_export_contains_none_of_trust_xs_rows(client, other_trust_coordinator, x, y):
    client.force_login(other_trust_coordinator)
    rows = export_rows(client)
    assert [int(r["cohort_id"]) for r in rows] == [y["cohort"].pk]
    assert "Shadow a ward nurse" not in str(rows)


@pytest.mark.django_db
def test_resource_without_a_person_exports_nothing(x):
    assert len(CohortResource().export()) == 0


@pytest.mark.django_db
def test_export_escapes_spreadsheet_formulae(coordinator_client, x):
    x["ward"].title = '=HYPERLINK("http://evil.example","Click")'
    x["ward"].save()
    rows = export_rows(coordinator_client)
    titles = {r["opportunity_title"] for r in rows}
    assert '\'=HYPERLINK("http://evil.example","Click")' in titles
    assert not any(title.startswith(("=", "+", "-", "@")) for title in titles)


# --- Import: the happy paths -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_round_trip_of_an_unchanged_export_changes_nothing(coordinator_client, x):
    before = snapshot()
    history_before = Cohort.history.count()
    content = to_csv(export_rows(coordinator_client))
    result = preview(coordinator_client, content).context["result"]
    assert result.totals["skip"] == 3 and result.totals["update"] == 0 and result.totals["new"] == 0
    response = confirm(coordinator_client, preview(coordinator_client, content))
    assert response.status_code == 302
    assert snapshot() == before
    assert Cohort.history.count() == history_before


@pytest.mark.django_db
def test_changing_places_in_the_file_updates_them(coordinator_client, coordinator, x):
    rows = export_rows(coordinator_client)
    target = x["cohorts"][1]
    for row in rows:
        if int(row["cohort_id"]) == target.pk:
            row["places"] = "9"
    page = preview(coordinator_client, to_csv(rows))
    assert page.context["result"].totals["update"] == 1
    response = confirm(coordinator_client, page)
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.capacity == 9
    assert target.history.latest().history_user == coordinator
    assert [c.capacity for c in Cohort.objects.exclude(pk=target.pk).order_by("pk")] == [6, 10]


@pytest.mark.django_db
def test_changing_dates_in_the_file_updates_them_and_keeps_bookings(coordinator_client, x):
    target = x["cohorts"][0]
    Cohort.objects.filter(pk=target.pk).update(booked=2)
    new_end = target.end_date + dt.timedelta(days=1)
    confirm(coordinator_client, preview(coordinator_client, to_csv([row_for(target, end_date=new_end.isoformat())])))
    target.refresh_from_db()
    assert (target.end_date, target.booked, target.capacity) == (new_end, 2, 6)


@pytest.mark.django_db
def test_row_with_blank_cohort_id_adds_new_dates(coordinator_client, x):
    start = TODAY + dt.timedelta(days=90)
    row = {
        "cohort_id": "",
        "opportunity_id": x["pharmacy"].pk,
        "start_date": start.isoformat(),
        "end_date": (start + dt.timedelta(days=2)).isoformat(),
        "places": "3",
        "application_deadline": (start - dt.timedelta(days=14)).isoformat(),
    }
    confirm(coordinator_client, preview(coordinator_client, to_csv([row])))
    created = x["pharmacy"].cohorts.get(start_date=start)
    assert (created.capacity, created.booked) == (3, 0)


@pytest.mark.django_db
def test_headings_are_forgiving_about_case_and_spaces_and_blank_lines(coordinator_client, x):
    target = x["cohorts"][0]
    content = to_csv([row_for(target, places=7)]).decode()
    content = content.replace("cohort_id,", " Cohort_ID ,", 1) + "\r\n,,,,,,,,\r\n"
    confirm(coordinator_client, preview(coordinator_client, content.encode()))
    target.refresh_from_db()
    assert target.capacity == 7


# --- Import: every problem is a row error, and nothing is imported -------------------------------------------------


def bad_cases(x, y):
    ward, cohort = x["ward"], x["cohorts"][0]
    return {
        "unknown opportunity": (row_for(cohort, opportunity_id=999999), "Opportunity 999999 is not one of yours."),
        "another trust's opportunity": (
            row_for(cohort, opportunity_id=y["opportunity"].pk),
            f"Opportunity {y['opportunity'].pk} is not one of yours.",
        ),
        "opportunity not a number": (
            row_for(cohort, opportunity_id="ward"),
            "The opportunity ID must be a whole number, like 123, not “ward”.",
        ),
        "another trust's cohort": (
            row_for(y["cohort"], opportunity_id=ward.pk),
            f"Cohort {y['cohort'].pk} is not one of yours. Leave it blank to add new dates.",
        ),
        "date in the wrong format": (
            row_for(cohort, start_date="15/03/2027"),
            "Enter the start date like 15 March 2027 or 2027-03-15, not “15/03/2027”.",
        ),
        "missing date": (
            row_for(cohort, application_deadline=""),
            "Enter the application deadline, for example 15 March 2027 or 2027-03-15.",
        ),
        "end before start": (
            row_for(cohort, end_date=(cohort.start_date - dt.timedelta(days=1)).isoformat()),
            "The end date must be the same as or after the start date.",
        ),
        "places below booked": (
            row_for(x["cohorts"][2], places=2),
            "3 places are already booked. Places cannot be fewer than 3.",
        ),
        "places not a number": (
            row_for(cohort, places="ten"),
            "Places must be a whole number from 0 to 500, not “ten”.",
        ),
        "negative places": (row_for(cohort, places="-1"), "Places must be a whole number from 0 to 500, not “-1”."),
        "too many places": (row_for(cohort, places="501"), "Places must be 500 or fewer."),
    }


CASES = [
    "unknown opportunity",
    "another trust's opportunity",
    "opportunity not a number",
    "another trust's cohort",
    "date in the wrong format",
    "missing date",
    "end before start",
    "places below booked",
    "places not a number",
    "negative places",
    "too many places",
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_one_bad_row_is_reported_and_nothing_is_imported(coordinator_client, x, y, case):
    Cohort.objects.filter(pk=x["cohorts"][2].pk).update(booked=3)
    bad_row, message = bad_cases(x, y)[case]
    good_row = row_for(x["cohorts"][1], places=8)
    content = to_csv([good_row, bad_row])
    before = snapshot()

    page = preview(coordinator_client, content)
    assert page.context.get("confirm_form") is None
    assert message in page.content.decode().replace("&#x27;", "'")
    invalid = page.context["result"].invalid_rows
    assert [row.number for row in invalid] == [2]
    assert snapshot() == before

    forged = forge_confirm(coordinator_client, content)
    assert forged.status_code == 302
    assert snapshot() == before, "a forged confirm must import nothing either"


@pytest.mark.django_db
def test_errors_name_the_csv_column_not_the_database_field(coordinator_client, x):
    page = preview(coordinator_client, to_csv([row_for(x["cohorts"][0], places="ten")]))
    assert list(page.context["result"].invalid_rows[0].field_specific_errors) == ["places"]


@pytest.mark.django_db
def test_wrong_headings_are_explained_and_nothing_is_imported(coordinator_client, x):
    rows = [{"id": c.pk, "capacity": 1} for c in x["cohorts"]]
    content = to_csv(rows, headers=["id", "capacity"])
    before = snapshot()
    page = preview(coordinator_client, content)
    assert page.context.get("confirm_form") is None
    text = page.content.decode()
    assert (
        "The first row of the file must be the column headings: cohort_id, opportunity_id, opportunity_title, "
        "site, start_date, end_date, places, booked, application_deadline."
    ) in text
    assert "Missing: cohort_id, opportunity_id, start_date, end_date, places, application_deadline." in text
    assert "Not recognised: id, capacity." in text
    assert "Traceback" not in text
    forge_confirm(coordinator_client, content)
    assert snapshot() == before


@pytest.mark.django_db
def test_a_forged_confirm_says_nothing_was_imported(coordinator_client, x):
    response = forge_confirm(coordinator_client, to_csv([row_for(x["cohorts"][0], places="ten")]))
    assert response.url == IMPORT_URL
    page = coordinator_client.get(response.url)
    assert "Nothing was imported because the file has errors." in page.content.decode()


@pytest.mark.django_db
def test_other_trust_coordinator_cannot_change_trust_xs_cohorts_by_import(client, other_trust_coordinator, x, y):
    client.force_login(other_trust_coordinator)
    before = snapshot()
    content = to_csv([row_for(x["cohorts"][0], opportunity_id=y["opportunity"].pk, places=1)])
    page = preview(client, content)
    assert page.context.get("confirm_form") is None
    forge_confirm(client, content)
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["student", "tutor", "site_admin"])
def test_only_coordinators_reach_import_and_export(client, request, persona, x):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(EXPORT_URL, {"format": "0", "resource": "0"}).status_code == 404
    assert client.get(IMPORT_URL).status_code == 404
    assert client.post(PROCESS_URL, {}).status_code == 404


@pytest.mark.django_db
def test_an_export_with_readable_dates_imports_unchanged_and_iso_dates_still_import(coordinator_client, x):
    rows = export_rows(coordinator_client)
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", row["start_date"]) for row in rows)
    before = snapshot()
    for row in rows:  # people also type short months and ISO dates; both mean the same day
        row["end_date"] = dt.datetime.strptime(row["end_date"], "%d %B %Y").date().isoformat()
        row["application_deadline"] = dt.datetime.strptime(row["application_deadline"], "%d %B %Y").strftime("%d %b %Y")
    result = preview(coordinator_client, to_csv(rows)).context["result"]
    assert result.totals["skip"] == 3 and not result.has_errors()
    assert snapshot() == before
