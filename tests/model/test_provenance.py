"""Values with their provenance (model/provenance.py): Provenance, Param and Series."""

from __future__ import annotations

import pytest

from model.provenance import DEFAULT_FILE, PROVENANCE_KEYS, STATUSES, Param, Provenance, Series

YEARS = ["2022/23", "2023/24", "2024/25", "2025/26"]


def test_series_values_and_last_listed() -> None:
    prov = Provenance("a.yaml", 1)
    s = Series({"2024/25": Param(0.2, prov), "2023/24": Param(0.1, prov)}, before=Param(0.0, prov))
    assert s.values(YEARS) == [0.0, 0.1, 0.2, 0.2]
    assert s.last_listed() == "2024/25"
    assert Series({"2024/25": Param(0.2, prov)}).values(YEARS) == [0.2] * 4


def test_location_and_describe() -> None:
    sourced = Provenance("assumptions.yaml", 12, "https://example.org/rca", "sourced", "a note", "gbp per head")
    assert sourced.location() == "assumptions.yaml:12"
    assert sourced.describe() == "https://example.org/rca; (sourced); set in assumptions.yaml:12"
    noted = Provenance("scenarios/x.yaml", None, None, "assumption", "round number")
    assert noted.location() == "scenarios/x.yaml"
    assert noted.describe() == "round number; (assumption); set in scenarios/x.yaml"
    assert Provenance("a.yaml", 3).describe() == "set in a.yaml:3"
    assert Provenance(DEFAULT_FILE, None, note="the model's default").describe() == "the model's default; model default"


def test_param_number_and_text_say_where_a_value_of_the_wrong_kind_was_set() -> None:
    prov = Provenance("a.yaml", 7)
    assert Param(0.3, prov).number() == 0.3
    assert Param("2025/26", prov).text() == "2025/26"
    with pytest.raises(TypeError, match=r"a.yaml:7: expected a number, got 'nominal'"):
        Param("nominal", prov).number()
    with pytest.raises(TypeError, match=r"a.yaml:7: expected text, got 0.3"):
        Param(0.3, prov).text()
    with pytest.raises(TypeError, match="expected a number"):
        Param(True, prov).number()  # a flag is not a number, though bool is an int


def test_param_for_names_the_param_that_supplies_each_year() -> None:
    first, second, bare = (Param(v, Provenance(f"{n}.yaml", 1)) for n, v in (("a", 0.1), ("b", 0.2), ("c", 0.0)))
    s = Series({"2025/26": second, "2023/24": first}, before=bare)
    assert [s.param_for(year) is p for year, p in zip(YEARS, (bare, first, first, second), strict=True)] == [True] * 4
    assert s.param_for("2030/31") is second
    listed_only = Series({"2023/24": first, "2025/26": second})
    assert listed_only.param_for("2022/23") is first  # before the first listed year: the first listed value
    assert listed_only.values(YEARS) == [0.1, 0.1, 0.1, 0.2]
    number = Series({}, before=bare)
    assert number.param_for("2024/25") is bare and number.last_listed() is None
    assert number.values(YEARS) == [0.0] * 4
    assert s.last_listed() == "2025/26"


def test_the_vocabulary_of_provenance() -> None:
    assert STATUSES == ("sourced", "inference", "assumption")
    assert PROVENANCE_KEYS == ("unit", "source", "status", "note")
