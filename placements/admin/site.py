"""The site admin at /admin/: the same pages, unscoped, for site administrators (Django permissions apply)."""

from django.contrib import admin

from accounts.admin_guards import GuardedAdminMixin
from placements.admin.base import CohortAdminBase, DepartmentAdminBase, OpportunityAdminBase, SiteAdminBase
from placements.models import Cohort, Department, Opportunity, Site


@admin.register(Site)
class SiteAdmin(GuardedAdminMixin, SiteAdminBase):
    list_display = ["name", "organisation", "postcode", "borough"]
    list_select_related = ["organisation"]
    list_filter = ["organisation__kind", "borough"]
    search_fields = ["name", "address", "postcode", "organisation__name"]
    fields = ["organisation", *SiteAdminBase.fields]


@admin.register(Department)
class DepartmentAdmin(GuardedAdminMixin, DepartmentAdminBase):
    list_display = ["name", "organisation", "setting", "site"]
    list_select_related = ["organisation", "site"]
    search_fields = ["name", "site__name", "organisation__name"]
    fields = ["organisation", *DepartmentAdminBase.fields]


@admin.register(Opportunity)
class OpportunityAdmin(GuardedAdminMixin, OpportunityAdminBase):
    list_display = ["title", "organisation", *OpportunityAdminBase.list_display[1:]]
    list_select_related = ["organisation", "site"]
    search_fields = [*OpportunityAdminBase.search_fields, "organisation__name"]
    fieldsets = [("Host", {"fields": ["organisation"]}), *OpportunityAdminBase.fieldsets]


@admin.register(Cohort)
class CohortAdmin(GuardedAdminMixin, CohortAdminBase):
    list_select_related = ["opportunity__organisation"]
    search_fields = ["opportunity__title", "opportunity__organisation__name"]
