"""Values with their provenance (model/provenance.py): Provenance, Param and Series."""

from __future__ import annotations

from model.provenance import Param, Provenance, Series

YEARS = ["2022/23", "2023/24", "2024/25", "2025/26"]


def test_series_values_and_last_listed() -> None:
    prov = Provenance("a.yaml", 1)
    s = Series({"2024/25": Param(0.2, prov), "2023/24": Param(0.1, prov)}, before=Param(0.0, prov))
    assert s.values(YEARS) == [0.0, 0.1, 0.2, 0.2]
    assert s.last_listed() == "2024/25"
    assert Series({"2024/25": Param(0.2, prov)}).values(YEARS) == [0.2] * 4
