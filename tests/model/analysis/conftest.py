"""Fixtures shared by the analysis package's tests: three ICBs of the worked example, the
distributions of ``tests.builders.BLOCK`` over them, and a 2000-draw Monte Carlo run."""

from __future__ import annotations

import pytest

from model.analysis.montecarlo import simulate
from tests.builders import BLOCK, dists_of, worked_example


@pytest.fixture(scope="module")
def inputs():
    return worked_example((1_000_000.0, 2_500_000.0, 400_000.0))


@pytest.fixture(scope="module")
def dists(inputs):
    return dists_of(BLOCK, inputs)


@pytest.fixture(scope="module")
def run(inputs, dists):
    return simulate(inputs, dists, 2000, seed=1, chunk_size=256, workers=1)
