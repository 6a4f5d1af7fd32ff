"""Insights: digital skills on the framework's scale, staff (by employer kind and staff group) and college students,
read from a snapshot (ADR 0019). Partners and site admins only."""

from django.http import Http404
from django.shortcuts import render

from insights.models import Theme
from insights.skills_tables import BREAKDOWNS, skills_tables
from insights.views.charted import charted, period_with_data
from insights.views.reports import csv_response, readers_only, report_filename, report_for, report_query


def _report(request):
    report = report_for(request, themes=[Theme.SKILLS], breakdowns=BREAKDOWNS)
    if report is None:
        return None
    return period_with_data(request, report, report["documents"].get(Theme.SKILLS, {}).get("levels", {}))


def _tables(report):
    document = report["documents"].get(Theme.SKILLS, {})
    key = report["period"]["key"] if report["period"] else ""
    return skills_tables(document, key, report["breakdown"])


def _summary(tables) -> str:
    """What the chart shows, in words, from shown figures only."""
    people = tables.people.total[1] if tables.people.total else "0"
    if people == "0":
        return "Nobody completed a check in this period."
    text = f"{people} people counted."
    shares = [(int(row[4].rstrip("%")), row[0]) for row in tables.overview.rows if row[4].endswith("%")]
    if shares:
        high, low = max(shares), min(shares)
        if high[0] == low[0]:
            text += f" The share at level 1 or above is {high[0]}% in every domain shown."
        else:
            text += f" The share at level 1 or above is highest in {high[1]} ({high[0]}%) and lowest in {low[1]}"
            text += f" ({low[0]}%)."
    hidden = len(tables.overview.rows) - len(shares)
    if hidden:
        text += f" {hidden} domain{'s are' if hidden != 1 else ' is'} not shown as a share, to protect small numbers."
    return text


@readers_only
def skills(request):
    report = _report(request)
    if report is None:
        return render(request, "insights/skills.html", {"report": None})
    key = report["period"]["key"] if report["period"] else ""
    tables = _tables(report)
    overview = charted(tables.overview, noun="people counted", total="0", name="domains")
    overview["summary"] = _summary(tables)
    return render(
        request,
        "insights/skills.html",
        {
            "report": report,
            "has_data": key in report["documents"].get(Theme.SKILLS, {}).get("levels", {}),
            "overview": overview,
            "people": tables.people,
            "domains": tables.domains,
            "query_string": report_query(report),
        },
    )


@readers_only
def skills_csv(request, table):
    report = _report(request)
    if report is None:
        raise Http404
    tables = _tables(report)
    chosen = {"domains": tables.overview, "people": tables.people} | {key: t for key, _, t in tables.domains}
    if table not in chosen:
        raise Http404
    return csv_response(chosen[table], report_filename(f"digital-skills-{table}", report))
