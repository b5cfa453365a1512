"""Messages about single values: how a value is quoted, and why a number, year, month or unit is
refused and how to fix it. Shared by the normaliser, the uncertainty checks and the ICB table."""

from __future__ import annotations

import math
import re
from datetime import date

from model.periods import FIRST_YEAR, LAST_YEAR, parse_month, parse_year
from model.scenario.yamlio import shorten
from model.schema import KeySpec


def limits_reason(value: float, spec: KeySpec) -> str:
    """Why a value beyond a key's sanity limits is refused, and how to fix it."""
    if spec.floor is not None and value < spec.floor:
        return (f"So small a value is a slip (a misplaced decimal point?){range_reason(spec)}, and figures "
                "divided by it would overflow. Check it.")
    return ("So large a value is a slip (extra zeros, or pence for pounds?), and figures grown from it would "
            "overflow. Check it.")


def calendar_problem(text: str, is_year: bool) -> str | None:
    """A message when a year label or month lies outside FIRST_YEAR to LAST_YEAR, else None."""
    year = parse_year(text) if is_year else parse_month(text) // 12
    if FIRST_YEAR <= year <= LAST_YEAR:
        return None
    what = "year" if is_year else "month"
    return (f"{text} is outside the years the model accepts ({FIRST_YEAR} to {LAST_YEAR}): a typo? Give a "
            f"{what} in that range{'' if is_year else ', or null for never'}.")


def range_reason(spec: KeySpec) -> str:
    """', because …' when the key's range has a reason worth stating, else ''."""
    return f", because {spec.range_reason}" if spec.range_reason else ""


def number_fix(raw: object, spec: KeySpec, quoted: bool) -> str:
    """How to fix a value that should be a number: text that reads as one (``quoted``: it was
    written in quotes; else YAML took it for text, as it does ``4.5e4`` and ``40,000``)."""
    if not isinstance(raw, str):
        return "Write a number."
    text = raw.strip()
    try:
        number = float(text.rstrip("%").replace(",", "").replace("_", ""))
    except ValueError:
        return "Write a number."
    if text.endswith("%"):
        return f"Write it as a fraction: {number / 100:g}." if (spec.unit or "").startswith("fraction") \
            else f"Write {number:g}."
    if quoted:
        return f"Remove the quotes: write {_in_full(number)}."
    if "," in text:
        return f"YAML reads {text} as text, not a number: write it without commas, {_in_full(number)}."
    exponent = re.fullmatch(r"([-+]?)(\d*)\.?(\d*)[eE]([-+]?)(\d+)", text)
    if exponent:
        sign, whole, fraction, power_sign, power = exponent.groups()
        yaml_form = f"{sign}{whole or '0'}.{fraction or '0'}e{power_sign or '+'}{power}"
        return (f"YAML reads {text} as text, not a number: write {yaml_form} (YAML needs a point and a sign in "
                f"the exponent) or {_in_full(number)}.")
    return f"Write {_in_full(number)}."


def _in_full(number: float) -> str:
    """A number written out as a person would type it: 45000, not 4.5e+04."""
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def unit_key(unit: object) -> str:
    """A unit compared loosely: case and repeated spaces ignored."""
    return " ".join(str(unit).lower().split()) if unit is not None else ""


def unit_message(given: object, spec: KeySpec | None) -> str:
    """The message for a ``unit`` that differs from the schema's."""
    if spec is None or spec.unit is None:
        return f"this key has no unit, got unit {shown(given)}. Remove unit."
    return (f"unit {shown(given)} is not this key's unit '{spec.unit}'. Give the value in {spec.unit} "
            f"with unit: {spec.unit}, or leave unit out.")


def shown(raw: object) -> str:
    """A value as an error message shows it."""
    if raw is None:
        return "null"
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, str):
        return f"'{shorten(raw)}'"
    if isinstance(raw, float) and not math.isfinite(raw):
        return ".nan" if math.isnan(raw) else ("-.inf" if raw < 0 else ".inf")
    if isinstance(raw, (int, float)):
        return shorten(f"{raw}")
    if isinstance(raw, dict):
        return "a mapping"
    if isinstance(raw, list):
        return "a list"
    if isinstance(raw, date):
        return f"the date {raw.isoformat()}"
    return type(raw).__name__


def listed(words: tuple[str, ...]) -> str:
    """'a, b and c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


