"""Numbers for the Stats page and the home page sparkline, with their charts.

Invariant: pure; months run without gaps from the first to the last, so a chart's
horizontal axis is true time, and ties are broken by name.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup

from generator.charts import Tick, bar_widths, column_chart, nice_step, sparkline
from generator.index import ArchiveIndex
from generator.model import MONTH_NAMES

TOP_COUNT = 15
SPARKLINE_MONTHS = 24
NARROW_LABELS = 5
"""Year labels on a phone: five of "2024" fit in the 300 px a 390 px screen leaves the plot."""
WIDE_LABELS = 10


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Return the first day of every month from `first`'s month to `last`'s, inclusive."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def year_ticks(months: list[datetime.date]) -> list[Tick]:
    """Return year labels for a chart of `months`: at most 10, and at most 5 not `minor`.

    Years are labelled at their January, every 1, 2, 5, 10... years on wide screens, and
    on every second or fifth of those on narrow ones, so the narrow labels are a subset.
    The first year gets a label at the left edge when its first January is off the chart
    and there is room before the next label.
    """
    if not months:
        return []
    januaries = {m.year: i for i, m in enumerate(months) if m.month == 1}
    span = months[-1].year - months[0].year + 1
    wide = nice_step(span, WIDE_LABELS)
    narrow = wide * nice_step(-(-span // wide), NARROW_LABELS)
    ticks = []
    for most, step in ((NARROW_LABELS, narrow), (WIDE_LABELS, wide)):
        chosen = {year: i for year, i in januaries.items() if year % step == 0}
        if months[0].month != 1 and min(chosen.values(), default=len(months)) >= len(months) / most:
            chosen[months[0].year] = 0
        ticks.append(chosen)
    shown, every = ticks
    return [Tick(i, str(year), minor=year not in shown) for year, i in sorted(every.items())]


def stats(index: ArchiveIndex) -> dict[str, object]:
    """Return the Stats page's context: papers-per-month chart, tag bars, venues and authors."""
    per_month = Counter(paper.date.replace(day=1) for paper in index.papers)
    months = months_between(min(per_month), max(per_month)) if per_month else []
    columns = [(_month(m), per_month[m]) for m in months]
    tag_counts = sorted(
        ((tag, len(index.by_tag[tag.slug])) for tag in index.tags),
        key=lambda pair: (-pair[1], pair[0].slug),
    )
    return {
        "month_chart": Markup(
            column_chart(_month_summary(columns), "papers", columns, year_ticks(months))
        ),
        "months_with_papers": len(per_month),
        "tag_bars": [
            (tag, count, width)
            for (tag, count), width in zip(
                tag_counts, bar_widths([count for _, count in tag_counts]), strict=True
            )
        ],
        "top_venues": index.venues[:TOP_COUNT],
        "top_authors": sorted(
            index.authors,
            key=lambda a: (-len(index.by_author[a.slug]), a.family_name.casefold(), a.name),
        )[:TOP_COUNT],
    }


@dataclass(frozen=True)
class Sparkline:
    """The home page's small chart and the words that say what it shows."""

    svg: Markup
    """The chart, an inline SVG with its own text alternative."""
    caption: str
    """What is counted and the peak, e.g. "Papers added per month (peak 9, Oct 2024)"."""


def additions_sparkline(index: ArchiveIndex) -> Sparkline | None:
    """Return a sparkline of papers added per month over the archive's last two years.

    When every paper was added in one month (an archive imported in one go), additions
    make a single spike that says nothing, so the line counts publication months instead.
    """
    added = Counter((paper.added or paper.date).replace(day=1) for paper in index.papers)
    if len(added) <= 1:
        added = Counter(paper.date.replace(day=1) for paper in index.papers)
        what = "Papers per month of publication"
    else:
        what = "Papers added per month"
    if not added:
        return None
    last = max(added)
    months = months_between(datetime.date(last.year - 2, last.month, 1), last)[-SPARKLINE_MONTHS:]
    values = [added[month] for month in months]
    peak = max(values)
    peak_month = _month(months[values.index(peak)])
    label = f"{what}, {_month(months[0])} to {_month(last)}: at most {peak}, in {peak_month}"
    return Sparkline(
        Markup(sparkline(label, values)),
        f"{what} since {_month(months[0])} (peak {peak}, {peak_month})",
    )


def _month_summary(columns: list[tuple[str, int]]) -> str:
    if not columns:
        return "Papers per month of first publication: none yet"
    total = sum(value for _, value in columns)
    busiest = max(columns, key=lambda column: column[1])
    return (
        f"Papers per month of first publication, {columns[0][0]} to {columns[-1][0]}: "
        f"{total} {'paper' if total == 1 else 'papers'}, at most {busiest[1]} a month "
        f"({busiest[0]})"
    )


def _month(month: datetime.date) -> str:
    return f"{MONTH_NAMES[month.month - 1][:3]} {month.year}"
