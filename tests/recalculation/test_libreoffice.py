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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import engine
from model.output.workbook import NEVER, Plan, plan_workbook, spec_from_inputs, spec_from_scenario, write_workbook
from model.periods import parse_month
from model.scenario import load_scenario
from model.schema import FUNCTIONS
from tests import libreoffice
from tests.builders import worked_example
from tests.workbook_checks import engine_mismatches, generated_inputs, mismatches, name_cell, recalculated

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))


needs_libreoffice = pytest.mark.skipif(
    not libreoffice.available(), reason="LibreOffice not installed (Debian: apt-get install libreoffice-calc-nogui)"
)


@pytest.fixture(scope="module")
def example_plan() -> Plan:
    return plan_workbook(spec_from_inputs(worked_example(), name="worked_example"))


@pytest.fixture(scope="module")
def base_scenario():
    return load_scenario("base", ROOT)


@needs_libreoffice
def test_worked_example_recalculates_to_the_engine(example_plan, tmp_path):
    [values] = recalculated([example_plan], tmp_path)
    assert not mismatches(example_plan, values)
    assert not engine_mismatches(example_plan, values, worked_example())
    assert values["Checks"][(2, 1)] is True


@pytest.fixture(scope="module")
def base_recalculated(base_scenario, tmp_path_factory):
    plan = plan_workbook(spec_from_scenario(base_scenario))
    [values] = recalculated([plan], tmp_path_factory.mktemp("base"))
    return plan, values


@needs_libreoffice
def test_base_scenario_all_42_icbs_equal_the_engine(base_recalculated, base_scenario):
    plan, values = base_recalculated
    assert len(plan.icb_sheets) == 42
    assert plan.formula_count() > 25_000
    assert not mismatches(plan, values)
    from model.engine.inputs import from_scenario

    assert not engine_mismatches(plan, values, from_scenario(base_scenario))


@needs_libreoffice
def test_base_scenario_checks_are_all_true(base_recalculated):
    _plan, values = base_recalculated
    checks = values["Checks"]
    assert checks[(2, 1)] is True
    flags = [v for v in checks.values() if isinstance(v, bool)]
    assert len(flags) > 42 * 3 and all(flags)


def _one_icb_per_region(scenario) -> list[str]:
    first: dict[str, str] = {}
    for code, region in zip(scenario.icbs.codes, scenario.icbs.regions, strict=False):
        first.setdefault(region, code)
    return list(first.values())


@needs_libreoffice
def test_shipped_scenarios_equal_the_engine(tmp_path):
    """Every scenario in scenarios/ (one ICB per region, so every go-live rule is exercised)."""
    from model.engine.inputs import from_scenario

    scenarios = [load_scenario(name, ROOT) for name in SCENARIOS]
    specs = [spec_from_scenario(s, _one_icb_per_region(s)) for s in scenarios]
    plans = [plan_workbook(spec) for spec in specs]
    for scenario, spec, plan, values in zip(scenarios, specs, plans, recalculated(plans, tmp_path), strict=False):
        assert not mismatches(plan, values), scenario.name
        codes = list(spec.inputs.codes)
        assert not engine_mismatches(plan, values, from_scenario(scenario).select_icbs(codes)), scenario.name
        assert values["Checks"][(2, 1)] is True, scenario.name


@needs_libreoffice
def test_changing_inputs_moves_every_sheet(base_scenario, tmp_path):
    """Edit Inputs cells (as a user would, here with openpyxl), recalculate with LibreOffice and
    compare with the engine run on the changed inputs; the edited file keeps its old cached values
    until LibreOffice recalculates."""
    codes = ["QE1", "QHM", "QUE"]  # North West, North East and Yorkshire, East of England
    spec = spec_from_scenario(base_scenario, codes)
    plan = plan_workbook(spec)
    original = tmp_path / "original.xlsx"
    write_workbook(plan, original)  # with cached results, as the command writes it
    T = len(spec.inputs.labels)
    y25 = spec.inputs.labels.index("2025/26")

    # 1. A pay award and the cut.
    pay = spec.inputs.values["inflation.pay_award"].copy()
    pay[0, y25] = 0.10
    cut = spec.inputs.values["running_cost_cut.path"].copy()
    cut[0, y25:] = 0.45
    changed_pay = spec.inputs.with_values({"inflation.pay_award": pay, "running_cost_cut.path": cut})
    edits_pay = {name_cell(plan, "pay_award", y25): 0.10}
    edits_pay.update({name_cell(plan, "cut_path", y): 0.45 for y in range(y25, T)})

    # 2. Words, flags, a population, the envelope and go-live rules.
    rules = dict(spec.go_live)
    rules["specialised"] = dataclasses.replace(rules["specialised"], default="2026-10")
    rules["dentistry"] = dataclasses.replace(rules["dentistry"],
                                             by_region={**rules["dentistry"].by_region, "North West": None})
    rules["pharmacy"] = dataclasses.replace(rules["pharmacy"], by_icb={"QHM": "2024-01"})
    months = {
        f"delegation.{f}.go_live": np.array([[np.nan if m is None else float(parse_month(m))
                                              for m in (rules[f].month_for(c, r) for c, r in
                                                        zip(spec.inputs.codes, spec.inputs.regions, strict=False))]])
        for f in FUNCTIONS
    }
    population = spec.inputs.population.copy()
    population[0] = 2_000_000.0
    changed_more = dataclasses.replace(spec.inputs, population=population).with_values({
        "running_cost_cut.basis": np.array([1.0]),
        "real_terms.index": np.array([1.0]),
        "delegation.dentistry.in_cut_scope": np.array([0.0]),
        "running_cost_cut.envelope.per_head_gbp": np.array([15.0]),
        "running_cost_cut.envelope.effective": np.array([float(parse_month("2025-10"))]),
        "running_cost_cut.envelope.uplift": np.array([0.02]),
        **months,
    })
    region_rows = plan.names["golive_regions"]
    edits_more = {
        name_cell(plan, "cut_basis"): "real",
        name_cell(plan, "real_terms_index"): "gdp_deflator",
        name_cell(plan, "in_cut_scope_dentistry"): False,
        name_cell(plan, "envelope_per_head"): 15.0,
        name_cell(plan, "envelope_effective"): dt.datetime(2025, 10, 1),
        name_cell(plan, "envelope_uplift"): 0.02,
        name_cell(plan, "golive_default_specialised"): dt.datetime(2026, 10, 1),
        name_cell(plan, "golive_override_pharmacy", codes.index("QHM")): dt.datetime(2024, 1, 1),
        name_cell(plan, "icb_population", 0): 2_000_000.0,
    }
    regions = [plan.sheet("Inputs").cells[name_cell(plan, "golive_regions", k)].value for k in range(8)
               if name_cell(plan, "golive_regions", k) in plan.sheet("Inputs").cells]
    assert region_rows and "North West" in regions
    edits_more[name_cell(plan, "golive_region_dentistry", regions.index("North West"))] = NEVER

    files = []
    for label, edits in (("pay", edits_pay), ("more", edits_more)):
        book = openpyxl.load_workbook(original)
        for (row, col), value in edits.items():
            book["Inputs"].cell(row + 1, col + 1).value = value
        files.append(tmp_path / f"edited_{label}.xlsx")
        book.save(files[-1])
    written = libreoffice.recalculate(files, tmp_path / "recalculated")
    for path, changed, go_live in zip(written, (changed_pay, changed_more), (spec.go_live, rules), strict=False):
        values = libreoffice.read_values(path)
        assert not engine_mismatches(plan, values, changed)
        # Every formula cell, the steps between engine figures included, follows too.
        expected = plan_workbook(dataclasses.replace(spec, inputs=changed, go_live=go_live))
        assert not mismatches(expected, values)
        assert values["Checks"][(2, 1)] is True
    # The edits moved the figures: the pay award alone raises 2025/26's cost of a WTE by ~6%.
    before = engine.run(spec.inputs)["loaded_cost_per_wte_gbp"][0, 0, y25]
    after = engine.run(changed_pay)["loaded_cost_per_wte_gbp"][0, 0, y25]
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
