"""The columns of results.csv (model/schema/columns.py, columns.yaml)."""

from __future__ import annotations

import pytest

from model.schema import SCHEMA


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


def test_column_kinds_and_lookups() -> None:
    from model.schema import COLUMNS, CONTRACT_COLUMNS, HEADLINES, METRICS, column, is_column
    from model.schema.columns import COLUMN_KINDS

    assert len(CONTRACT_COLUMNS) == 25 and CONTRACT_COLUMNS[:5] == ("scenario", "icb_code", "icb_name", "region",
                                                                     "year")
    allowance = column("allowance_gbp")
    assert (allowance.kind, allowance.unit, allowance.decimals, allowance.headline) == ("additive", "gbp", 2, True)
    assert allowance.numeric and allowance.unit_info.text == "£ cash"
    assert column("real_change_vs_base").kind == "ratio" and column("deflator").kind == "price"
    assert not column("icb_code").numeric and not column("scenario_sha256").numeric
    assert {spec.kind for spec in COLUMNS} == set(COLUMN_KINDS)
    assert tuple(spec.name for spec in COLUMNS if spec.kind in ("additive", "ratio", "price")) == METRICS
    assert [h.name for h in HEADLINES][:3] == ["allowance_gbp", "allowance_real_gbp", "real_change_vs_base"]
    assert is_column("wte_gap") and not is_column("wte_gaps")
    with pytest.raises(KeyError):
        column("wte_gaps")
