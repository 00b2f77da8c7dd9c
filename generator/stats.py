"""Numbers for the Stats page and the home page sparkline, with their charts.

Invariant: pure; months run without gaps from the first to the last, so a chart's
horizontal axis is true time, and ties are broken by name.
"""

from __future__ import annotations

import datetime
from collections import Counter

from markupsafe import Markup

from generator.charts import column_chart, sparkline
from generator.index import ArchiveIndex
from generator.model import MONTH_NAMES

TOP_COUNT = 15
SPARKLINE_MONTHS = 24


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Return the first day of every month from `first`'s month to `last`'s, inclusive."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def stats(index: ArchiveIndex) -> dict[str, object]:
    """Return the Stats page's context: papers-per-month chart, top tags, venues and authors."""
    per_month = Counter(paper.date.replace(day=1) for paper in index.papers)
    months = months_between(min(per_month), max(per_month)) if per_month else []
    columns = [(_month(m), per_month[m]) for m in months]
    years = sorted({m.year for m in months})
    every = max(1, len(years) // 8)
    ticks = [
        (months.index(datetime.date(year, 1, 1)) if year != years[0] else 0, str(year))
        for year in years[::every]
    ]
    return {
        "month_chart": Markup(
            column_chart("Papers per month of first publication", columns, ticks)
        ),
        "months_with_papers": len(per_month),
        "tag_counts": sorted(
            ((tag, len(index.by_tag[tag.slug])) for tag in index.tags),
            key=lambda pair: (-pair[1], pair[0].slug),
        ),
        "top_venues": index.venues[:TOP_COUNT],
        "top_authors": sorted(
            index.authors,
            key=lambda a: (-len(index.by_author[a.name]), a.family_name.casefold(), a.name),
        )[:TOP_COUNT],
    }


def additions_sparkline(index: ArchiveIndex) -> Markup:
    """Return a sparkline of papers added per month over the last two years of the archive."""
    added = Counter((paper.added or paper.date).replace(day=1) for paper in index.papers)
    if not added:
        return Markup("")
    last = max(added)
    months = months_between(datetime.date(last.year - 2, last.month, 1), last)[-SPARKLINE_MONTHS:]
    label = f"Papers added per month, {_month(months[0])} to {_month(last)}"
    return Markup(sparkline(label, [added[month] for month in months]))


def _month(month: datetime.date) -> str:
    return f"{MONTH_NAMES[month.month - 1][:3]} {month.year}"
