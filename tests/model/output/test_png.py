"""PNG charts drawn by matplotlib from the plotly figures (model/output/png.py): the image has the
figure's size times the scale, and the bars, cells and band are where the figure puts them, in its
colours."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from model.output import charts
from model.output.png import colour, png_bytes
from model.output.png_renderer import PngRenderer
from tests.model.output.test_charts import FOOTER, summary, tornado_table


def pixels(fig, scale: float = 1.0) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png_bytes(fig, scale))).convert("RGB"))


def share_of(image: np.ndarray, hex_colour: str) -> float:
    """The share of the image's pixels in exactly this colour."""
    target = np.array([int(hex_colour[k:k + 2], 16) for k in (1, 3, 5)])
    return float((image == target).all(axis=-1).mean())


def bar_rows(image: np.ndarray, hex_colour: str) -> np.ndarray:
    """Rows of the image crossed by a bar of this colour (more than 50 pixels of it: not the legend)."""
    target = np.array([int(hex_colour[k:k + 2], 16) for k in (1, 3, 5)])
    return np.flatnonzero((image == target).all(axis=-1).sum(axis=1) > 50)


def test_the_image_is_the_figures_size_times_the_scale():
    fig = charts.fan_figure(summary(), "funding_gap_gbp", "ENG", "England", None, FOOTER)
    assert Image.open(io.BytesIO(png_bytes(fig))).size == (2000, 1200)
    assert Image.open(io.BytesIO(png_bytes(fig, 1))).size == (1000, 600)
    tall = pd.concat([tornado_table()] * 10, ignore_index=True).assign(parameter=[f"p{i}" for i in range(20)])
    assert pixels(charts.tornado_figure(tall, "wte_gap", "QAA", "2025/26", FOOTER)).shape[:2] == (160 + 45 * 20, 1000)


def test_tornado_bars_in_their_roles_colours_the_lever_the_longer():
    image = pixels(charts.tornado_figure(tornado_table(), "funding_gap_gbp", "England", "2025/26", FOOTER))
    lever_high, uncertainty_high = charts.ROLE_COLOURS["lever"][1], charts.ROLE_COLOURS["uncertainty"][1]
    assert share_of(image, lever_high) > share_of(image, uncertainty_high) > 0.01
    rows_lever, rows_pay = (bar_rows(image, hex_colour) for hex_colour in (lever_high, uncertainty_high))
    assert rows_lever.max() < rows_pay.min()  # the larger swing is drawn at the top


def test_heatmap_cells_run_from_shortfall_red_to_surplus_blue():
    grid = pd.DataFrame([[-2e6, 4e6]], index=pd.Index(["0"], name="a:add \\ b:set"), columns=["x", "y"])
    image = pixels(charts.heatmap_figure(grid, "funding_gap_gbp", "England", "2025/26", FOOTER))
    middle = image[image.shape[0] // 2]
    reds = np.flatnonzero(middle[:, 0] > middle[:, 2] + 40)
    blues = np.flatnonzero(middle[:, 2] > middle[:, 0] + 40)
    assert reds.size and blues.size and reds.mean() < blues.mean()  # the shortfall on the left, in red


def test_fan_band_is_filled_in_its_colour():
    image = pixels(charts.fan_figure(summary(), "funding_gap_gbp", "ENG", "England", [-4e6, -6e6], FOOTER))
    band = np.array([round(255 * (1 - 0.22) + c * 0.22) for c in (33, 113, 181)])
    assert (np.abs(image.astype(int) - band).max(axis=-1) <= 2).mean() > 0.1


@pytest.mark.parametrize(("text", "expected"), [("#2171b5", "#2171b5"), ("rgb(255,0,51)", (1.0, 0.0, 0.2)),
                                                ("rgba(0, 0, 255, 0.5)", (0.0, 0.0, 1.0, 0.5)), (None, None)])
def test_plotly_colours_as_matplotlib_takes_them(text, expected):
    assert colour(text) == expected


def test_the_renderer_process_draws_exactly_what_this_process_draws():
    grid = pd.DataFrame([[-2e6, 4e6]], index=pd.Index(["0"], name="a:add \\ b:set"), columns=["x", "y"])
    figures = [charts.tornado_figure(tornado_table(), "funding_gap_gbp", "England", "2025/26", FOOTER),
               charts.heatmap_figure(grid, "funding_gap_gbp", "England", "2025/26", FOOTER),
               charts.fan_figure(summary(), "funding_gap_gbp", "ENG", "England", [-4e6, -6e6], FOOTER)]
    with PngRenderer() as renderer:
        drawn = list(renderer.pngs(figures, scale=1))
    assert drawn == [png_bytes(fig, 1) for fig in figures]
