"""Helpers for the workbook's tests (tests/model/output/workbook/, tests/model/cli/test_workbook.py)
and its LibreOffice recalculation tests (tests/recalculation/): comparing a plan's formula cells with
what they should hold, reading named input cells, and generated inputs across every lever.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
from hypothesis import strategies as st

from model import engine
from model.engine.inputs import Inputs
from model.engine.lineage import england, to_units
from model.output.results import allowance_basis
from model.output.workbook import Plan, a1, write_workbook
from model.periods import year_label
from model.schema import FUNCTIONS
from tests import libreoffice
from tests.builders import DELEGATION_NUMBERS, ENVELOPE, NUMBERS, SERIES, WORDS

REL = 1e-9
ROOT = Path(__file__).resolve().parents[1]


def close(expected: object, got: object, scale: float = 1.0) -> bool:
    """Equal for text and flags; for numbers within REL of the larger of the figure and the scale
    of the quantities it is made from (a WTE gap is a difference of two larger figures)."""
    if expected == "" and got is None:  # an empty text result reads back as an empty cell
        return True
    if isinstance(expected, (str, bool)) or isinstance(got, (str, bool)) or got is None:
        return got == expected
    return abs(float(got) - float(expected)) <= REL * max(abs(float(expected)), scale)


def mismatches(plan: Plan, values: dict, expected=None) -> list[tuple]:
    """Formula cells whose recalculated value differs from the expected one (default: the plan's)."""
    found = []
    for sheet in plan.sheets:
        got = values[sheet.name]
        for pos, cell in sheet.formulas().items():
            want = cell.value if expected is None else expected(cell)
            if want is None:
                continue
            if not close(want, got.get(pos), cell.scale):
                found.append((sheet.name, a1(*pos), cell.formula, want, got.get(pos)))
    return found


class EngineFigures:
    """The engine's figures that ``engine`` tags name, from one run: ``(key, place, year)``, the
    place an organisation of the footprint (default the latest), ``piece:LABEL`` (an atom),
    ``org:CODE`` (an organisation in a year it exists, on that year's footprint) or None for
    England. Sums on each footprint are worked out once."""

    def __init__(self, inputs: Inputs, out: dict, footprint: str | None = None) -> None:
        self.inputs, self.out = inputs, out
        self.chosen = inputs.footprint(footprint)
        self.atoms = {k: out[k][0] for k in engine.ADDITIVE}
        self._sums: dict[object, dict] = {}

    def _on(self, key: object, make) -> dict:
        if key not in self._sums:
            q = make()
            q.update(engine.ratios(q))
            self._sums[key] = q
        return self._sums[key]

    def __call__(self, tag: tuple) -> object:
        key, place, y = tag
        if key in engine.PRICES:
            return float(self.out[key][0, 0, y])
        if key == "allowance_basis":
            row = 0 if place is None else 1 + self.chosen.codes.index(place)
            return str(allowance_basis(self.inputs, self.chosen)[row, y])
        if place is None:
            q, i = self._on(None, lambda: {k: england(v) for k, v in self.atoms.items()}), 0
        elif place.startswith("piece:"):
            q, i = self._on("atoms", lambda: dict(self.atoms)), self.inputs.codes.index(place[6:])
        else:
            chosen = self.chosen
            if place.startswith("org:"):
                place, chosen = place[4:], [f for f in self.inputs.lineage.footprints if f.first <= y][-1]
            q = self._on(chosen.label, lambda: {k: to_units(v, chosen) for k, v in self.atoms.items()})
            i = chosen.codes.index(place)
        return float(q[key][i, y])


def engine_value(inputs: Inputs, out: dict, tag: tuple, footprint: str | None = None) -> object:
    """The engine's figure one ``engine`` tag names (see :class:`EngineFigures`)."""
    return EngineFigures(inputs, out, footprint)(tag)


def engine_mismatches(plan: Plan, values: dict, inputs: Inputs) -> list[tuple]:
    figures = EngineFigures(inputs, engine.run(inputs), plan.footprint)
    return mismatches(plan, values, lambda cell: figures(cell.engine) if cell.engine else None)


def recalculated(plans: list[Plan], folder: Path) -> list[dict]:
    """Write each plan with no cached results, recalculate all with LibreOffice, read them back."""
    sources = []
    for n, plan in enumerate(plans):
        path = folder / f"book{n}.xlsx"
        write_workbook(plan, path, cached=False)
        sources.append(path)
    return [libreoffice.read_values(p) for p in libreoffice.recalculate(sources, folder / "recalculated")]


def name_cell(plan: Plan, name: str, offset: int = 0) -> tuple[int, int]:
    """0-based (row, column) of a named input (``offset`` along a named row or column)."""
    ref = plan.names[name].split("!")[1].split(":")
    match = re.fullmatch(r"\$([A-Z]+)\$(\d+)", ref[0])
    col = 0
    for letter in match.group(1):
        col = col * 26 + ord(letter) - 64
    row, col = int(match.group(2)) - 1, col - 1
    if len(ref) == 2 and ref[1].split("$")[2] == match.group(2):  # a row of cells
        return row, col + offset
    return row + offset, col


def tagged(plan: Plan) -> dict[tuple, object]:
    return {cell.engine: cell for sheet in plan.sheets for cell in sheet.cells.values() if cell.engine}


def _decimal(low: float, high: float, places: int) -> st.SearchStrategy[float]:
    """Numbers as people type them (a few decimal places), between low and high."""
    scale = 10 ** places
    return st.integers(round(low * scale), round(high * scale)).map(lambda k: k / scale)


@st.composite
def generated_inputs(draw) -> Inputs:
    n_icb = draw(st.integers(1, 3))
    n_year = draw(st.integers(1, 7))
    base = draw(st.integers(2018, 2024))
    labels = tuple(year_label(base + k) for k in range(n_year))

    def series(low, high, places=4):
        return np.array([draw(st.lists(_decimal(low, high, places), min_size=n_year, max_size=n_year))])

    def month():
        return draw(st.one_of(st.just(np.nan), st.integers((base - 2) * 12, (base + n_year + 1) * 12).map(float)))

    numbers = {
        "population.growth_rate": _decimal(-0.1, 0.1, 4),
        "baseline.rca_per_head_gbp": _decimal(1, 40, 2),
        "baseline.pay_share": _decimal(0, 1, 3),
        "baseline.salary_per_wte_gbp": _decimal(15_000, 90_000, 0),
        "baseline.programme_pay_per_head_gbp": st.one_of(st.just(0.0), _decimal(0, 15, 2)),
        "running_cost_cut.post_path_uplift": _decimal(-0.5, 0.5, 3),
        "workforce.core_demand_change": _decimal(-0.5, 0.5, 3),
        "workforce.turnover_rate": _decimal(0, 1, 3),
        "workforce.redundancy_months": _decimal(0, 24, 1),
        "nonpay.annual_saving": _decimal(0, 0.5, 3),
        "organisations.merger_saving": _decimal(0, 0.5, 3),
    }
    assert set(numbers) == set(NUMBERS)
    values = {path: np.array([draw(strategy)]) for path, strategy in numbers.items()}
    ranges = {"running_cost_cut.path": (0, 1), "inflation.pay_award": (-0.5, 1), "inflation.oncost_rate": (0, 1),
              "inflation.nonpay_inflation": (-0.5, 1), "inflation.gdp_deflator": (-0.5, 1)}
    assert set(ranges) == set(SERIES)
    for path, (low, high) in ranges.items():
        values[path] = series(low, high, 3 if path == "running_cost_cut.path" else 4)
    for path in WORDS:
        values[path] = np.array([float(draw(st.booleans()))])
    if draw(st.booleans()):
        envelope = {"per_head_gbp": draw(_decimal(1, 40, 2)), "effective": month(),
                    "uplift": draw(_decimal(-0.5, 0.5, 3)), "population_basis": float(draw(st.booleans()))}
    else:
        envelope = {"per_head_gbp": 0.0, "effective": np.nan, "uplift": 0.0, "population_basis": 0.0}
    for path in ENVELOPE:
        values[path] = np.array([envelope[path.rsplit(".", 1)[1]]])
    for function in FUNCTIONS:
        prefix = f"delegation.{function}."
        values[prefix + "go_live"] = np.array([[month() for _ in range(n_icb)]])
        values[prefix + "transfer_wte_per_100k"] = np.array([draw(_decimal(0, 5, 2))])
        values[prefix + "required_wte_per_100k"] = np.array([draw(_decimal(0, 5, 2))])
        values[prefix + "nonpay_per_wte_gbp"] = np.array([draw(_decimal(0, 30_000, 0))])
        values[prefix + "in_cut_scope"] = np.array([float(draw(st.booleans()))])
        assert {p.rsplit(".", 1)[1] for p in values if p.startswith(prefix)} == {*DELEGATION_NUMBERS, "go_live",
                                                                                 "population_basis"}
    population = np.array(draw(st.lists(st.integers(50_000, 3_500_000), min_size=n_icb, max_size=n_icb)), float)
    given = np.array([draw(st.one_of(st.just(np.nan), _decimal(1e6, 1e8, 0))) for _ in range(n_icb)])
    need_index = np.array(draw(st.lists(_decimal(0.6, 1.6, 4), min_size=n_icb, max_size=n_icb)))
    return replace(Inputs.plain(
        labels=labels,
        codes=tuple(f"G{k:02d}" for k in range(n_icb)),
        names=tuple(f"Generated ICB {k}" for k in range(n_icb)),
        regions=tuple(draw(st.sampled_from(["Midlands", "London", "North West"])) for _ in range(n_icb)),
        population=population,
        rca_given_gbp=given,
        cut_last=draw(st.integers(-1, n_year + 1)),
        values=values,
    ), need_index=need_index)
