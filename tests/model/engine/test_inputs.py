"""The engine's inputs (model/engine/inputs.py): the arrays a run needs, from the schema."""

from __future__ import annotations

from model.schema import (
    parameter_paths,
)


def test_engine_inputs_follow_from_the_schema() -> None:
    from model.engine.inputs import INPUT_KEYS

    shapes = {key.path: key.shape for key in INPUT_KEYS}
    assert shapes["inflation.pay_award"] == "series"
    assert shapes["running_cost_cut.basis"] == "word"
    assert shapes["delegation.dentistry.in_cut_scope"] == "flag"
    assert shapes["delegation.dentistry.go_live"] == "go_live"
    assert shapes["running_cost_cut.envelope.effective"] == "month"
    assert set(parameter_paths()) <= set(shapes)
