"""Merging scenario trees (model/scenario/merge.py, SPEC section 7): series year by year, nulls,
uncertainty entries whole, and the merge laws (hypothesis)."""

from __future__ import annotations

from functools import reduce

from hypothesis import given
from hypothesis import strategies as st

from model.provenance import Param, Provenance, Series
from model.scenario import load_scenario, merge_trees
from tests.fixtures import PROJECT


def test_series_merge_year_by_year_with_the_childs_provenance() -> None:
    deeper = load_scenario("deeper_cut", PROJECT)
    cut = deeper.get("running_cost_cut.path")
    assert deeper.value("running_cost_cut.path")["2025/26"] == 0.4
    assert cut.points["2024/25"].prov.file == "assumptions.yaml"
    assert cut.points["2025/26"].prov.file == "scenarios/deeper_cut.yaml"
    assert cut.points["2025/26"].prov.source == "https://example.org/deeper"
    pay = deeper.get("inflation.pay_award.2025/26")
    assert pay.value == 0.04 and pay.prov.describe() == "set in scenarios/deeper_cut.yaml:8"
    assert deeper.value("inflation.pay_award")["2024/25"] == 0.055
    oncost = deeper.get("inflation.oncost_rate")
    assert oncost.before.value == 0.25 and oncost.before.prov.file == "assumptions.yaml"
    assert deeper.value("inflation.oncost_rate") == {"2022/23": 0.25, "2023/24": 0.25, "2024/25": 0.25,
                                                     "2025/26": 0.278, "2026/27": 0.278}


def test_bare_number_replaces_a_series_and_null_removes_the_envelope() -> None:
    late = load_scenario("midlands_late", PROJECT)
    deflator = late.get("inflation.gdp_deflator")
    assert deflator.points == {} and deflator.before.value == 0.02
    assert deflator.before.prov.file == "scenarios/midlands_late.yaml"
    assert load_scenario("envelope", PROJECT).value("running_cost_cut.envelope") == {
        "per_head_gbp": 18.76, "effective": "2025-10", "uplift": 0.0, "population_basis": "registered"}
    envelope = late.get("running_cost_cut.envelope")
    assert envelope.value is None and envelope.prov.file == "scenarios/midlands_late.yaml"


def test_uncertainty_entries_are_replaced_whole_and_null_removes_them() -> None:
    envelope = load_scenario("envelope", PROJECT)
    assert set(envelope.value("uncertainty")) == {"inflation.pay_award", "running_cost_cut.path.2025/26",
                                                  "running_cost_cut.envelope.per_head_gbp"}
    late = load_scenario("midlands_late", PROJECT)
    entries = late.value("uncertainty")
    assert set(entries) == {"inflation.pay_award", "running_cost_cut.path.2025/26"}
    assert entries["inflation.pay_award"] == {"distribution": "lognormal", "mode": "scale", "median": 1.0,
                                              "sigma": 0.1, "low": 0.8, "high": 1.3}
    assert late.get("uncertainty.inflation.pay_award.low").value == 0.8


YEARS = ["2022/23", "2023/24", "2024/25", "2025/26"]


provenances = st.builds(Provenance, file=st.sampled_from(["a.yaml", "b.yaml", "c.yaml"]), line=st.integers(1, 99))


params = st.builds(Param, st.floats(-1, 1, allow_nan=False), provenances)


series = st.one_of(st.builds(Series, st.dictionaries(st.sampled_from(YEARS), params, min_size=1)),
                   st.builds(lambda before: Series({}, before), params))


envelopes = st.one_of(st.builds(lambda prov: Param(None, prov), provenances),
                      st.fixed_dictionaries({}, optional={"per_head": params, "uplift": params}))


documents = st.fixed_dictionaries({}, optional={
    "x": params,
    "s": series,
    "m": st.fixed_dictionaries({}, optional={"y": params, "t": series, "envelope": envelopes}),
})


@given(documents, documents, documents)
def test_merge_is_associative(a: dict, b: dict, c: dict) -> None:
    assert merge_trees(merge_trees(a, b), c) == merge_trees(a, merge_trees(b, c))


@given(documents)
def test_merging_an_empty_document_is_the_identity(a: dict) -> None:
    assert merge_trees(a, {}) == a
    assert merge_trees({}, a) == a


@given(documents, documents, documents)
def test_a_chain_may_be_merged_in_any_grouping(a: dict, b: dict, c: dict) -> None:
    assert reduce(merge_trees, [a, b, c], {}) == merge_trees(a, merge_trees(b, c))


@given(st.builds(Series, st.dictionaries(st.sampled_from(YEARS), params, min_size=1), st.one_of(st.none(), params)),
       st.dictionaries(st.sampled_from(YEARS), params, min_size=1))
def test_series_merge_keeps_untouched_years(base: Series, changes: dict) -> None:
    merged = merge_trees({"s": base}, {"s": Series(changes)})["s"]
    assert merged.before == base.before
    for year in YEARS:
        if year in changes:
            assert merged.points[year] is changes[year]
        elif year in base.points:
            assert merged.points[year] is base.points[year]
        else:
            assert year not in merged.points


def _leaves(tree: dict, prefix: tuple = ()) -> dict:
    """Every Param in a tree (series years included) by key path."""
    out = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(_leaves(value, (*prefix, key)))
        elif isinstance(value, Series):
            out.update({(*prefix, key, year): param for year, param in value.points.items()})
            if value.before is not None:
                out[(*prefix, key, "before")] = value.before
        else:
            out[(*prefix, key)] = value
    return out


@given(documents, documents)
def test_changed_values_take_the_childs_provenance(base: dict, child: dict) -> None:
    merged = _leaves(merge_trees(base, child))
    for path, param in _leaves(child).items():
        assert merged[path] is param


def test_null_then_mapping_replaces_rather_than_merges() -> None:
    prov = Provenance("a.yaml", 1)
    a = {"m": {"envelope": {"per_head": Param(1.0, prov), "uplift": Param(0.0, prov)}}}
    b = {"m": {"envelope": Param(None, prov)}}
    c = {"m": {"envelope": {"per_head": Param(2.0, prov)}}}
    expected = {"m": {"envelope": {"per_head": Param(2.0, prov)}}}
    assert reduce(merge_trees, [a, b, c], {}) == expected == merge_trees(a, merge_trees(b, c))
