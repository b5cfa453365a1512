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
from model.schema import COLUMN_NAMES, column

if TYPE_CHECKING:
    from model.scenario import Scenario

ENGLAND_CODE = "ENG"
ENGLAND_NAME = "England"


def tabulate(name: str, inputs: Inputs, out: dict[str, FloatArray], sample: int = 0, content_hash: str = "",
             footprint: str | None = None) -> pd.DataFrame:
    """One scenario's results as the SPEC section 6 table, on a footprint (default: the latest):
    England first, then the footprint's organisations in order, every year restated on them.

    Pounds, staff and people of an organisation are the sums of its atoms' (its own, or its share
    of an organisation that existed then); ratios are recomputed from those sums. ``content_hash``
    (the scenario's :meth:`~model.scenario.Scenario.content_hash`) and the model version are
    written on every row so that any figure traces back to the inputs that made it.
    """
    return pd.DataFrame(table_columns(name, inputs, out, sample, content_hash, footprint))


def table_columns(name: str, inputs: Inputs, out: dict[str, FloatArray], sample: int = 0, content_hash: str = "",
                  footprint: str | None = None) -> dict[str, np.ndarray]:
    """:func:`tabulate`'s table as its columns, in order, without making the frame: floats, and
    text as arrays of Python strings (what the frame's ``to_numpy`` gives)."""
    chosen = inputs.footprint(footprint)
    n_unit, n_year = len(chosen), len(inputs.labels)
    n_rows = (n_unit + 1) * n_year
    atoms = np.stack([out[key][sample] for key in engine.ADDITIVE], axis=-1)  # (A, T, K): one sum for all K
    by_unit, in_england = to_units(atoms, chosen), lineage_england(atoms)
    units = {key: by_unit[..., k] for k, key in enumerate(engine.ADDITIVE)}
    england = {key: in_england[..., k] for k, key in enumerate(engine.ADDITIVE)}
    units.update(engine.ratios(units))
    england.update(engine.ratios(england))

    def text(values: tuple[str, ...], repeat: int = n_year) -> np.ndarray:
        return np.repeat(np.array(values, dtype=object), repeat)

    data: dict[str, np.ndarray] = {
        "scenario": text((name,), n_rows),
        "icb_code": text((ENGLAND_CODE, *chosen.codes)),
        "icb_name": text((ENGLAND_NAME, *chosen.names)),
        "region": text(("", *chosen.regions)),
        "year": np.tile(np.array(inputs.labels, dtype=object), n_unit + 1),
        "footprint": text((chosen.label,), n_rows),
        "allowance_basis": allowance_basis(inputs, chosen).ravel(),
        "scenario_sha256": text((content_hash,), n_rows),
        "model_version": text((__version__,), n_rows),
    }
    for key in COLUMN_NAMES:
        if key in data:
            continue
        if key in engine.PRICES:
            data[key] = np.tile(out[key][sample, 0], n_unit + 1)
        else:
            data[key] = np.concatenate([england[key], units[key]], axis=0).ravel()
    return {key: data[key] for key in COLUMN_NAMES}


BASES = ("published", "restated", "projected")
"""What a row's allowance rests on (SPEC section 10)."""


def allowance_basis(inputs: Inputs, chosen: Footprint) -> npt.NDArray[np.str_]:
    """Each row's ``allowance_basis`` (England first, then the footprint's organisations), by year:
    ``published`` when the row is an organisation that existed that year with a published
    allowance (for England: every organisation had one), ``restated`` when it is made of
    published figures of other organisations (summed or apportioned), ``projected`` when any
    part comes from the rules.

    Worked on whole arrays (no loop over organisations or years): a unit is ``published`` in a
    year when all its atoms belong to one organisation that has no other atoms."""
    lineage = inputs.lineage
    known = published_mask(lineage, inputs.published_gbp)[1].T  # (T, I): the atom's organisation has a figure
    org_of = lineage.org_of  # (T, I)
    n_year, n_unit = len(inputs.labels), len(chosen)
    years = np.broadcast_to(np.arange(n_year)[:, None], org_of.shape)
    units = np.broadcast_to(chosen.unit_of[None, :], org_of.shape)
    unknown = np.zeros((n_year, n_unit), dtype=np.int64)
    np.add.at(unknown, (years, units), ~known)
    lowest = np.full((n_year, n_unit), np.iinfo(np.int64).max)
    highest = np.full((n_year, n_unit), -1)
    np.minimum.at(lowest, (years, units), org_of)
    np.maximum.at(highest, (years, units), org_of)
    atoms_of_org = np.zeros((n_year, lineage.n_orgs), dtype=np.int64)
    np.add.at(atoms_of_org, (years, org_of), 1)
    atoms_of_unit = np.bincount(chosen.unit_of, minlength=n_unit)
    single = lowest == highest
    whole = single & (np.take_along_axis(atoms_of_org, np.where(single, lowest, 0), axis=1) == atoms_of_unit)
    out = np.full((1 + n_unit, n_year), "projected", dtype=object)
    out[0] = np.where(known.all(axis=1), "published", "projected")
    out[1:] = np.where(unknown == 0, np.where(whole, "published", "restated"), "projected").T
    return out


def scenario_results(scenario: Scenario, footprint: str | None = None) -> pd.DataFrame:
    """Run one resolved scenario and return its results table on a footprint (default: its latest)."""
    inputs = from_scenario(scenario)
    return tabulate(scenario.name, inputs, engine.run(inputs), content_hash=scenario.content_hash(),
                    footprint=footprint)


def rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as written to files: each numeric column rounded for its unit."""
    return frame.round({c: column(c).decimals or 0 for c in frame.columns if column(c).numeric})
