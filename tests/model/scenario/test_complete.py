"""Completing a merged scenario (model/scenario/complete.py): defaults and missing keys."""

from __future__ import annotations

from pathlib import Path

from model.provenance import DEFAULT_FILE
from model.scenario import (
    load_scenario,
)


def test_defaults_fill_optional_keys(project: Path) -> None:
    (project / "scenarios" / "no_real_terms.yaml").write_text("extends: base\nreal_terms: null\n")
    scenario = load_scenario("no_real_terms", project)
    index = scenario.get("real_terms.index")
    assert index.value == "cost" and index.prov.file == DEFAULT_FILE
    assert index.prov.describe().endswith("model default")
