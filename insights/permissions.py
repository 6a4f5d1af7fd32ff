"""Who may read insights, whose figures they read, who uploads vacancy figures and takes snapshots (views check
these; services ensure them). Every check is role AND organisation (ADR 0019)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from accounts.models import EMPLOYER_KINDS, HOST_KINDS, PARTNER_KINDS, OrganisationKind, Role


@dataclass(frozen=True, slots=True)
class InsightsScope:
    """Whose figures a reader sees: the whole of London, or one organisation's own.

    An organisation sees its own applicants (a college: the students who applied through it) and the places at
    its own sites (any host, a college included), never London's tables (ADR 0019, "Colleges and hosts").
    """

    organisation_id: int | None = None
    applicants: bool = True
    places: bool = True

    @property
    def is_london(self) -> bool:
        return self.organisation_id is None

    def shows(self, table: str) -> bool:
        """Whether the reader sees the who-gets-in table ``table`` (its slug). Widening participation and the medians
        are counted for London only, so an organisation sees its applicants (a college) and its places."""
        if self.is_london:
            return True
        return (table == "funnel" and self.applicants) or (table == "places" and self.places)

    @property
    def key(self) -> str:
        """The organisation's key in the snapshot's organisation-id dimensions (funnel college_id, places host_id)."""
        return str(self.organisation_id)


LONDON = InsightsScope()


def can_read_london(user) -> bool:
    """The whole of London: planning partners (who belong to a partner organisation) and site admins."""
    if not (user and user.is_authenticated):
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.PARTNER and user.organisation_kind in PARTNER_KINDS


def insights_scope(user) -> InsightsScope | None:
    """What ``user`` may read of the insights pages, or None for nothing (their pages answer 404).

    A coordinator reads their own organisation's figures: a college's (its applicants and places at its sites),
    an NHS trust's or a care provider's (places at its sites). Tutors, students and staff read nothing here.
    """
    if can_read_london(user):
        return LONDON
    if not (user and user.is_authenticated) or user.role != Role.COORDINATOR or not user.organisation_id:
        return None
    if user.organisation_kind not in HOST_KINDS:
        return None
    return InsightsScope(
        organisation_id=user.organisation_id,
        applicants=user.organisation_kind == OrganisationKind.COLLEGE,
        places=True,
    )


def can_read_insights(user) -> bool:
    """Any insights page at all: London's readers, and colleges' and hosts' coordinators for their own figures."""
    return insights_scope(user) is not None


def can_upload_vacancies(user) -> bool:
    """Partners, site admins, and the coordinators of employers (NHS trusts, care providers) who hold the figures."""
    if not (user and user.is_authenticated):
        return False
    if can_read_london(user):
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
