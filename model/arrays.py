"""Array types for annotations.

The model computes with float64 arrays (a month that never comes is NaN); the calendar years of a
horizon and the indices into it are integer arrays.
"""

from typing import TypeAlias

import numpy as np
import numpy.typing as npt

FloatArray: TypeAlias = npt.NDArray[np.float64]
"""A float64 array: every parameter, quantity and draw."""

IntArray: TypeAlias = npt.NDArray[np.int_]
"""An integer array: calendar years, indices into the horizon."""
