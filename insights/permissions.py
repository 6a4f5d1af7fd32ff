"""Who may read insights, upload vacancy figures and take snapshots (views check these; services ensure them)."""

from django.core.exceptions import PermissionDenied

from accounts.models import EMPLOYER_KINDS, Role


def can_read_insights(user) -> bool:
    """Planning partners and site admins. Colleges and hosts get their own filtered view later (ADR 0019)."""
    return bool(user and user.is_authenticated and user.role in (Role.PARTNER, Role.ADMIN))


def can_upload_vacancies(user) -> bool:
    """Partners, site admins, and the coordinators of employers (NHS trusts, care providers) who hold the figures."""
    if not (user and user.is_authenticated):
        return False
    if user.role in (Role.PARTNER, Role.ADMIN):
        return True
    return user.role == Role.COORDINATOR and user.organisation_kind in EMPLOYER_KINDS


def can_take_snapshot(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.ADMIN)


def ensure_can_upload_vacancies(user) -> None:
    if not can_upload_vacancies(user):
        raise PermissionDenied("Only planning partners, site admins and employers' coordinators upload vacancies.")


def ensure_can_take_snapshot(user) -> None:
    if not can_take_snapshot(user):
        raise PermissionDenied("Only site admins take snapshots.")
