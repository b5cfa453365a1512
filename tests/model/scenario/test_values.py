"""Messages about single values (model/scenario/values.py): how a value is quoted and why a number,
year, month or unit is refused, with the fix."""

from __future__ import annotations

import datetime

import pytest

from model.scenario.values import (
    calendar_problem,
    limits_reason,
    listed,
    number_fix,
    range_reason,
    shown,
    unit_key,
    unit_message,
)
from model.schema import spec_for


@pytest.mark.parametrize(("raw", "text"), [
    (None, "null"), (True, "true"), (False, "false"), ("nominal", "'nominal'"), (float("nan"), ".nan"),
    (float("inf"), ".inf"), (float("-inf"), "-.inf"), (3, "3"), (0.25, "0.25"), ({"a": 1}, "a mapping"),
    ([1, 2], "a list"), (datetime.date(2023, 7, 1), "the date 2023-07-01"), (b"x", "bytes"),
])
def test_shown_quotes_a_value_as_a_message_shows_it(raw, text):
    assert shown(raw) == text


def test_shown_shortens_long_text():
    assert shown("x" * 100) == "'" + "x" * 60 + "… (100 characters)'"


def test_listed():
    assert listed(("low",)) == "low"
    assert listed(("low", "high")) == "low and high"
    assert listed(("low", "peak", "high")) == "low, peak and high"


def test_number_fix_says_how_to_write_a_number():
    share, salary = spec_for("baseline.pay_share"), spec_for("baseline.salary_per_wte_gbp")
    assert number_fix("75%", share, quoted=False) == "Write it as a fraction: 0.75."
    assert number_fix("75%", salary, quoted=True) == "Write 75."
    assert number_fix("40,000", salary, quoted=True) == "Remove the quotes: write 40000."
    assert number_fix("40,000", salary, quoted=False) == \
        "YAML reads 40,000 as text, not a number: write it without commas, 40000."
    assert number_fix("lots", share, quoted=False) == "Write a number."
    assert number_fix([0.75], share, quoted=False) == "Write a number."


@pytest.mark.parametrize(("text", "yaml_form", "full"), [
    ("4.5e4", "4.5e+4", "45000"), ("1e5", "1.0e+5", "100000"), ("-2E3", "-2.0e+3", "-2000"),
    ("1e-1", "1.0e-1", "0.1"), (".5e2", "0.5e+2", "50"), ("3.e1", "3.0e+1", "30"),
])
def test_a_number_yaml_reads_as_text_is_written_as_yaml_needs_it(text, yaml_form, full):
    """YAML 1.1 (PyYAML) reads a number in scientific notation as text unless it has a point and a
    signed exponent; the message gives the form YAML reads, which must really read as a number."""
    import yaml

    salary = spec_for("baseline.salary_per_wte_gbp")
    assert isinstance(yaml.safe_load(f"x: {text}")["x"], str)
    assert number_fix(text, salary, quoted=False) == (
        f"YAML reads {text} as text, not a number: write {yaml_form} (YAML needs a point and a sign in the "
        f"exponent) or {full}.")
    assert yaml.safe_load(f"x: {yaml_form}")["x"] == yaml.safe_load(f"x: {full}")["x"] == float(full)


def test_units_compare_loosely_and_a_wrong_one_says_which_is_right():
    assert unit_key("Fraction  per   Year") == "fraction per year" and unit_key(None) == ""
    share = spec_for("baseline.pay_share")
    assert unit_message("percent", share) == ("unit 'percent' is not this key's unit 'fraction'. Give the value in "
                                              "fraction with unit: fraction, or leave unit out.")
    assert unit_message("months", spec_for("running_cost_cut.basis")) == \
        "this key has no unit, got unit 'months'. Remove unit."
    assert unit_message("x", None) == "this key has no unit, got unit 'x'. Remove unit."


def test_calendar_problem_only_outside_the_years_the_model_accepts():
    assert calendar_problem("2025/26", True) is None and calendar_problem("1900-01", False) is None
    assert calendar_problem("2300/01", True) == ("2300/01 is outside the years the model accepts (1900 to 2199): a "
                                                 "typo? Give a year in that range.")
    assert calendar_problem("1800-01", False) == ("1800-01 is outside the years the model accepts (1900 to 2199): a "
                                                  "typo? Give a month in that range, or null for never.")


def test_limits_and_range_reasons():
    salary = spec_for("baseline.salary_per_wte_gbp")
    assert range_reason(salary) == ", because the model divides by the cost of a WTE"
    assert range_reason(spec_for("baseline.pay_share")) == ""
    assert limits_reason(0.5, salary) == ("So small a value is a slip (a misplaced decimal point?), because the model "
                                          "divides by the cost of a WTE, and figures divided by it would overflow. "
                                          "Check it.")
    assert limits_reason(1e12, salary).startswith("So large a value is a slip (extra zeros, or pence for pounds?)")
