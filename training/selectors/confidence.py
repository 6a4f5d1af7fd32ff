"""Did it work? How confident attendees felt before a session and after it, as totals only (issue 12).

People rate their confidence 1-5 before and after (training.services.staff.attendee_rate_confidence). Colleges
(per catalogue entry) and employers (their staff) see the change, never one person's answer: figures about fewer
than 5 people are not shown (disclosure.suppression), and "N of M felt more confident" only when neither N nor
M - N is a small number, so nobody's answer can be worked out from the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, Q, QuerySet

from disclosure.suppression import is_small, suppress_count
from training.models import Attendance, Attendee


@dataclass(frozen=True)
class ConfidenceChange:
    rated: int  # places (a person on a session) rated both before and after, by people who attended
    people: int  # different people among them: nothing is shown about fewer than 5
    before: float | None
    after: float | None
    rose: int

    @property
    def shown(self) -> bool:
        return suppress_count(self.people).shown and self.people > 0

    @property
    def rose_shown(self) -> bool:
        return self.shown and not is_small(self.rose) and not is_small(self.rated - self.rose)

    @property
    def before_text(self) -> str:
        return _one_place(self.before)

    @property
    def after_text(self) -> str:
        return _one_place(self.after)


NO_RATINGS = ConfidenceChange(rated=0, people=0, before=None, after=None, rose=0)


def _one_place(value) -> str:
    return "" if value is None else str(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _aggregates() -> dict:
    """Over attendees who came and rated both times."""
    both = Q(attendance=Attendance.ATTENDED, confidence_before__isnull=False, confidence_after__isnull=False)
    return {
        "rated": Count("pk", filter=both),
        "people": Count("person", filter=both, distinct=True),
        "before": Avg("confidence_before", filter=both),
        "after": Avg("confidence_after", filter=both),
        "rose": Count("pk", filter=both & Q(confidence_after__gt=F("confidence_before"))),
    }


def confidence_change(attendees: QuerySet[Attendee]) -> ConfidenceChange:
    """The change across ``attendees`` (one query)."""
    row = attendees.order_by().aggregate(**_aggregates())
    return ConfidenceChange(**row)


def confidence_by_entry(entry_ids) -> dict[int, ConfidenceChange]:
    """Per catalogue entry, across all its sessions (one query)."""
    rows = (
        Attendee.objects.filter(session__entry_id__in=list(entry_ids))
        .order_by()
        .values("session__entry_id")
        .annotate(**_aggregates())
    )
    return {
        row["session__entry_id"]: ConfidenceChange(
            rated=row["rated"], people=row["people"], before=row["before"], after=row["after"], rose=row["rose"]
        )
        for row in rows
    }
