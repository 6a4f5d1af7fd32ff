"""Every page of /coordinator/ and /admin/ that the coordinator and the site admin can reach passes axe-core with
no serious or critical violation: lists (with a filter and pagination active), add and change forms with their
inlines, history, delete confirmations, import and export, the weekly-cohorts action and the matching-run pages.
"""

import re
from urllib.parse import urljoin

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import User
from placements.admin import coordinator_site
from placements.models import Cohort, MatchingRun, Round, RunStatus
from tests.e2e.helpers import DEMO_PASSWORD, DESKTOP, PHONE, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Audit:
    """Visits pages once each, runs axe-core, and remembers every serious or critical violation."""

    def __init__(self, page):
        self.page = page
        self.visited: list[str] = []
        self.failures: list[str] = []
        # The page fixture fails the test on any CSP report; this says on which page it happened.
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and self.failures.append(f"{page.url}: {message.text[:120]}")
            ),
        )

    def visit(self, url: str) -> bool:
        if url in self.visited:
            return False
        self.visited.append(url)
        response = self.page.goto(url)
        if response is None or response.status >= 400:
            self.failures.append(f"{url}: HTTP {response.status if response else 'no response'}")
            return False
        self.check()
        return True

    def check(self):
        found = serious_violations(self.page)
        if found:
            self.failures.append(f"{self.page.url}:\n    " + "\n    ".join(found))

    def hrefs(self, selector: str) -> list[str]:
        return self.page.eval_on_selector_all(selector, "links => links.map(a => a.getAttribute('href'))")

    def changelist(self, url: str) -> list[str]:
        """The list, then the list with one filter chosen, on its second page, and sorted by another column.

        Returns the list's "add" links (none when adding is not allowed)."""
        if not self.visit(url):
            return []
        add_links = self.hrefs(".object-tools a.addlink")
        variants = []
        for group in self.page.locator("#changelist-filter details").all():
            options = group.locator("li:not(.selected) a").all()
            if options:
                variants.append(options[0].get_attribute("href"))
        variants += self.hrefs(".paginator a")[:1]
        variants += self.hrefs(".xfull .toplinks a")[:1]
        variants += self.hrefs("#result_list thead th.sortable a")[:1]
        for href in variants:
            self.visit(url + href if href.startswith("?") else href)
        # A filter and a page at once, when there is more than one page of the filtered list.
        if variants and variants[0].startswith("?"):
            self.page.goto(url + variants[0])
            for href in self.hrefs(".paginator a")[:1]:
                self.visit(url + href)
        return add_links

    def object_pages(self, changelist_url: str):
        """The first row's change page, its history (and one version of it), and its delete confirmation."""
        self.page.goto(changelist_url)
        rows = self.hrefs("#result_list tbody tr a[href*='/change/']")
        if not rows:
            return
        change = rows[0].split("?")[0]
        if not self.visit(change):
            return
        has_delete = bool(self.hrefs("a.deletelink"))
        base = change.removesuffix("change/")
        for link in self.hrefs("a[href$='password/']")[:1]:
            self.visit(urljoin(change, link))  # the user's "reset password" page; the link is relative
        if self.visit(base + "history/"):
            versions = [h for h in self.hrefs("#change-history a") if re.search(r"/history/\d+/$", h or "")]
            for version in versions[:1]:
                self.visit(version)
        if has_delete:
            self.visit(base + "delete/")

    def every_model(self, site):
        for model in site._registry:
            opts = model._meta
            name = f"{site.name}:{opts.app_label}_{opts.model_name}"
            changelist = reverse(f"{name}_changelist")
            for add in self.changelist(changelist):
                self.visit(add.split("?")[0])
            self.object_pages(changelist)

    def assert_clean(self):
        assert not self.failures, f"{len(self.failures)} of {len(self.visited)} pages failed:\n" + "\n".join(
            self.failures
        )


@pytest.fixture
def demo(demo_data, monkeypatch):
    # A few rows a page, so every list with more than that shows its pagination.
    for site in (admin.site, coordinator_site):
        for model_admin in site._registry.values():
            monkeypatch.setattr(model_admin, "list_per_page", 4)


def upload_cohorts(audit, csv_text: str, tmp_path):
    file = tmp_path / "cohorts.csv"
    file.write_text(csv_text)
    audit.page.goto(reverse("coordinator:placements_cohort_import"))
    audit.page.get_by_label("File to import").set_input_files(str(file))
    audit.page.get_by_role("button", name="Check the file").click()
    audit.page.wait_for_load_state()
    audit.visited.append(f"{audit.page.url} after uploading {csv_text.splitlines()[-1]!r}")
    audit.check()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_coordinator_admin_page_has_no_serious_accessibility_violation(page, demo, viewport, tmp_path):
    page.set_viewport_size(viewport)
    sign_in(page, "coordinator@demo.test", DEMO_PASSWORD)
    audit = Audit(page)
    audit.visit(reverse("coordinator:index"))
    audit.visit(reverse("coordinator:app_list", args=["placements"]))
    audit.every_model(coordinator_site)

    # Import: the form, a preview to confirm, and a file with a problem in one row; export.
    audit.visit(reverse("coordinator:placements_cohort_import"))
    audit.visit(reverse("coordinator:placements_cohort_export"))
    coordinator = User.objects.get(email="coordinator@demo.test")
    cohort = Cohort.objects.filter(opportunity__organisation=coordinator.organisation, booked=0).first()
    header = "cohort_id,opportunity_id,start_date,end_date,places,application_deadline\n"
    row = f"{cohort.pk},{cohort.opportunity_id},{cohort.start_date},{cohort.end_date}"
    upload_cohorts(audit, header + f"{row},{cohort.capacity + 1},{cohort.application_deadline}\n", tmp_path)
    assert page.get_by_role("heading", name="Check the changes before you import them").is_visible()
    upload_cohorts(audit, header + f"{row},lots,{cohort.application_deadline}\n", tmp_path)
    assert page.get_by_role("heading", name="Nothing has been imported").is_visible()

    # The weekly-cohorts action's own page.
    page.goto(reverse("coordinator:placements_opportunity_changelist"))
    page.locator("#result_list tbody input.action-select").first.check()
    page.locator("select[name='action']").select_option("create_weekly_cohorts")
    page.get_by_role("button", name="Run").click()
    page.get_by_role("heading", name="Create weekly cohorts").wait_for()
    audit.visited.append("create weekly cohorts")
    audit.check()

    assert len(audit.visited) > 30, audit.visited
    audit.assert_clean()

    # The inline's "add" link reads as a sentence.
    page.goto(reverse("coordinator:placements_opportunity_change", args=[cohort.opportunity_id]))
    assert page.locator(".add-row a").inner_text() == "Add another set of dates"


def test_every_site_admin_page_has_no_serious_accessibility_violation(page, demo):
    page.set_viewport_size(DESKTOP)
    round_ = Round.objects.first()
    preview = MatchingRun.objects.create(
        round=round_,
        dry_run=True,
        status=RunStatus.SUCCEEDED,
        seed=1,
        applicants=3,
        matched=1,
        percent_matched=33.3,
        timings_ms={"solve": 2.0},
    )
    MatchingRun.objects.create(round=round_, status=RunStatus.FAILED, seed=2, error="Something broke.")
    sign_in(page, "admin@demo.test", DEMO_PASSWORD)
    audit = Audit(page)
    audit.visit(reverse("admin:index"))
    for app_label in sorted({model._meta.app_label for model in admin.site._registry}):
        audit.visit(reverse("admin:app_list", args=[app_label]))
    audit.every_model(admin.site)
    audit.visit(reverse("admin:placements_matchingrun_start"))
    audit.visit(reverse("admin:placements_matchingrun_commit", args=[preview.pk]))
    for run in MatchingRun.objects.all():
        audit.visit(reverse("admin:placements_matchingrun_change", args=[run.pk]))

    assert len(audit.visited) > 60, audit.visited
    audit.assert_clean()


def test_admin_lists_on_a_phone_have_no_serious_accessibility_violation(page, demo):
    """Lists change shape on a phone (filters move above the table): check each one there too."""
    sign_in(page, "admin@demo.test", DEMO_PASSWORD)
    audit = Audit(page)
    for model in admin.site._registry:
        opts = model._meta
        audit.changelist(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    audit.assert_clean()
