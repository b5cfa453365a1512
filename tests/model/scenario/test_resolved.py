"""A resolved scenario (model/scenario/resolved.py): get, value and the content hash."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.scenario import (
    load_scenario,
)
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
