"""Manifests (model/output/manifest.py): what made a folder of outputs, each file with the sha256 of
the bytes written, and the hashes that trace a figure to its inputs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pandas as pd
import pytest

from model import __version__
from model.output.atomic import Written, atomic_write_text
from model.output.manifest import manifest, run_hash, traced, write_manifest
from model.scenario import load_scenario
from tests.fixtures import PROJECT


@pytest.fixture(scope="module")
def scenarios():
    return [load_scenario("base", PROJECT), load_scenario("deeper_cut", PROJECT)]


def test_manifest_records_the_version_command_scenarios_and_files(tmp_path, scenarios):
    written = atomic_write_text(tmp_path / "results.csv", "a,b\n1,2\n")
    record = manifest(scenarios, [written], argv=["icb-model", "run", "base"], seed=4)
    assert record["model_version"] == __version__
    assert record["command"] == ["icb-model", "run", "base"]
    assert dt.datetime.fromisoformat(str(record["created_utc"])).tzinfo is not None
    base, deeper = record["scenarios"]
    assert base == {"name": "base", "file": str(scenarios[0].file), "extends_chain": [str(scenarios[0].chain[0])],
                    "content_sha256": scenarios[0].content_hash()}
    assert deeper["name"] == "Deeper cut" and [p.rsplit("/", 1)[1] for p in deeper["extends_chain"]] == [
        "assumptions.yaml", "deeper_cut.yaml"]
    assert record["files"] == {"results.csv": {"bytes": 8, "sha256": hashlib.sha256(b"a,b\n1,2\n").hexdigest()}}
    assert record["seed"] == 4


def test_write_manifest_is_indented_json_and_returns_what_it_wrote(tmp_path, scenarios):
    written = write_manifest(tmp_path / "manifest.json", manifest(scenarios[:1], argv=["x"]))
    text = (tmp_path / "manifest.json").read_text(encoding="utf-8")
    assert text.endswith("}\n") and text.startswith('{\n  "model_version"')
    assert json.loads(text)["scenarios"][0]["name"] == "base"
    assert isinstance(written, Written) and written.sha256 == hashlib.sha256(text.encode()).hexdigest()


def test_run_hash_depends_on_the_scenario_and_what_was_computed(scenarios):
    base, deeper = scenarios
    spec = {"command": "sensitivity", "metric": "wte_gap", "year": "2025/26"}
    digest = run_hash(base, spec)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert run_hash(base, dict(reversed(spec.items()))) == digest  # key order does not matter
    assert run_hash(base, {**spec, "year": "2024/25"}) != digest
    assert run_hash(deeper, spec) != digest


def test_traced_adds_the_columns_that_trace_each_row(scenarios):
    table = pd.DataFrame({"parameter": ["a", "b"], "swing": [1.0, 2.0]})
    out = traced(table, scenarios[0], seed=7)
    assert list(out.columns) == ["parameter", "swing", "seed", "scenario_sha256", "model_version"]
    assert set(out["scenario_sha256"]) == {scenarios[0].content_hash()} and set(out["model_version"]) == {__version__}
    assert list(table.columns) == ["parameter", "swing"]  # the table given is untouched
