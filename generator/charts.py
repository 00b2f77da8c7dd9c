"""Charts as inline SVG, drawn at build time: no JavaScript, nothing fetched.

Invariant: pure; coordinates are rounded to one decimal so output is byte-stable, colours
come from CSS classes (Material's variables) so light and dark mode both work, and each
chart carries a text alternative (`<title>`, `aria-label`) for screen readers.

The column chart keeps its text out of any stretched coordinate system: only the inner
plot (`preserveAspectRatio="none"`) stretches to the width of the page, while the axis
labels sit in the outer SVG at percentages of its size, in CSS pixels. A stretched
`viewBox` would squash the labels to a few pixels on a phone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

NICE_STEPS = (1, 2, 5)
"""Steps of an axis are one of these times a power of ten: 1, 2, 5, 10, 20, 50, ..."""
Y_INTERVALS = 5
"""At most this many intervals on the vertical axis, so its labels never crowd."""


@dataclass(frozen=True)
class Tick:
    """A label on the horizontal axis, at the left edge of a column."""

    position: int
    """Index of the column the label starts at."""
    text: str
    """What the label says, e.g. a year."""
    minor: bool = False
    """A minor label is hidden on narrow screens, where it would run into its neighbours."""


def nice_step(span: int, most: int) -> int:
    """Return the smallest step (1, 2 or 5 times a power of ten) cutting `span` in `most` parts."""
    scale = 1
    while True:
        for step in NICE_STEPS:
            if math.ceil(span / (step * scale)) <= most:
                return step * scale
        scale *= 10


def bar_widths(values: Sequence[int]) -> list[float]:
    """Return each value as a percentage of the largest (all 0 when every value is 0)."""
    peak = max(values, default=0) or 1
    return [round(100 * value / peak, 1) for value in values]


def column_chart(
    label: str, unit: str, columns: Sequence[tuple[str, int]], ticks: Sequence[Tick]
) -> str:
    """Return a column chart of `(name, value)` with a vertical axis counting `unit`.

    `label` is the chart's text alternative; each column's `<title>` names it and its value.
    """
    count = max(len(columns), 1)
    peak = max((value for _, value in columns), default=0)
    step = nice_step(max(peak, 1), Y_INTERVALS)
    top = step * math.ceil(max(peak, 1) / step)
    parts = [
        f'<svg class="pa-chart" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>',
        f'<svg class="pa-chart__plot" width="100%" height="100%" viewBox="0 0 {count} {top}" '
        'preserveAspectRatio="none">',
    ]
    for value in range(step, top + 1, step):
        parts.append(
            f'<line class="pa-chart__grid" x1="0" y1="{top - value}" x2="{count}" '
            f'y2="{top - value}" vector-effect="non-scaling-stroke"/>'
        )
    for position, (name, value) in enumerate(columns):
        if value:
            parts.append(
                f'<rect class="pa-chart__bar" x="{position + 0.1:.1f}" y="{top - value}" '
                f'width="0.8" height="{value}"><title>{escape(name)}: {value}</title></rect>'
            )
    parts.append(
        f'<line class="pa-chart__axis" x1="0" y1="{top}" x2="{count}" y2="{top}" '
        'vector-effect="non-scaling-stroke"/></svg>'
    )
    parts.append(f'<text class="pa-chart__unit" x="0" y="0" dy="-0.9em">{escape(unit)}</text>')
    for value in range(0, top + 1, step):
        parts.append(
            f'<text class="pa-chart__tick pa-chart__tick--y" x="-6" '
            f'y="{100 * (top - value) / top:.1f}%" dy="0.35em">{value}</text>'
        )
    for tick in ticks:
        minor = " pa-chart__tick--minor" if tick.minor else ""
        parts.append(
            f'<text class="pa-chart__tick pa-chart__tick--x{minor}" '
            f'x="{100 * tick.position / count:.1f}%" y="100%" dy="1.4em">{escape(tick.text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def sparkline(label: str, values: Sequence[int], width: int = 160, height: int = 32) -> str:
    """Return a small line chart of `values` on a baseline, with a dot at the first peak."""
    peak = max(values, default=0) or 1
    inset = 3
    step = (width - 2 * inset) / max(len(values) - 1, 1)
    points = [
        (round(inset + i * step, 1), round(height - inset - (height - 2 * inset) * v / peak, 1))
        for i, v in enumerate(values)
    ]
    top = points[values.index(max(values))] if values else (inset, height - inset)
    return (
        f'<svg class="pa-sparkline" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>'
        f'<line class="pa-sparkline__base" x1="{inset}" y1="{height - inset}" '
        f'x2="{width - inset}" y2="{height - inset}"/>'
        f'<polyline fill="none" points="{" ".join(f"{x},{y}" for x, y in points)}"/>'
        f'<circle class="pa-sparkline__peak" cx="{top[0]}" cy="{top[1]}" r="{inset - 0.5}"/></svg>'
    )
