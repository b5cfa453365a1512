"""Numbers stay finite (issue 5): every scenario that passes validation gives finite figures, and
one that would divide by zero (or overflow) is refused at validation, saying why.

Three layers:

- the engine over the whole validated space: tens of thousands of parameter sets drawn at once
  (vectorised over samples), half of each parameter's draws at the ends of its allowed range and
  its sanity limits, so that corners like "a 99.99...% cut, a real-terms basis, pay falling 50% a
  year for 60 years, and a go-live 300 years after the base year" are all visited;
- the same with Hypothesis, which hunts for boundary values one parameter set at a time;
- whole scenario files written with values at the edges of what validation accepts, run through
  the command line, whose results must be finite; and files just beyond those edges, which must
  be refused with a message that says why.

``FINITE_SAMPLES`` (default 20,000) and ``FUZZ_EXAMPLES`` (default 100) scale the runs up.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import engine
from model.engine.inputs import Inputs
from model.periods import FIRST_YEAR, LAST_YEAR, parse_month, year_labels
from model.scenario import MAX_HORIZON_YEARS
from model.scenario.icb_table import POPULATION_LIMITS, RCA_LIMITS
from model.schema import FUNCTIONS, KeySpec, spec_for
from tests.builders import DELEGATION_NUMBERS, ENVELOPE, NUMBERS, SERIES
from tests.project_copy import cli, copy_project

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = int(os.environ.get("FINITE_SAMPLES", "20000"))
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
CHUNK = 500
FIRST_MONTH, LAST_MONTH = parse_month(f"{FIRST_YEAR}-01"), parse_month(f"{LAST_YEAR}-12")


def bounds(spec: KeySpec) -> tuple[float, float]:
    """The smallest and largest value validation accepts for a number (range and sanity limits)."""
    low = max(x for x in (spec.low, spec.floor, -1e300) if x is not None)
    high = min(x for x in (spec.high, spec.ceiling, 1e300) if x is not None)
    if spec.low_open and low == spec.low:
        low = np.nextafter(low, np.inf)
    if spec.high_open and high == spec.high:
        high = np.nextafter(high, -np.inf)
    assert spec.in_range(low) and spec.in_range(high), spec.pattern
    return float(low), float(high)


def test_every_number_the_engine_reads_is_bounded_both_ways() -> None:
    """Finiteness rests on every number having a finite lowest and highest allowed value."""
    paths = list(NUMBERS) + list(SERIES) + [p for p in ENVELOPE if spec_for(p).kind == "number"] + [
        f"delegation.{f}.{name}" for f in FUNCTIONS for name in DELEGATION_NUMBERS if name != "in_cut_scope"]
    for path in paths:
        low, high = bounds(spec_for(path))
        assert -1e15 < low <= high < 1e15, path


def _draw(rng: np.random.Generator, low: float, high: float, shape: tuple[int, ...]) -> np.ndarray:
    """Values in [low, high]: a quarter at each end, half spread between (log-spread when wide)."""
    pick = rng.random(shape)
    if low > 0 and high / low > 1e3:
        spread = np.exp(rng.uniform(np.log(low), np.log(high), shape))
    else:
        spread = rng.uniform(low, high, shape)
    return np.where(pick < 0.25, low, np.where(pick < 0.5, high, spread))


def random_inputs(rng: np.random.Generator, samples: int, n_icbs: int = 4) -> Inputs:
    """Inputs for ``samples`` parameter sets drawn across the validated space (see module docstring)."""
    horizon = int(rng.integers(1, MAX_HORIZON_YEARS + 1))
    base = int(rng.choice([FIRST_YEAR, 2022, LAST_YEAR - horizon + 1,
                           rng.integers(FIRST_YEAR, LAST_YEAR - horizon + 2)]))
    labels = tuple(year_labels(f"{base}/{(base + 1) % 100:02d}", f"{base + horizon - 1}/{(base + horizon) % 100:02d}"))
    values: dict[str, np.ndarray] = {}
    for path in NUMBERS:
        values[path] = _draw(rng, *bounds(spec_for(path)), (samples,))
    for path in SERIES:
        values[path] = _draw(rng, *bounds(spec_for(path)), (samples, horizon))
    for path in ("running_cost_cut.basis", "real_terms.index"):
        values[path] = rng.integers(0, 2, samples).astype(float)
    envelope = rng.random(samples) < 0.7
    values["running_cost_cut.envelope.per_head_gbp"] = _draw(
        rng, *bounds(spec_for("running_cost_cut.envelope.per_head_gbp")), (samples,))
    values["running_cost_cut.envelope.uplift"] = _draw(rng, *bounds(spec_for("running_cost_cut.envelope.uplift")),
                                                       (samples,))
    months = np.round(_draw(rng, FIRST_MONTH, LAST_MONTH, (samples,)))
    values["running_cost_cut.envelope.effective"] = np.where(envelope, months, np.nan)
    for f in FUNCTIONS:
        prefix = f"delegation.{f}."
        for name in ("transfer_wte_per_100k", "required_wte_per_100k", "nonpay_per_wte_gbp"):
            values[prefix + name] = _draw(rng, *bounds(spec_for(prefix + name)), (samples,))
        values[prefix + "in_cut_scope"] = rng.integers(0, 2, samples).astype(float)
        go = np.round(_draw(rng, FIRST_MONTH, LAST_MONTH, (samples, n_icbs)))
        values[prefix + "go_live"] = np.where(rng.random((samples, n_icbs)) < 0.15, np.nan, go)
    population = _draw(rng, *POPULATION_LIMITS, (n_icbs,))
    given_rca = np.where(rng.random(n_icbs) < 0.5, np.nan, _draw(rng, *RCA_LIMITS, (n_icbs,)))
    return Inputs.plain(
        labels=labels,
        codes=tuple(f"Q{i:02d}" for i in range(n_icbs)),
        names=tuple(f"ICB {i}" for i in range(n_icbs)),
        regions=("Midlands",) * n_icbs,
        population=population,
        rca_given_gbp=given_rca,
        cut_last=int(rng.integers(0, horizon + 5)),
        values=values,
    )


def assert_finite(inputs: Inputs) -> None:
    """Every engine output, and the ratios for each ICB and for England, is finite."""
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        try:
            out = engine.run(inputs)
        except FloatingPointError as err:  # overflow or 0/0 inside the engine, even if masked later
            pytest.fail(f"floating-point error in the engine: {err}")
    for name, values in out.items():
        bad = ~np.isfinite(values)
        if bad.any():
            sample = int(np.nonzero(bad)[0][0])
            drawn = {path: v[sample].tolist() for path, v in inputs.values.items()}
            pytest.fail(f"{name} is not finite for sample {sample}: labels {inputs.labels[0]}..{inputs.labels[-1]}, "
                        f"cut_last {inputs.cut_last}, population {inputs.population.tolist()}, "
                        f"rca {inputs.rca_given_gbp.tolist()}, values {drawn}")
    icb = {key: out[key] for key in engine.ADDITIVE}
    england = {key: value.sum(axis=1, keepdims=True) for key, value in icb.items()}
    for level in (icb, england):
        for name, values in engine.ratios(level).items():
            assert np.isfinite(values).all(), name


def test_engine_is_finite_over_the_validated_space() -> None:
    """SAMPLES parameter sets (default 20,000), drawn with half their values at the extremes."""
    rng = np.random.default_rng(20251125)
    for _ in range(math.ceil(SAMPLES / CHUNK)):
        assert_finite(random_inputs(rng, CHUNK))


def test_engine_is_finite_at_every_corner_of_the_validated_space() -> None:
    """All parameters at their lowest, or all at their highest, or alternating: the corners."""
    rng = np.random.default_rng(7)
    for pattern in ("low", "high", "alternate", "reverse"):
        inputs = random_inputs(rng, 4)
        changed = {}
        for n, (path, arr) in enumerate(sorted(inputs.values.items())):
            spec = spec_for(path)
            if spec is None or spec.kind not in ("number", "series") or path.endswith(("basis", "index")):
                continue
            low, high = bounds(spec)
            use_low = {"low": True, "high": False, "alternate": n % 2 == 0, "reverse": n % 2 == 1}[pattern]
            changed[path] = np.full_like(arr, low if use_low else high)
        assert_finite(inputs.with_values(changed))


# ---------------------------------------------------------------------------------------------
# Hypothesis: one parameter set at a time, hunting for boundary values


def _number(spec: KeySpec) -> st.SearchStrategy[float]:
    low, high = bounds(spec)
    return st.one_of(st.sampled_from([low, high]), st.floats(low, high, allow_nan=False, allow_infinity=False))


@st.composite
def parameter_sets(draw) -> Inputs:
    horizon = draw(st.integers(1, MAX_HORIZON_YEARS))
    base = draw(st.one_of(st.sampled_from([FIRST_YEAR, 2022, LAST_YEAR - horizon + 1]),
                          st.integers(FIRST_YEAR, LAST_YEAR - horizon + 1)))
    labels = tuple(year_labels(f"{base}/{(base + 1) % 100:02d}", f"{base + horizon - 1}/{(base + horizon) % 100:02d}"))
    months = st.one_of(st.none(), st.sampled_from([FIRST_MONTH, LAST_MONTH]), st.integers(FIRST_MONTH, LAST_MONTH))
    values = {path: np.array([draw(_number(spec_for(path)))]) for path in NUMBERS}
    for path in SERIES:
        values[path] = np.array([[draw(_number(spec_for(path))) for _ in range(horizon)]])
    for path in ("running_cost_cut.basis", "real_terms.index"):
        values[path] = np.array([float(draw(st.booleans()))])
    effective = draw(months)
    values["running_cost_cut.envelope.effective"] = np.array([np.nan if effective is None else float(effective)])
    for path in ("running_cost_cut.envelope.per_head_gbp", "running_cost_cut.envelope.uplift"):
        values[path] = np.array([draw(_number(spec_for(path)))])
    n_icbs = draw(st.integers(1, 3))
    for f in FUNCTIONS:
        prefix = f"delegation.{f}."
        for name in ("transfer_wte_per_100k", "required_wte_per_100k", "nonpay_per_wte_gbp"):
            values[prefix + name] = np.array([draw(_number(spec_for(prefix + name)))])
        values[prefix + "in_cut_scope"] = np.array([float(draw(st.booleans()))])
        go = [draw(months) for _ in range(n_icbs)]
        values[prefix + "go_live"] = np.array([[np.nan if m is None else float(m) for m in go]])
    population = np.array([draw(st.one_of(st.sampled_from(POPULATION_LIMITS), st.floats(*POPULATION_LIMITS)))
                           for _ in range(n_icbs)])
    rca = np.array([draw(st.one_of(st.just(np.nan), st.sampled_from(RCA_LIMITS), st.floats(*RCA_LIMITS)))
                    for _ in range(n_icbs)])
    return Inputs.plain(labels, tuple(f"Q{i}" for i in range(n_icbs)), tuple(f"ICB {i}" for i in range(n_icbs)),
                  ("London",) * n_icbs, population, rca, draw(st.integers(0, horizon + 3)), values)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs=parameter_sets())
def test_engine_is_finite_for_any_valid_parameter_set(inputs: Inputs) -> None:
    assert_finite(inputs)


# ---------------------------------------------------------------------------------------------
# Through validation: scenario files at the edges of what is accepted, and just beyond


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("project"))
    return root


EDGE_PATHS = [path for path in NUMBERS + SERIES] + [
    f"delegation.{f}.{name}" for f in FUNCTIONS for name in ("transfer_wte_per_100k", "required_wte_per_100k",
                                                             "nonpay_per_wte_gbp")]


@st.composite
def edge_scenarios(draw) -> str:
    """A scenario extending a shipped one with several values at the edges of what is accepted."""
    start = draw(st.sampled_from(["base", "envelope_2025", "real_terms_30"]))
    tree: dict = {"extends": start, "name": "edge"}
    for path in draw(st.lists(st.sampled_from(EDGE_PATHS), min_size=1, max_size=8, unique=True)):
        low, high = bounds(spec_for(path))
        node = tree
        *heads, leaf = path.split(".")
        for head in heads:
            node = node.setdefault(head, {})
        value = draw(st.one_of(st.sampled_from([low, high]), st.floats(low, high)))
        is_series = spec_for(path).kind == "series"
        if path == "running_cost_cut.path" or (is_series and draw(st.booleans())):
            value = {draw(st.sampled_from(["2022/23", "2025/26", "2030/31"])): value}
        node[leaf] = value
    months = st.sampled_from([f"{FIRST_YEAR}-01", f"{LAST_YEAR}-12", "2023-07"])
    if start == "envelope_2025" and draw(st.booleans()):
        per_head = bounds(spec_for("running_cost_cut.envelope.per_head_gbp"))
        tree.setdefault("running_cost_cut", {})["envelope"] = {
            "per_head_gbp": draw(st.sampled_from(per_head)), "effective": draw(months),
            "uplift": draw(st.sampled_from([-0.5, 0.5]))}
    if draw(st.booleans()):
        tree.setdefault("delegation", {})[draw(st.sampled_from(FUNCTIONS))] = {
            "go_live": {"default": draw(st.one_of(st.none(), months))}}
    return yaml.safe_dump(tree, sort_keys=False)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=edge_scenarios())
def test_scenarios_at_the_edges_validate_and_give_finite_results(project: Path, tmp_path_factory, text: str) -> None:
    path = project / "edge.yaml"
    path.write_text(text)
    out = tmp_path_factory.mktemp("run")
    status, err = cli(project, "run", str(path), "--out", str(out), "--no-xlsx")
    if status == 2 and "does not cover the delegated budgets inside it" in err:
        # Staff transferred at the edge (100,000 per 100,000 people) make delegated budgets larger
        # than a published allowance holding them: the run is refused, saying why
        # (model/engine/published.py), and writes nothing.
        assert not (out / "results.csv").exists()
        return
    assert status == 0, f"{text}\n{err}"
    results = pd.read_csv(out / "results.csv")
    numeric = results.select_dtypes("number")
    assert np.isfinite(numeric.to_numpy(float)).all(), text


DIVIDE_BY_ZERO = [
    ("baseline:\n  salary_per_wte_gbp: 0\n", "because the model divides by the cost of a WTE"),
    ("baseline:\n  salary_per_wte_gbp: 1.0e-300\n", "not a believable average salary per wte"),
    ("baseline:\n  rca_per_head_gbp: 0\n", "because every 'vs base' ratio divides by the base-year cost"),
    ("baseline:\n  rca_per_head_gbp: 1.0e-9\n", "figures divided by it would overflow"),
    ("running_cost_cut:\n  path: {2025/26: 1.0}\n", "because a 100% cut leaves no allowance"),
    ("running_cost_cut:\n  envelope: {per_head_gbp: 0, effective: '2026-01', uplift: 0}\n",
     "because transferred budgets are scaled by the core allowance"),
    ("inflation:\n  pay_award: {2025/26: -1}\n", "-1 is out of range: it must be -0.5 to 1"),
    ("baseline:\n  salary_per_wte_gbp: 1.0e+308\n", "would overflow"),
    ("delegation:\n  dentistry:\n    transfer_wte_per_100k: 1.0e+200\n", "would overflow"),
    ("delegation:\n  dentistry:\n    go_live: {default: '9999-12'}\n", "outside the years the model accepts"),
    ("horizon:\n  base_year: 1066/67\n", "outside the years the model accepts"),
]


@pytest.mark.parametrize("change, why", DIVIDE_BY_ZERO)
def test_values_that_would_divide_by_zero_or_overflow_are_refused_saying_why(project: Path, tmp_path: Path,
                                                                             change: str, why: str) -> None:
    path = project / "refused.yaml"
    path.write_text("extends: base\n" + change)
    status, err = cli(project, "run", str(path), "--out", str(tmp_path / "out"))
    assert status == 2 and why in err, err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("cell, column, why", [
    ("0", "population", "because per-head figures divide by it"),
    ("0.000001", "population", "not believable here: it must be 1 to 1,000,000,000 people"),
    ("1e300", "population", "not believable"),
    ("0", "baseline_rca_gbp", "'vs base' ratios divide by it"),
    ("1e300", "baseline_rca_gbp", "not believable"),
])
def test_icb_table_values_that_would_divide_by_zero_or_overflow_are_refused(project: Path, cell: str, column: str,
                                                                            why: str) -> None:
    table = pd.read_csv(ROOT / "data" / "icbs.csv", dtype=str, keep_default_na=False)
    table.loc[3, column] = cell
    table.to_csv(project / "edge_icbs.csv", index=False)
    path = project / "table.yaml"
    path.write_text("extends: base\nicbs:\n  table: edge_icbs.csv\n")
    status, err = cli(project, "validate", str(path))
    assert status == 2 and f"edge_icbs.csv:5, {column}" in err and why in err, err


def test_results_that_are_not_finite_are_never_written(project: Path, tmp_path: Path, monkeypatch) -> None:
    """The last line of defence: should the engine ever give NaN, the run writes nothing, says so
    in one line and exits 1 (a bug, not bad input)."""
    real_run = engine.run

    def broken(inputs: Inputs) -> dict[str, np.ndarray]:
        out = {k: np.array(v, dtype=float) for k, v in real_run(inputs).items()}
        out["funding_gap_gbp"][0, 0, -1] = np.nan
        return out

    monkeypatch.setattr(engine, "run", broken)
    monkeypatch.delenv("ICB_MODEL_DEBUG", raising=False)
    status, err = cli(project, "run", "base", "--out", str(tmp_path / "out"))
    assert status == 1 and "not a finite number (funding_gap_gbp" in err and "nothing was written" in err, err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()
