"""/coordinator/ and /admin/ are user pages too: the portal's header, plain-English import and export, and a
matching run that reads as a report."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from placements.admin.matching import percent, seconds
from placements.models import MatchingRun, RunStatus
from tests import factories

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page's visible words, one space between them."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def admin_client_(client, site_admin):
    client.force_login(site_admin)
    return client


@pytest.fixture
def cohort(trust):
    site = factories.SiteFactory(organisation=trust, name="Denmark Hill")
    opportunity = factories.OpportunityFactory(site=site, title="Shadow a ward nurse")
    return factories.CohortFactory(opportunity=opportunity, capacity=6)


# --- The portal's header, with a way back -------------------------------------------------------------------


def test_coordinator_admin_wears_the_portals_header_with_a_way_back(coordinator_client):
    response = coordinator_client.get(reverse("coordinator:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<header class="nhsuk-header"' in html
    assert '<span class="nhsuk-header__service-name">Health & Care Work Experience</span>' in html
    assert f'class="nhsuk-header__service-logo" href="{reverse("home")}"' in html
    # The role's menu, as on every other page: back to Placements (/host/), this area marked as current.
    assert (
        f'<a class="nhsuk-header__navigation-link" href="{reverse("placements:coordinator-home")}">Placements</a>'
        in html
    )
    assert 'aria-current="page"><strong class="nhsuk-header__navigation-item-current-fallback">Manage capacity' in html
    assert f'action="{reverse("accounts:logout")}"' in html and ">Sign out</button>" in html
    # Django's own header is gone: no "Welcome," / "View site" / "Log out", no dark-mode switch.
    page = text_of(response)
    for django_words in ("Welcome,", "View site", "Log out", "Django administration", "Toggle theme"):
        assert django_words not in page
    assert "Manage your placements – Trust X" in page


def test_coordinator_start_page_says_what_to_do_first(coordinator_client, site_admin, client):
    page = text_of(coordinator_client.get(reverse("coordinator:index")))
    assert "Getting started" in page and "Confirm its places at least every 60 days" in page
    assert "Recent actions" not in page and "None available" not in page
    client.force_login(site_admin)
    assert "Recent actions" in text_of(client.get(reverse("admin:index")))


def test_coordinator_admin_page_titles_name_the_service(coordinator_client, cohort):
    response = coordinator_client.get(reverse("coordinator:placements_cohort_changelist"))
    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()
    assert title == "Cohorts – Manage your placements – Trust X – Health & Care Work Experience"
    assert "<h1>Cohorts</h1>" in response.content.decode()
    assert "Select cohort to change" not in text_of(response)


def test_an_empty_list_says_why_and_what_to_do(coordinator_client):
    page = text_of(coordinator_client.get(reverse("coordinator:placements_site_changelist")))
    assert "There are no sites yet. Use “Add site” to add the first one." in page
    page = text_of(coordinator_client.get(reverse("coordinator:placements_site_changelist") + "?q=nowhere"))
    assert "No sites match “nowhere”." in page and "Show all sites" in page


def test_site_admin_wears_the_portals_header_and_its_own_name(admin_client_):
    response = admin_client_.get(reverse("admin:index"))
    page = text_of(response)
    assert '<header class="nhsuk-header"' in response.content.decode()
    assert "Site administration" in page
    assert "Django administration" not in page and "Django site admin" not in page


def test_admin_pages_load_the_admin_stylesheet_and_script_not_inline_code(coordinator_client, cohort):
    html = coordinator_client.get(reverse("coordinator:placements_opportunity_changelist")).content.decode()
    assert "css/admin.css" in html and "css/admin-header.css" in html and "js/admin.js" in html
    assert " style=" not in html and " onchange=" not in html and " onclick=" not in html


# --- Inline rows are labelled ----------------------------------------------------------------------------


def test_every_input_in_an_inline_row_has_a_label(coordinator_client, cohort):
    html = coordinator_client.get(
        reverse("coordinator:placements_opportunity_change", args=[cohort.opportunity_id])
    ).content.decode()
    for field in ("start_date", "end_date", "capacity", "application_deadline"):
        assert re.search(rf'<label class="visually-hidden" for="id_cohorts-0-{field}">[^<]+\(', html), field
        assert f'<label class="visually-hidden" for="id_cohorts-__prefix__-{field}">' in html, field
    assert '<th class="original"></th>' not in html


# --- Deleting, in plain words ------------------------------------------------------------------------------


def test_deleting_a_site_in_use_says_what_still_uses_it(coordinator_client, cohort):
    site = cohort.opportunity.site
    response = coordinator_client.get(reverse("coordinator:placements_site_delete", args=[site.pk]))
    page = text_of(response)
    assert "You cannot delete the site “Denmark Hill” while these still use it:" in page
    assert "Shadow a ward nurse" in page and "Move them to something else or delete them first." in page
    assert "protected related objects" not in page


def test_deleting_asks_in_plain_words_and_says_what_goes(coordinator_client, trust):
    department = factories.DepartmentFactory(site=factories.SiteFactory(organisation=trust), name="Pharmacy")
    response = coordinator_client.get(reverse("coordinator:placements_department_delete", args=[department.pk]))
    html = response.content.decode()
    assert "Are you sure you want to delete the department “Pharmacy”? You cannot undo this." in text_of(response)
    assert "What will be deleted" in html
    assert 'value="Yes, delete this department"' in html and "No, keep it" in html
    assert "Yes, I’m sure" not in html


# --- Import and export in plain English -----------------------------------------------------------------


def test_import_page_explains_the_file_and_its_button_says_what_it_does(coordinator_client):
    response = coordinator_client.get(reverse("coordinator:placements_cohort_import"))
    page = text_of(response)
    assert "Import cohorts from a CSV file" in page
    assert "What the file must contain" in page
    assert "The first day of the placement." in page  # start_date, in words
    assert "Leave it blank to add new dates" in page  # cohort_id, in words
    assert "An example" in page and ",12,15 March 2027,19 March 2027,4,1 March 2027" in page
    assert 'value="Check the file"' in response.content.decode()
    assert "This importer will import the following fields" not in page
    assert 'value="Submit"' not in response.content.decode()
    assert "Format: CSV (comma-separated values)" in page


def test_import_preview_offers_to_import_these_cohorts(coordinator_client, cohort):
    csv = (
        "cohort_id,opportunity_id,start_date,end_date,places,application_deadline\n"
        f"{cohort.pk},{cohort.opportunity_id},{cohort.start_date},{cohort.end_date},7,{cohort.application_deadline}\n"
    )
    upload = SimpleUploadedFile("cohorts.csv", csv.encode(), content_type="text/csv")
    response = coordinator_client.post(
        reverse("coordinator:placements_cohort_import"), {"format": "0", "resource": "0", "import_file": upload}
    )
    page = text_of(response)
    assert response.context["confirm_form"] is not None
    assert "Check the changes before you import them" in page
    assert "Changed" in page  # what happens to the row, in words
    html = response.content.decode()
    # The cohort template (placements/admin/cohort_import.html) may name the emails it will send as well.
    assert re.search(r'<input type="submit" class="default" name="confirm" value="Import these cohorts"', html)
    assert 'value="Submit"' not in html
    assert "<ins>7</ins>" in html and " style=" not in html  # the change, marked without inline styles (CSP)


def test_export_page_says_what_the_file_holds_and_its_button_downloads_it(coordinator_client, cohort):
    response = coordinator_client.get(reverse("coordinator:placements_cohort_export"))
    html = response.content.decode()
    page = text_of(response)
    assert "Download your cohorts as a CSV file" in page
    assert "What the file contains" in page and "The last day students can apply for these dates." in page
    assert 'value="Download cohorts (CSV)"' in html
    assert "This exporter will export the following fields" not in page
    assert 'value="Submit"' not in html and "Select all" not in page


def test_a_filtered_export_says_it_holds_only_the_filtered_cohorts(coordinator_client, cohort):
    url = reverse("coordinator:placements_cohort_export") + f"?opportunity__id__exact={cohort.opportunity_id}"
    page = text_of(coordinator_client.get(url))
    assert "match the filters you chose on the list" in page


def test_cohort_list_offers_import_and_download_by_name(coordinator_client, cohort):
    html = coordinator_client.get(reverse("coordinator:placements_cohort_changelist")).content.decode()
    assert 'class="import_link">Import cohorts</a>' in html
    assert 'class="export_link">Download cohorts (CSV)</a>' in html


# --- A matching run reads as a report -----------------------------------------------------------------------


def make_run(*, dry_run: bool, **fields) -> MatchingRun:
    started = timezone.now() - dt.timedelta(seconds=3)
    values = {
        "round": factories.RoundFactory(),
        "dry_run": dry_run,
        "status": RunStatus.SUCCEEDED,
        "seed": 42,
        "started_at": started,
        "finished_at": started + dt.timedelta(milliseconds=2_350),
        "applicants": 3,
        "matched": 1,
        "percent_matched": 33.33,
        "average_rank": 1.5,
        "wp_share_of_applicants": 66.7,
        "wp_share_of_matched": 100.0,
        "timings_ms": {"snapshot": 1200.0, "solve": 12.5, "write": 950.0},
        **fields,
    }
    return MatchingRun.objects.create(**values)


def test_a_real_run_reads_as_a_report_in_percentages_and_seconds(admin_client_):
    run = make_run(dry_run=False)
    response = admin_client_.get(reverse("admin:placements_matchingrun_change", args=[run.pk]))
    page = text_of(response)
    assert "Real run: proposed matches go to hosts to approve" in page
    assert "Dry run" not in page and "Preview" not in page.split("Site administration", 2)[-1].split("History")[0]
    assert "1 of 3 (33.3%)" in page
    assert "66.7%" in page and "100%" in page
    assert "Time taken: 2.35 seconds" in page
    assert "Reading the round: 1.2 seconds" in page and "Matching: 0.01 seconds" in page
    assert "Timings ms" not in page and "{&quot;" not in response.content.decode() and '{"' not in page
    assert "Hosts approve or decline the proposed matches" in page
    assert "What went wrong" not in page  # only on a failed run


def test_a_preview_says_so_and_offers_to_run_it_for_real(admin_client_):
    run = make_run(dry_run=True)
    page = text_of(admin_client_.get(reverse("admin:placements_matchingrun_change", args=[run.pk])))
    assert "Preview: figures only, nothing was changed" in page
    assert "Run this for real" in page


def test_a_failed_run_says_what_went_wrong(admin_client_):
    run = make_run(dry_run=False, status=RunStatus.FAILED, error="The round has no cohorts.")
    page = text_of(admin_client_.get(reverse("admin:placements_matchingrun_change", args=[run.pk])))
    assert "What went wrong: The round has no cohorts." in page
    assert "Nothing was changed. Fix the problem above, then start a new preview." in page


def test_run_list_shows_percentages_seconds_and_the_type_of_run(admin_client_):
    make_run(dry_run=False)
    make_run(dry_run=True, percent_matched=None, wp_share_of_applicants=None, wp_share_of_matched=None)
    response = admin_client_.get(reverse("admin:placements_matchingrun_changelist"))
    page = text_of(response)
    assert "33.3%" in page and "2.35 seconds" in page
    assert "Real run: proposed matches go to hosts to approve" in page
    assert "Preview: figures only, nothing was changed" in page
    assert "By dry run" not in page and "By type of run" in page
    assert "Real runs" in page and "Previews (nothing changed)" in page


def test_commit_page_shows_the_previews_figures_in_words(admin_client_):
    run = make_run(dry_run=True, wp_share_of_matched=None)
    response = admin_client_.get(reverse("admin:placements_matchingrun_commit", args=[run.pk]))
    page = text_of(response)
    assert "matched 1 of 3 applicants (33.3%)" in page
    assert "66.7% of applicants" in page and "-%" not in page
    assert 'value="Run matching for real"' in response.content.decode()


@pytest.mark.parametrize(
    ("value", "expected"), [(None, "–"), (0.0, "0%"), (33.333, "33.3%"), (100.0, "100%"), (12.5, "12.5%")]
)
def test_percent_reads_as_people_write_it(value, expected):
    assert percent(value) == expected


@pytest.mark.parametrize(
    ("milliseconds", "expected"),
    [
        (0, "0 seconds"),
        (3, "less than 0.01 seconds"),
        (12.5, "0.01 seconds"),
        (1000, "1 second"),
        (2350, "2.35 seconds"),
        (61_500, "61.5 seconds"),
        (250_000, "250 seconds"),
    ],
)
def test_seconds_reads_as_people_write_it(milliseconds, expected):
    assert seconds(milliseconds) == expected


def test_application_admin_has_no_link_to_a_student_page_admins_cannot_open(admin_client_, student):
    application = factories_application(student)
    html = admin_client_.get(reverse("admin:placements_application_change", args=[application.pk])).content.decode()
    assert "View on site" not in html


def factories_application(student):
    from placements.models import Application

    return Application.objects.create(student=student, round=factories.RoundFactory(), college=student.organisation)


def test_no_admin_page_template_uses_django_or_import_export_jargon():
    """The templates we ship for the admin never say "Submit", "Dry run" or "This exporter/importer"."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates" / "admin"
    for path in root.rglob("*.html"):
        text = path.read_text()
        for jargon in ('value="Submit"', "Dry run", "This exporter", "This importer", "Timings ms"):
            assert jargon not in text, f"{path.relative_to(root)} says {jargon!r}"


def test_without_inline_styles_keeps_the_markup_and_escapes_anything_unsafe():
    from django.utils.safestring import mark_safe

    from placements.templatetags.admin_markup import without_inline_styles

    marked = mark_safe('<ins style="background:#e6ffe6;">7</ins><del style="background:#ffe6e6;">6</del>')
    assert without_inline_styles(marked) == "<ins>7</ins><del>6</del>"
    assert without_inline_styles('<b style="x">hi</b>') == "&lt;b style=&quot;x&quot;&gt;hi&lt;/b&gt;"


# --- One sign-in page ----------------------------------------------------------------------------------------


def test_site_admin_sign_in_is_the_portals(client, student, site_admin):
    login = reverse("admin:login") + "?next=/admin/placements/"
    response = client.get(login)
    assert response.status_code == 302
    assert response.url == reverse("accounts:login") + "?next=/admin/placements/"
    client.force_login(student)
    assert client.get(login).status_code == 404
    client.force_login(site_admin)
    assert client.get(login).url == "/admin/placements/"
    assert client.get(reverse("admin:login") + "?next=https://evil.example/").url == reverse("admin:index")
