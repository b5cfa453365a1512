"""Allowances entered as known (dashboard/known.py): read, checked, kept and carried in the URL."""

from __future__ import annotations

import pytest

from dashboard import known
from dashboard.known import KnownFigure


@pytest.mark.parametrize(("typed", "gbp"), [
    ("35", 35_000_000.0), ("£39.47m", 39_470_000.0), (" 1,000 ", 1_000_000_000.0), (42.123456789, 42_123_456.79),
    ("", None), (None, None), ("  ", None),
])
def test_an_amount_is_read_in_pounds_millions(typed, gbp):
    assert known.parse_amount(typed) == gbp


@pytest.mark.parametrize(("typed", "message"), [
    ("35500000", "the box takes £m"), ("0.5", "less than any ICB's allowance"), ("-3", "more than £0"),
    ("abc", "'abc' is not a number"), ("nan", "more than £0"), ("1e400", "more than £0"), (True, "not an amount"),
    ({"x": 1}, "not an amount"), ("9" * 41, "too long"),
])
def test_an_amount_that_cannot_be_used_gets_a_message(typed, message):
    result = known.parse_amount(typed)
    assert isinstance(result, str) and message in result


def test_years_open_for_a_known_allowance(store):
    base, rules = store.shipped["base"].start, store.shipped["instruction_2023"].start
    assert known.open_years(base, "S0E4D") == ["2026/27", "2027/28", "2028/29", "2029/30", "2030/31"]
    assert known.open_years(base, "QNQ") == []  # ended in March 2026: every year it had is published
    assert known.open_years(base, "X27SS") == [] and known.open_years(rules, "S0E4D") == []
    merger = store.shipped["merger_2027"].start
    assert known.open_years(merger, "X27SS") == ["2027/28", "2028/29", "2029/30", "2030/31"]
    assert known.open_years(merger, "QOC") == ["2026/27"]


def test_typed_boxes_replace_the_places_figures_and_keep_the_last_good_ones(store):
    sp = store.shipped["base"].start
    before = (KnownFigure("QHM", "2026/27", 46e6), KnownFigure("S0E4D", "2026/27", 35e6))
    after, messages = known.typed(before, "S0E4D", {"2026/27": "36", "2027/28": "35500000", "2028/29": "",
                                                    "2022/23": "99", "junk": "1"}, sp)
    assert after == (KnownFigure("QHM", "2026/27", 46e6), KnownFigure("S0E4D", "2026/27", 36e6))
    assert len(messages) == 1 and messages[0].startswith("S0E4D 2027/28:") and "stays as it was (none)" in messages[0]
    kept, messages = known.typed(after, "S0E4D", {"2026/27": "oops"}, sp)
    assert kept == after and "(£36.00m)" in messages[0]
    cleared, _ = known.typed(after, "S0E4D", {"2026/27": ""}, sp)
    assert cleared == (KnownFigure("QHM", "2026/27", 46e6),)


def test_no_more_than_the_limit_is_kept(store, monkeypatch):
    monkeypatch.setattr(known, "MAX_FIGURES", 2)
    sp = store.shipped["base"].start
    figures, messages = known.typed((), "S0E4D", {"2026/27": "30", "2027/28": "31", "2028/29": "32"}, sp)
    assert len(figures) == 2 and "At most 2" in messages[-1]


def test_the_url_round_trips_and_refuses_what_it_cannot_use(store):
    sp = store.shipped["base"].start
    figures = (KnownFigure("QYG", "2027/28", 39_465_259.95), KnownFigure("S0E4D", "2026/27", 35e6))
    text = known.to_text(figures)
    assert text == "QYG:2027/28:39465259.95,S0E4D:2026/27:35000000"
    assert known.from_text(text, sp) == figures
    hostile = ("s0e4d:2026/27:35000000,S0E4D:2026/27:1,QNQ:2026/27:3e7,XX:2026/27:3e7,QHM:2025/26:3e7,"
               "QHM:2026/27:1e99,QHM:2026/27:nan,a:b,QHM:2027/28:40000000:extra")
    assert known.from_text(hostile, sp) == (KnownFigure("S0E4D", "2026/27", 35e6),)
    assert known.from_text(None, sp) == () and known.from_text(["x"], sp) == ()
    assert known.amount_text(35e6) == "35" and known.amount_text(39_465_259.95) == "39.46525995"
    assert known.for_place(figures, "QYG") == {"2027/28": 39_465_259.95}
