"""The page's state in the URL (dashboard/urlstate.py)."""

from __future__ import annotations

from dashboard import callbacks, urlstate
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
