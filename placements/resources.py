"""CSV import and export of cohorts (dates and places), scoped to the person doing it.

A coordinator exports and imports only their own organisation's cohorts. Every problem is reported
against its row in plain English; the admin imports nothing unless every row is good.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import fields, instance_loaders, resources, widgets
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from placements.models import Cohort, Opportunity, Placement, Round, Site
from placements.selectors.capacity import cohorts_visible_to, opportunities_visible_to
from placements.services.capacity import MAX_PLACES
from placements.services.cohort_changes import (
    ChangeNeedsConfirmation,
    CohortChange,
    cohort_change_plan,
    cohort_update,
    cohorts_update_unaffected,
    current_placements,
    round_problem,
)
from placements.services.finder_listing import listings_refresh_on_commit
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

# Limits on one uploaded file; settings COHORT_IMPORT_MAX_ROWS and COHORT_IMPORT_MAX_BYTES override them.
# 5,000 rows is a year of weekly dates for 96 opportunities; at about 80 bytes a row it fits in 1 MB.
DEFAULT_MAX_ROWS = 5_000
DEFAULT_MAX_BYTES = 1_000_000


def max_rows() -> int:
    return int(getattr(settings, "COHORT_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def max_bytes() -> int:
    return int(getattr(settings, "COHORT_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


BATCH_SIZE = 500
AFFECTED_SINCE_PREVIEW = (
    "Students have been matched, offered or placed on these dates since your preview, so nothing was imported. "
    "Upload the file again to see who is affected."
)

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


def _is_whole_number(text: str) -> bool:
    # str.isdigit() is also true for "²" and "٣", which int() refuses or reads differently.
    return text.isascii() and text.isdigit()


class OpportunityIdWidget(widgets.ForeignKeyWidget):
    """An opportunity id that must be one of the importer's own opportunities."""

    def __init__(self):
        super().__init__(Opportunity)
        self.queryset = Opportunity.objects.none()
        # The importer's own opportunities by id, read once per file (see CohortResource._preload).
        self.cache: dict[int, Opportunity] | None = None

    def get_queryset(self, value, row, *args, **kwargs):
        return self.queryset

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            raise ValueError("Enter the opportunity ID.")
        if not _is_whole_number(text):
            raise ValueError(f"The opportunity ID must be a whole number, like 123, not “{text}”.")
        if self.cache is not None:
            if int(text) not in self.cache:
                raise ValueError(f"Opportunity {text} is not one of yours.")
            return self.cache[int(text)]
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
        if not _is_whole_number(text):
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
        # New rows are inserted in batches (``bulk_create``); changed rows go through the service one by one.
        use_bulk = True
        batch_size = BATCH_SIZE
        instance_loader_class = instance_loaders.ModelInstanceLoader

    def __init__(
        self,
        *,
        actor: User | None = None,
        confirmed: frozenset[int] = frozenset(),
        affected: list | None = None,
        **kwargs,
    ):
        """``confirmed``: placement ids the person saw on the preview; ``affected``: a list the preview fills
        with the students the file's changes affect (``None`` on the confirm step)."""
        super().__init__()
        # Without an actor (import-export builds throwaway instances to list the columns) nothing is visible.
        self.actor = actor or AnonymousUser()
        self.confirmed = confirmed
        self.affected = affected
        self.fields["opportunity"].widget.queryset = opportunities_visible_to(self.actor)
        self.cohorts: dict[int, Cohort] = {}

    def get_instance(self, instance_loader, row):
        # Read once in ``_preload``; a copy, because the row's values are written onto it.
        text = _text(row.get("cohort_id"))
        cohort = self.cohorts.get(int(text)) if _is_whole_number(text) else None
        if cohort is None:
            return None
        copy = Cohort(**{f.attname: getattr(cohort, f.attname) for f in Cohort._meta.concrete_fields})
        copy._state.adding = False
        copy.opportunity = self._light_opportunities[cohort.opportunity_id]
        return copy

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
    #
    # Built for files of thousands of rows: everything a row is checked against (the importer's cohorts and
    # opportunities, the rounds, the students placed in the cohorts being changed) is read once, before the
    # rows; new cohorts are inserted in batches with their history rows; a changed cohort goes through
    # ``cohort_update`` (the same rules and emails as the admin page). Unchanged rows cost nothing.

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
        if len(dataset) > max_rows():
            count = len(dataset)
            del dataset[0 : len(dataset)]
            raise ValueError(too_many_rows(count))
        self._preload(dataset)

    def _preload(self, dataset) -> None:
        ids = {
            int(text) for text in (_text(v) for v in dataset["cohort_id"]) if _is_whole_number(text) and len(text) < 12
        }
        self.cohorts = {
            cohort.pk: cohort for chunk in _chunks(sorted(ids)) for cohort in self.get_queryset().filter(pk__in=chunk)
        }
        # import-export deep-copies each row's cohort to compare with: a copy of a full opportunity, site and
        # all, costs a millisecond a row, so the cohorts point at opportunities with just the columns shown.
        self._light_opportunities = {}
        for cohort in self.cohorts.values():
            opportunity = cohort.opportunity
            if opportunity.pk not in self._light_opportunities:
                light = Opportunity.from_db(
                    None,
                    ["id", "organisation_id", "site_id", "title"],
                    [opportunity.pk, opportunity.organisation_id, opportunity.site_id, opportunity.title],
                )
                light.site = Site.from_db(None, ["id", "name"], [opportunity.site_id, opportunity.site.name])
                self._light_opportunities[opportunity.pk] = light
        opportunities = opportunities_visible_to(self.actor).select_related("site", "organisation")
        self.fields["opportunity"].widget.cache = {o.pk: o for o in opportunities}
        self.rounds = list(Round.objects.all())
        self.placements = current_placements(self.cohorts)
        self.with_placements = {
            pk
            for chunk in _chunks(sorted(self.cohorts))
            for pk in Placement.objects.filter(cohort_id__in=chunk).values_list("cohort_id", flat=True).distinct()
        }

    def _plan(self, instance: Cohort) -> CohortChange:
        return cohort_change_plan(
            stored=self.cohorts[instance.pk],
            opportunity_id=instance.opportunity_id,
            start_date=instance.start_date,
            end_date=instance.end_date,
            capacity=instance.capacity,
            placements=self.placements.get(instance.pk, []),
            rounds=self.rounds,
            has_placements=instance.pk in self.with_placements,
        )

    def before_import_row(self, row, **kwargs):
        text = _text(row.get("cohort_id"))
        if not text:
            return
        if not _is_whole_number(text):
            raise ValidationError(
                {"cohort_id": f"The cohort ID must be a whole number, or blank for new dates, not “{text}”."}
            )
        if int(text) not in self.cohorts:
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

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's own rules, checked in Python: the opportunity was checked by its widget, and the
        database constraints are the same rules as ``Cohort.clean`` (so no query per row)."""
        errors = dict(import_validation_errors or {})
        try:
            instance.clean_fields(exclude={*errors, "opportunity"})
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not errors:
            try:
                instance.clean()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if not errors:
            if instance._state.adding:
                problem = round_problem(rounds=self.rounds, start_date=instance.start_date, end_date=instance.end_date)
            else:
                problem = self._plan(instance).problem
            if problem is not None:
                errors = problem.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        if is_create:
            self.create_instances.append(instance)
            return
        if not self._plan(instance).affected:
            self.update_instances.append(instance)
            return
        # Students hold, are offered or are matched to these dates: one by one, with the emails.
        changes = {
            "actor": self.actor,
            "cohort": instance,
            "opportunity": instance.opportunity,
            "start_date": instance.start_date,
            "end_date": instance.end_date,
            "application_deadline": instance.application_deadline,
            "capacity": instance.capacity,
            "rounds": self.rounds,
        }
        try:
            cohort_update(**changes, confirmed=self.confirmed)
        except ChangeNeedsConfirmation as needed:
            if not kwargs.get("dry_run") or self.affected is None:
                raise ValidationError(AFFECTED_SINCE_PREVIEW, code="affected_since_preview") from None
            # The preview lists them; the confirm step brings their ids back.
            self.affected.extend(needed.affected)
            cohort_update(**changes, confirmed={a.placement_id for a in needed.affected})

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.create_instances:
            return
        try:
            bulk_create_with_history(
                self.create_instances, Cohort, batch_size=batch_size or BATCH_SIZE, default_user=self.actor
            )
            listings_refresh_on_commit(c.opportunity_id for c in self.create_instances)  # no post_save in bulk
        except Exception as error:  # noqa: BLE001 — reported as the file's error; the import is rolled back
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.update_instances:
            return
        try:
            cohorts_update_unaffected(
                actor=self.actor, cohorts=list(self.update_instances), batch_size=batch_size or BATCH_SIZE
            )
        except ChangeNeedsConfirmation:
            self.handle_import_error(result, ValueError(AFFECTED_SINCE_PREVIEW), raise_errors)
        except ValidationError as error:
            self.handle_import_error(result, ValueError(" ".join(error.messages)), raise_errors)
        except Exception as error:  # noqa: BLE001 — reported as the file's error; the import is rolled back
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.update_instances.clear()

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.affected_students = ChangeNeedsConfirmation(self.affected or [], []).affected


def _chunks(values: list, size: int = 900):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def too_many_rows(count: int) -> str:
    return (
        f"The file has {count:,} rows of dates. Import at most {max_rows():,} at a time: split the file into "
        "smaller files and import each one."
    )


def file_too_big(size: int) -> str:
    return (
        f"The file is {_megabytes(size)}. It must be {_megabytes(max_bytes())} or smaller (at most "
        f"{max_rows():,} rows): split it into smaller files and import each one."
    )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{max(size // 1000, 1)} KB"
