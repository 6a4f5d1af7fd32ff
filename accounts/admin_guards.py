"""What every ModelAdmin on both admin sites shares so that a hostile or mistyped request gets a clear answer.

Django's admin trusts its own links: a filter value with a NUL byte (which PostgreSQL refuses), a year no
calendar has, a selection that is not an id (or a number too big for SQLite), or an empty ``_to_field``
reach the database or Python's ``datetime`` and end as a server error. Here each gets the admin's usual
answer instead: the list's "?e=1" page for filters it cannot apply, the "Items must be selected" warning for
an empty selection, "not found" for an id that cannot be one, a form error for a choice that cannot be one,
and no matches for a search that cannot match.

Every ModelAdmin registered on ``/admin/`` and ``/coordinator/`` inherits ``GuardedAdminMixin`` (a test walks
both registries); one with django-import-export also inherits ``GuardedExportMixin``.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.forms import ModelMultipleChoiceField
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse

NUL = "\x00"
EXPORT_FILTERS_UNKNOWN = (
    "The export link had filters this list does not have, so nothing was exported. "
    "Choose the filters on the list, then export again."
)


def is_possible_value(model_field, value) -> bool:
    """Whether ``value`` could be stored in ``model_field``: the right type, in the database's range (SQLite
    cannot even compare a 20-digit number), and without NUL (PostgreSQL refuses it in text)."""
    if NUL in str(value):
        return False
    try:
        python_value = model_field.to_python(value)
        if python_value not in model_field.empty_values:
            model_field.run_validators(python_value)
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return True


class GuardedModelMultipleChoiceField(ModelMultipleChoiceField):
    """Choices that cannot be ids are refused as unknown choices before the database is asked about them."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        model_field = self.queryset.model._meta.pk if key == "pk" else self.queryset.model._meta.get_field(key)
        for pk in value:
            if not is_possible_value(model_field, pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class GuardedChangeList(ChangeList):
    """A list whose filters the database cannot apply answers "?e=1", as for any other unknown filter."""

    def get_filters(self, request):
        for values in self.get_filters_params().values():
            if any(NUL in str(value) for value in values):
                raise IncorrectLookupParameters("A filter value contains a NUL character.")
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            # The date hierarchy builds dates from the query string: year 99999999999, or 31 December 9999
            # plus a day, cannot be a date.
            raise IncorrectLookupParameters(error) from error


class _GuardedAutocompleteMixin:
    """A form re-shown with an impossible choice (not an id, or with a NUL) lists no choice instead of failing."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        to_field = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        possible = [v for v in value if v in (None, "") or is_possible_value(to_field, v)]
        return super().optgroups(name, possible, attr)


class GuardedAutocompleteSelect(_GuardedAutocompleteMixin, AutocompleteSelect):
    pass


class GuardedAutocompleteSelectMultiple(_GuardedAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class GuardedAdminMixin:
    """Put first in a ModelAdmin's bases."""

    def get_changelist(self, request, **kwargs):
        changelist = super().get_changelist(request, **kwargs)
        if issubclass(changelist, GuardedChangeList):
            return changelist
        return type(changelist.__name__, (GuardedChangeList, changelist), {})

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and helpers.ACTION_CHECKBOX_NAME in request.POST:
            # Only ids that could exist count as selected; with none, Django asks to select items.
            data = request.POST.copy()
            selected = data.getlist(helpers.ACTION_CHECKBOX_NAME)
            data.setlist(helpers.ACTION_CHECKBOX_NAME, [v for v in selected if is_possible_value(self.opts.pk, v)])
            request.POST = data
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        if NUL in search_term:
            # Nothing stored can contain it (the autocomplete widgets send any text they are given).
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)

    def get_object(self, request, object_id, from_field=None):
        # "?_to_field=" (empty) means the primary key, as no "_to_field" does.
        return super().get_object(request, object_id, from_field or None)

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history looks the id up without checking it can be one.
        if not is_possible_value(self.opts.pk, unquote(object_id)):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history's page for one past version: both ids come from the address.
        history = getattr(self.model, self.opts.simple_history_manager_attribute)
        if not (
            is_possible_value(self.opts.pk, unquote(object_id))
            and is_possible_value(history.model._meta.pk, unquote(version_id))
        ):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = GuardedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = GuardedAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        kwargs.setdefault("form_class", GuardedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class GuardedExportMixin:
    """django-import-export's export page: filters it cannot apply are said so, on the list, not a server error."""

    def export_action(self, request):
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            self.message_user(request, EXPORT_FILTERS_UNKNOWN, messages.ERROR)
            opts = self.opts
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist", current_app=self.admin_site.name)
            )


class GuardedModelAdmin(GuardedAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyAdminMixin:
    """For a record the admin only shows (written by the app, never by hand): no add, change or delete.
    Put first in a ModelAdmin's bases."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
