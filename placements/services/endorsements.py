"""Tutors endorse their own college's students: a note and a strength (0-3) that raises matching priority."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role, User
from placements.models import Application, Endorsement
from placements.workflow import TERMINAL

ENDED = "This application has ended, so an endorsement would no longer change anything."


def is_open_for_endorsement(application: Application) -> bool:
    """An endorsement can still be saved: the application has not ended."""
    return application.status not in TERMINAL


def can_endorse(actor: User, application: Application) -> bool:
    return actor.role == Role.TUTOR and actor.is_active and actor.organisation_id == application.college_id


def endorsement_save(*, actor: User, application: Application, strength: int, note: str) -> Endorsement:
    """Create or update the endorsement (who and when are recorded); the next matching run uses it."""
    if not can_endorse(actor, application):
        raise PermissionDenied("You can only endorse students at your own college.")
    if not is_open_for_endorsement(application):
        raise ValidationError(ENDED, code="ended")
    if not 0 <= strength <= 3:
        raise ValidationError({"strength": "Choose a strength from 0 to 3"}, code="strength")
    endorsement, _ = Endorsement.objects.update_or_create(
        application=application,
        defaults={"tutor": actor, "strength": strength, "note": note.strip()[:500], "updated_at": timezone.now()},
    )
    return endorsement
