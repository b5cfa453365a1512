"""Engine arrays to the tidy results table of SPEC section 6.

One row per (scenario, ICB or England, year). England's ``icb_code`` is ``ENG``, its name
``England`` and its region empty; its pounds, WTE and population are sums over the ICBs of the
run and its ratios are recomputed from those sums.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from model import __version__, engine
from model.arrays import FloatArray
from model.engine.inputs import Inputs, from_scenario
from model.schema import COLUMN_NAMES, COLUMNS, column

if TYPE_CHECKING:
    from model.scenario import Scenario

ENGLAND_CODE = "ENG"
ENGLAND_NAME = "England"

_IDENTITY = tuple(spec.name for spec in COLUMNS if spec.kind == "label")
_TRACE = tuple(spec.name for spec in COLUMNS if spec.kind == "trace")


def tabulate(
    name: str, inputs: Inputs, out: dict[str, FloatArray], sample: int = 0, content_hash: str = ""
) -> pd.DataFrame:
    """One scenario's results as the SPEC section 6 table: England first, then ICBs in table order.

    ``content_hash`` (the scenario's :meth:`~model.scenario.Scenario.content_hash`) and the model
    version are written on every row so that any figure traces back to the inputs that made it.
    """
    n_icb, n_year = len(inputs.codes), len(inputs.labels)
    icb = {key: out[key][sample] for key in engine.ADDITIVE}
    england = {key: value.sum(axis=0, keepdims=True) for key, value in icb.items()}
    icb.update(engine.ratios(icb))
    england.update(engine.ratios(england))
    data: dict[str, FloatArray] = {}
    for key in COLUMN_NAMES:
        if key in _IDENTITY or key in _TRACE:
            continue
        if key in engine.PRICES:
            data[key] = np.tile(out[key][sample, 0], n_icb + 1)
        else:
            data[key] = np.concatenate([england[key], icb[key]], axis=0).ravel()
    frame = pd.DataFrame(
        {
            "scenario": name,
            "icb_code": np.repeat((ENGLAND_CODE, *inputs.codes), n_year),
            "icb_name": np.repeat((ENGLAND_NAME, *inputs.names), n_year),
            "region": np.repeat(("", *inputs.regions), n_year),
            "year": np.tile(inputs.labels, n_icb + 1),
            **data,
            "scenario_sha256": content_hash,
            "model_version": __version__,
        }
    )
    return frame[list(COLUMN_NAMES)]


def scenario_results(scenario: Scenario) -> pd.DataFrame:
    """Run one resolved scenario and return its results table."""
    inputs = from_scenario(scenario)
    return tabulate(scenario.name, inputs, engine.run(inputs), content_hash=scenario.content_hash())


def rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as written to files: each numeric column rounded for its unit."""
    return frame.round({c: column(c).decimals for c in frame.columns if column(c).numeric})
