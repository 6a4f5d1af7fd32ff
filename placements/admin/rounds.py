"""Site-admin pages for rounds and (read-only) applications."""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q

from accounts.admin_guards import GuardedAdminMixin
from placements.admin.audit import ApplicationAuditTrailMixin
from placements.models import Application, Placement, Round, StatusChange
from placements.templatetags.wording import day_range
from placements.workflow import STAFF_CHOICES, staff_label

# Placements a round's dates must keep inside them: students matched, offered or holding a place.
PLACED_OUTSIDE = (
    "{count} placement{s} in this round {are} outside these dates, for example {example}. Move or cancel "
    "{them} first (the students are told), or keep the round's dates around them."
)


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = [
            "name",
            "applications_open_on",
            "applications_close_on",
            "matching_on",
            "outcomes_by",
            "placements_from",
            "placements_to",
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("placements_from"), cleaned.get("placements_to")
        if self.instance.pk and start and end:
            outside = (
                Placement.objects.filter(application__round=self.instance, released_at__isnull=True)
                .filter(Q(cohort__start_date__lt=start) | Q(cohort__end_date__gt=end))
                .select_related("cohort__opportunity")
                .order_by("cohort__start_date")
            )
            count = outside.count()
            if count:
                first = outside.first()
                example = (
                    f"{first.cohort.opportunity.title}, {day_range(first.cohort.start_date, first.cohort.end_date)}"
                )
                plural = count != 1
                raise forms.ValidationError(
                    PLACED_OUTSIDE.format(
                        count=count,
                        s="s" if plural else "",
                        are="are" if plural else "is",
                        example=example,
                        them="them" if plural else "it",
                    ),
                    code="placed_outside",
                )
        return cleaned


class StaffStatusFilter(admin.SimpleListFilter):
    """Statuses as staff read them ("Cancelled by the student", not the student's "Cancelled by you")."""

    title = "status"
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return STAFF_CHOICES

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(status=value) if value in dict(STAFF_CHOICES) else queryset


@admin.register(Round)
class RoundAdmin(GuardedAdminMixin, admin.ModelAdmin):
    form = RoundForm
    list_display = [
        "name",
        "applications_open_on",
        "applications_close_on",
        "matching_on",
        "outcomes_by",
        "placements_from",
        "placements_to",
        "application_count",
    ]
    fieldsets = [
        (None, {"fields": ["name"]}),
        ("Applications", {"fields": ["applications_open_on", "applications_close_on"]}),
        (
            "Matching and outcomes",
            {
                "fields": ["matching_on", "outcomes_by"],
                "description": "Students can change their answers until matching.",
            },
        ),
        (
            "Placements in this round",
            {
                "fields": ["placements_from", "placements_to"],
                "description": "Cohorts whose dates fall in this period belong to the round.",
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(applications_total=Count("applications"))

    @admin.display(description="applications", ordering="applications_total")
    def application_count(self, obj):
        return obj.applications_total


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ApplicationAuditTrailMixin, GuardedAdminMixin, admin.ModelAdmin):
    """Read-only: applications change only through the services, so every change is recorded; each has an
    audit trail page (placements/admin/audit.py)."""

    list_display = ["reference", "round", "status_for_staff", "college", "submitted_at"]
    list_filter = ["round", StaffStatusFilter]
    list_select_related = ["round", "college"]
    search_fields = ["reference", "student__email"]
    inlines = [StatusChangeInline]
    exclude = ["student"]
    # An application's own page is the student's (/my-application/): a site admin following the link gets a 404.
    view_on_site = False

    def get_readonly_fields(self, request, obj=None):
        return [
            "status_for_staff" if f.name == "status" else f.name
            for f in Application._meta.concrete_fields
            if f.name != "student"
        ]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    @admin.display(description="status", ordering="status")
    def status_for_staff(self, obj):
        return staff_label(obj.status)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
