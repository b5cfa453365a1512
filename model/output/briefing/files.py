"""Writing a briefing's folder: ``briefing.html``, ``briefing.pdf``, ``briefing.docx``, the place's
``results.csv`` and ``briefing_manifest.json`` last, each file atomically.

If the PDF cannot be made (WeasyPrint or pango missing) the other files are still written and
:attr:`Written.pdf_problem` says why.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from model import __version__
from model.output.atomic import Written, atomic_write, atomic_write_text

if TYPE_CHECKING:
    import pandas as pd

    from model.output.briefing import Briefing
    from model.scenario import Scenario

STEM = "briefing"
MANIFEST = "briefing_manifest.json"


@dataclass
class Folder:
    """What :func:`write` wrote, in order, and why the PDF was not written (None when it was)."""

    written: list[Written] = field(default_factory=list)
    pdf_problem: str | None = None


def briefing_hash(briefing: Briefing, scenarios: Sequence[Scenario]) -> str:
    """sha256 of what determines the briefing's figures: each scenario's content hash, the model
    version, the place and the year."""
    spec = {"scenarios": [[s.name, s.content_hash()] for s in scenarios], "model_version": __version__,
            "place": briefing.place, "year": briefing.year}
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()


def write(briefing: Briefing, results: pd.DataFrame, scenarios: Sequence[Scenario], out: Path,
          argv: Sequence[str] | None = None) -> Folder:
    """Write the briefing's folder ``out`` (created if missing)."""
    from model.output.briefing.pdf import PdfUnavailable
    from model.output.export import write_csv
    from model.output.manifest import manifest, write_manifest

    out = Path(out)
    folder = Folder()
    html = briefing.html()
    folder.written.append(atomic_write_text(out / f"{STEM}.html", html))
    try:
        pdf = briefing.pdf_bytes()
    except PdfUnavailable as error:
        folder.pdf_problem = str(error)
    else:
        folder.written.append(atomic_write(out / f"{STEM}.pdf", lambda tmp: tmp.write_bytes(pdf)))
    docx = briefing.docx_bytes()
    folder.written.append(atomic_write(out / f"{STEM}.docx", lambda tmp: tmp.write_bytes(docx)))
    names = [s.name for s in scenarios]
    rows = results[(results["icb_code"] == briefing.place) & results["scenario"].isin(names)]
    folder.written.append(write_csv(rows, out / "results.csv"))
    record = manifest(scenarios, folder.written, argv, place=briefing.place, year=briefing.year,
                      briefing_sha256=briefing_hash(briefing, scenarios), pdf_problem=folder.pdf_problem)
    folder.written.append(write_manifest(out / MANIFEST, record))
    return folder
