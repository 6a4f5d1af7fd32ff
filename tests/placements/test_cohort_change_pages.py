"""The coordinator admin asks before a change reaches students, then emails each; imports have limits."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboundEmail
from placements.models import Cohort, Opportunity, OpportunityStatus
from placements.resources import COLUMNS
from placements.workflow import Status
from tests import factories
from tests.placements.services.test_cohort_changes import place
from tests.placements.test_capacity_import_export import IMPORT_URL, PROCESS_URL, confirm, preview, row_for, to_csv
from tests.placements.test_coordinator_admin import admin_url, cohort_form_data, cohort_row, opportunity_form_data

TODAY = timezone.localdate()
TEMPLATE = "student_placement_changed"
CONFIRM_TITLE = "Check who this change affects"


@pytest.fixture
def round_(db):
    return factories.RoundFactory(
        placements_from=TODAY + dt.timedelta(days=28), placements_to=TODAY + dt.timedelta(days=120)
    )


@pytest.fixture
def x(trust, round_):
    site = factories.SiteFactory(organisation=trust, name="Denmark Hill")
    opportunity = factories.OpportunityFactory(site=site, title="Shadow a ward nurse")
    start = TODAY + dt.timedelta(days=42)
    cohort = factories.CohortFactory(
        opportunity=opportunity,
        start_date=start,
        end_date=start + dt.timedelta(days=4),
        application_deadline=start - dt.timedelta(days=7),
        capacity=6,
    )
    students = [place(cohort, round_, Status.CONFIRMED, "Cyra"), place(cohort, round_, Status.OFFERED, "Olu")]
    return {"opportunity": opportunity, "cohort": cohort, "students": students, "round": round_}


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def later(day: dt.date, days=7) -> str:
    return (day + dt.timedelta(days=days)).isoformat()


def repost(client, response):
    """Press the confirmation page's button: post back exactly the hidden fields it shows."""
    html = response.content.decode()
    form = html[html.index('<form method="post"') :]
    action = re.search(r'action="([^"]*)"', form).group(1).replace("&amp;", "&")
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)
    data: dict[str, list[str]] = {}
    for name, value in fields:
        if name != "csrfmiddlewaretoken":
            data.setdefault(name, []).append(value.replace("&amp;", "&"))
    return client.post(action, data)


def test_moving_a_cohorts_dates_shows_who_is_affected_and_saves_only_when_confirmed(coordinator_client, x):
    cohort = x["cohort"]
    start = cohort.start_date
    url = admin_url("cohort", "change", cohort.pk)
    data = cohort_form_data(cohort, start_date=later(cohort.start_date), end_date=later(cohort.end_date))

    response = coordinator_client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert CONFIRM_TITLE in page
    assert "Cyra Doe" in page and "Confirmed" in page
    assert "Olu Doe" in page and "Offered" in page
    assert "Save and email 2 students" in page
    # Name and status only: nothing else about the student.
    for placement in x["students"]:
        assert placement.application.student.email not in page
        assert placement.application.reference not in page
    cohort.refresh_from_db()
    assert cohort.start_date == start
    assert not OutboundEmail.objects.filter(template=TEMPLATE).exists()

    confirmed = repost(coordinator_client, response)

    assert confirmed.status_code == 302
    cohort.refresh_from_db()
    assert cohort.start_date.isoformat() == data["start_date"]
    assert OutboundEmail.objects.filter(template=TEMPLATE).count() == 2


def test_the_opportunity_page_asks_once_for_every_cohort_it_changes(coordinator_client, x, round_):
    opportunity, cohort = x["opportunity"], x["cohort"]
    second = factories.CohortFactory(
        opportunity=opportunity,
        start_date=cohort.start_date + dt.timedelta(weeks=2),
        end_date=cohort.end_date + dt.timedelta(weeks=2),
        application_deadline=cohort.application_deadline,
    )
    place(second, round_, Status.MATCHED, "Mo")
    rows = [
        cohort_row(cohort, start_date=later(cohort.start_date), end_date=later(cohort.end_date)),
        cohort_row(second, start_date=later(second.start_date, 1), end_date=later(second.end_date, 1)),
    ]
    url = admin_url("opportunity", "change", opportunity.pk)

    response = coordinator_client.post(url, opportunity_form_data(opportunity, cohorts=rows, title="Renamed"))

    assert CONFIRM_TITLE in response.content.decode()
    assert "Save and email 3 students" in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.title == "Shadow a ward nurse"

    assert repost(coordinator_client, response).status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.title == "Renamed"
    assert OutboundEmail.objects.filter(template=TEMPLATE).count() == 3


def test_closing_on_the_opportunity_page_asks_first(coordinator_client, x):
    opportunity = x["opportunity"]
    url = admin_url("opportunity", "change", opportunity.pk)

    response = coordinator_client.post(url, opportunity_form_data(opportunity, status=OpportunityStatus.CLOSED))

    assert CONFIRM_TITLE in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.PUBLISHED
    assert repost(coordinator_client, response).status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.CLOSED
    assert OutboundEmail.objects.filter(template=TEMPLATE).count() == 2


def test_close_action_asks_first_then_closes_and_tells_each_student(coordinator_client, x):
    quiet = factories.OpportunityFactory(site=x["opportunity"].site, title="Nobody placed")
    data = {"action": "close", "_selected_action": [x["opportunity"].pk, quiet.pk], "index": "0"}

    response = coordinator_client.post(admin_url("opportunity", "changelist"), data)

    assert response.status_code == 200
    assert "Cyra Doe" in response.content.decode()
    assert set(Opportunity.objects.values_list("status", flat=True)) == {OpportunityStatus.PUBLISHED}

    assert repost(coordinator_client, response).status_code == 302
    assert set(Opportunity.objects.values_list("status", flat=True)) == {OpportunityStatus.CLOSED}
    assert OutboundEmail.objects.filter(template=TEMPLATE).count() == 2


def test_duplicating_reaches_no_student(coordinator_client, x):
    data = {"action": "duplicate", "_selected_action": [x["opportunity"].pk], "index": "0"}
    assert coordinator_client.post(admin_url("opportunity", "changelist"), data).status_code == 302
    assert not OutboundEmail.objects.filter(template=TEMPLATE).exists()


def test_other_trust_coordinator_cannot_confirm_a_change_to_trust_xs_cohort(client, other_trust_coordinator, x):
    client.force_login(other_trust_coordinator)
    cohort = x["cohort"]
    start = cohort.start_date
    token = ",".join(str(p.pk) for p in x["students"])
    data = cohort_form_data(cohort, start_date=later(cohort.start_date), end_date=later(cohort.end_date))

    response = client.post(admin_url("cohort", "change", cohort.pk), {**data, "_affected_confirmed": token})

    assert response.status_code == 404
    cohort.refresh_from_db()
    assert cohort.start_date == start
    assert not OutboundEmail.objects.filter(template=TEMPLATE).exists()


def test_dates_outside_the_round_are_a_message_on_the_form(coordinator_client, x):
    cohort, round_ = x["cohort"], x["round"]
    end = round_.placements_to + dt.timedelta(days=2)
    data = cohort_form_data(cohort, end_date=end.isoformat())

    response = coordinator_client.post(admin_url("cohort", "change", cohort.pk), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["end_date"]
    assert errors[0].startswith(f"These dates are outside {round_.name}, which this cohort belongs to")


def test_new_dates_straddling_a_round_are_refused_on_the_opportunity_page(coordinator_client, x):
    opportunity, round_ = x["opportunity"], x["round"]
    start = round_.placements_to - dt.timedelta(days=1)
    new = {
        "start_date": start.isoformat(),
        "end_date": later(start, 4),
        "capacity": 2,
        "application_deadline": later(start, -14),
    }
    data = opportunity_form_data(opportunity, cohorts=[cohort_row(x["cohort"])], extra_cohorts=[new])

    response = coordinator_client.post(admin_url("opportunity", "change", opportunity.pk), data)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "run over the edge of" in formset.forms[1].errors["end_date"][0]
    assert opportunity.cohorts.count() == 1


def test_deleting_dates_students_were_matched_to_is_a_message_not_an_error(coordinator_client, x, round_):
    cohort = x["cohort"]
    Cohort.objects.filter(pk=cohort.pk).update(booked=0)
    for placement in x["students"]:
        placement.application.status = Status.DECLINED
        placement.application.save(update_fields=["status"])
    data = opportunity_form_data(x["opportunity"], cohorts=[{**cohort_row(cohort), "id": cohort.pk}])
    data["cohorts-0-DELETE"] = "on"

    response = coordinator_client.post(admin_url("opportunity", "change", x["opportunity"].pk), data)

    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.content.decode()
    assert Cohort.objects.filter(pk=cohort.pk).exists()
    # Nor from the cohort's own page.
    assert coordinator_client.post(admin_url("cohort", "delete", cohort.pk), {"post": "yes"}).status_code == 403
    assert Cohort.objects.filter(pk=cohort.pk).exists()


# --- CSV import ---------------------------------------------------------------------------------------------


def test_import_preview_lists_the_students_a_date_change_affects_and_confirming_emails_them(coordinator_client, x):
    cohort = x["cohort"]
    start = cohort.start_date
    content = to_csv([row_for(cohort, start_date=later(cohort.start_date), end_date=later(cohort.end_date))])

    shown = preview(coordinator_client, content)

    page = shown.content.decode()
    assert "Students affected by this file" in page
    assert "Cyra Doe" in page and "Olu Doe" in page
    assert "Import these cohorts and email 2 students" in page
    cohort.refresh_from_db()
    assert cohort.start_date == start
    assert not OutboundEmail.objects.filter(template=TEMPLATE).exists()

    response = confirm(coordinator_client, shown)

    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.start_date == start + dt.timedelta(days=7)
    assert OutboundEmail.objects.filter(template=TEMPLATE).count() == 2


def test_import_stops_when_students_were_placed_after_the_preview(coordinator_client, x, round_):
    cohort = x["cohort"]
    content = to_csv([row_for(cohort, start_date=later(cohort.start_date), end_date=later(cohort.end_date))])
    shown = preview(coordinator_client, content)
    start = cohort.start_date
    place(cohort, round_, Status.MATCHED, "Late")

    response = confirm(coordinator_client, shown)

    cohort.refresh_from_db()
    assert cohort.start_date == start
    assert not OutboundEmail.objects.filter(template=TEMPLATE).exists()
    assert response.status_code == 302


def test_import_refuses_dates_outside_the_round_with_the_row_number(coordinator_client, x):
    cohort, round_ = x["cohort"], x["round"]
    content = to_csv([row_for(cohort, end_date=(round_.placements_to + dt.timedelta(days=1)).isoformat())])

    response = preview(coordinator_client, content)

    assert response.context.get("confirm_form") is None
    assert "which this cohort belongs to" in response.content.decode()


@override_settings(COHORT_IMPORT_MAX_BYTES=2_000)
def test_a_file_over_the_size_limit_gets_a_message_not_a_timeout(coordinator_client, x):
    rows = [row_for(x["cohort"], cohort_id="") for _ in range(60)]
    upload = SimpleUploadedFile("cohorts.csv", to_csv(rows), content_type="text/csv")

    response = coordinator_client.post(IMPORT_URL, {"format": "0", "resource": "0", "import_file": upload})

    assert response.status_code == 200
    errors = response.context["form"].errors["import_file"]
    assert errors[0].startswith("The file is ") and "It must be 2 KB or smaller" in errors[0]
    assert Cohort.objects.count() == 1


@override_settings(COHORT_IMPORT_MAX_ROWS=3)
def test_a_file_with_too_many_rows_gets_a_message(coordinator_client, x):
    rows = [row_for(x["cohort"], cohort_id="") for _ in range(4)]
    upload = SimpleUploadedFile("cohorts.csv", to_csv(rows), content_type="text/csv")

    response = coordinator_client.post(IMPORT_URL, {"format": "0", "resource": "0", "import_file": upload})

    assert response.status_code == 200
    assert response.context["form"].errors["import_file"] == [
        "The file has 4 rows of dates. Import at most 3 at a time: split the file into smaller files and "
        "import each one."
    ]
    assert Cohort.objects.count() == 1


def test_a_file_with_an_unclosed_quote_gets_a_message(coordinator_client, x):
    content = b'email\n"' + b"x" * 131_073 + b'"\n'
    upload = SimpleUploadedFile("cohorts.csv", content, content_type="text/csv")

    response = coordinator_client.post(IMPORT_URL, {"format": "0", "resource": "0", "import_file": upload})

    assert response.status_code == 200
    assert response.context["form"].errors["import_file"] == [
        "We could not read line 2 of the file: a cell is longer than 131,072 characters. Check for a quotation "
        "mark that is not closed, save the file as CSV again and upload it."
    ]


def test_the_import_page_states_the_limits(coordinator_client, x):
    page = coordinator_client.get(IMPORT_URL).content.decode()
    assert "A file can have at most 5,000 rows and be at most 1 MB." in page


@override_settings(COHORT_IMPORT_MAX_ROWS=3)
def test_the_confirm_step_also_refuses_too_many_rows(coordinator_client, x):
    from tests.placements.test_capacity_import_export import forge_confirm

    rows = [row_for(x["cohort"], cohort_id="") for _ in range(4)]
    response = forge_confirm(coordinator_client, to_csv(rows))

    assert response.status_code == 302
    assert Cohort.objects.count() == 1


def test_a_large_import_runs_in_a_bounded_number_of_queries(coordinator_client, x, django_assert_max_num_queries):
    opportunity = x["opportunity"]
    start = x["round"].placements_from + dt.timedelta(days=1)
    new = [
        {
            "cohort_id": "",
            "opportunity_id": opportunity.pk,
            "start_date": start.isoformat(),
            "end_date": later(start, 2),
            "places": 3,
            "application_deadline": later(start, -14),
        }
        for _ in range(400)
    ]
    existing = [factories.CohortFactory(opportunity=opportunity, capacity=2) for _ in range(100)]
    changed = [row_for(c, places=4) for c in existing]
    content = to_csv([*new, *changed], headers=COLUMNS)

    with django_assert_max_num_queries(60):
        shown = preview(coordinator_client, content)
    with django_assert_max_num_queries(60):
        confirm(coordinator_client, shown)

    assert Cohort.objects.filter(opportunity=opportunity).count() == 1 + 400 + 100
    assert Cohort.objects.filter(capacity=4).count() == 100
    assert PROCESS_URL
    assert reverse("coordinator:placements_cohort_changelist")


@pytest.mark.parametrize(
    ("column", "value"),
    [("cohort_id", "²"), ("cohort_id", "99999999999999999999999"), ("opportunity_id", "٣"), ("places", "²")],
)
def test_odd_digits_in_the_file_are_row_messages(coordinator_client, x, column, value):
    response = preview(coordinator_client, to_csv([row_for(x["cohort"], **{column: value})]))

    assert response.context.get("confirm_form") is None
    assert "Nothing has been imported" in response.content.decode()
    assert "invalid literal" not in response.content.decode()


@pytest.mark.parametrize("token", ["²", "٣,1", "1" * 40, "%00"])
def test_odd_confirmation_tokens_just_ask_again(coordinator_client, x, token):
    cohort = x["cohort"]
    data = cohort_form_data(cohort, start_date=later(cohort.start_date), end_date=later(cohort.end_date))

    response = coordinator_client.post(admin_url("cohort", "change", cohort.pk), {**data, "_affected_confirmed": token})

    assert response.status_code == 200
    assert CONFIRM_TITLE in response.content.decode()


def test_close_from_the_opportunity_page_asks_first_too(coordinator_client, x):
    opportunity = x["opportunity"]
    url = admin_url("opportunity", "change", opportunity.pk)

    response = coordinator_client.post(url, {"CHANGE_FORM-action": "close", "_selected_action": opportunity.pk})

    assert CONFIRM_TITLE in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.PUBLISHED
    assert repost(coordinator_client, response).status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.CLOSED
