"""Tutors endorse their own college's students: a note and a strength (0-3) that raises matching priority."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
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
    """Create or update the endorsement; its history keeps who, when and the old and new values (ADR 0013).

    The next matching run uses it. Saving the same values again changes nothing."""
    if not can_endorse(actor, application):
        raise PermissionDenied("You can only endorse students at your own college.")
    if not is_open_for_endorsement(application):
        raise ValidationError(ENDED, code="ended")
    if not 0 <= strength <= 3:
        raise ValidationError({"strength": "Choose a strength from 0 to 3"}, code="strength")
    note = note.strip()[:500]
    try:
        with transaction.atomic():
            return _endorsement_write(actor=actor, application=application, strength=strength, note=note)
    except IntegrityError:  # another tutor endorsed the same student at the same moment: change theirs
        with transaction.atomic():
            return _endorsement_write(actor=actor, application=application, strength=strength, note=note)


def _endorsement_write(*, actor: User, application: Application, strength: int, note: str) -> Endorsement:
    endorsement = Endorsement.objects.select_for_update().filter(application=application).first()
    if endorsement is None:
        endorsement = Endorsement(application=application)
    elif (endorsement.tutor_id, endorsement.strength, endorsement.note) == (actor.pk, strength, note):
        return endorsement  # saved twice: nothing changed, so no new line in its history
    endorsement.tutor, endorsement.strength, endorsement.note = actor, strength, note
    endorsement.updated_at = timezone.now()
    # The history row (who, when, old and new values) names the tutor even outside a web request.
    endorsement._history_user = actor
    endorsement.save()
    return endorsement
