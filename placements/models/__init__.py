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
from placements.models.placements import HostDeclineReason, Placement

__all__ = [
    "AnonymisedApplication",
    "Answer",
    "Application",
    "ApplicationChoice",
    "Cohort",
    "DbsStatus",
    "Department",
    "GuardianConsent",
    "HostDeclineReason",
    "Opportunity",
    "OpportunityStatus",
    "Placement",
    "RoutedPreference",
    "Round",
    "Site",
    "StatusChange",
    "WideningParticipation",
]
