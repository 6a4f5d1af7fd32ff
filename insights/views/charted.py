"""A table with its chart and the chart's text summary, for pages with more than one chart (training, skills)."""

from django.utils.safestring import mark_safe

from insights.charts import bar_chart, summary_sentence
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
