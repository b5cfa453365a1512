"""The blocks a briefing is made of, and the :class:`Document` that holds them.

Plain data: the renderers (``html``, ``word``; the PDF is printed from the HTML) lay these out,
so the three formats say the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from model.output.briefing import wording
from model.output.briefing.charts import Chart


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str = ""


@dataclass(frozen=True)
class Para:
    text: str
    note: bool = False


@dataclass(frozen=True)
class Items:
    items: tuple[str, ...]
    ordered: bool = False
    label: str = ""


@dataclass(frozen=True)
class Table:
    """A table with a header row; the first column heads each row. ``numeric`` marks the columns
    to right-align."""

    number: int
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Figure:
    number: int
    caption: str
    alt: str
    chart: Chart


@dataclass(frozen=True)
class Code:
    text: str


Block = Heading | Para | Items | Table | Figure | Code


@dataclass(frozen=True)
class Document:
    """Everything the briefing says. ``facts`` is the title block; ``messages`` the key messages
    (also among ``blocks``)."""

    title: str
    kicker: str
    place_code: str
    place_name: str
    year: str
    base_year: str
    scenarios: tuple[str, ...]
    facts: tuple[tuple[str, str], ...]
    messages: tuple[wording.Sentence, ...]
    blocks: tuple[Block, ...]
    footer: str
    created: date
    figures: tuple[Figure, ...] = field(default=())

    def text(self) -> str:
        """All the document's words, for choosing the glyphs to embed."""
        parts = [self.title, self.kicker, self.footer, *(f"{a} {b}" for a, b in self.facts)]
        for block in self.blocks:
            if isinstance(block, (Heading, Para, Code)):
                parts.append(block.text)
            elif isinstance(block, Items):
                parts += [block.label, *block.items]
            elif isinstance(block, Table):
                parts += [block.caption, *block.header, *block.notes, *(c for row in block.rows for c in row)]
            elif isinstance(block, Figure):
                parts += [block.caption, block.alt]
        return "\n".join(parts)
