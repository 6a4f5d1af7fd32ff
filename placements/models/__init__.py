from placements.models.capacity import Cohort, Department, Opportunity, OpportunityStatus, Site

__all__ = ["Cohort", "Department", "Opportunity", "OpportunityStatus", "Site"]
