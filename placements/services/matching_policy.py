"""A host's matching policy: its coordinators (or a site admin) set the weights within the published limits.

Every change is kept with who made it, when, and the old and new weights (``MatchingPolicy.history``, ADR 0013):
the weights change who gets a place.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import Role, User
from placements.models import MatchingPolicy
from placements.permissions import is_active_coordinator

WEIGHTS = ("widening_participation_weight", "endorsement_weight", "distance_weight")
OUT_OF_RANGE = "Choose a weight from 0 to 3"
NOT_YOURS = "You can only change your own organisation's matching policy."


def can_change_matching_policy(actor: User, policy: MatchingPolicy) -> bool:
    """A site admin (or staff with the admin permission) changes any policy; a coordinator only their host's."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.role == Role.ADMIN or (actor.is_staff and actor.has_perm("placements.change_matchingpolicy")):
        return True
    return is_active_coordinator(actor) and actor.organisation_id == policy.organisation_id


def matching_policy_update(*, actor: User, policy: MatchingPolicy, **weights: int) -> MatchingPolicy:
    """Set the given weights (0 to 3) and save, recording ``actor`` in the policy's history.

    A new (unsaved) policy is created. Saving the same weights again changes nothing and adds no history.
    """
    if not can_change_matching_policy(actor, policy):
        raise PermissionDenied(NOT_YOURS)
    unknown = set(weights) - set(WEIGHTS)
    if unknown:
        raise TypeError(f"Not a weight: {', '.join(sorted(unknown))}")
    errors = {name: OUT_OF_RANGE for name, value in weights.items() if not 0 <= int(value) <= 3}
    if errors:
        raise ValidationError(errors, code="weight")
    with transaction.atomic():
        # Compared with the stored row: an admin form has already set the new values on ``policy``.
        stored = MatchingPolicy.objects.select_for_update().filter(pk=policy.pk).values(*WEIGHTS).first()
        if stored and all(stored[name] == int(value) for name, value in weights.items()):
            return policy
        for name, value in weights.items():
            setattr(policy, name, int(value))
        policy._history_user = actor
        policy.save()
    return policy
