"""The places and footprints the page offers (dashboard/places.py)."""

from __future__ import annotations

from dashboard import places


def test_the_36_icbs_are_current_the_12_that_ended_former_and_the_planned_merger_later(store):
    found = store.places
    assert found.current == "2026" and list(found.footprints) == ["2022", "2026", "2027"]
    kinds = [p.kind for p in found.by_code.values()]
    assert (kinds.count(places.CURRENT), kinds.count(places.FORMER), kinds.count(places.LATER)) == (36, 12, 1)
    assert found.footprints["2022"].count == 42 and found.footprints["2027"].scenarios == ("merger_2027",)
    qhm, qnq = found.by_code["QHM"], found.by_code["QNQ"]
    assert qhm.footprints == ("2022", "2026", "2027") and qhm.formed == qhm.became == ""
    assert qnq.footprints == ("2022",) and (qnq.first, qnq.last) == ("2022/23", "2025/26")
    assert qnq.became.startswith("On 1 April 2026, NHS Frimley became part of S0E4D NHS Thames Valley (58.787% of it)")
    assert found.by_code["S0E4D"].formed.startswith("On 1 April 2026, NHS Thames Valley was formed from QU9")
    assert "grew: it was formed from QNQ NHS Frimley (22.906% of it)" in found.by_code["QRL"].formed
    assert found.by_code["QOC"].planned.startswith("In merger_2027: On 1 April 2027, NHS Shropshire")
    assert found.by_code["X27SS"].scenario == "merger_2027"


def test_a_place_is_shown_on_a_footprint_where_it_exists(store):
    found = store.places
    assert found.exists_on("ENG", "2027") and found.exists_on("QHM", "2022") and not found.exists_on("QNQ", "2026")
    assert found.footprint_for("QNQ", "2026") == "2022" and found.footprint_for("QHM", "2022") == "2022"
    assert found.footprint_for("X27SS", "2026") == "2027"
    assert places.place_on(found, "QHM", "2022") == ("QHM", "")
    code, note = places.place_on(found, "S0E4D", "2022")
    assert code == "QU9" and "which holds most of its people" in note  # QU9 is 2.03m of Thames Valley's 2.54m
    assert places.place_on(found, "QNQ", "2026")[0] == "S0E4D"  # 58.8% of Frimley went there
    assert places.place_on(found, "QOC", "2027")[0] == "X27SS"


def test_footprint_options_and_what_a_place_is(store):
    found = store.places
    assert [o["label"] for o in places.footprint_options(found)] == [
        "36 ICBs from April 2026", "42 ICBs to March 2026", "35 ICBs from April 2027 (merger_2027)"]
    assert places.what(found, found.by_code["S0E4D"]) == "one of the 36 ICBs from April 2026"
    assert places.what(found, found.by_code["QNQ"]) == "one of the 42 ICBs until March 2026"
    assert places.what(found, found.by_code["X27SS"]) == "an ICB from April 2027, in merger_2027 only"
    assert places.when(found.by_code["QNQ"]) == "until March 2026" and places.when(found.by_code["QHM"]) == ""
    assert places.short_name("NHS Cheshire and Merseyside Integrated Care Board") == "Cheshire and Merseyside"
    assert places.short_name("NHS " + "x" * 50, 12) == "x" * 10 + "…"


def test_the_charts_mark_the_year_the_organisations_changed(store):
    found = store.places
    assert places.change_marks(found, "ENG", {"2022", "2026"}) == [("2026/27", "36 ICBs from April 2026")]
    assert places.change_marks(found, "S0E4D", {"2022", "2026"}) == [("2026/27", "formed April 2026")]
    assert places.change_marks(found, "QRL", {"2022", "2026"}) == [("2026/27", "grew April 2026")]
    assert places.change_marks(found, "QNQ", {"2022", "2026"})[0][1].startswith("became part of others April 2026")
    assert places.change_marks(found, "ENG", {"2022", "2026", "2027"})[1] == (
        "2027/28", "35 ICBs from April 2027 (merger_2027)")
    assert places.change_marks(found, "ENG", {"2022"}) == []  # rules-only starts without changes: none
