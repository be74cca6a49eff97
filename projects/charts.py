"""Bar charts as data for our own SVG template (templates/projects/includes/_bar_chart.html).

Pure layout arithmetic: no JavaScript, no chart service; the template adds role="img", a title, a
description and the data table beside the chart."""

from dataclasses import dataclass

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 250
CHART_WIDTH = 600
VALUE_SPACE = 60


@dataclass
class Bar:
    label: str
    full_label: str
    value: int
    y: int
    width: float
    second: int = 0  # a second series, stacked (e.g. late reports)
    second_width: float = 0


@dataclass
class BarChart:
    slug: str
    title: str
    description: str
    bars: list[Bar]
    height: int
    width: int = CHART_WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT
    series: tuple[str, ...] = ()


def bar_chart(slug: str, title: str, data, *, series: tuple[str, ...] = ()) -> BarChart:
    """`data`: (label, value) or (label, value, second value) rows."""
    rows = [(row[0], row[1], row[2] if len(row) > 2 else 0) for row in data]
    largest = max((v + s for _, v, s in rows), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_SPACE
    bars = [
        Bar(
            label=str(label) if len(str(label)) <= 32 else str(label)[:31] + "…",
            full_label=str(label),
            value=value,
            second=second,
            y=i * (BAR_HEIGHT + GAP),
            width=round(span * value / largest, 1),
            second_width=round(span * second / largest, 1),
        )
        for i, (label, value, second) in enumerate(rows)
    ]
    total = sum(v + s for _, v, s in rows)
    description = ", ".join(f"{label}: {value + second}" for label, value, second in rows[:30])
    return BarChart(
        slug=slug,
        title=title,
        description=f"{title} ({total}). {description}",
        bars=bars,
        height=max(len(bars), 1) * (BAR_HEIGHT + GAP),
        series=series,
    )
