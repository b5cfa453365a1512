"""Formulas evaluated in one buffer: ``a * b * c + d`` without a new array for every operator.

Each operator of a numpy expression makes a new array. :func:`chain` works a formula out from left
to right as Python would, step by step the same arithmetic on the same numbers (so every result is
bit for bit the expression's), but writes each step into the array the first step made once that
array has the result's shape: one allocation instead of one per operator, and the array stays in
the processor's cache between steps.
"""

from __future__ import annotations

import numpy as np

from model.arrays import FloatArray

Step = tuple[np.ufunc, FloatArray | float] | tuple[np.ufunc, FloatArray | float, bool]
"""An operator (``np.multiply``, ``np.add``, ``np.subtract``, ``np.divide``, ``np.maximum``...), its
other operand and, optionally, ``True`` when that operand comes first (``np.maximum(0.0, x)`` is not
``np.maximum(x, 0.0)`` for ``x = -0.0``)."""


def chain(first: FloatArray | float, *steps: Step) -> FloatArray:
    """``((first op1 b1) op2 b2) ...`` for the steps ``(op, b)`` (``b op first`` for ``(op, b, True)``),
    in as few new arrays as broadcasting allows; ``first`` is never written to (with no steps, it
    is returned as it is)."""
    out: FloatArray = np.asarray(first)
    owned = False
    for ufunc, operand, *before in steps:
        args = (operand, out) if before and before[0] else (out, operand)
        if owned and np.broadcast_shapes(out.shape, np.shape(operand)) == out.shape and \
                np.result_type(out, operand) == out.dtype:
            ufunc(*args, out=out)
        else:
            out = np.asarray(ufunc(*args))
            owned = True
    return out
