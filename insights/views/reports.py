"""Insights pages for planning partners and site admins: counts from a snapshot, never a person (ADR 0019)."""

from __future__ import annotations

import csv
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.access import role_required
from accounts.models import Role
from insights import tables
from insights.charts import bar_chart, summary_sentence
from insights.forms import ReportFilterForm, VacancyUploadForm
from insights.models import Theme
from insights.permissions import can_upload_vacancies
from insights.selectors.pages import snapshot_documents, snapshots_for_admin, snapshots_for_choice
from insights.services.snapshots import snapshot_request
from insights.services.vacancies import VacancyFileError, vacancies_import
from placements.resources import neutralise_formula

readers_only = role_required(Role.PARTNER, Role.ADMIN)
admins_only = role_required(Role.ADMIN)

WHO_TABLES = ("funnel", "places", "wp", "wp-factors")


def report_for(request, *, themes, breakdowns):
    """The chosen snapshot, its documents, the filter form and the chosen period and breakdown (2 queries)."""
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
    documents = snapshot_documents(snapshot, themes)
    # Show the form with what is actually on the page, even after a hostile or stale query string.
    form = ReportFilterForm(
        {"snapshot": snapshot.pk, "period": period["key"] if period else "", "breakdown": breakdown},
        snapshots=snapshots,
        periods=snapshot.periods,
        breakdowns=breakdowns,
    )
    return {"snapshot": snapshot, "documents": documents, "form": form, "period": period, "breakdown": breakdown}


def _demand_for(period: dict | None, demand: dict) -> tuple[str | None, dict]:
    """The latest month of vacancy figures on or before the end of ``period``."""
    if not period:
        return None, {}
    months = sorted(month for month in demand if month <= period["end"][:7])
    if not months:
        return None, {}
    label = datetime.strptime(months[-1], "%Y-%m").strftime("%B %Y")
    return label, demand[months[-1]]


def csv_response(table: tables.Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    for row in table.csv_rows():
        writer.writerow([neutralise_formula(cell) for cell in row])
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
    places = who.get("places", {}).get(key, {}).get(report["breakdown"], {})
    month, figures = _demand_for(report["period"], demand)
    report["demand_month"] = month
    return tables.supply_demand_table(places, figures.get(report["breakdown"], {}), report["breakdown"])


@readers_only
def summary(request):
    report = report_for(request, themes=[Theme.WHO_GETS_IN, Theme.SUPPLY_DEMAND], breakdowns=tables.DEMAND_BREAKDOWNS)
    if report is None:
        return render(request, "insights/summary.html", {"report": None})
    table = _summary_table(report)
    who = report["documents"].get(Theme.WHO_GETS_IN, {})
    key = report["period"]["key"] if report["period"] else ""
    funnel = tables.funnel_table(who.get("funnel", {}).get(key, {}).get("profession", {}), "profession")
    places = tables.places_table(who.get("places", {}).get(key, {}).get("host_kind", {}), "host_kind")
    people = dict(funnel.labelled_total)
    place = dict(places.labelled_total)
    key_figures = [
        (label, people.get(label, "0"))
        for label in ("Applicants", "Offered a place", "Accepted", "Offer acceptance rate", "Completed")
    ]
    key_figures += [
        ("Places offered by hosts", place.get("Places offered", "0")),
        ("Fill rate (places taken out of places offered)", place.get("Fill rate", tables.NOT_SHOWN)),
    ]
    return render(
        request,
        "insights/summary.html",
        {
            "report": report,
            "key_figures": key_figures,
            **with_chart(table, "places offered"),
            "query_string": report_query(report),
        },
    )


@readers_only
def summary_csv(request):
    report = report_for(request, themes=[Theme.WHO_GETS_IN, Theme.SUPPLY_DEMAND], breakdowns=tables.DEMAND_BREAKDOWNS)
    if report is None:
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
        dimension = breakdown if breakdown in tables.PLACES_BREAKDOWNS else "profession"
        places = who.get("places", {}).get(key, {})
        return tables.places_table(places.get(dimension, {}), dimension, boroughs=places.get("borough"))
    funnel = who.get("funnel", {}).get(key, {})
    return tables.funnel_table(funnel.get(breakdown, {}), breakdown, boroughs=funnel.get("borough"))


WHO_BREAKDOWNS = {**tables.FUNNEL_BREAKDOWNS, "host_kind": "Kind of host (places only)"}


@readers_only
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


@readers_only
def who_gets_in_csv(request, table):
    if table not in WHO_TABLES:
        raise Http404
    report = report_for(request, themes=[Theme.WHO_GETS_IN], breakdowns=WHO_BREAKDOWNS)
    if report is None:
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
        from django.contrib.auth.views import redirect_to_login

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
