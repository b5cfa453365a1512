"""Price indices (model/engine/prices.py): pay, non-pay, the cost of a WTE and the deflators."""

from __future__ import annotations

import numpy as np

from model import engine
from tests.builders import tst, worked_example


def test_compound_ignores_base_year_rate():
    np.testing.assert_allclose(engine.compound(np.array([0.5, 0.1, 0.2])), [1.0, 1.1, 1.32])


def test_gdp_deflator_index():
    out = engine.run(worked_example(**{"real_terms.index": 1.0, "inflation.gdp_deflator": [0.9, 0.02, 0.03, 0.01]}))
    np.testing.assert_allclose(tst(out, "deflator"), [1, 1.02, 1.02 * 1.03, 1.02 * 1.03 * 1.01])
    np.testing.assert_allclose(tst(out, "allowance_real_gbp"), tst(out, "allowance_gbp") / tst(out, "deflator"))
