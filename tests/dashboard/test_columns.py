"""A table read by column (dashboard/columns.py): the frame's values, each column read once,
whether made from a frame or from the engine's arrays."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.columns import Columns
from model import engine
from model.output.results import table_columns, tabulate
from tests.builders import worked_example


def test_columns_are_the_frames_values_read_once():
    frame = pd.DataFrame({"year": ["2024/25", "2025/26"], "allowance_gbp": [1.5, 2.5]}, index=[7, 3])
    columns = Columns(frame)
    years = columns["year"]
    assert isinstance(years, np.ndarray) and years.tolist() == ["2024/25", "2025/26"]
    assert columns["year"] is years  # read once, handed out again
    assert columns["allowance_gbp"][1] == 2.5  # by position, whatever the frame's index
    assert len(columns) == 2 and "year" in columns and "population" not in columns
    assert columns.frame is frame
    assert len(Columns(frame.iloc[0:0])) == 0
    with pytest.raises(KeyError):
        columns["population"]


def test_columns_of_the_engines_arrays_are_the_results_table():
    inputs = worked_example(populations=(1e6, 2e6))
    out = engine.run(inputs)
    table = tabulate("A", inputs, out, content_hash="abc")
    arrays = Columns.of_arrays(table_columns("A", inputs, out, content_hash="abc"))
    framed = Columns(table)
    assert len(arrays) == len(table) and list(arrays.frame.columns) == list(table.columns)
    pd.testing.assert_frame_equal(arrays.frame, table, check_exact=True)
    mask = (table["icb_code"] == "T01").to_numpy()
    for columns in (arrays, framed):
        place = columns.take(mask)
        assert len(place) == 4 and place["icb_code"].tolist() == ["T01"] * 4
        assert place["allowance_gbp"].tolist() == table.loc[mask, "allowance_gbp"].tolist()
        assert place["year"] is place["year"]
        pd.testing.assert_frame_equal(place.frame.reset_index(drop=True), table[mask].reset_index(drop=True))
    assert not arrays["allowance_gbp"].flags.writeable  # shared by every reader
    with pytest.raises(ValueError, match="unequal lengths"):
        Columns.of_arrays({"a": np.zeros(2), "b": np.zeros(3)})
