"""Manifests: what made a folder of outputs, so any figure traces back to its inputs.

A manifest records the model version, the command, each scenario's files and content hash, a
hash of everything a command computed (``run_sha256``) and the size and sha256 of each file
written with it, as written. It is written last: a folder whose manifest matches its files was
written whole by one run.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from model import __version__
from model.output.atomic import Written, atomic_write_text

if TYPE_CHECKING:
    from model.scenario import Scenario


def manifest(scenarios: Sequence[Scenario], written: Sequence[Written] = (), argv: Sequence[str] | None = None,
             **extra: object) -> dict[str, object]:
    """What made these outputs: model version, time, command, each scenario's files and content
    hash, the files written (name, bytes, sha256) and any ``extra`` entries."""
    return {
        "model_version": __version__,
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": list(argv) if argv is not None else sys.argv,
        "scenarios": [
            {
                "name": s.name,
                "file": str(s.file),
                "extends_chain": [str(p) for p in s.chain],
                "content_sha256": s.content_hash(),
            }
            for s in scenarios
        ],
        "files": {item.path.name: item.record() for item in written},
        **extra,
    }


def write_manifest(path: Path, record: Mapping[str, object]) -> Written:
    """The manifest as indented JSON at ``path``."""
    return atomic_write_text(path, json.dumps(record, indent=2, default=str) + "\n")


def run_hash(scenario: Scenario, spec: Mapping[str, object]) -> str:
    """sha256 of the resolved scenario, the model version and what a command computed (``spec``)."""
    text = json.dumps({"scenario": scenario.content_hash(), "model_version": __version__, "spec": spec},
                      sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def traced(table: pd.DataFrame, scenario: Scenario, **more: str | float) -> pd.DataFrame:
    """``table`` with the columns that trace each row to its inputs, as results.csv has them."""
    return table.assign(**more, scenario_sha256=scenario.content_hash(), model_version=__version__)
