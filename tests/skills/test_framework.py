"""The framework as data: the v1 file is loaded by migration, loading is idempotent, a new version leaves old
results alone."""

import hashlib
import shutil

import pytest
from django.core.management import CommandError, call_command

from skills.framework import DATA_DIR, FrameworkError, check, framework_load, read
from skills.models import Domain, FrameworkVersion, Resource, Statement
from skills.selectors import result_of
from skills.services import assessment_answer_domain, assessment_start, assessment_submit

V1 = DATA_DIR / "framework-v1.toml"
DOMAINS = {"identity", "communication", "learning", "technical", "information", "creation"}


def test_version_1_has_six_domains_with_enough_statements_and_resources(v1):
    assert set(v1.domains.values_list("key", flat=True)) == DOMAINS
    for domain in v1.domains.all():
        levels = list(domain.statements.values_list("level", flat=True))
        assert levels.count(1) >= 4 and levels.count(2) >= 4
        assert 0 < levels.count(3) < 4 and 0 < levels.count(4) < 4
        assert {1, 2} <= set(domain.resources.values_list("level", flat=True))
        assert domain.topics and "digital" in domain.topics
    assert all(url.startswith("https://") for url in Resource.objects.values_list("url", flat=True))


def test_every_topic_is_a_training_topic(v1):
    from training.models import Topic

    assert {t for d in v1.domains.all() for t in d.topics} <= set(Topic.values)


def test_loading_again_changes_nothing(v1):
    before = (Statement.objects.count(), Resource.objects.count(), FrameworkVersion.objects.count())
    call_command("load_skills_framework")
    loaded = framework_load(V1)
    assert loaded.created is False
    assert (Statement.objects.count(), Resource.objects.count(), FrameworkVersion.objects.count()) == before


def test_the_same_version_with_other_content_is_refused(v1, tmp_path):
    changed = tmp_path / "framework-v1.toml"
    changed.write_text(V1.read_text().replace("I can keep my passwords", "I can hide my passwords"))
    with pytest.raises(FrameworkError, match="never changes"):
        framework_load(changed)
    with pytest.raises(CommandError, match="never changes"):
        call_command("load_skills_framework", str(changed))
    assert Statement.objects.filter(text__startswith="I can keep my passwords").exists()


def test_the_v1_file_is_the_one_that_was_loaded(v1):
    assert hashlib.sha256(V1.read_bytes()).hexdigest() == v1.content_hash


def v2_file(tmp_path):
    path = tmp_path / "framework-v2.toml"
    text = V1.read_text().replace("version = 1", "version = 2", 1)
    # v2 rewords a statement and adds a level-1 statement, which would change a v1 score if it were re-read.
    text = text.replace("I can spot an email or message that looks suspicious", "I can spot a scam message")
    text = text.replace(
        '[[domains.statements]]\nkey = "passwords"',
        '[[domains.statements]]\nkey = "two-step"\nlevel = 1\ntext = "I can use two-step sign-in."\n\n'
        '[[domains.statements]]\nkey = "passwords"',
    )
    path.write_text(text)
    return path


def test_a_new_version_leaves_old_rows_and_results_alone(v1, staff_member, tmp_path):
    assessment = assessment_start(actor=staff_member)
    for domain in v1.domains.all():
        answers = {s.pk: "confidently" for s in domain.statements.all()}
        if domain.key == "learning":
            answers[domain.statements.get(key="elearning").pk] = "not_yet"
        assessment_answer_domain(actor=staff_member, assessment=assessment, domain=domain, answers=answers)
    assessment_submit(actor=staff_member, assessment=assessment)
    before = [(r.domain.key, r.level) for r in result_of(assessment)]
    statements_before = list(Statement.objects.filter(domain__framework_version=v1).values_list("pk", "level", "text"))

    loaded = framework_load(v2_file(tmp_path))
    assert loaded.created and loaded.version == 2
    assert FrameworkVersion.objects.count() == 2 and Domain.objects.filter(framework_version__version=2).count() == 6

    assessment.refresh_from_db()
    assert assessment.framework_version == v1
    assert [(r.domain.key, r.level) for r in result_of(assessment)] == before
    assert dict(before) == {**dict.fromkeys(DOMAINS, 4), "learning": 0}
    assert list(Statement.objects.filter(domain__framework_version=v1).values_list("pk", "level", "text")) == (
        statements_before
    )
    # A new sitting answers the new version.
    assert assessment_start(actor=staff_member).framework_version.version == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(version=0), "version"),
        (lambda d: d["levels"].pop(), "levels"),
        (lambda d: d["domains"][0]["statements"].__delitem__(0), "at least 4 statements at level 1"),
        (lambda d: d["domains"][0]["resources"][0].update(url="http://example.test"), "https"),
    ],
)
def test_a_broken_file_is_refused(change, message):
    data, _ = read(V1)
    change(data)
    with pytest.raises(FrameworkError, match=message):
        check(data)


def test_files_in_the_data_folder_are_all_loadable(tmp_path):
    for path in DATA_DIR.glob("framework-v*.toml"):
        shutil.copy(path, tmp_path)
        read(tmp_path / path.name)
