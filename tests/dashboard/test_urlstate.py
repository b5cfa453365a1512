"""The page's state in the URL (dashboard/urlstate.py)."""

from __future__ import annotations

from dashboard import callbacks, startpoint, urlstate
from dashboard.controls import CUSTOM
from dashboard.urlstate import View
from tests.dashboard.shared import MOVES, settings_for


def test_url_round_trip_and_bad_values_fall_back(store):
    starts, codes, years = store.starts(), list(store.icbs["code"]), list(store.labels)
    keys = callbacks.offered_keys(store, [])
    view = View("envelope_2025", "QHM", "2027/28", ("base", CUSTOM, "high_pay"),
                settings_for(store, "envelope_2025", MOVES[-1]))
    query = urlstate.to_query(view, starts["envelope_2025"])
    assert urlstate.parse_query(query, starts, codes, years, keys) == view
    assert urlstate.to_query(urlstate.parse_query("", starts, codes, years, keys), starts["base"]) == ""
    bad = urlstate.parse_query("?icb=XXX&year=1999/00&compare=nope&start=evil&cut.size=500&pay.shift=abc&x=1",
                            starts, codes, years, keys)
    assert (bad.icb, bad.year, bad.compare, bad.start) == ("ENG", "2025/26", urlstate.DEFAULT_COMPARE, "base")
    assert bad.settings["cut.size"] == 70 and bad.settings["pay.shift"] == 0


def test_defaults_of_the_page():
    assert urlstate.default_year(["2024/25", "2025/26", "2026/27"]) == "2025/26"
    assert urlstate.default_year(["2022/23", "2023/24"]) == "2023/24"  # the last when 2025/26 is not offered
    assert urlstate.default_compare(["base", "high_pay", CUSTOM]) == ("base", CUSTOM)
    assert urlstate.default_compare(["high_pay"]) == ("high_pay",)


def test_a_view_at_its_defaults_has_an_empty_query_and_uploads_stay_out_of_the_url(store):
    sp = store.shipped["base"].start
    plain = View("base", "ENG", "2025/26", urlstate.DEFAULT_COMPARE, startpoint.defaults(sp))
    assert urlstate.to_query(plain, sp) == ""
    moved = View("base", "QHM", "2025/26", ("base", "upload:0123456789ab", CUSTOM),
                 {**startpoint.defaults(sp), "cut.size": 45, "envelope.on": True})
    query = urlstate.to_query(moved, sp)
    assert query == "?icb=QHM&compare=base,custom&cut.size=45&envelope.on=1"


def test_at_most_four_scenarios_are_compared(store):
    starts, codes, years = store.starts(), list(store.icbs["code"]), list(store.labels)
    keys = callbacks.offered_keys(store, [])
    view = urlstate.parse_query("?compare=base,high_pay,envelope_2025,real_terms_30,spec_comm_2024,base",
                                starts, codes, years, keys)
    assert view.compare == ("base", "high_pay", "envelope_2025", "real_terms_30")
    assert urlstate.MAX_COMPARE == 4


def test_the_footprint_and_known_allowances_round_trip_and_a_place_keeps_to_its_footprint(store):
    from dashboard.known import KnownFigure

    starts, codes, years = store.starts(), list(store.places.by_code), list(store.labels)
    keys = callbacks.offered_keys(store, [])
    view = View("base", "S0E4D", "2027/28", ("base", CUSTOM), settings_for(store, "base", {"cut.further": 10}),
                "2026", (KnownFigure("S0E4D", "2026/27", 35.5e6),))
    query = urlstate.to_query(view, starts["base"], store.places.current)
    assert query == "?icb=S0E4D&year=2027/28&compare=base,custom&cut.further=10&known=S0E4D:2026/27:35500000"
    assert urlstate.parse_query(query, starts, codes, years, keys, store.places) == view
    former = urlstate.parse_query("?icb=QNQ", starts, codes, years, keys, store.places)
    assert former.footprint == "2022"  # Frimley is on the 42
    assert urlstate.to_query(former, starts["base"], store.places.current) == "?icb=QNQ&on=2022"
    odd = urlstate.parse_query("?icb=S0E4D&on=1999&known=S0E4D:2019/20:5", starts, codes, years, keys, store.places)
    assert odd.footprint == "2026" and odd.known == ()
    assert urlstate.parse_query("?" + "x" * 100_000, starts, codes, years, keys, store.places).icb == "ENG"
