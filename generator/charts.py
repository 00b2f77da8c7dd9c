"""Charts as inline SVG, drawn at build time: no JavaScript, readable without styles.

Invariant: pure; coordinates are rounded to one decimal so output is byte-stable, colours
come from CSS classes (Material's variables) so light and dark mode both work, and each
chart carries a text alternative (`<title>`, `aria-label`) for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH = 720
HEIGHT = 180
AXIS = 22


def column_chart(
    label: str, columns: Sequence[tuple[str, int]], ticks: Sequence[tuple[int, str]]
) -> str:
    """Return a column chart of `(name, value)`; `ticks` are `(column position, label)`."""
    peak = max((value for _, value in columns), default=0) or 1
    step = WIDTH / max(len(columns), 1)
    bar = max(step * 0.8, 1.0)
    parts = [
        f'<svg class="pa-chart" viewBox="0 0 {WIDTH} {HEIGHT + AXIS}" role="img" '
        f'aria-label="{escape(label)}" '
        f'preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>',
        f'<line class="pa-chart__axis" x1="0" y1="{HEIGHT}" x2="{WIDTH}" y2="{HEIGHT}"/>',
    ]
    for position, (name, value) in enumerate(columns):
        if value:
            height = round(HEIGHT * value / peak, 1)
            parts.append(
                f'<rect class="pa-chart__bar" x="{round(position * step, 1)}" '
                f'y="{round(HEIGHT - height, 1)}" width="{round(bar, 1)}" height="{height}">'
                f"<title>{escape(name)}: {value}</title></rect>"
            )
    for position, text in ticks:
        parts.append(
            f'<text class="pa-chart__tick" x="{round(position * step, 1)}" '
            f'y="{HEIGHT + AXIS - 6}">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def sparkline(label: str, values: Sequence[int], width: int = 160, height: int = 32) -> str:
    """Return a small line chart of `values` (e.g. additions per month)."""
    peak = max(values, default=0) or 1
    step = width / max(len(values) - 1, 1)
    points = " ".join(
        f"{round(i * step, 1)},{round(height - 2 - (height - 4) * v / peak, 1)}"
        for i, v in enumerate(values)
    )
    return (
        f'<svg class="pa-sparkline" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>'
        f'<polyline fill="none" points="{points}"/></svg>'
    )
