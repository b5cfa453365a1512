"""Units (model/schema/units.py, units.yaml): how each unit is written and how figures in it are shown."""

from __future__ import annotations

import pytest

from model.schema.units import NO_UNIT, UNITS, Display, unit


def test_display_scales_the_models_unit_to_the_one_people_see():
    money = Display("£m", per=1_000_000, decimals=1)
    assert money.show(908_760_000.0) == pytest.approx(908.76) and money.factor == 1e-6
    share = Display("%", scale=100, decimals=1)
    assert share.show(-0.3) == pytest.approx(-30.0) and share.factor == 100
    assert Display("WTE").show(12.5) == 12.5 and Display("WTE").factor == 1.0


def test_the_declared_units():
    assert unit("gbp").text == "£ cash" and unit("gbp").display == Display("£m", 1.0, 1_000_000.0, 1)
    assert unit("gbp real").text == "£ base-year prices"
    assert unit("fraction").display.unit == "%" and unit("fraction").display.scale == 100
    assert unit("ratio").display == unit("fraction").display  # a ratio is a fraction too
    assert unit("wte").display == Display("WTE", decimals=0)
    assert unit("index").display.decimals == 3
    assert all(u.id == key and u.text for key, u in UNITS.items())


def test_no_unit_and_unknown_units():
    assert unit(None) is NO_UNIT and unit("") is NO_UNIT
    assert NO_UNIT.text == "" and NO_UNIT.display.decimals == 2
    with pytest.raises(KeyError):
        unit("furlongs")
