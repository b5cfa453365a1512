"""Creating the Dash app (dashboard/app.py)."""

from __future__ import annotations

from dashboard.controls import CONTROLS


def test_app_serves_the_page_with_every_control(store):
    from dashboard.app import create_app

    app = create_app(store=store)
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    page = client.get("/_dash-layout").get_data(as_text=True)
    for control in CONTROLS:
        assert f'"key":"{control.key}"' in page.replace(" ", "")
