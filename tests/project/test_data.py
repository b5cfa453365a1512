"""The shipped data tables (data/): every derived column recomputed, and each table's claims in
data/README.md checked against its figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[2] / "data"


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name)


@pytest.fixture(scope="module")
def icbs() -> pd.DataFrame:
    return read("icbs.csv")


def test_the_icb_table_holds_the_42_icbs_once_each(icbs):
    assert len(icbs) == 42 and icbs["code"].is_unique and icbs["ons_code"].is_unique
    assert icbs["region"].nunique() == 7
    assert (icbs[["population", "population_2023", "population_2024", "population_2025"]] > 0).all().all()


def test_the_base_year_population_is_back_cast_one_year_from_the_2023_lists(icbs):
    """population = round(population_2023 / (1 + g)), g = (England 2025 / England 2023)^0.5 - 1."""
    growth = (icbs["population_2025"].sum() / icbs["population_2023"].sum()) ** 0.5 - 1
    assert growth == pytest.approx(0.010769, abs=5e-7)
    np.testing.assert_array_equal(icbs["population"], np.round(icbs["population_2023"] / (1 + growth)))
    source = read("icbs_source.csv").set_index("code")
    assert (source["population"] == icbs.set_index("code")["population_2023"]).all()  # the lists as they came


def test_the_need_index_is_weighted_over_registered_population(icbs):
    allocation = read("allocation_population_2025_26.csv")
    assert set(allocation["code"]) == set(icbs["code"])
    joined = icbs.merge(allocation, on="code")
    np.testing.assert_allclose(joined["need_index"],
                               joined["weighted_population_2025_26"] / joined["population_2025_26"], rtol=1e-15)
    assert joined["need_index"].min() > 0.88 and joined["need_index"].max() < 1.13
    # normalised so that England's weighted population equals its population (to rounding)
    assert allocation["weighted_population_2025_26"].sum() == 63_849_322
    assert abs(allocation["population_2025_26"].sum() - 63_849_322) <= 1


def test_published_allowances_add_to_the_england_totals_and_move_by_one_ratio(icbs):
    """£1,108.76m, £908.76m, £828.30m and £873.99m; each year the same ratio for every ICB."""
    rca = read("rca_published.csv")
    assert set(rca["code"]) == set(icbs["code"])
    totals = [round(rca[c].sum() / 1e6, 2) for c in ("rca_2023_24_gbp", "rca_2024_25_gbp", "rca_2025_26_gbp",
                                                       "rca_2025_26_enic_gbp")]
    assert totals == [1108.76, 908.76, 828.30, 873.99]
    for later, earlier, ratio in (("rca_2024_25_gbp", "rca_2023_24_gbp", 0.8196),
                                  ("rca_2025_26_gbp", "rca_2024_25_gbp", 0.9115),
                                  ("rca_2025_26_enic_gbp", "rca_2025_26_gbp", 1.05516)):
        np.testing.assert_allclose(rca[later] / rca[earlier], ratio, atol=2e-4, err_msg=later)


def test_the_2026_footprint_moves_every_old_icb_whole_into_the_36_new_ones(icbs):
    footprint, new = read("footprint_2026.csv"), read("icbs_2026.csv")
    assert len(new) == 36 and new["code"].is_unique
    assert set(footprint["old_code"]) == set(icbs["code"]) and set(footprint["new_code"]) == set(new["code"])
    np.testing.assert_allclose(footprint.groupby("old_code")["share"].sum(), 1.0, rtol=1e-12)
    split = footprint[footprint["share"] < 1].groupby("old_code")["new_code"].apply(set).to_dict()
    assert split == {"QNQ": {"S0E4D", "S9B9J", "QRL"}, "QM7": {"S1Y5D", "D7T5G"}, "QJG": {"T6Y0W", "D7T5G"}}
