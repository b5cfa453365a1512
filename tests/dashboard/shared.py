"""What the dashboard's tests share: the project folder, the numeric columns they compare, slider
moves to try, and the engine's own results for a scenario or inputs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard import startpoint
from dashboard import store as dash_store
from dashboard.columns import Columns
from model import engine
from model.engine.inputs import from_scenario
from model.output.results import tabulate

ROOT = Path(__file__).resolve().parents[2]
NUMERIC = ["allowance_gbp", "core_allowance_gbp", "delegated_allowance_gbp", "allowance_real_gbp",
           "affordable_wte", "required_wte", "wte_gap", "funding_gap_gbp", "core_capacity_wte",
           "employed_wte", "redundancies_wte", "redundancy_cost_gbp", "real_change_vs_base"]

MOVES = [
    {"cut.further": 10, "cut.further_year": "2027/28"},
    {"cut.further": 20, "cut.further_year": "2026/27", "cut.basis": "real"},
    {"cut.size": 40, "cut.year": "2027/28"},
    {"cut.size": 20, "cut.year": "2024/25", "cut.basis": "real"},
    {"pay.shift": 1.5, "nonpay.shift": -0.5, "oncost.shift": 2.0, "prices.from": "2024/25"},
    {"envelope.on": True, "envelope.per_head": 21.5, "envelope.effective": "2025-10"},
    {"envelope.on": True, "envelope.basis": "weighted", "envelope.effective": "2027-04"},
    {"workforce.turnover": 15, "workforce.redundancy_months": 12},
    {"dentistry.go_live_shift": 9, "specialised.go_live_shift": -12, "pharmacy.go_live_shift": 30},
    {"dentistry.required": 1.6, "optometry.in_scope": False, "specialised.in_scope": False},
    {"cut.further": 35, "cut.further_year": "2030/31", "cut.size": 50, "cut.year": "2026/27", "pay.shift": -1,
     "envelope.on": True, "specialised.go_live_shift": 24, "pharmacy.required": 0.8, "workforce.turnover": 5},
]
"""Control moves to try: the further cut acts on starts that use published allowances, the whole
cut path (cut.size, cut.year) on starts that project by the rules alone."""


def as_component(node: object) -> object:
    """A plain element (``dashboard.elements``) as the ``dash.html`` component it stands for, its
    children too: making it checks every property name and value as Dash checks a component's."""
    from dash import html

    if isinstance(node, dict) and node.get("namespace") == "dash_html_components":
        props = {key: as_component(value) if key == "children" else value for key, value in node["props"].items()}
        return getattr(html, node["type"])(**props)
    if isinstance(node, list):
        return [as_component(child) for child in node]
    return node


def settings_for(store: dash_store.ScenarioStore, start: str, moves: dict) -> dict:
    return startpoint.settings_from(moves, store.shipped[start].start)


def engine_results(scenario_or_inputs, name: str) -> pd.DataFrame:
    inputs = scenario_or_inputs if hasattr(scenario_or_inputs, "values") else from_scenario(scenario_or_inputs)
    return tabulate(name, inputs, engine.run(inputs))


def icbs_in(results: pd.DataFrame, year: str) -> dict[str, Columns]:
    """Each scenario's ICB rows (England's left out) in ``year`` of a results table, by name, in
    table order: the charts of every ICB take them so (``dashboard.chartdata.InYear``)."""
    rows = results[(results["year"] == year) & (results["icb_code"] != "ENG")]
    return {str(name): Columns(rows[rows["scenario"] == name]) for name in dict.fromkeys(rows["scenario"])}
