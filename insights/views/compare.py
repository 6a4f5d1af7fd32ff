"""Insights: two snapshots side by side, for London's readers (ADR 0019, "Comparing two snapshots").

The applicants and places tables of each snapshot are built and suppressed exactly as on the who-gets-in page;
the change is given only where both figures are shown. Four queries whatever the choice: the session, the user,
the list of snapshots and both documents.
"""

from django.http import Http404, QueryDict
from django.shortcuts import render

from insights import tables
from insights.compare_form import CompareForm, snapshot_label
from insights.comparison import Side, compare_tables, summary_sentence
from insights.models import Theme
from insights.selectors.pages import documents_of_snapshots, snapshots_for_choice
from insights.views.reports import csv_response, readers_only

BREAKDOWNS = {**tables.FUNNEL_BREAKDOWNS, "host_kind": "Kind of host (places only)"}
SAME_TWICE = "You chose the same snapshot twice. Choose two different snapshots to compare."
TOO_FEW = "Comparing needs two finished snapshots, and there is only one so far. Come back after the next one."
NONE = "There are no figures yet: comparing needs two finished snapshots."
NO_COMMON_PERIOD = "These two snapshots have no period in common. Choose two snapshots that cover the same period."


def _side(snapshot, document: dict, key: str, which: str, dimension: str) -> Side:
    by_dimension = (document.get(which) or {}).get(key) or {}
    build = tables.funnel_table if which == "funnel" else tables.places_table
    return Side(
        label=snapshot_label(snapshot),
        # Built exactly as the who-gets-in page builds it: boroughs and boards suppressed together (ADR 0019).
        table=build(by_dimension.get(dimension) or {}, dimension, boroughs=by_dimension.get("borough")),
        # An older snapshot may not have counted this breakdown: its rows are then unknown, not zero.
        counted=not by_dimension or dimension in by_dimension,
    )


TABLES = {
    # slug: (document key, the dimensions it is counted by, its total line, the figure the summary reads, noun)
    "funnel": ("funnel", tables.FUNNEL_BREAKDOWNS, "All applicants", "Applicants", "applicants"),
    "places": ("places", tables.PLACES_BREAKDOWNS, "All places", "Places offered", "places offered"),
}


def _comparison(request) -> dict:
    """What the page shows: the form, and either a problem to explain or the two compared tables."""
    snapshots = snapshots_for_choice()
    if len(snapshots) < 2:
        return {"problem": TOO_FEW if snapshots else NONE, "form": None}
    by_pk = {s.pk: s for s in snapshots}
    choice = CompareForm(request.GET or None, snapshots=snapshots, periods=[], breakdowns=BREAKDOWNS)
    earlier = by_pk[choice.value("earlier", snapshots[1].pk)]
    later = by_pk[choice.value("later", snapshots[0].pk)]
    swapped = (earlier.taken_at or earlier.created_at) > (later.taken_at or later.created_at)
    if swapped:
        earlier, later = later, earlier
    earlier_keys = {p["key"] for p in earlier.periods}
    periods = [p for p in later.periods if p["key"] in earlier_keys]
    chosen = CompareForm(request.GET or None, snapshots=snapshots, periods=periods, breakdowns=BREAKDOWNS)
    period_key = chosen.value("period", periods[0]["key"] if periods else "")
    period = next((p for p in periods if p["key"] == period_key), None)
    breakdown = chosen.value("breakdown", "profession")
    # Show the form with what is actually on the page, even after a hostile or stale query string.
    form = CompareForm(
        {
            "earlier": earlier.pk,
            "later": later.pk,
            "period": period["key"] if period else "",
            "breakdown": breakdown,
        },
        snapshots=snapshots,
        periods=periods,
        breakdowns=BREAKDOWNS,
    )
    context = {"form": form, "earlier": earlier, "later": later, "period": period, "breakdown": breakdown}
    if earlier.pk == later.pk:
        return {**context, "problem": SAME_TWICE}
    if period is None:
        return {**context, "problem": NO_COMMON_PERIOD}
    documents = documents_of_snapshots([earlier, later], Theme.WHO_GETS_IN)
    compared = {}
    for slug, (which, dimensions, total_group, figure, noun) in TABLES.items():
        dimension = breakdown if breakdown in dimensions else "profession"
        before = _side(earlier, documents.get(earlier.pk, {}), period["key"], which, dimension)
        after = _side(later, documents.get(later.pk, {}), period["key"], which, dimension)
        table = compare_tables(
            before,
            after,
            caption=f"{after.table.caption} in {period['label']}: each snapshot and the change",
            dimension=dimension,
        )
        compared[slug] = {
            "table": table,
            "summary": summary_sentence(table, total_group=total_group, figure=figure, noun=noun),
        }
    return {**context, "problem": None, "swapped": swapped, "compared": compared}


def _query(comparison: dict) -> str:
    query = QueryDict(mutable=True)
    form = comparison["form"]
    query.update({name: form.data[name] for name in ("earlier", "later", "period", "breakdown")})
    return query.urlencode()


@readers_only
def compare(request):
    comparison = _comparison(request)
    query_string = _query(comparison) if comparison.get("compared") else ""
    return render(request, "insights/compare.html", {**comparison, "compare_query": query_string})


@readers_only
def compare_csv(request, table):
    if table not in TABLES:
        raise Http404
    comparison = _comparison(request)
    if comparison["problem"]:
        raise Http404
    period = comparison["period"]["key"].replace(":", "-")
    earlier, later = comparison["earlier"].pk, comparison["later"].pk
    filename = f"compare-{table}-{period}-{comparison['breakdown']}-snapshots-{earlier}-{later}.csv"
    return csv_response(comparison["compared"][table]["table"], filename)
