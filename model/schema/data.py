"""Reading the schema's YAML files (keys.yaml, columns.yaml, units.yaml) that live beside this
module. They are part of the package, read once per process with PyYAML's safe loader."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load(name: str) -> dict[str, Any]:
    """The mapping in the schema file ``name`` (e.g. ``keys.yaml``)."""
    with open(HERE / name, encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_LOADER)  # noqa: S506 - the safe loader (CSafeLoader)
    if not isinstance(data, dict):
        raise ValueError(f"{HERE / name} must hold a mapping")
    return data
