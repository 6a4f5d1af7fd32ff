"""Insights pages: counts from a snapshot, never a person (ADR 0019). Planning partners and site admins read London's
figures; colleges' and hosts' coordinators read their own organisation's on the summary and who gets in."""

from __future__ import annotations

import csv
from datetime import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.access import role_required
from accounts.models import OrganisationKind, Role
from insights import tables
from insights.charts import bar_chart, summary_sentence
from insights.forms import ReportFilterForm, VacancyUploadForm
from insights.models import Theme
from insights.permissions import can_read_insights, can_read_london, can_upload_vacancies, insights_scope
from insights.selectors.pages import (
    documents_visible_to,
    snapshot_documents,
    snapshots_for_admin,
    snapshots_for_choice,
)
from insights.services.snapshots import snapshot_request
from insights.services.vacancies import VacancyFileError, vacancies_import
from placements.resources import neutralise_formula


def _readers(can_read):
    """Signed-in readers for whom ``can_read(user)`` holds pass; anonymous visitors sign in; anyone else gets 404."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can_read(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# London's figures (every theme, comparing snapshots): planning partners and site admins.
readers_only = _readers(can_read_london)
# The summary and who gets in: London's readers, and colleges' and hosts' coordinators for their own figures.
organisation_readers = _readers(can_read_insights)
admins_only = role_required(Role.ADMIN)

WHO_TABLES = ("funnel", "places", "wp", "wp-factors")


# An organisation's figures are one row each (its applicants, its places), so they have one breakdown.
ORGANISATION_BREAKDOWNS = {
    "college": {"college": "Your college"},
    "host": {"host_kind": "Your organisation"},
}


def report_for(request, *, themes, breakdowns):
    """The chosen snapshot, the documents the reader may see, the filter form, the chosen period and breakdown,
    and whose figures they are (``scope``; ``organisation`` is the organisation's name, or None for London).

    Two queries for the snapshot and its documents (a third for an organisation's name). An organisation's reader
    gets only its own rows (``documents_visible_to``) and its one breakdown, whatever the query string says.
    """
    scope = insights_scope(request.user)
    if scope is None:
        raise Http404
    organisation = None
    if not scope.is_london:
        organisation = request.user.organisation
        themes = [theme for theme in themes if theme == Theme.WHO_GETS_IN]
        breakdowns = ORGANISATION_BREAKDOWNS["college" if scope.applicants else "host"]
    snapshots = snapshots_for_choice()
    if not snapshots:
        return None
    chosen_pk = request.GET.get("snapshot", "")
    snapshot = next((s for s in snapshots if str(s.pk) == chosen_pk), snapshots[0])
    form = ReportFilterForm(request.GET or None, snapshots=snapshots, periods=snapshot.periods, breakdowns=breakdowns)
    if form.is_bound:
        form.is_valid()
    default_period = snapshot.periods[0]["key"] if snapshot.periods else ""
    period_key = form.value("period", default_period)
    period = next((p for p in snapshot.periods if p["key"] == period_key), None)
    breakdown = form.value("breakdown", next(iter(breakdowns)))
    documents = snapshot_documents(snapshot, themes) if themes else {}
    if organisation is not None:
        documents = documents_visible_to(
            scope,
            documents,
            college_label=organisation.name,
            host_label=OrganisationKind(organisation.kind).label,
        )
    # Show the form with what is actually on the page, even after a hostile or stale query string.
    form = ReportFilterForm(
        {"snapshot": snapshot.pk, "period": period["key"] if period else "", "breakdown": breakdown},
        snapshots=snapshots,
        periods=snapshot.periods,
        breakdowns=breakdowns,
    )
    return {
        "snapshot": snapshot,
        "documents": documents,
        "form": form,
        "period": period,
        "breakdown": breakdown,
        "scope": scope,
        "organisation": organisation,
    }


def _demand_for(period: dict | None, demand: dict) -> tuple[str | None, dict]:
    """The latest month of vacancy figures on or before the end of ``period``."""
    if not period:
        return None, {}
    months = sorted(month for month in demand if month <= period["end"][:7])
    if not months:
        return None, {}
    label = datetime.strptime(months[-1], "%Y-%m").strftime("%B %Y")
    return label, demand[months[-1]]


class _Echo:
    """A file that hands back what is written to it, so csv.writer formats one row at a time."""

    def write(self, value):
        return value


def _csv_lines(table: tables.Table):
    writer = csv.writer(_Echo())
    for row in table.csv_rows():
        # A cell a spreadsheet would run as a formula (a college named "=HYPERLINK(...)") is shown as text.
        yield writer.writerow([neutralise_formula(cell) for cell in row])


def csv_response(table: tables.Table, filename: str) -> StreamingHttpResponse:
    """Exactly ``table`` as CSV, streamed a row at a time (issue 15): the same object the page shows."""
    response = StreamingHttpResponse(_csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def with_chart(table: tables.Table, noun: str) -> dict:
    total = table.total[1] if table.total else "0"
    return {
        "table": table,
        "chart": bar_chart(title=table.caption, bars=table.bars, series=table.series) if table.bars else "",
        "summary": summary_sentence(bars=table.bars, noun=noun, total=total),
    }


def _summary_table(report) -> tables.Table:
    who = report["documents"].get(Theme.WHO_GETS_IN, {})
    demand = report["documents"].get(Theme.SUPPLY_DEMAND, {}).get("demand", {})
    key = report["period"]["key"] if report["period"] else ""
    period_places = who.get("places", {}).get(key, {})
    places = period_places.get(report["breakdown"], {})
    month, figures = _demand_for(report["period"], demand)
    report["demand_month"] = month
    # By board, suppressed with the same places by borough (who gets in shows those): tables.suppressed_breakdown.
    return tables.supply_demand_table(
        places, figures.get(report["breakdown"], {}), report["breakdown"], boroughs=period_places.get("borough")
    )


APPLICANT_KEY_FIGURES = ("Applicants", "Offered a place", "Accepted", "Offer acceptance rate", "Completed")


def _key_figures(report) -> list[tuple[str, str]]:
    """The summary's key figures: the total line of the applicants and places tables the reader may see (London's
    by any breakdown, an organisation's own row), suppressed as those tables are."""
    scope = report["scope"]
    who = report["documents"].get(Theme.WHO_GETS_IN, {})
    key = report["period"]["key"] if report["period"] else ""
    funnel_by = "profession" if scope.is_london else "college"
    figures = []
    if scope.applicants:
        funnel = tables.funnel_table(who.get("funnel", {}).get(key, {}).get(funnel_by, {}), funnel_by)
        people = dict(funnel.labelled_total)
        figures += [(label, people.get(label, "0")) for label in APPLICANT_KEY_FIGURES]
    if scope.places:
        places = tables.places_table(who.get("places", {}).get(key, {}).get("host_kind", {}), "host_kind")
        place = dict(places.labelled_total)
        figures += [
            ("Places offered by hosts" if scope.is_london else "Places offered", place.get("Places offered", "0")),
            ("Fill rate (places taken out of places offered)", place.get("Fill rate", tables.NOT_SHOWN)),
        ]
    return figures


@organisation_readers
def summary(request):
    report = report_for(request, themes=[Theme.WHO_GETS_IN, Theme.SUPPLY_DEMAND], breakdowns=tables.DEMAND_BREAKDOWNS)
    if report is None:
        return render(request, "insights/summary.html", {"report": None})
    context = {"report": report, "key_figures": _key_figures(report), "query_string": report_query(report)}
    if report["scope"].is_london:
        # Vacancies are London's, by profession and ICB: an organisation's page has its own figures only.
        context.update(with_chart(_summary_table(report), "places offered"))
    return render(request, "insights/summary.html", context)


@organisation_readers
def summary_csv(request):
    report = report_for(request, themes=[Theme.WHO_GETS_IN, Theme.SUPPLY_DEMAND], breakdowns=tables.DEMAND_BREAKDOWNS)
    if report is None or not report["scope"].is_london:
        # An organisation's summary has no table to download (its tables are on "Who gets in").
        raise Http404
    return csv_response(_summary_table(report), report_filename("supply-and-demand", report))


def _who_table(report, which: str) -> tables.Table:
    who = report["documents"].get(Theme.WHO_GETS_IN, {})
    key = report["period"]["key"] if report["period"] else ""
    breakdown = report["breakdown"]
    if which == "wp":
        return tables.wp_table(who.get("wp", {}).get(key))
    if which == "wp-factors":
        return tables.wp_factors_table(who.get("wp_factors", {}).get(key))
    if which == "places":
        # An organisation's own places are filed under its kind of host (selectors/pages.documents_visible_to).
        fallback = "profession" if report["scope"].is_london else "host_kind"
        dimension = breakdown if breakdown in tables.PLACES_BREAKDOWNS else fallback
        places = who.get("places", {}).get(key, {})
        return tables.places_table(places.get(dimension, {}), dimension, boroughs=places.get("borough"))
    funnel = who.get("funnel", {}).get(key, {})
    return tables.funnel_table(funnel.get(breakdown, {}), breakdown, boroughs=funnel.get("borough"))


WHO_BREAKDOWNS = {**tables.FUNNEL_BREAKDOWNS, "host_kind": "Kind of host (places only)"}


@organisation_readers
def who_gets_in(request):
    report = report_for(request, themes=[Theme.WHO_GETS_IN], breakdowns=WHO_BREAKDOWNS)
    if report is None:
        return render(request, "insights/who_gets_in.html", {"report": None})
    funnel_breakdown = report["breakdown"] if report["breakdown"] in tables.FUNNEL_BREAKDOWNS else "profession"
    applicants = (
        report["documents"]
        .get(Theme.WHO_GETS_IN, {})
        .get("funnel", {})
        .get(report["period"]["key"] if report["period"] else "", {})
    )
    # By borough or board, both levels are suppressed together (tables.suppressed_breakdown).
    funnel = tables.funnel_table(
        applicants.get(funnel_breakdown, {}), funnel_breakdown, boroughs=applicants.get("borough")
    )
    places = _who_table(report, "places")
    wp = _who_table(report, "wp")
    wp_factors = _who_table(report, "wp-factors")
    who = report["documents"].get(Theme.WHO_GETS_IN, {})
    timings = tables.timing_figures(who.get("timings", {}).get(report["period"]["key"] if report["period"] else ""))
    return render(
        request,
        "insights/who_gets_in.html",
        {
            "report": report,
            "funnel": with_chart(funnel, "applicants"),
            "places": with_chart(places, "places offered"),
            "wp": wp,
            "wp_factors": wp_factors,
            "timings": timings,
            "query_string": report_query(report),
        },
    )


@organisation_readers
def who_gets_in_csv(request, table):
    if table not in WHO_TABLES:
        raise Http404
    report = report_for(request, themes=[Theme.WHO_GETS_IN], breakdowns=WHO_BREAKDOWNS)
    if report is None or not report["scope"].shows(table):
        raise Http404
    if table == "funnel" and report["breakdown"] not in tables.FUNNEL_BREAKDOWNS:
        report["breakdown"] = "profession"
    return csv_response(_who_table(report, table), report_filename(f"who-gets-in-{table}", report))


def report_query(report) -> str:
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.update(
        {
            "snapshot": report["snapshot"].pk,
            "period": report["period"]["key"] if report["period"] else "",
            "breakdown": report["breakdown"],
        }
    )
    return query.urlencode()


def report_filename(name: str, report) -> str:
    period = (report["period"]["key"] if report["period"] else "none").replace(":", "-")
    return f"{name}-{period}-{report['breakdown']}-snapshot-{report['snapshot'].pk}.csv"


@require_http_methods(["GET", "POST"])
def vacancy_upload(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_upload_vacancies(request.user):
        raise Http404
    form = VacancyUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = vacancies_import(
                actor=request.user,
                content=upload.read(),
                sector=form.cleaned_data["sector"],
                filename=upload.name or "",
            )
        except VacancyFileError as error:
            problems = error.messages
        else:
            months = ", ".join(f"{m:%B %Y}" for m in result.months)
            messages.success(
                request,
                f"{result.rows} rows of vacancy figures imported for {months}. They appear in reports from the "
                "next snapshot.",
            )
            return redirect("insights:vacancy-upload")
    return render(request, "insights/vacancy_upload.html", {"form": form, "problems": problems})


@admins_only
@require_http_methods(["GET", "POST"])
def snapshots(request):
    if request.method == "POST":
        try:
            snapshot_request(actor=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "A snapshot is being taken. Refresh this page in a minute to see it finish.")
        return redirect("insights:snapshots")
    from django.core.paginator import Paginator

    page = Paginator(snapshots_for_admin(), 25).get_page(request.GET.get("page"))
    return render(request, "insights/snapshots.html", {"page_obj": page, "now": timezone.now()})
