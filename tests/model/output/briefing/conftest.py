"""Fixtures shared by the briefing's tests: the shipped base and envelope_2025, their results and
the briefing for NHS Greater Manchester (QOP)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from model.output.briefing import Briefing, build, wording
from model.output.results import scenario_results
from model.scenario import load_scenario
from tests.model.output.briefing.shared import NAMES, PLACE, ROOT, YEAR


@pytest.fixture(scope="module")
def scenarios():
    return [load_scenario(name, ROOT) for name in NAMES]


@pytest.fixture(scope="module")
def results(scenarios) -> pd.DataFrame:
    return pd.concat([scenario_results(s) for s in scenarios], ignore_index=True)


@pytest.fixture(scope="module")
def briefing(results, scenarios) -> Briefing:
    return build(results, scenarios, PLACE, created=date(2026, 11, 30))


@pytest.fixture(scope="module")
def allowance(results) -> str:
    """The reference scenario's allowance for the place and year as the paper shows it."""
    row = results[(results.scenario == "base") & (results.icb_code == PLACE) & (results.year == YEAR)]
    return wording.money(float(row["allowance_gbp"].iloc[0]))
