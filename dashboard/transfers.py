"""Files in and out of the page: the uploaded scenario files and the downloads (results as CSV
and Excel, the custom scenario as YAML, the board briefing).

What the downloads hold is made by :func:`results_csv`, :func:`results_xlsx`,
:meth:`~dashboard.store.ScenarioStore.custom_yaml` and
:func:`dashboard.briefing.board_briefing`, for the view the widgets show.
"""

from __future__ import annotations

import base64
import binascii
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard import layout
from dashboard.briefing import BRIEFING_BUTTONS, board_briefing
from dashboard.controls import CUSTOM
from dashboard.store import UPLOAD_MAX_BYTES, ScenarioStore
from dashboard.urlstate import MAX_COMPARE, UPLOAD_PREFIX, View
from model import __version__ as MODEL_VERSION
from model.output.results import rounded
from model.output.tables import csv_text

ViewOf = Callable[..., View]
"""Reads the view the widgets show from the downloads' state, in the order of their States."""


def results_csv(store: ScenarioStore, view: View) -> str:
    """The compared results as ``results.csv`` text (£ and fractions, rounded per column), the
    custom rows byte for byte what ``icb-model run`` writes for the downloaded scenario file, text a
    spreadsheet would run as a formula defused as there (:func:`model.output.tables.csv_text`)."""
    results, _, _ = store.compared(view)
    return csv_text(rounded(results))


def results_xlsx(store: ScenarioStore, view: View) -> bytes:
    """The compared results as ``results.xlsx`` (as ``icb-model run`` writes it), with an Assumptions
    sheet in which the custom scenario's values changed by the controls say "set in the dashboard"."""
    from model.output.export import write_xlsx

    results, _, custom = store.compared(view)
    with tempfile.TemporaryDirectory(prefix="icb-xlsx-") as folder:
        path = Path(folder) / "results.xlsx"
        write_xlsx(results, store.scenarios_for_export(view, custom), path)
        return path.read_bytes()


def decode_upload(contents: str) -> bytes | str:
    """The bytes of a dcc.Upload data URL, or a message when it cannot be read or is too large."""
    try:
        encoded = contents.split(",", 1)[1]
    except (AttributeError, IndexError):
        return "the upload could not be read. Try again."
    if len(encoded) * 3 // 4 > UPLOAD_MAX_BYTES + 3:
        size = len(encoded) * 3 // 4
        return f"the file is about {size:,} bytes, over the limit of {UPLOAD_MAX_BYTES:,}. Scenario files are small; " \
               "check it is the right file."
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return "the upload could not be read. Try again."


def register_uploads(app: Dash, store: ScenarioStore) -> None:
    """The compare options (uploads join them) and the upload callback."""

    @app.callback(
        Output("compare", "options"),
        Input("compare", "value"),
        Input("uploads", "data"),
        prevent_initial_call=True,  # the page is served with the options of its scenarios (layout.view_bar)
    )
    def compare_options(chosen, uploads):
        return layout.compare_options(store, uploads, chosen or [])

    @app.callback(
        Output("upload-messages", "children"),
        Output("uploads", "data"),
        Output("compare", "value", allow_duplicate=True),
        Output("upload", "contents"),
        Input("upload", "contents"),
        State("upload", "filename"),
        State("uploads", "data"),
        State("compare", "value"),
        prevent_initial_call=True,
    )
    def upload(contents, filename, uploads, chosen):
        if not contents:
            return no_update, no_update, no_update, no_update
        raw = decode_upload(contents)
        if isinstance(raw, str):
            messages, loaded = (f"{filename or 'the upload'} | {raw}",), None
        else:
            result = store.upload(filename, raw)
            messages, loaded = result.messages, result.loaded
        uploads = [u for u in uploads or [] if loaded is None or u["name"] != loaded.name]
        chosen = list(chosen or [])
        if loaded is not None:
            uploads.append({"key": loaded.key, "name": loaded.name, "filename": filename,
                            "text": raw.decode("utf-8-sig")})
            chosen = [k for k in chosen if not k.startswith(UPLOAD_PREFIX) or k in {u["key"] for u in uploads}]
            if loaded.key not in chosen and len(chosen) < MAX_COMPARE:
                chosen.append(loaded.key)
        ok = loaded is not None
        box = html.Div(className="upload-ok" if ok else "upload-error", role="alert", children=[
            html.P("Scenario file accepted." if ok else "The scenario file was not accepted:"),
            html.Ul([html.Li(html.Code(m)) for m in messages]),
        ])
        return box, uploads, chosen, None


def register_downloads(app: Dash, store: ScenarioStore, view_of: ViewOf) -> None:
    """The CSV, Excel, board briefing and scenario file downloads; ``view_of`` reads the view the
    widgets show from their state (``start, values, ids, icb, year, compare, uploads, footprint,
    search``)."""
    downloads_state = (
        State("start", "value"), State({"type": "control", "key": ALL}, "value"),
        State({"type": "control", "key": ALL}, "id"),
        State("icb", "value"), State("year", "value"), State("compare", "value"), State("uploads", "data"),
        State("footprint", "value"), State("url", "search"),
    )

    def guarded(make):
        """A download callback that answers with a message instead of failing."""
        def answer(_n, *state):
            try:
                return make(view_of(*state)), ""
            except Exception as error:  # the edge: say so on the page, never a server error
                app.logger.exception("download failed")
                return no_update, html.P(f"The file could not be made: {error}", className="note")
        return answer

    for output, button, make in (
        ("dl-csv", "btn-csv", lambda view: dcc.send_string(results_csv(store, view),
                                                          f"icb_results_{date.today().isoformat()}.csv")),
        ("dl-xlsx", "btn-xlsx", lambda view: dcc.send_bytes(results_xlsx(store, view),
                                                           f"icb_results_{date.today().isoformat()}.xlsx")),
        ("dl-yaml", "btn-yaml", lambda view: dcc.send_string(
            store.custom_yaml(view.start, view.settings, MODEL_VERSION, view.known, store.footprint(view)),
            f"{CUSTOM}.yaml")),
    ):
        app.callback(Output(output, "data"), Output("download-status", "children", allow_duplicate=True),
                     Input(button, "n_clicks"), *downloads_state, prevent_initial_call=True)(guarded(make))

    @app.callback(Output("dl-briefing", "data"), Output("briefing-status", "children"),
                  *[Input(button, "n_clicks") for button in BRIEFING_BUTTONS], *downloads_state,
                  running=[(Output(button, "disabled"), True, False) for button in BRIEFING_BUTTONS],
                  prevent_initial_call=True)
    def download_briefing(_pdf, _docx, start, values, ids, icb, year, compare, uploads, footprint, search):
        kind = BRIEFING_BUTTONS.get(ctx.triggered_id) if isinstance(ctx.triggered_id, str) else None
        if kind is None:
            return no_update, no_update
        view = view_of(start, values, ids, icb, year, compare, uploads, footprint, search)
        made = board_briefing(store, view, kind)
        status = html.P(made.note or f"Downloaded {made.filename}.", className="note" if made.note else "hint")
        sent = no_update if made.data is None else dcc.send_bytes(made.data, made.filename, type=made.media_type)
        return sent, status
