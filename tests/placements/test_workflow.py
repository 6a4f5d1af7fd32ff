import pytest

from placements import workflow
from placements.models import StatusChange
from placements.services.workflow import application_transition
from placements.workflow import InvalidTransition, StaleTransition, Status
from tests.placements.helpers import make_application


@pytest.mark.django_db
def test_every_move_in_the_table_works_and_every_other_move_is_refused(student):
    application = make_application(student)
    for source in Status:
        for target in Status:
            application.status = source
            type(application).objects.filter(pk=application.pk).update(status=source)
            if target in workflow.TRANSITIONS[source]:
                application_transition(application=application, to=target, actor=student, reason="walk")
                assert type(application).objects.get(pk=application.pk).status == target
            else:
                with pytest.raises(InvalidTransition):
                    application_transition(application=application, to=target, actor=student)
    moves = sum(len(targets) for targets in workflow.TRANSITIONS.values())
    assert StatusChange.objects.filter(application=application, reason="walk").count() == moves


@pytest.mark.django_db
def test_losing_a_race_is_a_stale_transition_and_records_nothing(student):
    application = make_application(student)
    type(application).objects.filter(pk=application.pk).update(status=Status.SUBMITTED)  # someone else moved it
    with pytest.raises(StaleTransition, match="changed while you were looking"):
        application_transition(application=application, to=Status.SUBMITTED, actor=student)
    assert not StatusChange.objects.filter(to_status=Status.SUBMITTED).exists()


def test_named_sets_are_consistent_with_the_table():
    assert workflow.TERMINAL == {s for s, moves in workflow.TRANSITIONS.items() if not moves}
    assert workflow.EDITABLE <= workflow.OPEN and workflow.HOLDS_PLACE <= workflow.OPEN
    assert set(workflow.TRANSITIONS) == set(Status)
    every_target = {t for targets in workflow.TRANSITIONS.values() for t in targets}
    assert every_target | {Status.DRAFT} == set(Status), "every status must be reachable"


def test_diagram_is_generated_from_the_table():
    diagram = workflow.mermaid_diagram()
    for source, targets in workflow.TRANSITIONS.items():
        for target in targets:
            assert f"{source.value} --> {target.value}" in diagram


def test_messages_are_plain_english():
    assert "cannot become offered" in str(InvalidTransition(Status.DRAFT, Status.OFFERED))


def test_the_workflow_document_is_up_to_date():
    from io import StringIO
    from pathlib import Path

    from django.core.management import call_command

    out = StringIO()
    call_command("workflow_diagram", stdout=out)
    document = Path(__file__).resolve().parents[2] / "docs" / "workflow.md"
    assert document.read_text() == out.getvalue(), "run: python manage.py workflow_diagram > docs/workflow.md"
