"""The board briefing: the paper an ICB finance lead writes for the board, made from the results.

What the allowance is, what it pays for, the gap, the options and what they cost, and on what
assumptions, as one self-contained HTML page (print-ready on A4), a tagged PDF and a Word
document, all saying the same:

    from model.output.briefing import build

    briefing = build(results, scenarios, place="QOP", year="2026/27")
    briefing.html()        # str: one file, fonts, CSS and charts inline
    briefing.pdf_bytes()   # bytes; raises PdfUnavailable where WeasyPrint cannot run
    briefing.docx_bytes()  # bytes

``results`` is the SPEC section 6 table of the scenarios (``scenario_results`` of each,
concatenated; other rows are ignored) and ``scenarios`` the resolved scenarios, the first the
reference. The modules: ``wording`` (the sentence templates), ``content`` (what the paper says),
``changes`` (what a scenario changes from the base), ``charts`` (matplotlib), ``fonts``,
``style``, ``html``, ``pdf``, ``word`` (DOCX) and ``files`` (writing a folder).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from model.output.briefing.content import Document, compose
from model.output.briefing.pdf import PdfUnavailable
from model.output.compare import SelectionError

if TYPE_CHECKING:
    import pandas as pd

    from model.scenario import Scenario

__all__ = ["MEDIA_TYPES", "Briefing", "Document", "PdfUnavailable", "SelectionError", "build"]

MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
"""The media type of each format, for a download."""


class Briefing:
    """A composed briefing and its three renderings (each made once, on first use)."""

    def __init__(self, document: Document) -> None:
        self.document = document

    @property
    def place(self) -> str:
        """The ICB code, or ENG."""
        return self.document.place_code

    @property
    def year(self) -> str:
        return self.document.year

    @property
    def messages(self) -> list[str]:
        """The key messages, as text."""
        return [m.text for m in self.document.messages]

    def filename(self, extension: str) -> str:
        """A download name: ``briefing_QOP_2026-27.pdf``."""
        return f"briefing_{self.place}_{self.year.replace('/', '-')}.{extension}"

    @cached_property
    def _html(self) -> str:
        from model.output.briefing import html

        return html.render(self.document)

    def html(self) -> str:
        """One self-contained HTML file: fonts, CSS and charts inline; print-ready on A4."""
        return self._html

    @cached_property
    def _pdf(self) -> bytes:
        from model.output.briefing import pdf

        return pdf.render(self.html())

    def pdf_bytes(self) -> bytes:
        """A tagged (PDF/UA-1) A4 PDF printed from the HTML; raises PdfUnavailable where
        WeasyPrint or pango is missing."""
        return self._pdf

    @cached_property
    def _docx(self) -> bytes:
        from model.output.briefing import word

        return word.render(self.document)

    def docx_bytes(self) -> bytes:
        """A Word document: heading styles, tables with header rows, charts with alt text."""
        return self._docx


def build(results: pd.DataFrame, scenarios: Sequence[Scenario], place: str = "ENG", year: str | None = None, *,
          base: Scenario | None = None, created: date | None = None, command: str | None = None) -> Briefing:
    """The briefing for ``place`` (ICB code or ENG) and ``year`` (default 2026/27 if every
    scenario has it, else the last year they share).

    ``base`` is what "what each scenario changes" compares with; by default the project's base
    scenario (``assumptions.yaml`` in the first scenario's project folder). ``created`` is the
    date on the paper (default today); ``command`` the command shown under "How to reproduce"
    (default: the ``icb-model briefing`` command for these scenarios, place and year).
    Raises SelectionError when the place or year is not in the results of every scenario.
    """
    if base is None and scenarios:
        base = _project_base(scenarios)
    return Briefing(compose(results, scenarios, place, year, base=base, created=created, command=command))


def _project_base(scenarios: Sequence[Scenario]) -> Scenario | None:
    """The base scenario of the first scenario's project (one of ``scenarios`` when it is among
    them), or None when it cannot be read."""
    from pathlib import Path

    from model.scenario import BASE_FILE, ScenarioError, load_scenario

    root = Path(scenarios[0].root)
    for scenario in scenarios:
        if len(scenario.chain) == 1 and Path(scenario.file) == root / BASE_FILE:
            return scenario
    try:
        return load_scenario("base", root)
    except (ScenarioError, OSError):
        return None
