"""Units, from units.yaml: how each is written for people and how figures in it are shown."""

from __future__ import annotations

from dataclasses import dataclass

from model.schema.data import load


@dataclass(frozen=True)
class Display:
    """How people see a figure: ``unit`` shown beside it, the model's value times ``scale`` and
    divided by ``per`` (100 and 1 for a fraction shown as %; 1 and 1,000,000 for £ shown as £m),
    to ``decimals`` places."""

    unit: str
    scale: float = 1.0
    per: float = 1.0
    decimals: int = 0

    def show(self, value: float) -> float:
        """``value`` in the display unit (£m, %...)."""
        return value * self.scale / self.per

    @property
    def factor(self) -> float:
        """The multiplier from the model's unit to the display unit (for whole arrays and axes)."""
        return self.scale / self.per


@dataclass(frozen=True)
class Unit:
    """A unit of keys.yaml or columns.yaml: its id, how it is written, how it is displayed."""

    id: str
    text: str
    display: Display


def _units() -> dict[str, Unit]:
    out = {}
    for key, entry in load("units.yaml")["units"].items():
        shown = entry["display"]
        display = Display(shown["unit"], float(shown.get("scale", 1)), float(shown.get("per", 1)),
                          int(shown["decimals"]))
        out[key] = Unit(key, entry["text"], display)
    return out


UNITS: dict[str, Unit] = _units()
"""Every unit by id."""

NO_UNIT = Unit("", "", Display("", decimals=2))
"""What a value without a unit (a word, a flag) is shown as."""


def unit(unit_id: str | None) -> Unit:
    """The Unit of an id (NO_UNIT for None or ''); KeyError for an id units.yaml lacks."""
    return UNITS[unit_id] if unit_id else NO_UNIT
