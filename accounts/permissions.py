"""Action predicates (``can_<verb>_<entity>``) and their ``ensure_`` forms used inside services."""

from django.core.exceptions import PermissionDenied

from accounts.models import Organisation, OrganisationKind, Role, User


def can_invite_staff(actor: User, *, organisation: Organisation, role: str) -> bool:
    """Site admins invite anyone; a coordinator invites staff of their own organisation only."""
    if role == Role.TUTOR and organisation.kind != OrganisationKind.COLLEGE:
        return False
    if actor.role == Role.ADMIN:
        return True
    return actor.role == Role.COORDINATOR and actor.organisation_id == organisation.pk


def ensure_can_invite_staff(actor: User, *, organisation: Organisation, role: str) -> None:
    if not can_invite_staff(actor, organisation=organisation, role=role):
        raise PermissionDenied("You cannot invite that person to that organisation.")


def can_manage_invitations(actor: User) -> bool:
    return actor.is_authenticated and actor.role in (Role.ADMIN, Role.COORDINATOR)
