"""Parameter changes by dotted path (model/engine/changes.py, SPEC section 8)."""

from __future__ import annotations

import numpy as np
import pytest

from model import engine
from model.engine.changes import Change, OverrideError, apply
from model.periods import parse_month
from tests.builders import worked_example


def test_set_one_year_of_a_series_leaves_the_others():
    changed = apply(worked_example(), [Change("running_cost_cut.path.2025/26", "set", 0.5)])
    np.testing.assert_allclose(changed.values["running_cost_cut.path"], [[0, 0, 0.2, 0.5]])


def test_add_shifts_every_year_and_scale_multiplies():
    inputs = worked_example()
    shifted = apply(inputs, [Change("inflation.pay_award", "add", 0.01)])
    np.testing.assert_allclose(shifted.values["inflation.pay_award"], [[0.01, 0.06, 0.06, 0.06]])
    scaled = apply(inputs, [Change("delegation.dentistry.required_wte_per_100k", "scale", 2)])
    assert scaled.values["delegation.dentistry.required_wte_per_100k"][0] == 3.0
    assert inputs.values["delegation.dentistry.required_wte_per_100k"][0] == 1.5  # original untouched


def test_words_flags_and_months():
    changed = apply(
        worked_example(),
        [
            Change("running_cost_cut.basis", "set", "real"),
            Change("delegation.dentistry.in_cut_scope", "set", False),
            Change("delegation.dentistry.go_live", "add", 3),
            Change("delegation.pharmacy.go_live", "set", "2024-04"),
        ],
    )
    assert changed.values["running_cost_cut.basis"][0] == 1.0
    assert changed.values["delegation.dentistry.in_cut_scope"][0] == 0.0
    assert changed.values["delegation.dentistry.go_live"][0, 0] == parse_month("2023-10")
    assert changed.values["delegation.pharmacy.go_live"][0, 0] == parse_month("2024-04")


def test_a_value_per_sample_adds_a_sample_axis_equal_to_separate_runs():
    cuts = np.array([0.1, 0.3, 0.5])
    together = engine.run(apply(worked_example(), [Change("running_cost_cut.path.2025/26", "set", cuts)]))
    for i, cut in enumerate(cuts):
        alone = engine.run(apply(worked_example(), [Change("running_cost_cut.path.2025/26", "set", cut)]))
        np.testing.assert_allclose(together["wte_gap"][i], alone["wte_gap"][0])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (Change("inflation.pay_awrd", "set", 0.1), "did you mean 'inflation.pay_award'"),
        (Change("running_cost_cut.path.2035/36", "set", 0.1), "not a year of this run"),
        (Change("running_cost_cut.basis", "set", "reel"), "not one of nominal, real"),
        (Change("delegation.dentistry.go_live", "set", "2023-13"), "write it as YYYY-MM"),
        (Change("delegation.dentistry.go_live", "add", 1.5), "whole months"),
        (Change("baseline.pay_share", "set", "lots"), "is not a number"),
    ],
)
def test_bad_changes_say_what_is_wrong(change, message):
    with pytest.raises(OverrideError, match=message):
        apply(worked_example(), [change])


def test_unknown_mode_is_refused():
    with pytest.raises(OverrideError, match="not one of set, add, scale"):
        Change("baseline.pay_share", "multiply", 2)
