"""Helpers of the training and skills pages: a table with its chart and text summary (more than one chart on a
page), and the period to show when the reader has not chosen one."""

from django.utils.safestring import mark_safe

from insights.charts import bar_chart, summary_sentence
from insights.forms import ReportFilterForm
from insights.tables import Table


def charted(table: Table, *, noun: str, total: str, name: str) -> dict:
    """``total`` is the table's figure for ``noun`` (as shown); ``name`` makes the chart's title id unique on the
    page (``bar_chart`` gives every chart the same id, and two charts would share it)."""
    chart = ""
    if table.bars:
        svg = bar_chart(title=table.caption, bars=table.bars, series=table.series)
        # Only attribute values are quoted this way: bar_chart escapes the quotes of a caption.
        chart = mark_safe(svg.replace('"chart-title"', f'"chart-title-{name}"'))  # noqa: S308
    return {"table": table, "chart": chart, "summary": summary_sentence(bars=table.bars, noun=noun, total=total)}


def period_with_data(request, report: dict, keys_with_data) -> dict:
    """When the reader did not choose a period, the newest one this theme has figures for (a snapshot's first
    period may be a round, which training and skills do not count by). No query: the snapshot is already read."""
    period = report["period"]
    if request.GET.get("period") or (period and period["key"] in keys_with_data):
        return report
    first = next((p for p in report["snapshot"].periods if p["key"] in keys_with_data), None)
    if first is None:
        return report
    old = report["form"]
    form = ReportFilterForm(
        {"snapshot": report["snapshot"].pk, "period": first["key"], "breakdown": report["breakdown"]},
        snapshots=[],
        periods=report["snapshot"].periods,
        breakdowns=dict(old.fields["breakdown"].choices),
    )
    form.fields["snapshot"].choices = old.fields["snapshot"].choices
    return {**report, "period": first, "form": form}
