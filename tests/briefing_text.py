"""Reading the numbers back out of the briefing's sentences, for the tests of
``model/output/briefing``.

A sentence's numbers are money (``£44.1m``, ``£950k``, ``£300``), percentages (``21.0%``) and
whole-time equivalents (``520``, ``4.5``). Year labels (``2026/27``) and the names of places and
scenarios (which may hold digits, e.g. ``envelope_2025``) are not figures: :func:`numbers` takes
them out first. :func:`file_text` reads the words of a whole briefing file (PDF or Word).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

YEAR = re.compile(r"\b\d{4}/\d{2}\b")
NUMBER = re.compile(r"(£)?(\d{1,3}(?:,\d{3})*|\d+)(\.\d+)?(m|k|%)?")


@dataclass(frozen=True)
class Shown:
    """A number read from text: its kind (gbp, fraction, wte), its value in model units (£,
    fraction, WTE) and the half-width of the rounding it was shown with (in the same units)."""

    kind: str
    value: float
    half_unit: float


def numbers(text: str, names: tuple[str, ...] = ()) -> list[Shown]:
    """Every figure in ``text``, in order, once ``names`` and year labels are taken out."""
    for name in sorted(names, key=len, reverse=True):
        if name:
            text = re.sub(rf"(?<![\w£.,]){re.escape(name)}(?!\w)", " NAME ", text)
    text = YEAR.sub(" YEAR ", text)
    out = []
    for match in NUMBER.finditer(text):
        pound, whole, frac, suffix = match.groups()
        digits = Decimal(whole.replace(",", "") + (frac or ""))
        places = len(frac) - 1 if frac else 0
        half = Decimal(5) * Decimal(10) ** -(places + 1)
        if pound:
            scale = {"m": Decimal(1_000_000), "k": Decimal(1_000)}.get(suffix or "", Decimal(1))
            out.append(Shown("gbp", float(digits * scale), float(half * scale)))
        elif suffix == "%":
            out.append(Shown("fraction", float(digits / 100), float(half / 100)))
        else:
            out.append(Shown("wte", float(digits), float(half)))
    return out


def reference_format(value: float, kind: str) -> str:
    """How the briefing must show ``value`` (model units), written independently of
    ``model.output.briefing.wording`` with decimal arithmetic: whole pounds while they show under
    1,000, else whole £k while they show under 1,000, else £m to 1 place; % to 1 place; WTE whole
    from 10, else to 1 place."""
    x = abs(Decimal(value))

    def q(d: Decimal, places: int) -> Decimal:
        return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)

    if kind == "gbp":
        if q(x, 0) < 1000:
            return f"£{q(x, 0):,.0f}"
        if q(x / Decimal(1_000), 0) < 1000:
            return f"£{q(x / Decimal(1_000), 0):,.0f}k"
        return f"£{q(x / Decimal(1_000_000), 1):,.1f}m"
    if kind == "fraction":
        return f"{q(x * 100, 1):,.1f}%"
    one = q(x, 1)
    return f"{q(x, 0):,.0f}" if one >= 10 else f"{one:,.1f}"


def matches(shown: Shown, value: float, slack: float = 0.0) -> bool:
    """Whether a figure read from text is ``value`` (model units) rounded as shown."""
    return abs(shown.value - abs(value)) <= shown.half_unit * (1 + 1e-9) + slack


def file_text(data: bytes, extension: str) -> str:
    """The words of a briefing's PDF (read by pypdf) or DOCX (python-docx, tables included), with
    whitespace collapsed to single spaces."""
    if extension == "pdf":
        from pypdf import PdfReader

        words = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    else:
        from docx import Document

        document = Document(io.BytesIO(data))
        words = [p.text for p in document.paragraphs]
        words += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join(words).split())
