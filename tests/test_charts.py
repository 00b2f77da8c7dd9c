"""Stats and charts: months without gaps, SVG that parses, axes labelled, bars proportional,
text alternatives present, and a home sparkline that still says something when every paper
was added on one day."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from pathlib import PurePosixPath

import pytest

from generator.charts import Tick, bar_widths, column_chart, nice_step, sparkline
from generator.index import build_indexes
from generator.model import Archive, Paper, Tag
from generator.render import SiteInfo, render_pages
from generator.stats_page import additions_sparkline, months_between, stats, year_ticks

SVG = "{http://www.w3.org/2000/svg}"
TAGS = (Tag("a", "A", "Tag a."), Tag("b", "B", "Tag b."), Tag("c", "C", "No papers."))


def paper(paper_id: str, date: str, added: str | None = None, tags: tuple[str, ...] = ("a",)):  # type: ignore[no-untyped-def]
    return Paper(
        id=paper_id,
        title=f"Study of {paper_id}",
        authors=("Ann Lee",),
        date=datetime.date.fromisoformat(date),
        tags=tags,
        added=datetime.date.fromisoformat(added) if added else None,
    )


def months(first: str, last: str) -> list[datetime.date]:
    return months_between(datetime.date.fromisoformat(first), datetime.date.fromisoformat(last))


def test_months_between_runs_without_gaps_across_years() -> None:
    assert months("2023-11-20", "2024-02-03") == [
        datetime.date(2023, 11, 1),
        datetime.date(2023, 12, 1),
        datetime.date(2024, 1, 1),
        datetime.date(2024, 2, 1),
    ]


@pytest.mark.parametrize(
    ("span", "most", "step"),
    [
        (1, 5, 1),
        (5, 5, 1),
        (6, 5, 2),
        (9, 5, 2),
        (11, 5, 5),
        (16, 10, 2),
        (30, 5, 10),
        (999, 4, 500),
    ],
)
def test_nice_step_is_the_smallest_1_2_5_step_that_fits(span: int, most: int, step: int) -> None:
    assert nice_step(span, most) == step


def test_bar_widths_are_proportional_to_the_values() -> None:
    assert bar_widths([16, 10, 8, 2, 0]) == [100.0, 62.5, 50.0, 12.5, 0.0]
    assert bar_widths([0, 0]) == [0.0, 0.0]
    assert bar_widths([]) == []


def test_column_chart_has_a_labelled_vertical_axis_and_bars_to_its_scale() -> None:
    svg = column_chart(
        "Papers <per> month",
        "papers",
        [("Jan 2024", 2), ("Feb 2024", 0), ("Mar 2024", 9)],
        [Tick(0, "2024")],
    )
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "Papers <per> month"
    assert root.find(f"{SVG}title").text == "Papers <per> month"  # type: ignore[union-attr]
    y_labels = [
        t.text for t in root.iter(f"{SVG}text") if "pa-chart__tick--y" in t.get("class", "")
    ]
    assert y_labels == ["0", "2", "4", "6", "8", "10"]
    assert [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "pa-chart__unit"] == [
        "papers"
    ]
    plot = root.find(f"{SVG}svg")
    assert plot is not None and plot.get("viewBox") == "0 0 3 10"
    bars = plot.findall(f"{SVG}rect")
    assert [bar.find(f"{SVG}title").text for bar in bars] == ["Jan 2024: 2", "Mar 2024: 9"]  # type: ignore[union-attr]
    assert [(bar.get("y"), bar.get("height")) for bar in bars] == [("8", "2"), ("1", "9")]


def test_column_chart_text_is_never_stretched_with_the_plot() -> None:
    """Only the inner plot may stretch; labels in a stretched viewBox shrink to nothing on a phone."""
    root = ET.fromstring(column_chart("x", "papers", [("Jan 2024", 1)] * 200, [Tick(100, "2024")]))
    assert root.get("viewBox") is None and root.get("preserveAspectRatio") is None
    plot = root.find(f"{SVG}svg")
    assert plot is not None and plot.get("preserveAspectRatio") == "none"
    assert plot.findall(f".//{SVG}text") == []
    (x_label,) = [t for t in root.iter(f"{SVG}text") if "tick--x" in t.get("class", "")]
    assert x_label.get("x") == "50.0%"


def test_column_chart_of_one_small_column_still_has_an_axis() -> None:
    root = ET.fromstring(column_chart("x", "papers", [("Jun 2024", 1)], [Tick(0, "2024")]))
    y_labels = [t.text for t in root.iter(f"{SVG}text") if "tick--y" in t.get("class", "")]
    assert y_labels == ["0", "1"]


def test_year_ticks_label_januaries_five_on_a_phone_and_ten_on_a_desktop() -> None:
    ticks = year_ticks(months("2010-09-09", "2025-10-01"))
    assert [t.text for t in ticks] == [str(y) for y in range(2012, 2025, 2)]
    narrow = [t.text for t in ticks if not t.minor]
    assert narrow == ["2012", "2016", "2020", "2024"]
    chart = months("2010-09-09", "2025-10-01")
    assert all(chart[t.position] == datetime.date(int(t.text), 1, 1) for t in ticks)


@pytest.mark.parametrize(
    ("first", "last"), [("1990-01-01", "2025-12-01"), ("2001-05-01", "2003-02-01")]
)
def test_year_ticks_never_crowd(first: str, last: str) -> None:
    ticks = year_ticks(months(first, last))
    assert 1 <= len([t for t in ticks if not t.minor]) <= 5 and len(ticks) <= 10
    positions = [t.position for t in ticks]
    assert positions == sorted(set(positions))


def test_year_ticks_label_the_first_year_when_there_is_room_before_the_next() -> None:
    assert [(t.position, t.text) for t in year_ticks(months("2023-11-01", "2024-06-01"))] == [
        (0, "2023"),
        (2, "2024"),
    ]
    assert [(t.position, t.text) for t in year_ticks(months("2024-06-01", "2024-06-01"))] == [
        (0, "2024")
    ]
    assert year_ticks([]) == []


def test_sparkline_scales_to_the_peak_and_marks_it() -> None:
    root = ET.fromstring(sparkline("added", [0, 4, 2]))
    assert root.get("aria-label") == "added" and root.find(f"{SVG}title").text == "added"  # type: ignore[union-attr]
    points = root.find(f"{SVG}polyline").get("points")  # type: ignore[union-attr]
    assert points == "3.0,29.0 80.0,3.0 157.0,16.0"
    peak = root.find(f"{SVG}circle")
    assert peak is not None and (peak.get("cx"), peak.get("cy")) == ("80.0", "3.0")


def test_sparkline_counts_publication_months_when_all_papers_were_added_on_one_day() -> None:
    index = build_indexes(
        Archive(
            papers=(
                paper("p1", "2024-03-01", added="2025-11-13"),
                paper("p2", "2024-03-20", added="2025-11-13"),
                paper("p3", "2023-12-31", added="2025-11-13"),
            ),
            tags=TAGS,
        )
    )
    chart = additions_sparkline(index)
    assert chart is not None
    assert chart.caption == "Papers per month of publication since Apr 2022 (peak 2, Mar 2024)"
    points = ET.fromstring(chart.svg).find(f"{SVG}polyline").get("points").split()  # type: ignore[union-attr]
    assert len(points) == 24 and len({point.split(",")[1] for point in points}) == 3


def test_sparkline_counts_additions_when_they_spread_over_months() -> None:
    index = build_indexes(
        Archive(
            papers=(
                paper("p1", "2020-01-01", added="2025-01-02"),
                paper("p2", "2020-01-01", added="2025-03-04"),
                paper("p3", "2020-01-01", added="2025-03-05"),
            ),
            tags=TAGS,
        )
    )
    chart = additions_sparkline(index)
    assert chart is not None
    assert chart.caption == "Papers added per month since Apr 2023 (peak 2, Mar 2025)"
    assert "Papers added per month, Apr 2023 to Mar 2025" in chart.svg


def test_no_papers_no_sparkline_and_a_stats_page_that_says_so() -> None:
    index = build_indexes(Archive(papers=(), tags=TAGS))
    assert additions_sparkline(index) is None
    pages = render_pages(index, SiteInfo("Site", "About."))
    assert "No papers yet." in pages[PurePosixPath("stats.md")]
    assert "pa-sparkline" not in pages[PurePosixPath("index.md")]


def test_one_paper_gets_a_chart_with_an_axis_a_full_bar_and_singular_words() -> None:
    index = build_indexes(Archive(papers=(paper("p1", "2024-06-03", tags=("a", "b")),), tags=TAGS))
    context = stats(index)
    root = ET.fromstring(str(context["month_chart"]))
    assert root.get("aria-label") == (
        "Papers per month of first publication, Jun 2024 to Jun 2024: 1 paper, "
        "at most 1 a month (Jun 2024)"
    )
    assert [(tag.slug, count, width) for tag, count, width in context["tag_bars"]] == [  # type: ignore[attr-defined]
        ("a", 1, 100.0),
        ("b", 1, 100.0),
        ("c", 0, 0.0),
    ]
    pages = render_pages(index, SiteInfo("Site", "About."))
    page = pages[PurePosixPath("stats.md")]
    assert "<strong>1</strong> paper</span><span><strong>1</strong> author</span>" in page
    assert "<strong>3</strong> tags</span>" in page
    assert "<span><strong>2024</strong></span>" in pages[PurePosixPath("index.md")]
    assert page.count('class="pa-bars__bar"') == 2
    assert '<th scope="row"><a href="../timeline/2024/">2024</a></th><td>1</td>' in page
