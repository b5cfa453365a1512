"""The workbook recalculated by LibreOffice equals the engine (``icb-model workbook``, end to end).

These tests write workbooks *without* cached results (so nothing can be read back unless
LibreOffice computed it), recalculate them headlessly (``tests/libreoffice.py``) and compare every
formula cell with the engine's figure (or, for steps the engine does not report, with the same
arithmetic done by the plan) to a relative 1e-9. They are skipped when ``soffice`` is missing
(Debian: libreoffice-calc-nogui).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from model import engine
from model.output.workbook import NEVER, plan_workbook, spec_from_inputs, spec_from_scenario, write_workbook
from model.periods import parse_month
from model.scenario import load_scenario
from model.schema import FUNCTIONS
from tests import libreoffice
from tests.builders import worked_example
from tests.workbook_checks import (
    changing_specs,
    engine_mismatches,
    generated_inputs,
    mismatches,
    name_cell,
    recalculated,
)

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))


needs_libreoffice = pytest.mark.skipif(
    not libreoffice.available(), reason="LibreOffice not installed (Debian: apt-get install libreoffice-calc-nogui)"
)


@needs_libreoffice
def test_worked_example_recalculates_to_the_engine(example_plan, tmp_path):
    [values] = recalculated([example_plan], tmp_path)
    assert not mismatches(example_plan, values)
    assert not engine_mismatches(example_plan, values, worked_example())
    assert values["Checks"][(2, 1)] is True


@pytest.fixture(scope="module")
def whole_recalculated(tmp_path_factory):
    """The base on both footprints and the 2027 merger, every organisation, one LibreOffice run."""
    cases = [("base", None), ("base", "2022"), ("merger_2027", None)]
    specs = [spec_from_scenario(load_scenario(name, ROOT), footprint=footprint) for name, footprint in cases]
    plans = [plan_workbook(spec) for spec in specs]
    return list(zip(specs, plans, recalculated(plans, tmp_path_factory.mktemp("whole")), strict=True))


@needs_libreoffice
def test_every_organisation_of_the_shipped_histories_equals_the_engine(whole_recalculated):
    """The 36 ICBs of 2026 (the default), the 42 of 2022 and the 35 after the 2027 merger, with
    published allowances, pieces, staff pools and the Other organisations sheet."""
    counts = []
    for spec, plan, values in whole_recalculated:
        counts.append(len(plan.icb_sheets))
        assert plan.formula_count() > 30_000
        assert not mismatches(plan, values), spec.name
        assert not engine_mismatches(plan, values, spec.inputs), spec.name
    assert counts == [36, 42, 35]


@needs_libreoffice
def test_every_check_of_the_shipped_histories_is_true(whole_recalculated):
    for _spec, _plan, values in whole_recalculated:
        checks = values["Checks"]
        assert checks[(2, 1)] is True
        flags = [v for v in checks.values() if isinstance(v, bool)]
        assert len(flags) > 36 * 3 and all(flags)


def _one_per_region(spec) -> list[str]:
    """One organisation of each region of the footprint, so that every go-live rule is used."""
    first: dict[str, str] = {}
    for code, (_name, region) in spec.structure.unit_names.items():
        first.setdefault(region, code)
    return list(first.values())


@needs_libreoffice
def test_shipped_scenarios_equal_the_engine(tmp_path):
    """Every scenario in scenarios/ (one organisation per region, and those their history ties
    them to, so that every go-live rule, merger and published figure is exercised)."""
    scenarios = [load_scenario(name, ROOT) for name in SCENARIOS]
    specs = [spec_from_scenario(s, _one_per_region(spec_from_scenario(s))) for s in scenarios]
    plans = [plan_workbook(spec) for spec in specs]
    for scenario, spec, plan, values in zip(scenarios, specs, plans, recalculated(plans, tmp_path), strict=True):
        assert not mismatches(plan, values), scenario.name
        assert not engine_mismatches(plan, values, spec.inputs), scenario.name
        assert values["Checks"][(2, 1)] is True, scenario.name


def _go_lives(spec, rules) -> dict[str, np.ndarray]:
    """Each piece's go-live month under go-live rules, as the engine works them out."""
    from model.engine.inputs import go_live_months
    from model.periods import parse_year

    inp, structure = spec.inputs, spec.structure
    firsts = [0, *sorted({int(row.effective[:4]) - parse_year(inp.labels[0]) for row in structure.share_rows})]
    lineages = [tuple(piece.orgs[first] for first in firsts) for piece in structure.pieces]
    starts = tuple(parse_month(f"{parse_year(inp.labels[0]) + first}-04") for first in firsts)
    regions = tuple(structure.icbs[piece.icb].region for piece in structure.pieces)
    return {f"delegation.{f}.go_live": go_live_months(
        {"default": rules[f].default, "by_region": rules[f].by_region, "by_icb": rules[f].by_icb},
        lineages, regions, starts)[None, :] for f in FUNCTIONS}


def _with_pieces(inputs, population: np.ndarray, need: np.ndarray):
    """Inputs whose pieces have other populations and need indices (the lineage's shares follow)."""
    return dataclasses.replace(inputs, population=population, need_index=need,
                               lineage=dataclasses.replace(inputs.lineage, population=population))


def _edits(spec, plan):
    """Three sets of edits to the Inputs sheet, as a user would type them, and what the engine and
    a fresh plan then run on: (edits, changed inputs, go-live rules, structure)."""
    inp = spec.inputs
    T = len(inp.labels)
    y25 = inp.labels.index("2025/26")
    pay = inp.values["inflation.pay_award"].copy()
    pay[0, y25] = 0.10
    cut = inp.values["running_cost_cut.path"].copy()
    cut[0, y25:] = 0.45
    changed_pay = inp.with_values({"inflation.pay_award": pay, "running_cost_cut.path": cut})
    edits_pay = {name_cell(plan, "pay_award", y25): 0.10,
                 **{name_cell(plan, "cut_path", y): 0.45 for y in range(y25, T)}}
    return [(edits_pay, changed_pay, spec.go_live, spec.structure), _edits_more(spec, plan),
            _edits_organisations(spec, plan)]


def _edits_more(spec, plan):
    """Words, flags, a population, the envelope, go-live rules, a region rule set to never."""
    inp, icbs = spec.inputs, [icb.code for icb in spec.structure.icbs]
    rules = dict(spec.go_live)
    rules["specialised"] = dataclasses.replace(rules["specialised"], default="2026-10")
    rules["dentistry"] = dataclasses.replace(rules["dentistry"],
                                             by_region={**rules["dentistry"].by_region, "North West": None})
    rules["pharmacy"] = dataclasses.replace(rules["pharmacy"], by_icb={"QHM": "2024-01"})
    population = inp.population.copy()
    population[[p.atom for p in spec.structure.pieces if p.icb == icbs.index("QHM")]] = 2_000_000.0
    changed = _with_pieces(inp, population, inp.need_index).with_values({
        "running_cost_cut.basis": np.array([1.0]), "real_terms.index": np.array([1.0]),
        "delegation.dentistry.in_cut_scope": np.array([0.0]),
        "running_cost_cut.envelope.per_head_gbp": np.array([15.0]),
        "running_cost_cut.envelope.effective": np.array([float(parse_month("2025-10"))]),
        "running_cost_cut.envelope.uplift": np.array([0.02]), **_go_lives(spec, rules)})
    regions = [plan.sheet("Inputs").cells[name_cell(plan, "golive_regions", k)].value for k in range(8)
               if name_cell(plan, "golive_regions", k) in plan.sheet("Inputs").cells]
    edits = {
        name_cell(plan, "cut_basis"): "real", name_cell(plan, "real_terms_index"): "gdp_deflator",
        name_cell(plan, "in_cut_scope_dentistry"): False, name_cell(plan, "envelope_per_head"): 15.0,
        name_cell(plan, "envelope_effective"): dt.datetime(2025, 10, 1), name_cell(plan, "envelope_uplift"): 0.02,
        name_cell(plan, "golive_default_specialised"): dt.datetime(2026, 10, 1),
        name_cell(plan, "golive_override_pharmacy", icbs.index("QHM")): dt.datetime(2024, 1, 1),
        name_cell(plan, "icb_population", icbs.index("QHM")): 2_000_000.0,
        name_cell(plan, "golive_region_dentistry", regions.index("North West")): NEVER,
    }
    return edits, changed, rules, spec.structure


def _edits_organisations(spec, plan):
    """A published figure, a need index, need-weighted staffing, the merger saving and a share of
    an organisation change (Mid and South Essex splits 0.7 / 0.3 instead of 0.79848 / 0.20152)."""
    inp, structure = spec.inputs, spec.structure
    inputs_sheet = plan.sheet("Inputs")
    icbs = [icb.code for icb in structure.icbs]
    published = inp.published_gbp.copy()
    published[inp.lineage.codes.index("QE1"), 2] += 1_000_000.0
    need = inp.need_index.copy()
    need[[p.atom for p in structure.pieces if p.icb == icbs.index("QUE")]] = 1.3
    population, rca = inp.population.copy(), inp.rca_given_gbp.copy()
    rows = {(row.old, row.new): n for n, row in enumerate(structure.share_rows)}
    new_share = {("QM7", "S1Y5D"): 0.7, ("QM7", "D7T5G"): 0.3}
    for piece in structure.pieces:
        for n in piece.shares:
            key = (structure.share_rows[n].old, structure.share_rows[n].new)
            if key in new_share:
                population[piece.atom] = new_share[key] * structure.icbs[piece.icb].population
                rca[piece.atom] = new_share[key] * structure.icbs[piece.icb].rca_given_gbp
    changed = dataclasses.replace(_with_pieces(inp, population, need), published_gbp=published,
                                  rca_given_gbp=rca).with_values({
        "organisations.merger_saving": np.array([0.05]), "delegation.specialised.population_basis": np.array([1.0])})
    figure = next(pos for pos, cell in inputs_sheet.cells.items() if cell.input and cell.style == "gbp2"
                  and cell.value == spec.inputs.published_gbp[inp.lineage.codes.index("QE1"), 2])
    edits = {figure: float(published[inp.lineage.codes.index("QE1"), 2]),
             name_cell(plan, "icb_need_index", icbs.index("QUE")): 1.3,
             name_cell(plan, "merger_saving"): 0.05, name_cell(plan, "population_basis_specialised"): "weighted"}
    for key, value in new_share.items():
        edits[plan_share_cell(plan, rows[key])] = value
    shares = tuple(dataclasses.replace(row, share=new_share.get((row.old, row.new), row.share))
                   for row in structure.share_rows)
    return edits, changed, spec.go_live, dataclasses.replace(structure, share_rows=shares)


def plan_share_cell(plan, n: int) -> tuple[int, int]:
    """0-based (row, column) of the share of change row ``n`` on the Inputs sheet."""
    cells = [pos for pos, cell in sorted(plan.sheet("Inputs").cells.items()) if cell.input and cell.style == "share_in"]
    return cells[n]


@needs_libreoffice
def test_changing_inputs_moves_every_sheet(base_scenario, tmp_path):
    """Edit Inputs cells (as a user would, here with openpyxl), recalculate with LibreOffice and
    compare with the engine run on the changed inputs; the edited file keeps its old cached values
    until LibreOffice recalculates. On the 2022 footprint, with East of England's split ICBs."""
    spec = spec_from_scenario(base_scenario, ["QE1", "QHM", "QUE"], "2022")
    plan = plan_workbook(spec)
    original = tmp_path / "original.xlsx"
    write_workbook(plan, original)  # with cached results, as the command writes it
    batches = _edits(spec, plan)
    files = []
    for n, (edits, *_changed) in enumerate(batches):
        book = openpyxl.load_workbook(original)
        for (row, col), value in edits.items():
            book["Inputs"].cell(row + 1, col + 1).value = value
        files.append(tmp_path / f"edited_{n}.xlsx")
        book.save(files[-1])
    written = libreoffice.recalculate(files, tmp_path / "recalculated")
    for path, (_edits_made, changed, go_live, structure) in zip(written, batches, strict=True):
        values = libreoffice.read_values(path)
        assert not engine_mismatches(plan, values, changed), path.name
        # Every formula cell, the steps between engine figures included, follows too.
        expected = plan_workbook(dataclasses.replace(spec, inputs=changed, go_live=go_live, structure=structure))
        assert not mismatches(expected, values), path.name
        assert values["Checks"][(2, 1)] is True, path.name
    # The edits moved the figures: the pay award alone raises 2025/26's cost of a WTE by ~6%.
    y25 = spec.inputs.labels.index("2025/26")
    before = engine.run(spec.inputs)["loaded_cost_per_wte_gbp"][0, 0, y25]
    after = engine.run(batches[0][1])["loaded_cost_per_wte_gbp"][0, 0, y25]
    assert after / before == pytest.approx(1.10 / 1.036)


@needs_libreoffice
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(generated_inputs(), min_size=3, max_size=3))
def test_generated_scenarios_equal_the_engine(batch):
    """Three generated scenarios per LibreOffice start, a few examples: every lever, go-lives before,
    inside and after the horizon or never, horizons of 1 to 7 years, envelopes, own RCAs."""
    plans = [plan_workbook(spec_from_inputs(inputs)) for inputs in batch]
    with tempfile.TemporaryDirectory() as folder:
        results = recalculated(plans, Path(folder))
    for inputs, plan, values in zip(batch, plans, results, strict=False):
        assert not mismatches(plan, values)
        assert not engine_mismatches(plan, values, inputs)
        assert values["Checks"][(2, 1)] is True


@needs_libreoffice
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                 HealthCheck.filter_too_much])
@given(st.lists(changing_specs(), min_size=3, max_size=3))
def test_generated_changing_histories_equal_the_engine(batch):
    """Three generated histories per LibreOffice start (a merger, a split or both; published
    figures in random organisation-years; go-live rules by organisation; either footprint). A
    history whose published figure does not cover its delegated budgets is refused by the engine
    and the workbook alike (tests/model/output/workbook/test_build.py) and left out here."""
    batch = [spec for spec in batch if _accepted(spec)]
    assume(batch)
    plans = [plan_workbook(spec) for spec in batch]
    with tempfile.TemporaryDirectory() as folder:
        results = recalculated(plans, Path(folder))
    for spec, plan, values in zip(batch, plans, results, strict=True):
        assert not mismatches(plan, values)
        assert not engine_mismatches(plan, values, spec.inputs)
        assert values["Checks"][(2, 1)] is True


def _accepted(spec) -> bool:
    """Whether the engine runs the spec's inputs (it refuses a published figure below its budgets)."""
    from model import engine
    from model.engine.published import PublishedError

    try:
        engine.run(spec.inputs)
    except PublishedError:
        return False
    return True
