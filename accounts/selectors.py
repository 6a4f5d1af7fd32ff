"""Reads for accounts, scoped to what the asking user may see."""

from django.db.models import QuerySet

from accounts.models import EMPLOYER_KINDS, Invitation, Organisation, Role, User
from notifications.models import OutboundEmail


def invitations_visible_to(user: User) -> QuerySet[Invitation]:
    qs = Invitation.objects.select_related("organisation", "invited_by")
    if user.role == Role.ADMIN:
        return qs
    if user.role == Role.COORDINATOR:
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


def organisations_user_can_invite_to(user: User) -> QuerySet[Organisation]:
    if user.role == Role.ADMIN:
        return Organisation.objects.all()
    if user.role == Role.COORDINATOR:
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def employers_user_can_invite_staff_to(user: User) -> QuerySet[Organisation]:
    """NHS trusts and care providers whose health and care staff ``user`` may invite."""
    return organisations_user_can_invite_to(user).filter(kind__in=EMPLOYER_KINDS)


def emails_sent_to(user: User) -> QuerySet[OutboundEmail]:
    return OutboundEmail.objects.filter(recipient=user).only("subject", "status", "created_at", "sent_at", "category")


def colleges() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind="college").order_by("name")
