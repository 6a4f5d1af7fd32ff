"""Action predicates (``can_<verb>_<entity>``) and their ``ensure_`` forms used inside services."""

from django.core.exceptions import PermissionDenied

from accounts.models import Organisation, Role, User, organisation_rule_error

# Whom each role may invite, to its own organisation only. Site admins invite every invited role, anywhere.
# Nobody invites a site admin, and only site admins invite planning partners (they read across organisations).
INVITABLE_BY_COORDINATOR = (Role.COORDINATOR, Role.TUTOR, Role.STAFF)
INVITABLE_BY_ADMIN = (Role.COORDINATOR, Role.TUTOR, Role.STAFF, Role.PARTNER)


def roles_invitable_by(actor: User) -> tuple[Role, ...]:
    """The roles ``actor`` may invite someone into: for a coordinator, those their own organisation can have
    (a trust's coordinator invites coordinators and staff, a college's coordinators and tutors)."""
    if not (actor.is_authenticated and actor.is_active):
        return ()
    if actor.role == Role.ADMIN:
        return INVITABLE_BY_ADMIN
    if actor.role == Role.COORDINATOR and actor.organisation_id:
        kind = actor.organisation.kind
        return tuple(role for role in INVITABLE_BY_COORDINATOR if not organisation_rule_error(role, kind))
    return ()


def can_invite_staff(actor: User, *, organisation: Organisation, role: str) -> bool:
    """Site admins invite anyone to any organisation whose kind suits the role; a coordinator invites
    coordinators, tutors (at a college) and health and care staff (at a trust or care provider) to their own
    organisation only."""
    if role not in roles_invitable_by(actor):
        return False
    if organisation_rule_error(role, organisation.kind):
        return False
    return actor.role == Role.ADMIN or actor.organisation_id == organisation.pk


def ensure_can_invite_staff(actor: User, *, organisation: Organisation, role: str) -> None:
    if not can_invite_staff(actor, organisation=organisation, role=role):
        raise PermissionDenied("You cannot invite that person to that organisation.")


def can_manage_invitations(actor: User) -> bool:
    return actor.is_authenticated and actor.role in (Role.ADMIN, Role.COORDINATOR)
