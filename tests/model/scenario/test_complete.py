"""Completing a merged scenario (model/scenario/complete.py): defaults and missing keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.provenance import DEFAULT_FILE
from model.scenario import load_scenario


def test_defaults_fill_optional_keys(project: Path) -> None:
    (project / "scenarios" / "no_real_terms.yaml").write_text("extends: base\nreal_terms: null\n")
    scenario = load_scenario("no_real_terms", project)
    index = scenario.get("real_terms.index")
    assert index.value == "cost" and index.prov.file == DEFAULT_FILE
    assert index.prov.describe().endswith("model default")


def test_a_file_that_does_not_start_from_base_is_told_to() -> None:
    """Required keys no file of the chain sets are reported at the first file; a file that is not
    the base is told it may start from the base instead."""
    from model.scenario import ScenarioError, load_text
    from tests.fixtures import PROJECT

    with pytest.raises(ScenarioError) as caught:
        load_text("name: alone\nbaseline: {pay_share: 0.7}\n", PROJECT, "alone.yaml")
    issues = {issue.path: issue for issue in caught.value.issues}
    assert {"horizon", "baseline.rca_per_head_gbp", "inflation", "delegation"} <= set(issues)
    assert "baseline.pay_share" not in issues and "real_terms" not in issues  # set; optional
    rca = issues["baseline.rca_per_head_gbp"]
    assert (rca.file, rca.line) == ("alone.yaml", None)
    assert rca.message.startswith("missing: every scenario needs ")
    assert rca.message.endswith("Add `rca_per_head_gbp:` under `baseline:`, or start from the base with "
                                "`extends: base`.")
    horizon = issues["horizon"].message
    assert "a section with base_year, end_year" in horizon and "Add `horizon:`" in horizon


def test_defaults_carry_the_schemas_unit_and_a_note() -> None:
    from model.scenario.complete import complete
    from model.scenario.resolved import Node

    tree: dict[str, Node] = {}
    issues: list = []
    assert not complete(tree, (), "x.yaml", True, set(), issues)  # required keys are missing
    index = tree["real_terms"]["index"]
    assert index.value == "cost" and index.prov.file == DEFAULT_FILE
    assert index.prov.note == "not set in any scenario file: the model's default"
    assert "name" not in tree and "extends" not in tree
