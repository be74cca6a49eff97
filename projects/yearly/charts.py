"""The report's charts, drawn with reportlab's own graphics (vector, in the PDF; no matplotlib):
horizontal bars, one series or stacked, each with its title above and its figures in the table
beside it in the report (a chart is never the only place a figure is)."""

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from . import fonts

# Distinct in greyscale and for colour-blind readers (blue, orange, grey, green).
PALETTE = [
    colors.HexColor("#1f5fa8"),
    colors.HexColor("#e08a1e"),
    colors.HexColor("#b8b8b8"),
    colors.HexColor("#2e7d32"),
]
BAR = 11  # points per bar
LABEL_WIDTH = 170


def _short(label: str, limit: int = 38) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bars(
    title: str, rows: list[tuple], *, width: float, series: list[str] | None = None, colours: list | None = None
) -> Drawing:
    """`rows`: (label, value) or (label, value, value, ...) with `series` naming each value (stacked)."""
    font = fonts.register()
    n_series = len(rows[0]) - 1 if rows else 1
    legend_height = 16 if series else 0
    plot_height = max(len(rows), 1) * (BAR + 4)
    height = plot_height + 34 + legend_height
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, fonts.fit(title), fontName=fonts.BOLD, fontSize=10))
    chart = HorizontalBarChart()
    chart.x = LABEL_WIDTH
    chart.y = 14  # room for the value axis' labels below
    chart.width = width - LABEL_WIDTH - 30
    chart.height = plot_height
    chart.data = [[row[i + 1] for row in reversed(rows)] for i in range(n_series)] if rows else [[0]]
    chart.categoryAxis.categoryNames = [fonts.fit(_short(str(row[0]))) for row in reversed(rows)] or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.tickLeft = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    largest = max((sum(row[1:]) for row in rows), default=0)
    chart.valueAxis.valueMax = max(largest, 1)
    chart.valueAxis.valueStep = max(1, round(largest / 5)) if largest else 1
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    chart.barWidth = BAR
    chart.groupSpacing = 4
    chart.barSpacing = 0
    if n_series > 1:
        chart.categoryAxis.style = "stacked"
    palette = colours or PALETTE
    for i in range(n_series):
        chart.bars[i].fillColor = palette[i % len(palette)]
        chart.bars[i].strokeColor = None
    if n_series == 1:
        chart.barLabelFormat = "%d"
        chart.barLabels.fontName = font
        chart.barLabels.fontSize = 7
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 3
    drawing.add(chart)
    if series:
        # The key, under the title: a swatch and its name per series, side by side.
        x, y = LABEL_WIDTH, height - 26
        for i, name in enumerate(series):
            name = fonts.fit(name)
            drawing.add(Rect(x, y, 8, 8, fillColor=palette[i % len(palette)], strokeColor=None))
            drawing.add(String(x + 11, y + 1, name, fontName=font, fontSize=7.5))
            x += 11 + stringWidth(name, font, 7.5) + 16
    return drawing
