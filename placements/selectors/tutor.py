"""What a college tutor may see: their own college's applications, without sensitive answers."""

from datetime import timedelta

import django_filters
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from placements.models import Application, Placement, Round
from placements.taxonomy import ProfessionArea
from placements.workflow import STAFF_CHOICES, TERMINAL, Status

# Never selected for tutors: widening-participation answers live in another table, and these stay out too.
HIDDEN_FROM_TUTORS = ("occupational_health_notes",)


def applications_for_tutor(user: User) -> QuerySet[Application]:
    # Only an offer still waiting for the student's answer can expire: an accepted place keeps its old deadline.
    expiring = Placement.objects.filter(
        application=OuterRef("pk"),
        application__status=Status.OFFERED,
        released_at__isnull=True,
        offer_expires_at__lte=timezone.now() + timedelta(hours=48),
    )
    return (
        Application.objects.filter(college_id=user.organisation_id)
        .defer(*HIDDEN_FROM_TUTORS)
        .select_related("round", "endorsement")
        .prefetch_related(
            Prefetch(
                "placements",
                to_attr="host_declines",
                queryset=Placement.objects.exclude(host_decline_reason="").select_related("cohort__opportunity"),
            )
        )
        .annotate(
            # Read through the endorsement's join that select_related makes anyway: an EXISTS here became a
            # hashed subplan over every endorsement in London on PostgreSQL (issue 15).
            has_endorsement=Q(endorsement__isnull=False),
            offer_expiring=Exists(expiring),
        )
    )


class TutorApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name or reference")
    round = django_filters.ModelChoiceFilter(queryset=Round.objects.all(), empty_label="All rounds")
    # Staff labels: the student-facing "Cancelled by you" would read as the tutor's own doing.
    status = django_filters.ChoiceFilter(choices=STAFF_CHOICES, empty_label="Any status")
    area = django_filters.ChoiceFilter(
        choices=ProfessionArea.choices, method="in_area", label="Area of work", empty_label="Any area"
    )
    needs = django_filters.ChoiceFilter(
        method="needing",
        label="Needs attention",
        empty_label="Everyone",
        choices=[
            ("endorsement", "Not yet endorsed"),
            ("consent", "Waiting for guardian consent"),
            ("expiring", "Offer expiring in 48 hours"),
        ],
    )
    sort = django_filters.OrderingFilter(
        fields=(("last_name", "name"), ("status", "status"), ("submitted_at", "submitted")),
        field_labels={"last_name": "Name", "status": "Status", "submitted_at": "Submitted"},
        label="Sort by",
        empty_label="Newest first",
    )

    class Meta:
        model = Application
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(first_name__icontains=value) | Q(last_name__icontains=value) | Q(reference__iexact=value))
            if value
            else queryset
        )

    def in_area(self, queryset, name, value):
        # JSON "contains" is not available on SQLite for lists, so match the quoted value in the stored text.
        return queryset.filter(profession_areas__icontains=f'"{value}"')

    def needing(self, queryset, name, value):
        if value == "endorsement":
            # Only applications an endorsement can still help: submitted and not ended.
            return queryset.filter(has_endorsement=False).exclude(status=Status.DRAFT).exclude(status__in=TERMINAL)
        if value == "consent":
            return queryset.filter(status=Status.AWAITING_CONSENT)
        if value == "expiring":
            return queryset.filter(offer_expiring=True)
        return queryset
