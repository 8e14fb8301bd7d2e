"""Accessible charts drawn on the server as SVG: no JavaScript, no CDN, no build step.

Every chart comes with three things (ChartSvg): the SVG itself (role="img", a <title> and <desc> it is labelled by,
every piece of text escaped), a text alternative in plain words, and the rows of a data table. The template include
community/_chart.html shows all three together, so nobody needs to see colours or shapes to read a chart.

Series are told apart by colour AND by marker shape AND by line pattern; the colours keep at least 3:1 contrast with
the white background (WCAG 2.2 non-text contrast). A value of None is a gap: in a line the line breaks, in a bar chart
the bar is drawn as a dashed outline labelled with `suppressed_label` (disclosure control's `c`).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

__all__ = ["ChartSvg", "Series", "bar_chart", "format_number", "format_x", "line_chart"]

WIDTH = 560
HEIGHT = 320
LEFT = 56
RIGHT = 16
TOP = 16
BOTTOM = 56
FONT = 14

INK = "#1d1b26"
MUTED = "#4a4658"
GRID = "#d6d1e0"
BAND_FILL = "#e3f1ea"
BAND_STROKE = "#0b6e4f"
SUPPRESSED = "#4a4658"
# Dark enough for at least 3:1 against white (most well above 4.5:1).
COLOURS = ["#5b2a86", "#0b6e4f", "#a4161a", "#1d4e89", "#7a5200", "#3f3d56"]
DASHES = ["", "8 4", "2 4", "10 4 2 4", "4 4", "12 3"]
MARKERS = ["circle", "square", "triangle", "diamond", "cross", "triangle-down"]
MARKER_NAMES = {
    "circle": "circles",
    "square": "squares",
    "triangle": "triangles",
    "diamond": "diamonds",
    "cross": "crosses",
    "triangle-down": "upside-down triangles",
}
LINE_NAMES = {"": "a solid line", "8 4": "a dashed line", "2 4": "a dotted line", "10 4 2 4": "a dash-dot line"}

XValue = date | str
Number = float | int | Decimal


@dataclass(frozen=True)
class Series:
    """One line: a label and its points in order, (x, value). x is a date or a short label; a None value is a gap."""

    label: str
    points: list[tuple[XValue, Number | None]] = field(default_factory=list)


@dataclass(frozen=True)
class ChartSvg:
    """A drawn chart: `.svg` (safe markup), `.text` (plain-words alternative), `.headers` and `.rows` (a data table,
    every cell already a display string), `.title` (the table's caption) and `.chart_id` (unique per content)."""

    svg: SafeString
    text: str
    headers: list[str]
    rows: list[list[str]]
    title: str
    chart_id: str

    def __str__(self) -> str:
        return self.svg


def format_number(value: Number | None, suppressed_label: str = "–") -> str:
    """23.5 -> "23.5", 7.0 -> "7", 20.731 -> "20.73"; None -> the gap label."""
    if value is None:
        return suppressed_label
    rounded = round(float(value), 2)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.2f}".rstrip("0").rstrip(".")


def format_x(value: XValue) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.day} {value:%b %Y}"
    return str(value)


def _chart_id(kind: str, title: str, payload: str) -> str:
    digest = hashlib.sha256(f"{kind}|{title}|{payload}".encode()).hexdigest()[:10]
    return f"chart-{digest}"


def _nice_step(span: float, target_ticks: int = 6) -> float:
    if span <= 0:
        return 1.0
    raw = span / target_ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude


def _ticks(low: float, high: float) -> list[float]:
    step = _nice_step(high - low)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + 1e-9:
        ticks.append(round(value, 6))
        value += step
    if not ticks or ticks[0] - low > 1e-9:
        ticks = [low, *(tick for tick in ticks if tick - low >= step / 2)]
    if high - ticks[-1] > step / 2:
        ticks.append(high)
    return ticks


def _fmt(value: float) -> str:
    """A coordinate, short."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    size = 5.5
    stroke = f'stroke="{colour}" stroke-width="2"'
    if shape == "circle":
        return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(size)}" fill="{colour}"/>'
    if shape == "square":
        side = size * 1.7
        return (
            f'<rect x="{_fmt(x - side / 2)}" y="{_fmt(y - side / 2)}" width="{_fmt(side)}" height="{_fmt(side)}" '
            f'fill="#fff" {stroke}/>'
        )
    if shape in {"triangle", "triangle-down"}:
        sign = 1 if shape == "triangle" else -1
        points = [
            (x, y - sign * size * 1.2),
            (x - size * 1.1, y + sign * size * 0.8),
            (x + size * 1.1, y + sign * size * 0.8),
        ]
        coords = " ".join(f"{_fmt(px)},{_fmt(py)}" for px, py in points)
        fill = colour if shape == "triangle" else "#fff"
        return f'<polygon points="{coords}" fill="{fill}" {stroke}/>'
    if shape == "diamond":
        d = size * 1.3
        coords = f"{_fmt(x)},{_fmt(y - d)} {_fmt(x + d)},{_fmt(y)} {_fmt(x)},{_fmt(y + d)} {_fmt(x - d)},{_fmt(y)}"
        return f'<polygon points="{coords}" fill="{colour}" {stroke}/>'
    d = size
    return (
        f'<path d="M{_fmt(x - d)} {_fmt(y - d)}L{_fmt(x + d)} {_fmt(y + d)}M{_fmt(x - d)} {_fmt(y + d)}'
        f'L{_fmt(x + d)} {_fmt(y - d)}" {stroke} stroke-width="2.5" fill="none"/>'
    )


def _text(
    x: float, y: float, content: str, *, anchor: str = "middle", size: int = FONT, colour: str = INK, extra: str = ""
) -> str:
    return (
        f'<text x="{_fmt(x)}" y="{_fmt(y)}" text-anchor="{anchor}" font-size="{size}" fill="{colour}"{extra}>'
        f"{escape(content)}</text>"
    )


def _shorten(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: max(1, limit - 1)].rstrip() + "…"


def _safe(parts: list[str]) -> SafeString:
    """Every text and attribute value in `parts` went through escape() (labels) or is a number or a constant."""
    return mark_safe("".join(parts))  # noqa: S308


def _svg_open(chart_id: str, height: int, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" focusable="false" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#fff"/>'
    )


def _y_axis(ticks: list[float], to_y, y_label: str, plot_height: float, left: float, right: float) -> list[str]:
    parts = []
    for tick in ticks:
        y = to_y(tick)
        parts.append(
            f'<line x1="{_fmt(left)}" x2="{_fmt(right)}" y1="{_fmt(y)}" y2="{_fmt(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_text(left - 8, y + FONT / 3, format_number(tick), anchor="end", colour=MUTED))
    mid = TOP + plot_height / 2
    parts.append(_text(16, mid, y_label, size=FONT, colour=INK, extra=f' transform="rotate(-90 16 {_fmt(mid)})"'))
    return parts


def _x_positions(xs: list[XValue], left: float, right: float) -> dict[XValue, float]:
    if not xs:
        return {}
    if len(xs) == 1:
        return {xs[0]: (left + right) / 2}
    pad = 42  # half a date label, so the first and last labels stay inside the picture
    span_px = right - left - 2 * pad
    if all(isinstance(x, date) for x in xs):
        ordinals = [(x.date() if isinstance(x, datetime) else x).toordinal() for x in xs]
        low, high = min(ordinals), max(ordinals)
        if high > low:
            return {x: left + pad + span_px * (o - low) / (high - low) for x, o in zip(xs, ordinals, strict=True)}
    return {x: left + pad + span_px * i / (len(xs) - 1) for i, x in enumerate(xs)}


def _label_indices(xs: list[XValue], positions: dict[XValue, float], min_gap: float = 96) -> list[int]:
    """Which x labels to write: the last always, then others from the left while they do not crowd each other."""
    if not xs:
        return []
    last = len(xs) - 1
    chosen = [last]
    for index in range(last):
        x_px = positions[xs[index]]
        if all(abs(x_px - positions[xs[other]]) >= min_gap for other in chosen):
            chosen.append(index)
    return sorted(chosen)


def _ordered_xs(series: list[Series]) -> list[XValue]:
    seen: dict[XValue, None] = {}
    for one in series:
        for x, _value in one.points:
            seen.setdefault(x, None)
    xs = list(seen)
    if xs and all(isinstance(x, date) for x in xs):
        xs.sort(key=lambda x: x.date() if isinstance(x, datetime) else x)
    return xs


def _describe_series(one: Series) -> str:
    values = [(x, v) for x, v in one.points if v is not None]
    if not values:
        return f"{one.label}: no answers yet."
    if len(values) == 1:
        x, v = values[0]
        return f"{one.label}: one answer, {format_number(v)} on {format_x(x)}."
    (first_x, first_v), (last_x, last_v) = values[0], values[-1]
    numbers = [float(v) for _x, v in values]
    return (
        f"{one.label}: {len(values)} answers from {format_x(first_x)} to {format_x(last_x)}. "
        f"First {format_number(first_v)}, latest {format_number(last_v)}; "
        f"lowest {format_number(min(numbers))}, highest {format_number(max(numbers))}."
    )


def line_chart(
    *,
    title: str,
    series: list[Series],
    y_min: Number,
    y_max: Number,
    y_label: str,
    band: tuple[Number, Number] | None = None,
    band_label: str = "",
    x_label: str = "Date",
) -> ChartSvg:
    """One or more lines over time (or over ordered labels) on a fixed y scale from y_min to y_max.

    `band` shades a horizontal range (for example the meaningful-change band around a first score), hatched as well as
    tinted and named in the legend, the text alternative and the table caption."""
    low, high = float(y_min), float(y_max)
    if high <= low:
        raise ValueError("y_max must be above y_min")
    xs = _ordered_xs(series)
    legend_labels = [one.label for one in series] + ([band_label or "Shaded band"] if band else [])
    legend_columns = 2 if all(len(label) <= 26 for label in legend_labels) else 1
    legend_rows = math.ceil(len(legend_labels) / legend_columns)
    height = HEIGHT + 22 * legend_rows
    plot_bottom = HEIGHT - BOTTOM
    plot_height = plot_bottom - TOP
    left, right = LEFT, WIDTH - RIGHT

    def to_y(value: float) -> float:
        clamped = min(max(float(value), low), high)
        return plot_bottom - plot_height * (clamped - low) / (high - low)

    positions = _x_positions(xs, left, right)
    sentences = [f"{title}. {y_label}, on a scale from {format_number(low)} to {format_number(high)}."]
    if band:
        band_low, band_high = sorted((float(band[0]), float(band[1])))
        sentences.append(
            f"A shaded band{f' ({band_label})' if band_label else ''} runs from {format_number(band_low)} "
            f"to {format_number(band_high)}."
        )
    if not any(v is not None for one in series for _x, v in one.points):
        sentences.append("There is nothing to show yet.")
    else:
        sentences.extend(_describe_series(one) for one in series)
    text = " ".join(sentences)
    payload = repr([(one.label, [(format_x(x), format_number(v)) for x, v in one.points]) for one in series])
    chart_id = _chart_id("line", title, payload + repr(band))

    parts = [_svg_open(chart_id, height, title, text)]
    pattern_id = f"{chart_id}-hatch"
    if band:
        parts.append(
            f'<defs><pattern id="{pattern_id}" width="8" height="8" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="8" height="8" fill="{BAND_FILL}"/>'
            f'<line x1="0" y1="0" x2="0" y2="8" stroke="{BAND_STROKE}" stroke-width="1" stroke-opacity="0.45"/>'
            f"</pattern></defs>"
        )
    parts.extend(_y_axis(_ticks(low, high), to_y, y_label, plot_height, left, right))
    if band:
        top_y, bottom_y = to_y(band_high), to_y(band_low)
        parts.append(
            f'<rect x="{_fmt(left)}" y="{_fmt(top_y)}" width="{_fmt(right - left)}" height="{_fmt(bottom_y - top_y)}" '
            f'fill="url(#{pattern_id})" stroke="{BAND_STROKE}" stroke-width="1.5" stroke-dasharray="6 3"/>'
        )
    parts.append(
        f'<line x1="{_fmt(left)}" x2="{_fmt(right)}" y1="{_fmt(plot_bottom)}" y2="{_fmt(plot_bottom)}" '
        f'stroke="{INK}" stroke-width="1.5"/>'
    )
    parts.append(
        f'<line x1="{_fmt(left)}" x2="{_fmt(left)}" y1="{TOP}" y2="{_fmt(plot_bottom)}" '
        f'stroke="{INK}" stroke-width="1.5"/>'
    )
    for index in _label_indices(xs, positions):
        parts.append(_text(positions[xs[index]], plot_bottom + 22, format_x(xs[index]), colour=MUTED))
    parts.append(_text((left + right) / 2, plot_bottom + 44, x_label, colour=INK))

    for index, one in enumerate(series):
        colour, dash, shape = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)], MARKERS[index % len(MARKERS)]
        path, pen_down = [], False
        markers = []
        for x, value in one.points:
            if value is None:
                pen_down = False
                continue
            px, py = positions[x], to_y(float(value))
            path.append(f"{'L' if pen_down else 'M'}{_fmt(px)} {_fmt(py)}")
            pen_down = True
            markers.append(_marker(shape, px, py, colour))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<g class="chart-series" data-series="{index}" data-marker="{shape}">')
        if len(path) > 1:
            parts.append(
                f'<path d="{"".join(path)}" fill="none" stroke="{colour}" stroke-width="2.5" '
                f'stroke-linejoin="round"{dash_attr}/>'
            )
        parts.extend(markers)
        parts.append("</g>")

    # Legend under the plot, two per row.
    entries: list[str] = []
    for index, one in enumerate(series):
        colour, dash, shape = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)], MARKERS[index % len(MARKERS)]
        entries.append(("line", one.label, colour, dash, shape))
    if band:
        entries.append(("band", band_label or "Shaded band", "", "", ""))
    for index, (kind, label, colour, dash, shape) in enumerate(entries):
        column, row = index % legend_columns, index // legend_columns
        x0 = left + column * (right - left) / legend_columns
        y0 = HEIGHT + 4 + row * 22
        if kind == "band":
            parts.append(
                f'<rect x="{_fmt(x0)}" y="{_fmt(y0 - 8)}" width="28" height="14" fill="url(#{pattern_id})" '
                f'stroke="{BAND_STROKE}" stroke-width="1.5" stroke-dasharray="6 3"/>'
            )
        else:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{_fmt(x0)}" x2="{_fmt(x0 + 28)}" y1="{_fmt(y0)}" y2="{_fmt(y0)}" stroke="{colour}" '
                f'stroke-width="2.5"{dash_attr}/>'
            )
            parts.append(_marker(shape, x0 + 14, y0, colour))
        parts.append(_text(x0 + 36, y0 + 5, _shorten(label, 26 if legend_columns == 2 else 56), anchor="start"))
    parts.append("</svg>")

    headers = [x_label, *[one.label for one in series]]
    by_series = [{x: v for x, v in one.points} for one in series]
    rows = [[format_x(x), *[format_number(values.get(x)) for values in by_series]] for x in xs]
    caption = (
        title
        if not band
        else f"{title} (shaded band: {band_label or 'range'} {format_number(band_low)} to {format_number(band_high)})"
    )
    return ChartSvg(svg=_safe(parts), text=text, headers=headers, rows=rows, title=caption, chart_id=chart_id)


def bar_chart(
    *,
    title: str,
    bars: list[tuple[str, Number | None]],
    y_label: str,
    suppressed_label: str = "c",
    y_max: Number | None = None,
    x_label: str = "",
    suppressed_meaning: str = "too few people to show",
) -> ChartSvg:
    """Vertical bars with their values written on them. A None value is a suppressed cell: a dashed, empty outline
    labelled `suppressed_label`, "c" in the table and "not shown (too few people to show)" in the text."""
    values = [float(v) for _label, v in bars if v is not None]
    top = float(y_max) if y_max is not None else max(values, default=0.0)
    if top <= 0:
        top = 1.0
    ticks = _ticks(0.0, top)
    if ticks[-1] < top - 1e-9:
        ticks.append(round(ticks[-1] + _nice_step(top), 6))
    high = ticks[-1]
    plot_bottom = HEIGHT - BOTTOM
    plot_height = plot_bottom - TOP
    left, right = LEFT, WIDTH - RIGHT

    def to_y(value: float) -> float:
        return plot_bottom - plot_height * min(max(value, 0.0), high) / high

    sentences = [f"{title}. {y_label}."]
    if not bars:
        sentences.append("There is nothing to show yet.")
    for label, value in bars:
        if value is None:
            sentences.append(f"{label}: not shown ({suppressed_label}, {suppressed_meaning}).")
        else:
            sentences.append(f"{label}: {format_number(value)}.")
    text = " ".join(sentences)
    chart_id = _chart_id("bar", title, repr([(label, format_number(v)) for label, v in bars]))

    parts = [_svg_open(chart_id, HEIGHT, title, text)]
    parts.extend(_y_axis(ticks, to_y, y_label, plot_height, left, right))
    count = max(1, len(bars))
    slot = (right - left) / count
    bar_width = min(64.0, slot * 0.7)
    label_limit = max(3, int(slot / (FONT * 0.55)))
    for index, (label, value) in enumerate(bars):
        centre = left + slot * (index + 0.5)
        x0 = centre - bar_width / 2
        if value is None:
            gap_height = min(40.0, plot_height / 4)
            parts.append(
                f'<g class="chart-suppressed"><rect x="{_fmt(x0)}" y="{_fmt(plot_bottom - gap_height)}" '
                f'width="{_fmt(bar_width)}" height="{_fmt(gap_height)}" fill="#fff" stroke="{SUPPRESSED}" '
                f'stroke-width="1.5" stroke-dasharray="4 3"/>'
                + _text(
                    centre,
                    plot_bottom - gap_height / 2 + FONT / 3,
                    suppressed_label,
                    colour=INK,
                    extra=' font-weight="700"',
                )
                + "</g>"
            )
        else:
            y_top = to_y(float(value))
            colour = COLOURS[0]
            parts.append(
                f'<rect x="{_fmt(x0)}" y="{_fmt(y_top)}" width="{_fmt(bar_width)}" '
                f'height="{_fmt(max(0.0, plot_bottom - y_top))}" fill="{colour}"/>'
            )
            parts.append(_text(centre, y_top - 6, format_number(value), colour=INK, extra=' font-weight="700"'))
        parts.append(_text(centre, plot_bottom + 22, _shorten(label, label_limit), colour=MUTED))
    parts.append(
        f'<line x1="{_fmt(left)}" x2="{_fmt(right)}" y1="{_fmt(plot_bottom)}" y2="{_fmt(plot_bottom)}" '
        f'stroke="{INK}" stroke-width="1.5"/>'
    )
    if x_label:
        parts.append(_text((left + right) / 2, plot_bottom + 44, x_label, colour=INK))
    parts.append("</svg>")
    headers = [x_label or "Item", y_label]
    rows = [[label, format_number(value, suppressed_label)] for label, value in bars]
    return ChartSvg(svg=_safe(parts), text=text, headers=headers, rows=rows, title=title, chart_id=chart_id)
