"""The Excel workbook (``icb-model workbook``): layout rules, and proof that it computes what the
engine computes.

Fast tests check the plan and the written file with Python alone. The LibreOffice tests write
workbooks *without* cached results (so nothing can be read back unless LibreOffice computed it),
recalculate them headlessly (``tests/libreoffice.py``) and compare every formula cell with the
engine's figure (or, for steps the engine does not report, with the same arithmetic done here) to
a relative 1e-9; they are skipped when ``soffice`` is missing (Debian: libreoffice-calc-nogui).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import engine
from model.cli import main
from model.engine.inputs import INPUT_KEYS, Inputs
from model.output.workbook import (
    ALLOWED_FUNCTIONS,
    NEVER,
    NO_ENVELOPE,
    GoLiveRules,
    Plan,
    a1,
    functions_used,
    month_serial,
    plan_workbook,
    spec_from_inputs,
    spec_from_scenario,
    write_workbook,
)
from model.periods import parse_month, year_label
from model.scenario import load_scenario
from model.schema import FUNCTIONS
from tests import libreoffice
from tests.builders import DELEGATION_NUMBERS, ENVELOPE, NUMBERS, SERIES, WORDS, worked_example

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))
REL = 1e-9
needs_libreoffice = pytest.mark.skipif(
    not libreoffice.available(), reason="LibreOffice not installed (Debian: apt-get install libreoffice-calc-nogui)"
)


# ---------------------------------------------------------------------------------------------
# Helpers


def close(expected: object, got: object, scale: float = 1.0) -> bool:
    """Equal for text and flags; for numbers within REL of the larger of the figure and the scale
    of the quantities it is made from (a WTE gap is a difference of two larger figures)."""
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


def engine_value(inputs: Inputs, out: dict, tag: tuple) -> float:
    """The engine's figure an ``engine`` tag names: ``(key, ICB index or None for England, year)``."""
    key, i, y = tag
    if key in engine.PRICES:
        return float(out[key][0, 0, y])
    q = {k: out[k][0] for k in engine.ADDITIVE}
    if i is None:
        q = {k: v.sum(axis=0, keepdims=True) for k, v in q.items()}
        i = 0
    if key in q:
        return float(q[key][i, y])
    return float(engine.ratios(q)[key][i, y])


def engine_mismatches(plan: Plan, values: dict, inputs: Inputs) -> list[tuple]:
    out = engine.run(inputs)
    return mismatches(plan, values, lambda cell: engine_value(inputs, out, cell.engine) if cell.engine else None)


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


@pytest.fixture(scope="module")
def example_plan() -> Plan:
    return plan_workbook(spec_from_inputs(worked_example(), name="worked_example"))


@pytest.fixture(scope="module")
def base_scenario():
    return load_scenario("base", ROOT)


# ---------------------------------------------------------------------------------------------
# The layout (no LibreOffice)


def test_worked_example_figures_are_spec_section_9(example_plan):
    cells = tagged(example_plan)
    table = {  # SPEC section 9, years 2023/24 to 2025/26 (t = 1..3)
        "core_allowance_gbp": (20_000_000, 16_000_000, 14_000_000),
        "delegated_allowance_gbp": (432_000, 460_800, 403_200),
        "loaded_cost_per_wte_gbp": (52_500, 55_125, 57_881.25),
        "nonpay_cost_gbp": (5_157_375, 5_280_030, 5_385_630.60),
        "affordable_wte": (290.95, 202.83, 155.79),
        "required_wte": (311.25, 315.00, 315.00),
        "funding_gap_gbp": (-1_066_000, -6_183_605, -9_215_024.35),
        "employed_wte": (290.95, 202.83, 155.79),
        "redundancies_wte": (0, 61.52, 26.75),
        "redundancy_cost_gbp": (0, 2_713_250.50, 1_238_606.60),
        "core_real_change_vs_base": (-0.0408, -0.2640, -0.3825),
    }
    for key, want in table.items():
        for y, value in enumerate(want, start=1):
            got = cells[(key, 0, y)].value
            places = 4 if key.endswith("vs_base") else 2
            assert round(got, places) == pytest.approx(value, abs=10 ** -places), (key, y)


def test_every_engine_figure_has_a_cell_for_each_icb_and_england():
    inputs = worked_example(populations=(1e6, 2e6))
    plan = plan_workbook(spec_from_inputs(inputs))
    cells = tagged(plan)
    keys = set(engine.ADDITIVE) | set(engine.PRICES) | {"real_change_vs_base", "core_real_change_vs_base",
                                                        "allowance_per_head_gbp"}
    for key in keys:
        for place in (0, 1, None):
            years = (0,) if key == "cost_base_gbp" else range(len(inputs.labels))
            for y in years:
                assert (key, place, y) in cells, (key, place, y)
    out = engine.run(inputs)
    for tag, cell in cells.items():
        assert close(engine_value(inputs, out, tag), cell.value, cell.scale), tag


_QUALIFIED = re.compile(r"((?:'(?:[^']|'')+'|[A-Za-z_][\w.]*))!(\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)")
_LOCAL = re.compile(r"(?<![\w$!:.])\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?(?![\w(])")
_NAME = re.compile(r"(?<![\w$!.'])([A-Za-z_][A-Za-z0-9_.]*)(?![\w(!])")


def _col(letters: str) -> int:
    n = 0
    for letter in letters:
        n = n * 26 + ord(letter) - 64
    return n - 1


def _references(formula: str) -> tuple[list[tuple[str, str]], list[tuple[int, int]], set[str]]:
    """(sheet, range) references to other sheets, local cells (0-based), and names used."""
    text = re.sub(r'"[^"]*"', '""', formula[1:])
    other = [(m.group(1).strip("'").replace("''", "'"), m.group(2)) for m in _QUALIFIED.finditer(text)]
    text = _QUALIFIED.sub(" ", text)
    local = []
    for m in _LOCAL.finditer(text):
        local.append((int(m.group(2)) - 1, _col(m.group(1))))
        if m.group(3):
            local.append((int(m.group(4)) - 1, _col(m.group(3))))
    text = _LOCAL.sub(" ", text)
    names = {n for n in _NAME.findall(text) if n.upper() not in ("TRUE", "FALSE")}
    return other, local, names


def test_calculation_sheets_are_formulas_on_inputs_or_rows_above(example_plan):
    plan = plan_workbook(spec_from_inputs(worked_example(populations=(1e6, 2e6, 5e5))))
    icb_sheets = set(plan.icb_sheets.values())
    for name in plan.names.values():
        assert name.startswith("=Inputs!"), name
    for sheet in plan.sheets:
        if sheet.name in ("About", "Inputs"):
            continue
        for (row, col), cell in sheet.cells.items():
            if cell.formula is None:
                # Constants on calculation sheets are labels only, never figures.
                assert (isinstance(cell.value, str) and col <= 3) or sheet.name == "Checks", (sheet.name, row, col)
                continue
            other, local, names = _references(cell.formula)
            assert names <= set(plan.names), (sheet.name, cell.formula, names - set(plan.names))
            if sheet.name == "Checks":
                continue
            allowed = {"Inputs"} | (icb_sheets if sheet.name == "England" else set())
            assert {s for s, _ in other} <= allowed, (sheet.name, cell.formula)
            for r, c in local:
                assert r < row or (r == row and c < col), (sheet.name, a1(row, col), cell.formula)


def test_only_functions_that_excel_and_libreoffice_share(example_plan):
    used = set()
    for sheet in example_plan.sheets:
        for cell in sheet.formulas().values():
            used |= functions_used(cell.formula)
    assert used <= set(ALLOWED_FUNCTIONS), used - set(ALLOWED_FUNCTIONS)
    assert not used & {"OFFSET", "INDIRECT", "NOW", "TODAY", "RAND", "RANDBETWEEN", "CELL", "INFO"}


def test_written_file_has_cached_results_names_and_no_macros(example_plan, tmp_path):
    path = tmp_path / "book.xlsx"
    write_workbook(example_plan, path)
    with zipfile.ZipFile(path) as archive:
        assert not [n for n in archive.namelist() if "vba" in n.lower()]
    book = openpyxl.load_workbook(path, data_only=True)
    assert book.sheetnames[:4] == ["About", "Inputs", "England", "Checks"]
    assert {"pay_share", "pay_award", "cut_path", "golive_dentistry", "icb_population"} <= set(book.defined_names)
    cells = tagged(example_plan)
    sheet = book[example_plan.icb_sheets["TST"]]
    for key in ("core_allowance_gbp", "affordable_wte", "redundancy_cost_gbp"):
        for y in range(4):
            for (row, col), cell in example_plan.sheet("TST").cells.items():
                if cell is cells[(key, 0, y)]:
                    assert sheet.cell(row + 1, col + 1).value == pytest.approx(cell.value, rel=1e-12)
    assert book["Checks"]["B3"].value is True


def test_uncached_file_holds_no_figures(example_plan, tmp_path):
    path = tmp_path / "book.xlsx"
    write_workbook(example_plan, path, cached=False)
    book = openpyxl.load_workbook(path, data_only=True)
    for pos in example_plan.sheet("TST").formulas():
        assert book["TST"].cell(pos[0] + 1, pos[1] + 1).value in (None, ""), pos


def test_inputs_sheet_shows_every_assumption_with_provenance(base_scenario):
    plan = plan_workbook(spec_from_scenario(base_scenario, ["QE1", "QUE"]))
    inputs = plan.sheet("Inputs")
    by_text = {cell.value: pos for pos, cell in inputs.cells.items() if isinstance(cell.value, str)}
    row, _ = by_text["baseline.pay_share"]
    texts = [inputs.cells[(row, c)].value for c in range(20) if (row, c) in inputs.cells]
    assert 0.75 in texts and "assumption" in texts and any("assumptions.yaml:" in str(t) for t in texts)
    row, _ = by_text["inflation.pay_award"]
    assert [inputs.cells[(row, 4 + y)].value for y in range(3)] == [0.05, 0.05, 0.055]
    assert inputs.cells[name_cell(plan, "cut_basis")].value == "nominal"
    assert inputs.cells[name_cell(plan, "cut_path_last_year")].value == "2025/26"
    # Go-live: rules (default, by region) and the ICB table's derived month.
    assert inputs.cells[name_cell(plan, "golive_default_specialised")].value == month_serial("2025-04")
    que = name_cell(plan, "golive_specialised", 1)
    assert inputs.cells[que].formula.startswith("=IF(") and inputs.cells[que].value == month_serial("2024-04")
    # Every resolved path the formulas read is shown with its provenance.
    from model.output.listing import assumption_rows

    shown = {cell.value for cell in inputs.cells.values() if isinstance(cell.value, str)}
    for row in assumption_rows(base_scenario):
        path = row.path.split(" (")[0]
        parent = path.rsplit(".", 1)[0]  # a series' year is shown in its series' row
        assert path in shown or parent in shown or any(s.startswith(path + ".") for s in shown), row.path


def _shown_input(key, value: float) -> object:
    """What the Inputs sheet's cell of a single engine input value holds."""
    if key.shape == "go_live":
        return NEVER if np.isnan(value) else month_serial(value)
    if key.shape == "word":
        return key.spec.choices[int(value)]
    if key.shape == "flag":
        return bool(value)
    if key.shape == "month":
        return NO_ENVELOPE if np.isnan(value) else month_serial(value)
    return float(value)


@pytest.mark.parametrize("scenario", ["worked_example", "envelope_2025"])
def test_every_engine_input_is_on_the_inputs_sheet_once(scenario):
    """Each array the engine reads (INPUT_KEYS) has one place on the Inputs sheet: a defined name
    whose cells hold its value and, but for a go-live (a column of the ICB table), one row that
    shows its path with the schema's unit."""
    if scenario == "worked_example":
        spec = spec_from_inputs(worked_example())
    else:
        spec = spec_from_scenario(load_scenario(scenario, ROOT), ["QE1", "QUE"])
    plan = plan_workbook(spec)
    laid_out = [path for path, _ in plan.input_names]
    assert sorted(laid_out) == sorted(key.path for key in INPUT_KEYS)  # every one, and each once
    sheet = plan.sheet("Inputs")
    paths = [cell.value for (_, col), cell in sheet.cells.items() if col == 1]
    names = dict(plan.input_names)
    for key in INPUT_KEYS:
        value = spec.inputs.values[key.path][0]  # per ICB for a go-live, per year for a series
        if key.shape == "go_live":
            for i in range(len(spec.inputs.codes)):
                assert sheet.cells[name_cell(plan, names[key.path], i)].value == _shown_input(key, value[i]), key.path
            continue
        row, col = name_cell(plan, names[key.path])
        assert paths.count(key.path) == 1, key.path
        assert sheet.cells[(row, 1)].value == key.path
        words = {"word": "word", "flag": "TRUE/FALSE"}
        assert sheet.cells[(row, 2)].value == (key.spec.unit_info.text or words[key.shape])
        if key.shape == "series":
            assert [sheet.cells[(row, col + y)].value for y in range(len(spec.inputs.labels))] == list(value)
        else:
            assert sheet.cells[(row, col)].value == _shown_input(key, value), key.path
            assert sheet.cells[(row, col)].input


def test_icb_selection_and_unknown_codes(base_scenario):
    plan = plan_workbook(spec_from_scenario(base_scenario, ["QUE", "QE1"]))
    assert list(plan.icb_sheets) == ["QUE", "QE1"]
    england = plan.sheet("England")
    assert any("'QUE'!" in c.formula and "'QE1'!" in c.formula for c in england.formulas().values() if c.engine)
    with pytest.raises(KeyError, match="ZZZ"):
        spec_from_scenario(base_scenario, ["ZZZ"])


def test_cli_writes_the_workbook(tmp_path, capsys):
    out = tmp_path / "book.xlsx"
    assert main(["--root", str(ROOT), "workbook", "base", "--icb", "qe1", "QUE", "--out", str(out)]) == 0
    assert "2 ICB sheets" in capsys.readouterr().out
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["About", "Inputs", "England", "Checks", "QE1", "QUE"]
    values = [c.value for row in book["QE1"].iter_rows() for c in row if c.value is not None]
    assert sum(str(v).startswith("=") for v in values) > 500
    assert not [v for v in values if isinstance(v, (int, float))]  # figures are all formulas


@pytest.mark.parametrize("args, message", [
    (["base", "--icb", "ZZZ"], "ZZZ"),
    (["base", "--out-csv"], None),
    (["no_such_scenario"], "no_such_scenario"),
])
def test_cli_rejects_bad_input(tmp_path, capsys, args, message):
    if args[1:] == ["--out-csv"]:
        args, out = ["base"], tmp_path / "book.csv"
        message = ".xlsx"
    else:
        out = tmp_path / "book.xlsx"
    assert main(["--root", str(ROOT), "workbook", *args, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


# ---------------------------------------------------------------------------------------------
# LibreOffice recalculates; every formula cell equals the engine


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


# ---------------------------------------------------------------------------------------------
# Generated scenarios across every lever


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
                    "uplift": draw(_decimal(-0.5, 0.5, 3))}
    else:
        envelope = {"per_head_gbp": 0.0, "effective": np.nan, "uplift": 0.0}
    for path in ENVELOPE:
        values[path] = np.array([envelope[path.rsplit(".", 1)[1]]])
    for function in FUNCTIONS:
        prefix = f"delegation.{function}."
        values[prefix + "go_live"] = np.array([[month() for _ in range(n_icb)]])
        values[prefix + "transfer_wte_per_100k"] = np.array([draw(_decimal(0, 5, 2))])
        values[prefix + "required_wte_per_100k"] = np.array([draw(_decimal(0, 5, 2))])
        values[prefix + "nonpay_per_wte_gbp"] = np.array([draw(_decimal(0, 30_000, 0))])
        values[prefix + "in_cut_scope"] = np.array([float(draw(st.booleans()))])
        assert {p.rsplit(".", 1)[1] for p in values if p.startswith(prefix)} == {*DELEGATION_NUMBERS, "go_live"}
    population = np.array(draw(st.lists(st.integers(50_000, 3_500_000), min_size=n_icb, max_size=n_icb)), float)
    given = np.array([draw(st.one_of(st.just(np.nan), _decimal(1e6, 1e8, 0))) for _ in range(n_icb)])
    return Inputs.plain(
        labels=labels,
        codes=tuple(f"G{k:02d}" for k in range(n_icb)),
        names=tuple(f"Generated ICB {k}" for k in range(n_icb)),
        regions=tuple(draw(st.sampled_from(["Midlands", "London", "North West"])) for _ in range(n_icb)),
        population=population,
        rca_given_gbp=given,
        cut_last=draw(st.integers(-1, n_year + 1)),
        values=values,
    )


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


def test_generated_plans_agree_with_the_engine_without_libreoffice():
    """The plan's expected values (the cache) equal the engine for many more generated scenarios."""

    @settings(max_examples=40, deadline=None)
    @given(generated_inputs())
    def check(inputs):
        plan = plan_workbook(spec_from_inputs(inputs))
        out = engine.run(inputs)
        for tag, cell in tagged(plan).items():
            assert close(engine_value(inputs, out, tag), cell.value, cell.scale), tag
        assert plan.sheet("Checks").cells[(2, 1)].value is True

    check()


def test_month_serial_is_the_spreadsheet_date():
    assert month_serial("2023-07") == 45108.0  # 1 July 2023
    assert month_serial(parse_month("1901-01")) == 367.0
    with pytest.raises(ValueError):
        month_serial("1899-01")
    assert GoLiveRules(default=None, by_region={"X": "2024-04"}, by_icb={"A": None}).month_for("A", "X") is None
