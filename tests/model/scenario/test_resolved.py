"""A resolved scenario (model/scenario/resolved.py): get, value and the content hash."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.scenario import load_scenario
from tests.fixtures import PROJECT


def test_get_one_year_of_a_series_and_unknown_paths() -> None:
    base = load_scenario("base", PROJECT)
    later = base.get("running_cost_cut.path.2026/27")
    assert later.value == 0.3 and later is base.get("running_cost_cut.path").points["2025/26"]
    with pytest.raises(KeyError, match="Did you mean 'pay_award'"):
        base.get("inflation.pay_awrd")
    with pytest.raises(KeyError, match="not a financial year"):
        base.get("inflation.pay_award.2025")


def test_content_hash_is_stable_and_depends_on_values_only(tmp_path: Path) -> None:
    base = load_scenario("base", PROJECT)
    assert base.content_hash() == load_scenario("base", PROJECT).content_hash()
    assert base.content_hash() != load_scenario("deeper_cut", PROJECT).content_hash()
    bare, with_provenance = tmp_path / "a.yaml", tmp_path / "b.yaml"
    bare.write_text(f"name: A\nextends: {PROJECT.resolve() / 'assumptions.yaml'}\nbaseline: {{pay_share: 0.7}}\n")
    with_provenance.write_text(f"name: B\ndescription: other words\nextends: {PROJECT.resolve() / 'assumptions.yaml'}\n"
                               "baseline:\n  pay_share: {value: 0.7, source: 'x', status: sourced}\n")
    assert load_scenario(bare, PROJECT).content_hash() == load_scenario(with_provenance, PROJECT).content_hash()
    assert load_scenario(bare, PROJECT).content_hash() != base.content_hash()


def test_content_hash_covers_the_icb_table(project: Path) -> None:
    before = load_scenario("base", project).content_hash()
    table = project / "data" / "icbs.csv"
    table.write_text(table.read_text().replace("500000", "500001"))
    assert load_scenario("base", project).content_hash() != before


def test_value_gives_bare_values_and_get_the_nodes() -> None:
    from model.provenance import Param, Series

    base = load_scenario("base", PROJECT)
    assert base.years == ["2022/23", "2023/24", "2024/25", "2025/26", "2026/27"]
    assert isinstance(base.get("baseline"), dict) and isinstance(base.get("inflation.pay_award"), Series)
    assert isinstance(base.get("baseline.pay_share"), Param)
    baseline = base.value("baseline")
    assert baseline == {"rca_per_head_gbp": 20.0, "pay_share": 0.75, "salary_per_wte_gbp": 40000.0,
                        "programme_pay_per_head_gbp": 0.0}
    assert base.value("inflation.gdp_deflator") == {"2022/23": 0.03, "2023/24": 0.03, "2024/25": 0.025,
                                                    "2025/26": 0.025, "2026/27": 0.025}
    assert base.get("uncertainty.inflation.pay_award.low").value == -0.01
    with pytest.raises(KeyError, match="no key 'nowhere' here"):
        base.get("baseline.nowhere")


def test_section_param_and_series_say_what_they_got() -> None:
    from model.provenance import Param, Provenance, Series
    from model.scenario.resolved import param, section, series

    value = Param(1.0, Provenance("a.yaml", 1))
    assert param(value) is value and section({"a": value}) == {"a": value}
    assert series(Series({}, value)).before is value
    with pytest.raises(TypeError, match="expected a mapping of keys, got Param"):
        section(value)
    with pytest.raises(TypeError, match="expected a value, got dict"):
        param({})
    with pytest.raises(TypeError, match="expected a series, got Param"):
        series(value)
