"""The briefing's charts (model/output/briefing/charts.py): PNGs at the page's chart width, a legend
row per four scenarios, each scenario drawn in its own colour, the same pixels for the same figures."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from model.output.briefing import charts, style
from model.output.briefing.charts import Line, Step

YEARS = ("2022/23", "2023/24", "2024/25", "2025/26")


def lines(n: int, scale: float = 1.0) -> list[Line]:
    return [Line(f"scenario {i}", YEARS, [scale * (100 - 10 * i - t) for t in range(4)]) for i in range(n)]


def pixels(chart: charts.Chart) -> Image.Image:
    assert chart.png.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(io.BytesIO(chart.png)).convert("RGB")


def px(mm: float) -> int:
    return round(mm / charts.MM_PER_INCH * charts.DPI)


def test_the_allowance_chart_is_the_page_width_and_as_tall_as_its_legend_needs():
    chart = charts.allowance_chart(lines(2), lines(2, 0.8), "2022/23", "2025/26")
    image = pixels(chart)
    assert chart.width_mm == charts.WIDTH_MM == 170.0
    assert chart.height_mm == pytest.approx(66.0 + 2.5 + charts.LEGEND_ROW_MM + 6)  # one legend row
    assert abs(image.width - px(170)) <= 1 and abs(image.height - px(chart.height_mm)) <= 1
    five = charts.allowance_chart(lines(5), lines(5, 0.8), "2022/23", "2025/26")
    assert five.height_mm == pytest.approx(chart.height_mm + charts.LEGEND_ROW_MM)  # a second row of the legend


def test_each_scenario_is_drawn_in_its_own_colour():
    image = pixels(charts.workforce_chart(lines(2), lines(2, 1.1), "2025/26"))
    colours = set(map(tuple, np.asarray(image).reshape(-1, 3).tolist()))
    for i in range(2):
        rgb = tuple(int(style.scenario_colour(i)[k:k + 2], 16) for k in (1, 3, 5))
        assert rgb in colours, style.scenario_colour(i)
    third = tuple(int(style.scenario_colour(2)[k:k + 2], 16) for k in (1, 3, 5))
    assert third not in colours  # only two scenarios drawn


def test_the_same_figures_give_the_same_pixels_and_other_figures_others():
    steps = [("base", [Step("2022/23 allowance", 40.0, total=True), Step("Cut", -12.0), Step("Delegated", 2.0),
                       Step("Inflation", -4.0), Step("2025/26, 2022/23 prices", 26.0, total=True)])]
    first = charts.waterfall_chart(steps, "2022/23")
    assert charts.waterfall_chart(steps, "2022/23").png == first.png
    other = [("base", [*steps[0][1][:1], Step("Cut", -20.0), *steps[0][1][2:]])]
    assert charts.waterfall_chart(other, "2022/23").png != first.png
    assert first.height_mm == pytest.approx(78.0 + 2.5 + charts.LEGEND_ROW_MM)


def test_published_years_add_a_legend_entry():
    plain = charts.allowance_chart(lines(4), lines(4), "2022/23", None)
    marked = [Line(line.name, line.years, line.values, (True, True, False, False)) for line in lines(4)]
    with_published = charts.allowance_chart(marked, lines(4), "2022/23", None)
    assert with_published.height_mm == pytest.approx(plain.height_mm + charts.LEGEND_ROW_MM)  # a fifth entry
