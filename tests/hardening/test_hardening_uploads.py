"""Dashboard uploads and binding (issue 5).

An uploaded scenario file is limited in size, read only by the safe YAML loader, validated
exactly as the command line validates it, and cannot make the server read any file outside the
upload's own private folder (``extends`` and ``icbs.table`` paths); scenarios named ``base`` or by
name are allowed. Hostile uploads (the fuzzer's documents) end in messages, never an exception.
The dashboard binds to 127.0.0.1 unless told otherwise, and says where it listens when it starts.

These tests drive :class:`dashboard.store.ScenarioStore` and the upload decoding the callback
uses, and the Flask server behind the Dash app for the request-size limit.
"""

from __future__ import annotations

import base64
import contextlib
import io
import os
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("dash")

from dashboard import store as dash_store
from dashboard import urlstate
from dashboard.store import UPLOAD_MAX_BYTES, ScenarioStore
from dashboard.transfers import decode_upload
from model.scenario import check_files
from model.scenario.files import is_path
from tests.hardening.test_hardening_fuzz import (
    ISSUE_LINE,
    junk_bytes,
    mutated_scenarios,
    random_documents,
    text_attacks,
)
from tests.project_copy import copy_project

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
TIME_LIMIT = float(os.environ.get("FUZZ_TIME_LIMIT", "5.0"))  # as tests/hardening/test_hardening_fuzz.py
TOKEN = "SECRET-TOKEN-7f3a"
UPLOAD_FUZZ = settings(max_examples=max(20, EXAMPLES // 2), deadline=None,
                       suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                              HealthCheck.large_base_example, HealthCheck.filter_too_much])


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project, with a secret file beside it that no upload may read."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    (root / "data" / "secret.csv").write_text(f"code,name,region,population\n{TOKEN},A,London,100\n")
    (root / "secret.yaml").write_text(f"extends: base\nname: {TOKEN}\n")
    return root


@pytest.fixture(scope="module")
def store(project: Path) -> ScenarioStore:
    return ScenarioStore(project)


def upload(store: ScenarioStore, text: str | bytes, filename: str = "mine.yaml") -> tuple[object, list[str]]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    started = time.process_time()
    result = store.upload(filename, raw)
    assert time.process_time() - started < TIME_LIMIT  # CPU seconds: the work one upload can cause
    return result.loaded, list(result.messages)


def data_url(raw: bytes) -> str:
    return "data:application/x-yaml;base64," + base64.b64encode(raw).decode("ascii")


# ---------------------------------------------------------------------------------------------
# Size limit


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(store: ScenarioStore) -> None:
    raw = b"extends: base\n" + b"# padding\n" * (UPLOAD_MAX_BYTES // 10 + 1)
    decoded = decode_upload(data_url(raw))
    assert isinstance(decoded, str) and "over the limit" in decoded  # refused before decoding
    loaded, messages = upload(store, raw)
    assert loaded is None and "over the limit of 262,144" in messages[0]


def test_the_server_refuses_requests_far_over_the_limit(store: ScenarioStore) -> None:
    from dashboard.app import MAX_REQUEST_BYTES, create_app

    client = create_app(store=store).server.test_client()
    body = b"{" + b" " * (MAX_REQUEST_BYTES + 1) + b"}"
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 413


@pytest.mark.parametrize("contents", [None, "", "no comma", "data:;base64,!!!not base64!!!", "data:x,YQ", 42])
def test_broken_upload_encodings_are_messages(contents: object) -> None:
    decoded = decode_upload(contents)
    assert isinstance(decoded, (str, bytes))


# ---------------------------------------------------------------------------------------------
# Safe loading: nothing in a file runs


def test_python_tags_in_an_upload_are_refused_and_never_run(store: ScenarioStore, tmp_path: Path) -> None:
    sentinel = tmp_path / "PWNED"
    for payload in (f"!!python/object/apply:os.system ['touch {sentinel}']",
                    f"!!python/object/new:subprocess.Popen [[touch, '{sentinel}']]",
                    f"!!python/object/apply:builtins.open ['{sentinel}', 'w']"):
        loaded, messages = upload(store, f"extends: base\nname: x\ndescription: {payload}\n")
        assert loaded is None and any("is not allowed" in m for m in messages), messages
    assert not sentinel.exists()


def test_an_alias_bomb_upload_ends_quickly_in_a_message(store: ScenarioStore) -> None:
    bomb = "extends: base\n" + "\n".join(
        [f"l0: &l0 [{', '.join(['lol'] * 9)}]"]
        + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)])
    loaded, messages = upload(store, bomb + "\n")
    assert loaded is None and "100,000 values" in messages[0]


# ---------------------------------------------------------------------------------------------
# Confinement: paths in an upload stay in the upload's folder


@pytest.mark.parametrize("text", [
    "extends: ../secret.yaml\n",
    "extends: {root}/secret.yaml\n",
    "extends: {root}/scenarios/high_pay.yaml\n",
    "extends: /etc/passwd\n",
    "extends: ../../../../../../etc/passwd\n",
    "extends: ~/.bashrc\n",
    "extends: /dev/zero\n",
    "extends: base\nicbs:\n  table: {root}/data/secret.csv\n",
    "extends: base\nicbs:\n  table: ../data/secret.csv\n",
    "extends: base\nicbs:\n  table: /etc/passwd\n",
    "extends: base\nicbs:\n  table: /dev/zero\n",
    "extends: base\nicbs:\n  table: /proc/self/environ\n",
    'extends: base\nicbs:\n  table: "data\\0.csv"\n',
])
def test_an_upload_cannot_read_files_outside_its_folder(store: ScenarioStore, project: Path, text: str) -> None:
    loaded, messages = upload(store, text.replace("{root}", str(project)))
    assert loaded is None, messages
    shown = "\n".join(messages)
    assert TOKEN not in shown and "root:" not in shown  # nothing of the files leaks into messages
    assert str(project) not in shown  # no server path is shown either
    assert "cannot name files" in shown, shown


def test_an_upload_may_extend_shipped_scenarios_by_name(store: ScenarioStore) -> None:
    loaded, messages = upload(store, "extends: envelope_2025\nname: my_envelope\nworkforce:\n  turnover_rate: 0.12\n")
    assert loaded is not None, messages
    assert loaded.name == "my_envelope" and "valid" in messages[0]
    assert loaded.scenario.value("workforce.turnover_rate") == 0.12


# ---------------------------------------------------------------------------------------------
# The same validation as the command line


def _triples(messages: list[str]) -> list[tuple[str, str, str]]:
    """(line, key path, message) of each issue line, the file name left out."""
    out = []
    for line in messages:
        match = ISSUE_LINE.match(line)
        assert match, line
        out.append((match["line"] or "", match["path"] or "", match["message"]))
    return sorted(out)


def _same_as_the_command_line(store: ScenarioStore, project: Path, raw: bytes) -> None:
    path = project / "compare_me.yaml"
    path.write_bytes(raw)
    cli = [str(issue) for issue in check_files([path], project)]
    loaded, messages = upload(store, raw, "compare_me.yaml")
    if not cli:
        assert loaded is not None or "like a scenario the page already shows" in messages[0], messages
        return
    assert loaded is None
    assert all(m.startswith("compare_me.yaml") or m.startswith("assumptions.yaml") or m.startswith("scenarios/")
               for m in messages), messages
    assert _triples(messages) == _triples(cli)


@pytest.mark.parametrize("fixture", sorted(p.name for p in (ROOT / "tests" / "fixtures" / "invalid").glob("*.yaml")
                                           if p.name not in ("bad_table.yaml", "cycle_a.yaml", "cycle_b.yaml",
                                                             "missing_extends.yaml", "base_missing_key.yaml")))
def test_invalid_fixture_uploads_get_the_command_lines_messages(store: ScenarioStore, project: Path,
                                                               fixture: str) -> None:
    _same_as_the_command_line(store, project, (ROOT / "tests" / "fixtures" / "invalid" / fixture).read_bytes())


@st.composite
def scenario_uploads(draw) -> bytes:
    """Mutated shipped scenarios that reach other files only by name (so the CLI and an upload see
    the same files)."""
    raw = draw(mutated_scenarios())[1]
    text = raw.decode("utf-8")
    extends = text.split("extends:", 1)[1].split("\n", 1)[0].strip().strip("'\"") if "extends:" in text else ""
    if not extends or "table:" in text or is_path(extends):
        return b"extends: base\nname: replaced\nworkforce: {turnover_rate: 2}\n"
    return raw


@UPLOAD_FUZZ
@given(raw=scenario_uploads())
def test_uploads_are_validated_exactly_as_the_command_line_validates(store: ScenarioStore, project: Path,
                                                                     raw: bytes) -> None:
    _same_as_the_command_line(store, project, raw)


# ---------------------------------------------------------------------------------------------
# Hostile uploads never raise


@UPLOAD_FUZZ
@given(raw=st.one_of(junk_bytes(), random_documents(), text_attacks(Path("/nonexistent"))))
def test_hostile_uploads_end_in_messages(store: ScenarioStore, raw: bytes) -> None:
    loaded, messages = upload(store, raw, "hostile.yaml")
    assert messages and all(m.isprintable() for m in messages)
    if loaded is None:
        assert all(" | " in m for m in messages), messages


@UPLOAD_FUZZ
@given(name=st.text(max_size=80))
def test_any_filename_is_made_safe(store: ScenarioStore, name: str) -> None:
    shown = dash_store.safe_filename(name)
    assert shown.endswith(".yaml") and "/" not in shown and "\\" not in shown and not shown.startswith(".")
    loaded, messages = upload(store, "extends: base\nname: 5\n", name)
    assert loaded is None and messages[0].startswith(shown)


# ---------------------------------------------------------------------------------------------
# Binding: 127.0.0.1 by default, and said at start-up


def test_the_dashboard_binds_to_loopback_by_default_and_says_so(monkeypatch) -> None:
    import dashboard.app as app_module
    from model.cli import build_parser

    args = build_parser().parse_args(["dashboard"])
    assert args.host == "127.0.0.1" and args.port == 8050

    served = {}

    class FakeApp:
        def run(self, host: str, port: int, debug: bool) -> None:
            served.update(host=host, port=port, debug=debug)

    monkeypatch.setattr(app_module, "create_app", lambda root=None: FakeApp())
    for host, warned in (("127.0.0.1", False), ("0.0.0.0", True)):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            app_module.serve(host=host, port=8123)
        said = out.getvalue()
        assert served == {"host": host, "port": 8123, "debug": False}
        assert f"http://{host}:8123/" in said
        assert ("reachable from other machines" in said) == warned


# ---------------------------------------------------------------------------------------------
# The load script (benchmarks/load_dashboard.py) sends the requests a browser would


def _load_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("load_dashboard", ROOT / "benchmarks" / "load_dashboard.py")
    module = importlib.util.module_from_spec(spec)
    __import__("sys").modules.setdefault("load_dashboard", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_load_script_moves_the_dashboards_sliders(store: ScenarioStore) -> None:
    """Its requests, built from the live layout and dependencies, are the ones the page's main
    callback answers, and each slider move shows up in that slider's readout."""
    import json
    import random

    from dashboard.app import create_app

    load = _load_script()
    client = create_app(store=store).server.test_client()
    components: dict = {}
    load.walk_layout(client.get("/_dash-layout").get_json(), components)
    callback = load.main_callback(client.get("/_dash-dependencies").get_json(), components)
    assert len(callback.sliders()) >= 10
    first = client.post("/_dash-update-component", data=callback.body({}, []), content_type="application/json")
    assert first.status_code == 200
    rng = random.Random(3)
    for slider in rng.sample(callback.sliders(), 4):
        prop = f"{load.stringify_id(slider['id'])}.value"
        value = load.slider_value(slider, rng)
        assert slider["props"]["min"] <= value <= slider["props"]["max"]
        response = client.post("/_dash-update-component", data=callback.body({prop: value}, [prop]),
                               content_type="application/json")
        assert response.status_code == 200
        readout = response.get_json()["response"][json.dumps({"key": slider["id"]["key"], "type": "readout"},
                                                             separators=(",", ":"))]["children"]
        assert f"{abs(value):g}" in readout.replace(",", ""), (slider["id"], value, readout)


def test_the_load_script_runs_against_its_tiny_app_under_gunicorn() -> None:
    """End to end, bounded: gunicorn on loopback, 4 users for 2 seconds, then stopped."""
    if not (Path(__import__("sys").executable).with_name("gunicorn")).exists() and shutil.which("gunicorn") is None:
        pytest.skip("gunicorn is not installed")
    load = _load_script()
    started = time.perf_counter()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = load.main(["--target", "tiny", "--users", "4", "--seconds", "2", "--think", "0.05",
                            "--workers", "2", "--json"])
    summary = __import__("json").loads(out.getvalue())
    assert status == 0 and summary["errors"] == 0 and summary["requests"] > 20, summary
    assert summary["sliders"] == 2
    assert time.perf_counter() - started < 60


def test_uploads_resent_by_a_browser_are_revalidated_at_most_once(store: ScenarioStore, monkeypatch) -> None:
    """A request carrying many bad upload texts validates at most four, and never the same key twice."""
    calls: list[str] = []
    real = store.upload

    def counting(filename, raw):
        calls.append(filename)
        return real(filename, raw)

    monkeypatch.setattr(store, "upload", counting)
    bad = [{"key": f"upload:bad{i}", "filename": f"bad{i}.yaml", "text": "extends: base\nnope: 1\n"} for i in range(16)]
    store.ensure_uploads(bad)
    assert len(calls) == urlstate.MAX_COMPARE
    store.ensure_uploads(bad)
    assert len(calls) == urlstate.MAX_COMPARE
