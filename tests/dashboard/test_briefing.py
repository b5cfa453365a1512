"""The board briefing download (dashboard/briefing.py): for the place, year and scenarios on
screen; the Word file with a note when no PDF can be made; a message instead of a failure; and the
callback over HTTP with whatever the page sends."""

from __future__ import annotations

import json

import pytest

from dashboard import briefing as dash_briefing
from dashboard.controls import CUSTOM
from dashboard.urlstate import View
from tests.briefing_text import file_text
from tests.dashboard.shared import settings_for

SHORT_HORIZON = "name: short_horizon\nextends: base\nhorizon:\n  end_year: \"2027/28\"\n"
"""An upload whose results stop before 2028/29."""


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_board_briefing_is_for_the_place_year_and_scenarios_on_screen(store, kind):
    """The briefing download: the ICB and year on screen, the compared scenarios with the custom
    one's settings, and "How to reproduce" naming the custom scenario's downloaded file."""
    from model.output.briefing import MEDIA_TYPES, pdf, wording

    # 2026/27: the first year after the published figures, where a deeper cut shows.
    view = View("base", "QOP", "2026/27", ("base", CUSTOM),
                settings_for(store, "base", {"cut.further": 15, "cut.further_year": "2026/27"}))
    made = dash_briefing.board_briefing(store, view, kind)
    given = kind if kind == "docx" or pdf.problem() is None else "docx"  # no PDF without pango: the Word file
    assert made.filename == f"briefing_QOP_2026-27.{given}" and (made.note == "") == (given == kind)
    assert made.data is not None and made.media_type == MEDIA_TYPES[given]
    text = file_text(made.data, given)
    assert "NHS Greater Manchester" in text and "2026/27" in text
    results, _, _ = store.compared(view)
    row = results[(results["icb_code"] == "QOP") & (results["year"] == "2026/27")].set_index("scenario")
    shown = {name: wording.cell(row.loc[name, "allowance_gbp"] / 1e6, "£m") for name in ("base", CUSTOM)}
    assert shown["base"] != shown[CUSTOM] and all(f" {cell} " in text for cell in shown.values())
    assert "icb-model briefing base custom.yaml --icb QOP --year 2026/27" in text


def test_board_briefing_gives_the_word_file_and_says_so_when_no_pdf_can_be_made(store, monkeypatch):
    from model.output.briefing import Briefing, PdfUnavailable

    def unavailable(self):
        raise PdfUnavailable("WeasyPrint is not installed (pip install weasyprint)")

    monkeypatch.setattr(Briefing, "pdf_bytes", unavailable)
    view = View("base", "ENG", "2025/26", ("base",), settings_for(store, "base", {}))
    made = dash_briefing.board_briefing(store, view)
    assert made.filename == "briefing_ENG_2025-26.docx" and made.data is not None
    assert "Word file" in made.note and "WeasyPrint is not installed" in made.note
    assert "Running costs: England, 2025/26" in file_text(made.data, "docx")


def test_board_briefing_says_what_is_missing_instead_of_failing(store):
    loaded = store.upload("short.yaml", SHORT_HORIZON.encode()).loaded
    assert loaded is not None
    settings = settings_for(store, "base", {})
    made = dash_briefing.board_briefing(store, View("base", "QOP", "2028/29", ("base", loaded.key), settings))
    assert made.data is None and made.filename is None
    assert made.note.startswith("The briefing could not be made: year '2028/29' is not in the results of every")
    one = store.upload("one.yaml", b"name: one_icb\nextends: base\nicbs:\n  include: [QOP]\n").loaded
    assert one is not None
    made = dash_briefing.board_briefing(store, View("base", "QHM", "2025/26", ("base", one.key), settings), "docx")
    assert made.data is None and made.note == ("The briefing could not be made: ICB 'QHM' is not in the results of "
                                               "one_icb; choose ENG or one of QOP.")
    none = dash_briefing.board_briefing(store, View("base", "QOP", "2025/26", (), settings), "docx")
    assert none.data is None and "Tick at least one scenario" in none.note
    with pytest.raises(ValueError, match="pdf or docx"):
        dash_briefing.board_briefing(store, View("base", "QOP", "2025/26", ("base",), settings), "html")


def test_the_briefing_button_validates_what_the_page_sends_and_never_fails(store):
    """The download callback, over HTTP as the page calls it: bad values fall back as for the other
    downloads, and a scenario lacking the year gives a message on the page (status 200)."""
    from dashboard.app import create_app
    from model.output.briefing import MEDIA_TYPES

    client = create_app(store=store).server.test_client()

    def click(icb: str, year: str, compare: list[str], uploads: list[dict]) -> dict:
        state = {"start": "nowhere", "icb": icb, "year": year, "compare": compare, "uploads": uploads}
        body = {
            "output": "..dl-briefing.data...briefing-status.children..",
            "outputs": [{"id": "dl-briefing", "property": "data"}, {"id": "briefing-status", "property": "children"}],
            "inputs": [{"id": "btn-briefing-pdf", "property": "n_clicks", "value": 1},
                       {"id": "btn-briefing-docx", "property": "n_clicks", "value": 0}],
            "changedPropIds": ["btn-briefing-pdf.n_clicks"],
            "state": [{"id": "start", "property": "value", "value": state["start"]}, [], [],
                      *({"id": key, "property": "data" if key == "uploads" else "value", "value": state[key]}
                        for key in ("icb", "year", "compare", "uploads")),
                      {"id": "footprint", "property": "value", "value": ["not", "a", "footprint"]},
                      {"id": "url", "property": "search", "value": "?known=S0E4D:2026/27:1e99,%3Cscript%3E"}],
        }
        answer = client.post("/_dash-update-component", json=body)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return answer.get_json()["response"]

    odd = click("<script>", "1999/00", ["base", "nonsense"], [{"key": 1}])
    sent = odd["dl-briefing"]["data"]
    stem, kind = sent["filename"].split(".")
    assert stem.startswith("briefing_ENG_") and sent["type"] == MEDIA_TYPES[kind]
    upload = {"key": store.upload("short.yaml", SHORT_HORIZON.encode()).loaded.key, "name": "short_horizon",
              "filename": "short.yaml", "text": SHORT_HORIZON}
    missing = click("QOP", "2028/29", ["base", upload["key"]], [upload])
    assert "dl-briefing" not in missing
    assert "year '2028/29' is not in the results" in json.dumps(missing["briefing-status"])

