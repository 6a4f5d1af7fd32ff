"""Journey: a college tutor finds a student who needs endorsing, endorses them, and downloads the list."""

import pytest

from placements.models import Endorsement
from tests.e2e.helpers import DEMO_PASSWORD, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tutor_endorses_a_student_and_exports_the_list(page, demo_data):
    sign_in(page, "tutor@demo.test", DEMO_PASSWORD)
    page.wait_for_url("**/tutor/")

    page.get_by_role("link", name="My students").first.click()
    page.get_by_label("Needs attention").select_option("endorsement")
    page.get_by_role("button", name="Show students").click()
    assert_accessible(page)
    row = page.locator("tbody tr").filter(has_text="Cleo")
    row.get_by_role("link", name="Endorse").click()
    page.get_by_label("3: strongly: ready and committed").check()
    page.get_by_label("Note for your records").fill("Reliable and keen; ready for a ward placement.")
    page.get_by_role("button", name="Save endorsement").click()
    assert "Endorsement saved for Cleo Demo" in page.locator("main").inner_text()
    assert Endorsement.objects.get(application__first_name="Cleo").strength == 3
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these as a spreadsheet (CSV)").click()
    text = open(download.value.path()).read()
    assert text.startswith("Reference,First name") and "Cleo" in text and "Bilal" not in text  # college A only
