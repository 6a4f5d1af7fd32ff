from placements.models.applications import (
    AnonymisedApplication,
    Answer,
    Application,
    ApplicationChoice,
    DbsStatus,
    GuardianConsent,
    Round,
    RoutedPreference,
    StatusChange,
    WideningParticipation,
)
from placements.models.capacity import Cohort, Department, Opportunity, OpportunityStatus, Site
from placements.models.matching import (
    Endorsement,
    MatchingPolicy,
    MatchingRun,
    MatchResult,
    RunKind,
    RunStatus,
)
from placements.models.placements import HostCancelReason, HostDeclineReason, Placement

__all__ = [
    "AnonymisedApplication",
    "Answer",
    "Application",
    "ApplicationChoice",
    "Cohort",
    "DbsStatus",
    "Department",
    "Endorsement",
    "GuardianConsent",
    "HostCancelReason",
    "HostDeclineReason",
    "MatchResult",
    "MatchingPolicy",
    "MatchingRun",
    "Opportunity",
    "OpportunityStatus",
    "Placement",
    "RoutedPreference",
    "Round",
    "RunKind",
    "RunStatus",
    "Site",
    "StatusChange",
    "WideningParticipation",
]
