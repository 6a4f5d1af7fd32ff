"""PENTEST: the import's confirm step names its uploaded file in a hidden field; that name must not reach any
other file. Before the fix, django-import-export read and then deleted ``<temp folder>/<posted name>``."""

import tempfile
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.import_storage import ImportUploadStorage
from placements.models import Cohort
from tests import factories

IMPORT_URL = reverse("coordinator:placements_cohort_import")
PROCESS_URL = reverse("coordinator:placements_cohort_process_import")
HEADINGS = "cohort_id,opportunity_id,start_date,end_date,places,application_deadline\n"


@pytest.fixture
def coordinator_client(client, coordinator, settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "imports")
    client.force_login(coordinator)
    return client


@pytest.fixture
def someone_elses_file():
    """A file in the system temp folder that the portal did not make (another program's, or a secret)."""
    path = Path(tempfile.gettempdir()) / f"pentest-{uuid.uuid4().hex}.csv"
    path.write_text(HEADINGS)
    yield path
    path.unlink(missing_ok=True)


def confirm(client, name):
    return client.post(
        PROCESS_URL, {"import_file_name": name, "original_file_name": "cohorts.csv", "format": "0", "resource": "0"}
    )


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "../", "../../tmp/", "/tmp/"])
def test_a_coordinator_cannot_make_the_import_read_or_delete_a_file_it_did_not_upload(
    coordinator_client, someone_elses_file, prefix
):
    response = confirm(coordinator_client, prefix + someone_elses_file.name)
    assert someone_elses_file.exists(), "the posted file name reached a file the import did not make"
    assert response.status_code == 302
    page = coordinator_client.get(response.url)
    assert "Nothing was imported because the file has errors." in page.content.decode()


@pytest.mark.django_db
def test_confirming_twice_or_with_a_made_up_name_is_a_clear_answer_not_a_server_error(coordinator_client):
    response = confirm(coordinator_client, f"import-{'0' * 32}")
    assert response.status_code == 302
    page = coordinator_client.get(response.url)
    assert "Nothing was imported because the file has errors." in page.content.decode()


@pytest.mark.django_db
def test_an_upload_is_kept_in_its_own_folder_under_a_random_name_and_removed_once_imported(
    coordinator_client, trust, settings
):
    opportunity = factories.OpportunityFactory(site=factories.SiteFactory(organisation=trust))
    round_ = factories.RoundFactory()
    start = round_.placements_from
    content = HEADINGS + f",{opportunity.pk},{start},{start},3,{start}\n"
    upload = SimpleUploadedFile("cohorts.csv", content.encode(), content_type="text/csv")
    preview = coordinator_client.post(IMPORT_URL, {"format": "0", "resource": "0", "import_file": upload})
    form = preview.context["confirm_form"]
    assert form is not None, preview.context["result"].invalid_rows if "result" in preview.context else preview
    name = form.initial["import_file_name"]
    folder = Path(settings.IMPORT_UPLOAD_DIR)
    assert (folder / name).exists() and name.startswith("import-") and len(name) == len("import-") + 32
    assert (folder / name).stat().st_mode & 0o077 == 0, "only the portal's own user may read an upload"

    response = coordinator_client.post(PROCESS_URL, {field: form.initial.get(field, "") for field in form.fields})
    assert response.status_code == 302
    assert Cohort.objects.filter(opportunity=opportunity, capacity=3).count() == 1
    assert not (folder / name).exists()


def test_the_storage_refuses_names_it_did_not_make(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = str(tmp_path)
    outside = tmp_path.parent / "outside.csv"
    outside.write_text("secret")
    for name in ("../outside.csv", str(outside), "outside.csv", "import-../../outside.csv", ""):
        storage = ImportUploadStorage(name=name, read_mode="r")
        assert storage.read() == ""
        storage.remove()
    assert outside.exists()
