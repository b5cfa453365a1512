"""A table read by column (dashboard/columns.py): the frame's values, each column read once."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.columns import Columns


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
