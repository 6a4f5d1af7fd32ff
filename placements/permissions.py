"""Action predicates (``can_<verb>_<entity>``) and their ``ensure_`` forms, called inside services."""

from django.core.exceptions import PermissionDenied

from accounts.models import Role, User
from placements.models import Opportunity


def is_active_coordinator(user: User) -> bool:
    """A signed-in, active coordinator with an organisation: who may use the coordinator admin."""
    return bool(user.is_authenticated and user.is_active and user.role == Role.COORDINATOR and user.organisation_id)


def can_manage_opportunity(actor: User, opportunity: Opportunity) -> bool:
    """Site admins manage any opportunity; a coordinator manages their own organisation's only."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.role == Role.ADMIN:
        return True
    return is_active_coordinator(actor) and actor.organisation_id == opportunity.organisation_id


def ensure_can_manage_opportunity(actor: User, opportunity: Opportunity) -> None:
    if not can_manage_opportunity(actor, opportunity):
        raise PermissionDenied("You can only manage your own organisation's opportunities.")
