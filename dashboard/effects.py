"""What each control does to the custom scenario's start, and where it does nothing, in words.

A finance lead who moves a slider and sees no figure move must be told why. Some controls act only
on some years or only together with another: a start that takes NHS England's published
allowances as facts fixes 2023/24 to 2025/26 (the envelope and the cut then shape only the years
after and the back-cast base year); a per-head envelope, once it applies in full, sets the core
allowance whatever the cut; the envelope's settings do nothing while it is off; the year a change
applies from does nothing while there is no change. :func:`control_notes` says so beside the
control, from the start and the settings alone (no run needed). :func:`unchanged` is the catch-all:
settings that change something in the scenario file yet leave every figure as the start's.
"""

from __future__ import annotations

import numpy as np

from dashboard.columns import Columns
from dashboard.controls import FURTHER, RULES_ONLY, Settings
from dashboard.startpoint import StartPoint
from model.periods import parse_month, parse_year
from model.schema import FUNCTIONS

FIGURES = ("allowance_gbp", "core_allowance_gbp", "affordable_wte", "required_wte", "employed_wte",
           "redundancies_wte", "real_change_vs_base")
"""The results columns compared to tell whether settings changed anything."""


def _year_index(effective: str, labels: tuple[str, ...]) -> int:
    """Index of the financial year that holds month ``effective`` (``YYYY-MM``)."""
    return int((parse_month(effective) - 3) // 12) - parse_year(labels[0])


def _full_from(effective: str, labels: tuple[str, ...]) -> int:
    """Index of the first year an envelope effective in month ``effective`` applies for all of."""
    year = _year_index(effective, labels)
    return year if parse_month(effective) % 12 == 3 else year + 1


def control_notes(sp: StartPoint, settings: Settings) -> dict[str, str]:
    """A short note for each control that does nothing, or only part of what it says, with these
    settings and this start (controls not named have no note)."""
    notes: dict[str, str] = {}
    published = sp.published_last is not None
    last = sp.last_published
    if published:
        first = sp.labels[0]
        for key in ("cut.basis", "envelope.on"):
            notes[key] = (f"The allowances to {last} are NHS England's published figures, which this does not move; "
                          f"it changes the years after {last}" + (f" and the back-cast {first}." if key == "cut.basis"
                                                                  else "."))
        if not sp.further_years():
            notes["cut.further"] = "Every year of the horizon has a published allowance: there is nothing to cut."
    if settings["envelope.on"]:
        full = _full_from(str(settings["envelope.effective"]), sp.labels)
        after = (sp.published_last or 0) + 1 if published else 1
        if published and float(settings["cut.further"]) > 0 and full <= after:
            notes["cut.further"] = (f"No effect while the per-head envelope is on: it sets the core allowance in "
                                    f"every year after {last}. Switch the envelope off to cut further.")
        elif not published and full <= 1:
            notes["cut.size"] = "No effect while the per-head envelope is on: it sets the core allowance in every year."
        if published and _year_index(str(settings["envelope.effective"]), sp.labels) <= (sp.published_last or 0):
            notes["envelope.effective"] = (f"{last} and earlier are published figures, which the envelope does not "
                                           f"change: any month up to April {parse_year(last) + 1} gives the same "
                                           "results.")
    else:
        for key in ("envelope.per_head", "envelope.effective", "envelope.basis"):
            notes[key] = "Only with the envelope switched on."
    if published:
        for f in FUNCTIONS:
            default = sp.go_live[f].get("default") if isinstance(sp.go_live[f], dict) else None
            if default and _year_index(str(default), sp.labels) <= (sp.published_last or 0):
                notes[f"{f}.go_live_shift"] = (
                    f"It went live within the published years: to {last} a move changes only the split of the "
                    f"published allowance between core and delegated budgets (and the back-cast {sp.labels[0]}), "
                    "not its total; staff needed move with it.")
    if published and float(settings["cut.further"]) == 0:
        notes.setdefault("cut.further_year", "Set a further cut above to use this.")
    if all(float(settings[key]) == 0 for key in ("pay.shift", "nonpay.shift", "oncost.shift")):
        notes["prices.from"] = "Set a change above to use this."
    return notes


def hidden_controls(sp: StartPoint) -> set[str]:
    """Controls the page hides for this start: the whole-path cut for a start that uses published
    allowances (the further cut replaces it), and the further cut for a start by the rules alone."""
    return set(RULES_ONLY) if sp.published_last is not None else set(FURTHER)


def unchanged(custom: Columns, start: Columns) -> bool:
    """Whether the custom results equal the start's in every figure that matters (same rows)."""
    if len(custom) != len(start):
        return False
    return all(np.array_equal(custom[c], start[c], equal_nan=True) for c in FIGURES)
