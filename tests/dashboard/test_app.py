"""Creating the Dash app (dashboard/app.py)."""

from __future__ import annotations

import pytest

import dashboard.app as app_module
from dashboard.app import MAX_REQUEST_BYTES, create_app
from dashboard.controls import CONTROLS


def test_app_serves_the_page_with_every_control(store):
    from dashboard.app import create_app

    app = create_app(store=store)
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    page = client.get("/_dash-layout").get_data(as_text=True)
    for control in CONTROLS:
        assert f'"key":"{control.key}"' in page.replace(" ", "")


def test_the_page_loads_regenerator_runtime_before_the_components_and_not_babels_polyfill(store):
    """dashboard.app.Page: Dash's script tags but the polyfill's; the runtime the components need
    comes first (a page without it draws nothing: tests/browser check the page in Chromium)."""
    import re

    index = create_app(store=store).server.test_client().get("/").get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', index)
    assert not [s for s in scripts if "polyfill" in s]
    runtime = next(n for n, s in enumerate(scripts) if "/assets/regenerator-runtime.js" in s)
    components = next(n for n, s in enumerate(scripts) if "dash_core_components" in s)
    assert 0 < runtime < components and any("react@" in s for s in scripts[:runtime])
    assert app_module.POLYFILL.sub("", '<script src="/x/deps/polyfill@7.v4.12.1.min.js"></script>\n<b>') == "<b>"


def test_requests_are_limited_and_the_module_makes_nothing_on_import(store):
    app = create_app(store=store)
    assert app.server.config["MAX_CONTENT_LENGTH"] == MAX_REQUEST_BYTES == 4 * 1024 * 1024
    assert app.title == "ICB running costs"
    response = app.server.test_client().post("/_dash-update-component", data=b"x" * (MAX_REQUEST_BYTES + 1),
                                             content_type="application/json")
    assert response.status_code == 413
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        app_module.nothing  # noqa: B018
    assert "app" not in app_module._made  # app and server are made on first use only


def test_scripts_and_answers_are_compressed_and_only_the_finance_plotly_is_sent(store):
    """The page loads plotly.js's finance bundle from assets (so dcc.Graph never fetches the full
    one), of the major and minor version plotly.py draws for; scripts and callback answers go out
    compressed."""
    import re

    from plotly.offline import get_plotlyjs_version

    client = create_app(store=store).server.test_client()
    page = client.get("/").get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', page)
    bundles = [s for s in scripts if "plotly" in s]
    assert len(bundles) == 1 and "/assets/plotly-finance.min.js" in bundles[0], bundles
    bundle = client.get(bundles[0].split("?")[0])
    header = bundle.get_data(as_text=True)[:200]
    minor = ".".join(get_plotlyjs_version().split(".")[:2])
    assert re.search(rf"finance - minified\) v{re.escape(minor)}\.\d+", header), header
    chromium = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # what Chromium sends
    packed = client.get(bundles[0].split("?")[0], headers=chromium)
    assert packed.headers.get("Content-Encoding") in ("br", "zstd", "gzip")
    assert len(packed.get_data()) < len(bundle.get_data()) / 2
    layout = client.get("/_dash-layout", headers=chromium)
    assert layout.headers.get("Content-Encoding") in ("br", "zstd", "gzip")


def test_every_chart_uses_only_traces_the_bundle_holds(store):
    """A trace type outside the page's plotly.js bundle would draw nothing in the browser."""
    from dashboard.app import PLOTLY_TRACES
    from dashboard.controls import CUSTOM
    from dashboard.render import FIGURES, render
    from dashboard.urlstate import View
    from tests.dashboard.shared import settings_for

    view = View("base", "QYG", "2026/27", ("base", "envelope_2025", CUSTOM), settings_for(store, "base", {}))
    shown = render(store, view)
    used = {trace.get("type", "scatter") for name in FIGURES for trace in shown.figures[name]["data"]}
    assert "waterfall" in used and used <= PLOTLY_TRACES, used - PLOTLY_TRACES


def test_settling_takes_what_start_up_made_out_of_the_collectors_sight(store, monkeypatch):
    """dashboard.app.settle: the server's long-lived objects are frozen (gc.freeze), so a full
    collection during a request no longer scans them, and full collections come 10 times rarer;
    gunicorn's `server` is settled when made."""
    import gc

    thresholds = gc.get_threshold()
    made = []
    monkeypatch.setattr(app_module, "create_app", lambda: made.append(create_app(store=store)) or made[-1])
    monkeypatch.setattr(app_module, "_made", {})
    try:
        before = gc.get_freeze_count()
        assert app_module.server is made[0].server
        assert gc.get_freeze_count() > before and gc.get_count()[2] == 0
        assert gc.get_threshold() == (app_module.YOUNG_COLLECTION_AFTER, thresholds[1],
                                      app_module.FULL_COLLECTION_AFTER) != thresholds
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
