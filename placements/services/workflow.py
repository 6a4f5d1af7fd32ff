"""The single place an application's status changes (see placements/workflow.py for the table)."""

from django.db import transaction

from accounts.models import User
from placements.models import Application, StatusChange
from placements.workflow import InvalidTransition, StaleTransition, Status, can_transition


def application_transition(
    *, application: Application, to: Status, actor: User | None, reason: str = "", expected: Status | None = None
) -> Application:
    """Move ``application`` to ``to`` if the table allows it and nobody moved it first; record who and why.

    ``expected`` defaults to the status the caller loaded. Raises InvalidTransition or StaleTransition.
    """
    current = Status(expected or application.status)
    if not can_transition(current, to):
        raise InvalidTransition(current, to)
    with transaction.atomic():
        moved = Application.objects.filter(pk=application.pk, status=current).update(status=to)
        if not moved:
            raise StaleTransition()
        StatusChange.objects.create(
            application=application, from_status=current, to_status=to, actor=actor, reason=reason[:500]
        )
    application.status = to
    return application
