"""The board briefing download: :func:`board_briefing` makes the paper of ``icb-model briefing``
(:mod:`model.output.briefing`) for the view on screen, as a plain function the callback in
:mod:`dashboard.transfers` and the tests call alike."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.controls import CUSTOM
from dashboard.store import Custom, ScenarioStore
from dashboard.urlstate import View
from model import __version__ as MODEL_VERSION
from model.scenario import Scenario

BRIEFING_BUTTONS = {"btn-briefing-pdf": "pdf", "btn-briefing-docx": "docx"}
"""The board briefing's buttons and the format each asks for."""


@dataclass(frozen=True)
class BriefingFile:
    """What a board briefing button gives: a note for the page ("" when the file is what was asked
    for) and the file (None when no briefing could be made)."""

    note: str
    data: bytes | None = None
    filename: str | None = None
    media_type: str | None = None


def board_briefing(store: ScenarioStore, view: View, kind: str = "pdf") -> BriefingFile:
    """The board briefing (``pdf`` or ``docx``) for the view's place and year and the compared
    scenarios, the first the reference and the custom one with the view's settings. Where the PDF
    cannot be made here, the Word file and a note saying why; where a scenario lacks the place or
    the year, a note and no file."""
    from model.output.briefing import MEDIA_TYPES, PdfUnavailable, SelectionError, build

    if kind not in BRIEFING_BUTTONS.values():
        raise ValueError(f"a briefing is pdf or docx, not {kind!r}")
    results, names, custom = store.compared(view)
    if not names:
        return BriefingFile("Tick at least one scenario to compare, then download the briefing.")
    try:
        briefing = build(results, briefing_scenarios(store, view, custom), place=view.icb, year=view.year,
                         base=store.shipped["base"].scenario)
    except SelectionError as error:
        return BriefingFile(f"The briefing could not be made: {error}.")
    note = ""
    try:
        data = briefing.pdf_bytes() if kind == "pdf" else briefing.docx_bytes()
    except PdfUnavailable as error:
        kind, data = "docx", briefing.docx_bytes()
        note = f"The PDF cannot be made on this server, so this is the Word file ({error})."
    return BriefingFile(note, data, briefing.filename(kind), MEDIA_TYPES[kind])


def briefing_scenarios(store: ScenarioStore, view: View, custom: Custom) -> list[Scenario]:
    """The compared scenarios for a briefing; the custom one as its downloaded file reads
    (``custom.yaml``, extending its start by name), so that the paper's "How to reproduce" names
    that file and not the start's."""
    scenarios = store.scenarios_for_export(view, custom)
    if CUSTOM not in view.compare:
        return scenarios
    as_file = store.load_text(store.custom_yaml(view.start, view.settings, MODEL_VERSION, view.known),
                              f"{CUSTOM}.yaml")
    return [as_file if s is custom.scenario else s for s in scenarios]
