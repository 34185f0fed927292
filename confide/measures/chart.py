"""A measure's trend as an SVG drawing, drawn on the server by ReportLab's graphics (no JavaScript, nothing to build):
the score over time on the instrument's whole range, with its severity bands shaded behind the line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from django.utils import formats
from reportlab.graphics import renderSVG
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from confide.measures import scoring

# From the lightest band to the most severe; bands beyond the list reuse the last shade.
BAND_SHADES = ("#eef6f1", "#f6f3e4", "#f8ebdc", "#f6e0da", "#f0d4d4")
LINE = colors.HexColor("#1f5f5b")


_STYLE = re.compile(r'\sstyle="([^"]*)"')


def _presentation_attributes(svg: str) -> str:
    """The SVG element without its XML prolog, each `style="a: b; c: d"` written as attributes `a="b" c="d"`: the
    page's Content-Security-Policy allows no inline styles, and SVG's presentation attributes say the same."""

    def attributes(match: re.Match[str]) -> str:
        pairs = [part.split(":", 1) for part in match.group(1).split(";") if ":" in part]
        return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)

    return _STYLE.sub(attributes, svg[svg.index("<svg") :])


def trend_svg(code: str, points: Sequence[tuple[date, int]], *, width: int = 520, height: int = 180) -> str:
    """The SVG element (no XML prolog) of `points` (day, score) for instrument `code`, oldest first."""
    inst = scoring.instrument(code)
    top = inst.max_score
    left, bottom, plot_w, plot_h = 34, 34, width - 48, height - 48
    drawing = Drawing(width, height)
    for i, band in enumerate(inst.bands):
        y0 = bottom + plot_h * band.low / top
        y1 = bottom + plot_h * min(band.high + 1, top) / top
        shade = colors.HexColor(BAND_SHADES[min(i, len(BAND_SHADES) - 1)])
        drawing.add(Rect(left, y0, plot_w, y1 - y0, fillColor=shade, strokeColor=None))
        drawing.add(String(left + plot_w - 2, y0 + 2, band.label, fontSize=7, textAnchor="end", fillColor=colors.grey))
    days = [d.toordinal() for d, _ in points]
    lo, hi = (min(days), max(days)) if days else (0, 1)
    if lo == hi:
        lo, hi = lo - 7, hi + 7
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = left, bottom, plot_w, plot_h
    plot.data = [[(d.toordinal(), s) for d, s in points]] if points else [[(lo, 0)]]
    plot.lines[0].strokeColor = LINE
    plot.lines[0].strokeWidth = 2
    plot.lines[0].symbol = makeMarker("FilledCircle", size=5, fillColor=LINE, strokeColor=LINE)
    x_axis, y_axis = plot.xValueAxis, plot.yValueAxis
    x_axis.valueMin, x_axis.valueMax = lo, hi
    unique = sorted(set(days))
    step = max(1, len(unique) // 5)
    x_axis.valueSteps = unique[::step] or [lo]
    # The practice's date style (DATE_STYLE, confide/lib/dates.py): "Dec 4" in the US, "4 Dec" day first.
    x_axis.labelTextFormat = lambda v: formats.date_format(date.fromordinal(int(v)), "MONTH_DAY_FORMAT")
    x_axis.labels.fontSize = 8
    y_axis.valueMin, y_axis.valueMax = 0, top
    y_axis.valueStep = 5 if top > 10 else 1
    y_axis.labels.fontSize = 8
    drawing.add(plot)
    body = _presentation_attributes(renderSVG.drawToString(drawing))
    label = f"{inst.code} scores over time, 0 to {top}"
    body = body.replace("<title>...</title>", f"<title>{label}</title>", 1)
    return re.sub(r"^<svg", f'<svg role="img" aria-label="{label}" class="measure-chart"', body, count=1)
