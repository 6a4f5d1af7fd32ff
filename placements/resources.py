"""CSV import and export of cohorts (dates and places), scoped to the person doing it.

A coordinator exports and imports only their own organisation's cohorts. Every problem is reported
against its row in plain English; the admin imports nothing unless every row is good.
"""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import fields, resources, widgets

from accounts.models import User
from placements.models import Cohort, Opportunity
from placements.selectors.capacity import cohorts_visible_to, opportunities_visible_to
from placements.services.capacity import MAX_PLACES, cohort_set_capacity
from placements.templatetags.wording import day

COLUMNS = [
    "cohort_id",
    "opportunity_id",
    "opportunity_title",
    "site",
    "start_date",
    "end_date",
    "places",
    "booked",
    "application_deadline",
]
# The resource's own field names for those columns, in the same order.
RESOURCE_FIELDS = [{"opportunity_id": "opportunity"}.get(column, column) for column in COLUMNS]
# Columns an import must have. The others are exported for reference and ignored on import.
IMPORT_COLUMNS = ["cohort_id", "opportunity_id", "start_date", "end_date", "places", "application_deadline"]
EXPORT_ONLY_COLUMNS = [c for c in COLUMNS if c not in IMPORT_COLUMNS]
# Model field -> CSV column, so a message from the model names the column the person sees.
COLUMN_FOR_FIELD = {"id": "cohort_id", "opportunity": "opportunity_id", "capacity": "places"}
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

WRONG_HEADERS = (
    "The first row of the file must be the column headings: {expected}. {problem} "
    "Export your cohorts to get a file with the right headings."
)


def neutralise_formula(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe, so it shows as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _text(value) -> str:
    return "" if value is None else str(value).strip()


class OpportunityIdWidget(widgets.ForeignKeyWidget):
    """An opportunity id that must be one of the importer's own opportunities."""

    def __init__(self):
        super().__init__(Opportunity)
        self.queryset = Opportunity.objects.none()

    def get_queryset(self, value, row, *args, **kwargs):
        return self.queryset

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            raise ValueError("Enter the opportunity ID.")
        if not text.isdigit():
            raise ValueError(f"The opportunity ID must be a whole number, like 123, not “{text}”.")
        try:
            return self.get_queryset(value, row).get(pk=int(text))
        except Opportunity.DoesNotExist:
            raise ValueError(f"Opportunity {text} is not one of yours.") from None


class IsoDateWidget(widgets.DateWidget):
    """A date cell: exported as people write it ("15 March 2027"); imported from that or from 2027-03-15."""

    IMPORT_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y")

    def __init__(self, label: str):
        super().__init__(format="%Y-%m-%d")
        self.label = label

    def render(self, value, obj=None, **kwargs):
        return day(value)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.date):
            return value
        text = " ".join(_text(value).split())
        if not text:
            raise ValueError(f"Enter the {self.label}, for example 15 March 2027 or 2027-03-15.")
        for date_format in self.IMPORT_FORMATS:
            try:
                return datetime.datetime.strptime(text, date_format).date()
            except ValueError:
                continue
        raise ValueError(f"Enter the {self.label} like 15 March 2027 or 2027-03-15, not “{text}”.")


class PlainIntegerWidget(widgets.IntegerWidget):
    """Whole numbers written as plain digits (no thousands separators), so an export imports unchanged."""

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(int(value))


class PlacesWidget(PlainIntegerWidget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            raise ValueError("Enter the number of places.")
        if not text.isdigit():
            raise ValueError(f"Places must be a whole number from 0 to {MAX_PLACES}, not “{text}”.")
        places = int(text)
        if places > MAX_PLACES:
            raise ValueError(f"Places must be {MAX_PLACES} or fewer.")
        return places


class CohortResource(resources.ModelResource):
    cohort_id = fields.Field(attribute="id", column_name="cohort_id", widget=PlainIntegerWidget())
    opportunity = fields.Field(attribute="opportunity", column_name="opportunity_id", widget=OpportunityIdWidget())
    opportunity_title = fields.Field(attribute="opportunity__title", column_name="opportunity_title", readonly=True)
    site = fields.Field(attribute="opportunity__site__name", column_name="site", readonly=True)
    start_date = fields.Field(attribute="start_date", column_name="start_date", widget=IsoDateWidget("start date"))
    end_date = fields.Field(attribute="end_date", column_name="end_date", widget=IsoDateWidget("end date"))
    places = fields.Field(attribute="capacity", column_name="places", widget=PlacesWidget())
    booked = fields.Field(attribute="booked", column_name="booked", readonly=True, widget=PlainIntegerWidget())
    application_deadline = fields.Field(
        attribute="application_deadline",
        column_name="application_deadline",
        widget=IsoDateWidget("application deadline"),
    )

    class Meta:
        model = Cohort
        fields = export_order = RESOURCE_FIELDS
        import_id_fields = ["cohort_id"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, *, actor: User | None = None, **kwargs):
        super().__init__()
        # Without an actor (import-export builds throwaway instances to list the columns) nothing is visible.
        self.actor = actor or AnonymousUser()
        self.fields["opportunity"].widget.queryset = opportunities_visible_to(self.actor)

    def get_queryset(self):
        return (
            cohorts_visible_to(self.actor)
            .select_related("opportunity__site")
            .order_by("opportunity__title", "start_date", "pk")
        )

    # --- export ---------------------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        # Whatever queryset the caller passes, only the actor's own rows leave the building.
        return queryset.filter(pk__in=cohorts_visible_to(self.actor).values("pk")).select_related("opportunity__site")

    def export_field(self, field, instance, **kwargs):
        return neutralise_formula(super().export_field(field, instance, **kwargs))

    # --- import ---------------------------------------------------------------------------------------

    def get_user_visible_fields(self):
        # The import page lists these as "will import"; the reference columns are ignored on import.
        return [field for field in self.get_import_fields() if not field.readonly]

    def before_import(self, dataset, **kwargs):
        dataset.headers = [_text(h).lower() for h in dataset.headers or []]
        blank_rows = [i for i, row in enumerate(dataset) if not any(_text(cell) for cell in row)]
        for index in reversed(blank_rows):
            del dataset[index]
        headers = [h for h in dataset.headers if h]
        missing = [c for c in IMPORT_COLUMNS if c not in headers]
        unknown = [h for h in headers if h not in COLUMNS]
        if missing or unknown:
            problems = []
            if missing:
                problems.append(f"Missing: {', '.join(missing)}.")
            if unknown:
                problems.append(f"Not recognised: {', '.join(unknown)}.")
            # Rows cannot be read without the right headings, so report only this.
            del dataset[0 : len(dataset)]
            raise ValueError(WRONG_HEADERS.format(expected=", ".join(COLUMNS), problem=" ".join(problems)))

    def before_import_row(self, row, **kwargs):
        text = _text(row.get("cohort_id"))
        if not text:
            return
        if not text.isdigit():
            raise ValidationError(
                {"cohort_id": f"The cohort ID must be a whole number, or blank for new dates, not “{text}”."}
            )
        if not self.get_queryset().filter(pk=int(text)).exists():
            raise ValidationError({"cohort_id": f"Cohort {text} is not one of yours. Leave it blank to add new dates."})

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        if result.validation_error is not None:
            result.validation_error = self._name_columns(result.validation_error)
        return result

    @staticmethod
    def _name_columns(error: ValidationError) -> ValidationError:
        if not hasattr(error, "error_dict"):
            return error
        return ValidationError(
            {
                COLUMN_FOR_FIELD.get(name, name) if name != NON_FIELD_ERRORS else name: messages
                for name, messages in error.error_dict.items()
            }
        )

    def do_instance_save(self, instance, is_create):
        instance._history_user = self.actor
        if is_create:
            instance.save(force_insert=True)
            return
        # Dates as they are; places only by the conditional update, so a booking made meanwhile wins.
        instance.save(update_fields=["opportunity", "start_date", "end_date", "application_deadline"])
        cohort_set_capacity(actor=self.actor, cohort=instance, capacity=instance.capacity)
