"""The columns of results.csv (model/schema/columns.py, columns.yaml)."""

from __future__ import annotations

import pytest

from model.schema import (
    SCHEMA,
)


def test_every_unit_and_column_is_declared_once_and_complete() -> None:
    from model.schema import COLUMNS, METRICS, UNITS, column

    for spec in SCHEMA:
        if spec.unit:
            assert spec.unit in UNITS, spec.pattern
    names = [c.name for c in COLUMNS]
    assert len(names) == len(set(names))
    for spec in COLUMNS:
        assert spec.label and spec.description, spec.name
        if spec.numeric:
            assert spec.unit in UNITS and spec.decimals is not None, spec.name
    assert [c.name for c in COLUMNS if c.contract] == names[:25]
    assert column("allowance_gbp").display.unit == "£m"
    assert column("allowance_gbp").display.show(908_760_000.0) == 908.76
    assert column("real_change_vs_base").display.show(-0.3) == pytest.approx(-30.0)
    assert "wte_gap" in METRICS and "scenario" not in METRICS
