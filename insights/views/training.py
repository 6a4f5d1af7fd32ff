"""Insights: simulation training in the colleges' suites (sessions, seats, utilisation, people trained), read from a
snapshot (ADR 0019). Partners and site admins only."""

from django.http import Http404
from django.shortcuts import render

from insights.models import Theme
from insights.training_tables import BREAKDOWNS, TABLES, training_table
from insights.views.charted import charted, period_with_data
from insights.views.reports import csv_response, readers_only, report_filename, report_for, report_query


def _report(request):
    report = report_for(request, themes=[Theme.TRAINING], breakdowns=BREAKDOWNS)
    if report is None:
        return None
    return period_with_data(request, report, report["documents"].get(Theme.TRAINING, {}).get("sessions", {}))


def _table(report, which: str):
    document = report["documents"].get(Theme.TRAINING, {})
    key = report["period"]["key"] if report["period"] else ""
    return training_table(document, key, report["breakdown"], which)


def _total(table, column: int) -> str:
    return table.total[column] if table.total else "0"


@readers_only
def training(request):
    report = _report(request)
    if report is None:
        return render(request, "insights/training.html", {"report": None})
    key = report["period"]["key"] if report["period"] else ""
    sessions, people = _table(report, "sessions"), _table(report, "people")
    return render(
        request,
        "insights/training.html",
        {
            "report": report,
            "has_data": key in report["documents"].get(Theme.TRAINING, {}).get("sessions", {}),
            "sessions": charted(sessions, noun="seats offered", total=_total(sessions, 3), name="sessions"),
            "people": charted(people, noun="people trained", total=_total(people, 1), name="people"),
            "query_string": report_query(report),
        },
    )


@readers_only
def training_csv(request, table):
    if table not in TABLES:
        raise Http404
    report = _report(request)
    if report is None:
        raise Http404
    return csv_response(_table(report, table), report_filename(f"simulation-training-{table}", report))
