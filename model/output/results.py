"""Engine arrays to the tidy results table of SPEC section 6.

One row per (scenario, ICB or England, year). England's ``icb_code`` is ``ENG``, its name
``England`` and its region empty; its pounds, WTE and population are sums over the ICBs of the
run and its ratios are recomputed from those sums.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from model import __version__, engine
from model.arrays import FloatArray
from model.engine.inputs import Inputs, from_scenario
from model.engine.lineage import Footprint, to_units
from model.engine.lineage import england as lineage_england
from model.engine.published import published_mask
from model.schema import COLUMN_NAMES, COLUMNS, column

if TYPE_CHECKING:
    from model.scenario import Scenario

ENGLAND_CODE = "ENG"
ENGLAND_NAME = "England"

_IDENTITY = tuple(spec.name for spec in COLUMNS if spec.kind == "label")
_TRACE = tuple(spec.name for spec in COLUMNS if spec.kind == "trace")


def tabulate(name: str, inputs: Inputs, out: dict[str, FloatArray], sample: int = 0, content_hash: str = "",
             footprint: str | None = None) -> pd.DataFrame:
    """One scenario's results as the SPEC section 6 table, on a footprint (default: the latest):
    England first, then the footprint's organisations in order, every year restated on them.

    Pounds, staff and people of an organisation are the sums of its atoms' (its own, or its share
    of an organisation that existed then); ratios are recomputed from those sums. ``content_hash``
    (the scenario's :meth:`~model.scenario.Scenario.content_hash`) and the model version are
    written on every row so that any figure traces back to the inputs that made it.
    """
    chosen = inputs.footprint(footprint)
    n_unit, n_year = len(chosen), len(inputs.labels)
    atoms = {key: out[key][sample] for key in engine.ADDITIVE}
    units = {key: to_units(value, chosen) for key, value in atoms.items()}
    england = {key: lineage_england(value) for key, value in atoms.items()}
    units.update(engine.ratios(units))
    england.update(engine.ratios(england))
    data: dict[str, object] = {}
    for key in COLUMN_NAMES:
        if key in _IDENTITY or key in _TRACE:
            continue
        if key in engine.PRICES:
            data[key] = np.tile(out[key][sample, 0], n_unit + 1)
        else:
            data[key] = np.concatenate([england[key], units[key]], axis=0).ravel()
    data["footprint"] = chosen.label
    data["allowance_basis"] = allowance_basis(inputs, chosen).ravel()
    frame = pd.DataFrame(
        {
            "scenario": name,
            "icb_code": np.repeat((ENGLAND_CODE, *chosen.codes), n_year),
            "icb_name": np.repeat((ENGLAND_NAME, *chosen.names), n_year),
            "region": np.repeat(("", *chosen.regions), n_year),
            "year": np.tile(inputs.labels, n_unit + 1),
            **data,
            "scenario_sha256": content_hash,
            "model_version": __version__,
        }
    )
    return frame[list(COLUMN_NAMES)]


BASES = ("published", "restated", "projected")
"""What a row's allowance rests on (SPEC section 10)."""


def allowance_basis(inputs: Inputs, chosen: Footprint) -> npt.NDArray[np.str_]:
    """Each row's ``allowance_basis`` (England first, then the footprint's organisations), by year:
    ``published`` when the row is an organisation that existed that year with a published
    allowance (for England: every organisation had one), ``restated`` when it is made of
    published figures of other organisations (summed or apportioned), ``projected`` when any
    part comes from the rules."""
    lineage = inputs.lineage
    known = published_mask(lineage, inputs.published_gbp)[1]  # (I, T): the atom's organisation has a figure
    n_year = len(inputs.labels)
    out = np.full((1 + len(chosen), n_year), "projected", dtype=object)
    out[0] = np.where(known.all(axis=0), "published", "projected")
    for u in range(len(chosen)):
        members = chosen.unit_of == u
        for t in range(n_year):
            if not known[members, t].all():
                continue
            orgs = set(lineage.org_of[t, members].tolist())
            whole = len(orgs) == 1 and bool((lineage.org_of[t] == next(iter(orgs))).sum() == members.sum())
            out[1 + u, t] = "published" if whole else "restated"
    return out


def scenario_results(scenario: Scenario, footprint: str | None = None) -> pd.DataFrame:
    """Run one resolved scenario and return its results table on a footprint (default: its latest)."""
    inputs = from_scenario(scenario)
    return tabulate(scenario.name, inputs, engine.run(inputs), content_hash=scenario.content_hash(),
                    footprint=footprint)


def rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as written to files: each numeric column rounded for its unit."""
    return frame.round({c: column(c).decimals or 0 for c in frame.columns if column(c).numeric})
