"""Helpers for the workbook's tests (tests/model/output/workbook/, tests/model/cli/test_workbook.py)
and its LibreOffice recalculation tests (tests/recalculation/): comparing a plan's formula cells with
what they should hold, reading named input cells, and generated inputs across every lever.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from model import engine
from model.engine.inputs import Inputs
from model.engine.lineage import england, to_units
from model.output.results import allowance_basis
from model.output.workbook import GoLiveRules, Plan, WorkbookSpec, a1, write_workbook
from model.periods import month_label, parse_month, parse_year, year_label
from model.scenario.icb_table import IcbTable
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
def generated_inputs(draw, n_icb: int | None = None, n_year: int | None = None) -> Inputs:
    """Inputs built in code across every lever (``n_icb`` ICBs, ``n_year`` years: drawn when not
    given)."""
    n_icb = draw(st.integers(1, 3)) if n_icb is None else n_icb
    n_year = draw(st.integers(1, 7)) if n_year is None else n_year
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


_PATTERNS: dict[str, dict[str, tuple[tuple[str, float], ...]]] = {
    "merge": {"G00": (("N1", 1.0),), "G01": (("N1", 1.0),)},
    "split": {"G00": (("N1", 0.0), ("G01", 1.0)), "G01": (("G01", 1.0),)},
    "split and merge": {"G00": (("N1", 0.0), ("N2", 1.0)), "G01": (("N1", 1.0),), "G02": (("N2", 1.0),)},
}
"""Organisation changes of three generated ICBs (G00, G01, G02): new code and share (a share of
0.0 is drawn, the last of an old code is what is left)."""


@st.composite
def changing_specs(draw) -> WorkbookSpec:
    """A workbook spec of generated inputs whose organisations change once (a merger, a split, or
    both) with published allowances in random organisation-years, on a random footprint. A run
    where a budget in the cut's scope went live before a piece's first published year is left
    out (the workbook's one-pass limit, docs/workbook.md)."""
    from model.engine.inputs import go_live_months
    from model.engine.lineage import from_history
    from model.output.workbook.structure import structure_from_history

    plain = draw(generated_inputs(n_icb=3, n_year=draw(st.integers(2, 6))))
    base, n_year = parse_year(plain.labels[0]), len(plain.labels)
    table = IcbTable(plain.codes, plain.names, plain.regions, tuple(plain.population), tuple(plain.rca_given_gbp),
                     tuple(plain.need_index))
    first = draw(st.integers(1, n_year - 1))
    history = _changed_history(draw, table, base, first)
    weights = np.array([a.weight for a in history.atoms])
    rows = [a.icb for a in history.atoms]
    labels = tuple(">".join(dict.fromkeys(a.codes)) for a in history.atoms)
    population = weights * plain.population[rows]
    lineage = from_history(history, population, n_year)
    rules = {f: _go_live_rules(draw, base, n_year, lineage.codes) for f in FUNCTIONS}
    starts = (0, parse_month(f"{base + first}-04"))
    values = dict(plain.values)
    values["running_cost_cut.path"] = np.minimum(values["running_cost_cut.path"], 0.9)  # k needs m > 0
    for f in FUNCTIONS:
        values[f"delegation.{f}.go_live"] = go_live_months(
            {"default": rules[f].default, "by_region": rules[f].by_region, "by_icb": rules[f].by_icb},
            [a.codes for a in history.atoms], tuple(plain.regions[i] for i in rows), starts)[None, :]
    figures = np.array([[draw(_decimal(1e6, 9e7, 0))] for _ in lineage.codes])
    published = np.where(np.array([[draw(st.booleans()) for _ in range(n_year)] for _ in lineage.codes]),
                         figures, np.nan)
    exists = np.zeros_like(published, dtype=bool)
    for t in range(n_year):
        exists[lineage.org_of[t], t] = True
    published[~exists] = np.nan
    inputs = Inputs(plain.labels, labels, labels, tuple(plain.regions[i] for i in rows), population,
                    weights * plain.rca_given_gbp[rows], plain.cut_last, values, plain.need_index[rows], lineage,
                    published)
    assume(not _back_cast_matters(inputs))
    footprint = draw(st.sampled_from(inputs.footprints))
    return WorkbookSpec("generated", "", inputs, {}, rules, structure_from_history(table, history, labels, inputs,
                                                                                  footprint),
                        use_published=not np.isnan(published).all())


def _changed_history(draw, table: IcbTable, base: int, first: int):
    """The ICB table's history with one change from April of year ``first``."""
    from model.scenario.organisations import Change, Organisation, apply_changes, base_history

    pattern = _PATTERNS[draw(st.sampled_from(sorted(_PATTERNS)))]
    share = draw(_decimal(0.05, 0.95, 3))
    rows = []
    for old in table.codes:
        moves = pattern.get(old, ((old, 1.0),))
        rows += [(old, new, share if len(moves) > 1 and n == 0 else 1 - share if len(moves) > 1 else 1.0)
                 for n, (new, _) in enumerate(moves)]
    named = {code: Organisation(code, name, region) for code, name, region in zip(table.codes, table.names,
                                                                                  table.regions, strict=True)}
    after = [named.get(new) or Organisation(new, f"New {new}", "London")
             for new in dict.fromkeys(new for _, new, _ in rows)]
    change = Change(f"{base + first}-04", str(base + first), tuple(rows), tuple(after))
    return apply_changes(base_history(table, base), [(first, change)])


def _go_live_rules(draw, base: int, n_year: int, codes: tuple[str, ...]) -> GoLiveRules:
    """A function's go-live rules: a default, perhaps a region's, perhaps an organisation's own."""

    def month():
        return draw(st.one_of(st.none(), st.integers(base * 12 - 6, (base + n_year) * 12 + 3).map(month_label)))

    by_region = {"London": month()} if draw(st.booleans()) else {}
    by_icb = {draw(st.sampled_from(codes)): month()} if draw(st.booleans()) else {}
    return GoLiveRules(default=month(), by_region=by_region, by_icb=by_icb)


def _back_cast_matters(inputs: Inputs) -> bool:
    """Whether a budget in the cut's scope goes live before a piece's first published year."""
    from model.engine.published import published_mask

    known = published_mask(inputs.lineage, inputs.published_gbp)[1]
    for a in range(len(inputs.codes)):
        if not known[a].any():
            continue
        first = int(np.argmax(known[a]))
        for f in FUNCTIONS:
            month = inputs.values[f"delegation.{f}.go_live"][0, a]
            in_scope = inputs.values[f"delegation.{f}.in_cut_scope"][0] == 1.0
            if in_scope and not np.isnan(month) and (month - 3) // 12 - parse_year(inputs.labels[0]) < first:
                return True
    return False
