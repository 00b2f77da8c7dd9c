"""Stats and charts: months without gaps, SVG that parses, text alternatives present."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

from generator.charts import column_chart, sparkline
from generator.stats import months_between


def test_months_between_runs_without_gaps_across_years() -> None:
    months = months_between(datetime.date(2023, 11, 20), datetime.date(2024, 2, 3))
    assert months == [
        datetime.date(2023, 11, 1),
        datetime.date(2023, 12, 1),
        datetime.date(2024, 1, 1),
        datetime.date(2024, 2, 1),
    ]


def test_column_chart_is_valid_svg_with_one_bar_per_nonzero_column() -> None:
    svg = column_chart(
        "Papers <per> month", [("Jan 2024", 2), ("Feb 2024", 0), ("Mar 2024", 4)], [(0, "2024")]
    )
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img" and root.get("aria-label") == "Papers <per> month"
    bars = root.findall(f"{ns}rect")
    assert [bar.find(f"{ns}title").text for bar in bars] == ["Jan 2024: 2", "Mar 2024: 4"]  # type: ignore[union-attr]
    assert [float(bar.get("height", 0)) for bar in bars] == [90.0, 180.0]


def test_sparkline_scales_to_the_peak() -> None:
    root = ET.fromstring(sparkline("added", [0, 2, 4]))
    points = root.find("{http://www.w3.org/2000/svg}polyline").get("points")  # type: ignore[union-attr]
    assert points == "0.0,30.0 80.0,16.0 160.0,2.0"
