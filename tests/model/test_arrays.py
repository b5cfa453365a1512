"""Array types (model/arrays.py): float64 for every quantity, integers for years and indices."""

from __future__ import annotations

from typing import get_args

import numpy as np

from model import engine
from model.arrays import FloatArray, IntArray
from tests.builders import worked_example


def test_the_aliases_name_float64_and_int_arrays():
    assert get_args(get_args(FloatArray)[1]) == (np.float64,)
    assert get_args(get_args(IntArray)[1]) == (np.int_,)


def test_the_engine_computes_in_float64():
    out = engine.run(worked_example())
    assert {array.dtype for array in out.values()} == {np.dtype(np.float64)}
