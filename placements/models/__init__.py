from placements.models.applications import (
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
