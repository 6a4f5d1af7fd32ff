"""Bar charts drawn on the server as inline SVG: no script, no style attribute (strict CSP), colours as SVG
presentation attributes. Every chart has a text summary, and the same figures are in the table beside it."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

COLOURS = ("#005eb8", "#ffb81c")  # NHS blue, NHS warm yellow: both readable on white, told apart by the key too
LABEL_WIDTH = 170
BAR_AREA = 260
BAR_HEIGHT = 14
ROW_GAP = 12
MAX_LABEL = 24


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def bar_chart(*, title: str, bars: list[tuple[str, list[int | None]]], series: list[str]) -> SafeString:
    """Grouped horizontal bars, one group per row; a figure not shown in the table is not drawn (and says so)."""
    values = [v for _, group in bars for v in group if v]
    top = max(values, default=0)
    per_row = len(series) * BAR_HEIGHT + ROW_GAP
    height = 30 + per_row * len(bars)
    width = LABEL_WIDTH + BAR_AREA + 60
    parts = []
    for index, name in enumerate(series):
        x = 8 + index * 220
        parts.append(
            format_html(
                '<rect x="{}" y="4" width="12" height="12" fill="{}"></rect>'
                '<text x="{}" y="14" font-size="12">{}</text>',
                x,
                COLOURS[index % len(COLOURS)],
                x + 16,
                name,
            )
        )
    for row, (label, group) in enumerate(bars):
        y = 28 + row * per_row
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>',
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT,
                _short(label),
            )
        )
        for index, value in enumerate(group):
            bar_y = y + index * BAR_HEIGHT
            if value is None:
                parts.append(
                    format_html('<text x="{}" y="{}" font-size="11">not shown</text>', LABEL_WIDTH + 4, bar_y + 11)
                )
                continue
            length = round(BAR_AREA * value / top) if top else 0
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                    '<text x="{}" y="{}" font-size="11">{}</text>',
                    LABEL_WIDTH,
                    bar_y,
                    length,
                    BAR_HEIGHT - 2,
                    COLOURS[index % len(COLOURS)],
                    LABEL_WIDTH + length + 4,
                    bar_y + 11,
                    value,
                )
            )
    body = format_html_join("", "{}", ((part,) for part in parts))
    return format_html(
        '<svg class="app-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}"><title id="{}">{}</title>{}</svg>',
        width,
        height,
        "chart-title",
        "chart-title",
        title,
        body,
    )


def summary_sentence(*, bars: list[tuple[str, list[int | None]]], noun: str, total: str) -> str:
    """One or two plain sentences saying what the chart shows, from shown figures only."""
    shown = [(label, group[0]) for label, group in bars if group and group[0] is not None]
    if not bars:
        return f"There are no {noun} in this period."
    text = f"{total} {noun} in all."
    if shown:
        label, value = max(shown, key=lambda pair: (pair[1], pair[0]))
        text += f" Of the groups shown, {label} has the most ({value})."
    hidden = len(bars) - len(shown)
    if hidden:
        text += f" {hidden} group{'s are' if hidden != 1 else ' is'} not shown, to protect small numbers."
    return text
