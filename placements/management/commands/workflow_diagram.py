"""Print docs/workflow.md: the application state diagram, generated from placements.workflow.TRANSITIONS."""

from django.core.management.base import BaseCommand

from placements.workflow import EDITABLE, HOLDS_PLACE, TERMINAL, Status, mermaid_diagram


def _names(statuses) -> str:
    return ", ".join(f"`{s.value}`" for s in sorted(statuses, key=list(Status).index))


class Command(BaseCommand):
    help = "Print the workflow document (python manage.py workflow_diagram > docs/workflow.md)."

    def handle(self, *args, **options):
        self.stdout.write(
            "# Application workflow\n\n"
            "Generated from `placements/workflow.py` by `python manage.py workflow_diagram > docs/workflow.md`;\n"
            "a test fails when this file and the table disagree.\n\n"
            f"```mermaid\n{mermaid_diagram()}\n```\n\n"
            "| status | meaning |\n|---|---|\n"
            + "".join(f"| `{s.value}` | {s.label} |\n" for s in Status)
            + f"\n- Editable by the student: {_names(EDITABLE)}\n"
            f"- Holding a seat: {_names(HOLDS_PLACE)}\n"
            f"- Terminal: {_names(TERMINAL)}\n"
        )
