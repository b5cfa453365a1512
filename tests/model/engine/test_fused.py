"""Formulas in one buffer (model/engine/fused.py): bit for bit the numpy expression, whatever the
operands' shapes, and the first operand left alone."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from model.engine.fused import chain

SHAPES = [(3, 4, 5), (3, 1, 5), (1, 4, 5), (3, 4, 1), (1, 1, 5), (1, 4, 1), (3, 1, 1), ()]


@given(st.lists(st.sampled_from(SHAPES), min_size=2, max_size=6), st.lists(st.sampled_from(range(5)), min_size=5,
                                                                          max_size=5),
       st.lists(st.booleans(), min_size=5, max_size=5), st.integers(0, 2**32 - 1))
def test_a_chain_is_the_expression_bit_for_bit(shapes, ops, before, seed):
    rng = np.random.default_rng(seed)
    operands = [rng.normal(size=shape) * 10.0 ** rng.integers(-6, 7) if shape else float(rng.normal())
                for shape in shapes]
    operands = [np.where(np.abs(o) < 0.3, -0.0, o) if np.ndim(o) else o for o in operands]  # signed zeros too
    ufuncs = [np.add, np.subtract, np.multiply, np.divide, np.maximum]
    steps = [(ufuncs[op], b, first) for op, b, first in zip(ops, operands[1:], before, strict=False)]
    with np.errstate(all="ignore"):  # zeros divide: infinities and NaNs must match too
        expected = np.asarray(operands[0])
        for ufunc, b, first in steps:
            expected = ufunc(b, expected) if first else ufunc(expected, b)
        first = np.copy(operands[0])
        got = chain(operands[0], *steps)
    assert got.shape == np.shape(expected) and got.tobytes() == np.asarray(expected).tobytes()
    assert np.array_equal(first, operands[0])  # never written to


def test_an_operand_that_comes_first_keeps_its_place():
    """numpy's maximum of 0.0 and -0.0 depends on which comes first: the order is kept."""
    negative_zero = np.array([-0.0, 1.0])
    first = chain(negative_zero, (np.multiply, 1.0), (np.maximum, 0.0, True))
    second = chain(negative_zero, (np.multiply, 1.0), (np.maximum, 0.0))
    assert first.tobytes() == np.maximum(0.0, negative_zero).tobytes()
    assert second.tobytes() == np.maximum(negative_zero, 0.0).tobytes()
    assert first.tobytes() != second.tobytes()


def test_a_chain_writes_into_one_array_once_it_has_the_results_shape():
    a, b = np.ones((2, 3)), np.full((2, 3), 2.0)
    out = chain(a, (np.multiply, b), (np.add, 1.0), (np.divide, b))
    np.testing.assert_array_equal(out, 1.5) and np.testing.assert_array_equal(a, 1.0)
    assert chain(a).shape == (2, 3)  # no steps: the operand itself
