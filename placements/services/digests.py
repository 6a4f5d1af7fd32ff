"""Digests for staff: coordinators' daily matches and monthly capacity nudge, tutors' weekly summary.

Category DIGEST, so never sent to anyone who switched digests off; once per day, ISO week or month, even when
the job runs late or twice (see reminders.py for the approach). Digests never carry widening-participation
answers or occupational-health notes.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from notifications.models import EmailCategory
from notifications.outbox import absolute_url, email_enqueue
from placements.models import Application, Opportunity, OpportunityStatus, Placement, Round
from placements.models.capacity import STALE_AFTER
from placements.services.reminders import ENDORSABLE, unsent_only
from placements.workflow import Status, staff_label

CAPACITY_NUDGE_AFTER_DAYS = 30
NUDGE_LIST_LIMIT = 20


def _digest_recipients(role: Role):
    return User.objects.filter(role=role, is_active=True, digest_emails=True).select_related("organisation")


def _email_digest(user: User, *, template: str, dedupe_key: str, context: dict) -> None:
    if not user.digest_emails:
        return
    email_enqueue(
        dedupe_key=dedupe_key,
        template=template,
        to_email=user.email,
        recipient=user,
        category=EmailCategory.DIGEST,
        context={
            "organisation": user.organisation,
            "support_email": settings.SUPPORT_EMAIL,
            "preferences_url": absolute_url(reverse("accounts:home")),
            **context,
        },
    )


def coordinators_send_daily_digest(*, today: date | None = None) -> int:
    """Tell each coordinator how many matches wait for their organisation's decision, since when and the first
    decide-by date; once a day."""
    today = today or timezone.localdate()
    # The same matches as host_decisions.proposed_for, counted for every organisation in one query.
    waiting = {
        row["cohort__opportunity__organisation_id"]: row
        for row in Placement.objects.filter(released_at__isnull=True, application__status=Status.MATCHED)
        .values("cohort__opportunity__organisation_id")
        .annotate(count=Count("pk"), oldest=Min("created_at"), first_decide_by=Min("decide_by"))
    }
    coordinators = _digest_recipients(Role.COORDINATOR).filter(organisation_id__in=list(waiting))
    key = f"coordinator_daily_digest:date:{today.isoformat()}:user:"
    coordinators = unsent_only(coordinators, lambda user: f"{key}{user.pk}")
    for coordinator in coordinators:
        row = waiting[coordinator.organisation_id]
        _email_digest(
            coordinator,
            template="coordinator_daily_digest",
            dedupe_key=f"{key}{coordinator.pk}",
            context={
                "count": row["count"],
                "oldest": timezone.localtime(row["oldest"]),
                "first_decide_by": row["first_decide_by"],
                "queue_url": absolute_url(reverse("placements:coordinator-home")),
            },
        )
    return len(coordinators)


def tutors_send_weekly_digest(*, today: date | None = None) -> int:
    """Give each tutor this week's counts of their college's applications by status, for the current rounds."""
    today = today or timezone.localdate()
    rounds = {r.pk: r for r in Round.objects.filter(applications_open_on__lte=today, placements_to__gte=today)}
    applications = Application.objects.filter(round__in=list(rounds), college__isnull=False)
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for row in applications.values("college_id", "round_id", "status").annotate(n=Count("pk")):
        counts[(row["college_id"], row["round_id"])][row["status"]] = row["n"]
    not_endorsed = {
        (row["college_id"], row["round_id"]): row["n"]
        for row in applications.filter(status__in=ENDORSABLE, endorsement__isnull=True)
        .values("college_id", "round_id")
        .annotate(n=Count("pk"))
    }
    by_college: dict[int, list[dict]] = defaultdict(list)
    for (college_id, round_id), by_status in sorted(counts.items(), key=lambda item: rounds[item[0][1]].name):
        by_college[college_id].append(
            {
                "round": rounds[round_id],
                "total": sum(by_status.values()),
                # Staff labels: the tutor reads "Cancelled by the student", not the student's "Cancelled by you".
                "statuses": [(staff_label(status), by_status[status]) for status in Status if status in by_status],
                "not_endorsed": not_endorsed.get((college_id, round_id), 0),
            }
        )
    year, week, _ = today.isocalendar()
    key = f"tutor_weekly_digest:week:{year}-W{week:02d}:user:"
    tutors = _digest_recipients(Role.TUTOR).filter(organisation_id__in=list(by_college))
    tutors = unsent_only(tutors, lambda user: f"{key}{user.pk}")
    for tutor in tutors:
        _email_digest(
            tutor,
            template="tutor_weekly_digest",
            dedupe_key=f"{key}{tutor.pk}",
            context={"rounds": by_college[tutor.organisation_id], "sign_in_url": absolute_url(reverse("home"))},
        )
    return len(tutors)


def coordinators_send_capacity_nudge(*, today: date | None = None) -> int:
    """Once a month, ask coordinators to confirm published opportunities whose places are 30+ days unconfirmed."""
    today = today or timezone.localdate()
    stale = Opportunity.objects.filter(
        status=OpportunityStatus.PUBLISHED, last_confirmed_on__lte=today - timedelta(days=CAPACITY_NUDGE_AFTER_DAYS)
    ).order_by("last_confirmed_on", "title")
    by_organisation: dict[int, list[dict]] = defaultdict(list)
    for opportunity in stale.only("pk", "title", "organisation_id", "last_confirmed_on"):
        by_organisation[opportunity.organisation_id].append(
            {
                "title": opportunity.title,
                "last_confirmed_on": opportunity.last_confirmed_on,
                "hidden": opportunity.last_confirmed_on < today - STALE_AFTER,
            }
        )
    key = f"coordinator_capacity_nudge:month:{today:%Y-%m}:user:"
    coordinators = _digest_recipients(Role.COORDINATOR).filter(organisation_id__in=list(by_organisation))
    coordinators = unsent_only(coordinators, lambda user: f"{key}{user.pk}")
    for coordinator in coordinators:
        opportunities = by_organisation[coordinator.organisation_id]
        _email_digest(
            coordinator,
            template="coordinator_capacity_nudge",
            dedupe_key=f"{key}{coordinator.pk}",
            context={
                "opportunities": opportunities[:NUDGE_LIST_LIMIT],
                "more": max(len(opportunities) - NUDGE_LIST_LIMIT, 0),
                "count": len(opportunities),
                "nudge_after_days": CAPACITY_NUDGE_AFTER_DAYS,
                "hidden_after_days": STALE_AFTER.days,
                "capacity_url": absolute_url(reverse("coordinator:index")),
            },
        )
    return len(coordinators)
