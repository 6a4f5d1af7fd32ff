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

__all__ = [
    "AnonymisedApplication",
    "Answer",
    "Application",
    "ApplicationChoice",
    "Cohort",
    "DbsStatus",
    "Department",
    "GuardianConsent",
    "Opportunity",
    "OpportunityStatus",
    "RoutedPreference",
    "Round",
    "Site",
    "StatusChange",
    "WideningParticipation",
]
