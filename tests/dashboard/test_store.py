"""The scenario store (dashboard/store.py): custom scenarios, their downloaded YAML, and uploads."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from dashboard import callbacks, chartdata
from dashboard import store as dash_store
from dashboard.columns import Columns
from dashboard.controls import CUSTOM
from dashboard.urlstate import View
from model.scenario import check_files
from tests.dashboard.shared import MOVES, NUMERIC, ROOT, engine_results, settings_for


@pytest.mark.parametrize("start", ["base", "envelope_2025", "spec_comm_2024", "instruction_2023"])
@pytest.mark.parametrize("moves", MOVES, ids=[",".join(m) for m in MOVES])
def test_downloaded_yaml_loads_and_reproduces_the_page_exactly(store, start, moves):
    settings = settings_for(store, start, moves)
    custom = store.custom(start, settings)
    text = store.custom_yaml(start, settings, "test")
    loaded = store.load_text(text, "custom.yaml")
    assert loaded.name == CUSTOM
    assert loaded.content_hash() == custom.content_hash
    again = engine_results(loaded, CUSTOM)
    pd.testing.assert_frame_equal(again[NUMERIC], custom.results[NUMERIC], check_exact=True)


def test_downloaded_yaml_writes_only_what_changed_with_dashboard_provenance(store):
    settings = settings_for(store, "base", {"workforce.turnover": 12, "dentistry.go_live_shift": 3})
    doc = yaml.safe_load(store.custom_yaml("base", settings, "test"))
    assert doc["extends"] == "base" and doc["name"] == CUSTOM
    assert set(doc) == {"name", "extends", "description", "workforce", "delegation"}
    turnover = doc["workforce"]["turnover_rate"]
    assert turnover["value"] == 0.12 and turnover["unit"] == "fraction per year"
    assert turnover["note"].startswith("set in the dashboard") and turnover["status"] == "assumption"
    go_live = doc["delegation"]["dentistry"]["go_live"]
    assert go_live["default"]["value"] == "2023-10"
    assert {r: e["value"] for r, e in go_live["by_region"].items()} == {"East of England": "2023-07",
                                                                        "North West": "2023-07"}


# Uploads: same messages as the command line, limited, confined, never executed


def test_a_bad_upload_gets_the_command_lines_messages(store, tmp_path):
    text = "name: mine\nextends: base\ninflation:\n  pay_awrd: 0.05\nworkforce:\n  turnover_rate: 15\n"
    result = store.upload("mine.yaml", text.encode())
    assert result.loaded is None
    (tmp_path / "mine.yaml").write_text(text)
    cli_issues = check_files([tmp_path / "mine.yaml"], ROOT)
    assert [m.split(" | ", 1)[1] for m in result.messages] == [i.message for i in cli_issues]
    assert result.messages[0].startswith("mine.yaml:4, inflation.pay_awrd | unknown key. Did you mean 'pay_award'?")


@pytest.mark.parametrize(("content", "expected"), [
    (b"name: x\nextends: ../../../etc/hosts.yaml\n", "cannot name files"),
    (b"name: x\nextends: base\nicbs:\n  table: /etc/passwd\n", "cannot name files"),
    (b"name: x\nextends: base\nhorizon: !!python/object/apply:os.system ['touch /tmp/pwned']\n", "is not allowed"),
    (b"\x00\x01\x02", "binary"),
    (b"#" * (dash_store.UPLOAD_MAX_BYTES + 1), "over the limit"),
    (b"name: base\nextends: base\n", "like a scenario the page already shows"),
    (b"name: unit\nextends: base\n", "like the column of units in the headline table"),
])
def test_uploads_are_refused_with_a_clear_message(store, content, expected):
    result = store.upload("x.yaml", content)
    assert result.loaded is None
    assert any(expected in m for m in result.messages), result.messages


def test_a_good_upload_joins_the_comparison(store):
    result = store.upload("../../my scenario!.yml",
                          b"name: mine\nextends: base\ninflation:\n  pay_award: {2025/26: 0.05}\n")
    assert result.loaded is not None and result.loaded.name == "mine"
    assert result.loaded.key in callbacks.offered_keys(store, [{"key": result.loaded.key, "name": "mine"}])
    assert dash_store.safe_filename("../../my scenario!.yml") == "my_scenario.yaml"



def test_distinct_uploads_do_not_grow_the_store_without_bound():
    """Uploads beyond the cache push out the oldest, and their engine runs go with them: memory
    stays bounded however many distinct files a client sends."""
    small = dash_store.ScenarioStore(ROOT, upload_cache=2)
    held = len(small._by_hash)
    for n in range(6):
        text = f"name: mine{n}\nextends: base\ninflation:\n  pay_award: {{2025/26: 0.0{n + 1}}}\n"
        assert small.upload(f"mine{n}.yaml", text.encode()).loaded is not None
    assert len(small.keys()) == len(small.shipped) + 1 + 2  # shipped, custom, the two newest uploads
    assert len(small._by_hash) <= len(dash_store.SHIPPED_ORDER) + 2
    assert len(small._by_hash) >= held  # the shipped scenarios' runs were kept until uploads came

@pytest.mark.parametrize(("name", "safe"), [
    ("my scenario.YAML", "my_scenario.yaml"), ("../../etc/passwd", "passwd.yaml"), (None, "uploaded.yaml"),
    ("...", "uploaded.yaml"), ("a" * 100 + ".yml", "a" * 60 + ".yaml"), ("ünïcode.yaml", "n_code.yaml"),
])
def test_safe_filename(name, safe):
    assert dash_store.safe_filename(name) == safe


def test_the_store_offers_the_shipped_scenarios_in_order_then_custom(store):
    keys = store.keys()
    assert keys[: len(dash_store.SHIPPED_ORDER)] == list(dash_store.SHIPPED_ORDER)
    assert CUSTOM in keys and store.get("no_such") is None
    assert store.get("base").name == "base" and set(store.starts()) == set(store.shipped)
    assert len(store.icbs) == 42 and store.labels[0] == "2022/23"
    assert store.shipped["base"].results["scenario_sha256"].iloc[0] == store.shipped["base"].scenario.content_hash()


def test_a_custom_run_is_cached_by_its_start_and_settings(store):
    settings = settings_for(store, "base", {"cut.further": 33})
    first = store.custom("base", settings)
    assert store.custom("base", dict(settings)) is first
    assert store.custom("base", settings_for(store, "base", {"cut.further": 34})) is not first


def test_results_on_any_footprint_of_a_scenarios_history(store):
    base = store.shipped["base"]
    assert base.results_on("2026") is base.results and base.results_on("2027") is None
    on_42 = base.results_on("2022")
    assert on_42 is base.results_on("2022") and on_42["icb_code"].nunique() == 43  # made once; England and 42
    england = [frame[frame["icb_code"] == "ENG"]["allowance_gbp"].to_numpy() for frame in (base.results, on_42)]
    assert (england[0] == england[1]).all()
    view = View("merger_2027", "X27SS", "2027/28", ("base", "merger_2027", CUSTOM), settings_for(store, "base", {}),
                "2027")
    _, names, _ = store.compared(view)
    assert names == ["merger_2027", CUSTOM] and store.lacking(view) == ["base"]
    assert store.footprint(View("base", "ENG", "2025/26", (), {})) == "2026"


def test_a_known_allowance_reproduces_through_the_downloaded_file(store):
    from dashboard.known import KnownFigure

    settings = settings_for(store, "base", {"cut.further": 10})
    known = (KnownFigure("S0E4D", "2026/27", 35_500_000.0),)
    custom = store.custom("base", settings, known)
    loaded = store.load_text(store.custom_yaml("base", settings, "test", known), "custom.yaml")
    assert loaded.content_hash() == custom.content_hash
    figure = loaded.published.of("S0E4D", "2026/27")
    assert figure is not None and figure.gbp == 35_500_000.0
    rows = custom.results.set_index(["icb_code", "year"])
    assert rows.loc[("S0E4D", "2026/27"), "allowance_gbp"] == 35_500_000.0
    assert rows.loc[("S0E4D", "2026/27"), "allowance_basis"] == "published"
    assert store.custom("base", settings, known) is custom and store.custom("base", settings) is not custom


def test_rows_select_a_place_and_a_year_once_and_as_the_table_holds_them(store):
    rows = store.shipped["base"].rows_on("2026")
    assert rows is store.shipped["base"].rows_on("2026") and rows.table is store.shipped["base"].results
    table = rows.table
    place = rows.place("S0E4D")
    assert place is rows.place("S0E4D")  # made once
    assert place.frame.equals(table[table["icb_code"] == "S0E4D"]) and len(place) == len(store.labels)
    years = place["year"]
    assert years is place["year"] and years.tolist() == list(store.labels)  # each column read once
    assert "allowance_gbp" in place and "nope" not in place
    in_year = rows.icbs_in("2025/26")
    expected = table[(table["year"] == "2025/26") & (table["icb_code"] != "ENG")]
    assert in_year.frame.equals(expected) and len(in_year) == 36
    assert (in_year["allowance_gbp"] == expected["allowance_gbp"].to_numpy()).all()
    assert len(rows.place("NOPE")) == 0
    spread = rows.spread("2025/26")
    assert spread is not None and spread == chartdata.spread(Columns(table), "base", "2025/26")
    assert spread is rows.spread("2025/26")
