"""Reading the schema's YAML files (model/schema/data.py): once per process, and always a mapping."""

from __future__ import annotations

import pytest

from model.schema import data


def test_each_file_is_a_mapping_read_once():
    keys = data.load("keys.yaml")
    assert {"functions", "keys"} <= set(keys)
    assert data.load("keys.yaml") is keys  # cached: the same object
    assert set(data.load("columns.yaml")) == {"columns"} and set(data.load("units.yaml")) == {"units"}
    assert data.HERE.name == "schema" and (data.HERE / "keys.yaml").is_file()


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path, monkeypatch):
    (tmp_path / "list_only.yaml").write_text("- a\n- b\n")
    monkeypatch.setattr(data, "HERE", tmp_path)
    with pytest.raises(ValueError, match=r"list_only\.yaml must hold a mapping"):
        data.load("list_only.yaml")
