"""The briefing's typeface, embedded in the HTML so that the page, its print and the PDF look the
same on any machine, with no network.

Liberation Sans (metric-compatible with Arial, the NHS identity's fallback for Frutiger; Debian's
``fonts-liberation``, whose licence allows embedding in documents) where installed, else DejaVu
Sans, which matplotlib ships and so is always there. The HTML carries only the glyphs the
document uses (fontTools subsets them), a few tens of kilobytes per weight.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FAMILY = "Briefing Sans"
"""The name the CSS gives the embedded face."""
FALLBACK_STACK = "Arial, 'Liberation Sans', Helvetica, sans-serif"
"""What the CSS falls back on if the embedded face cannot be used."""
_PREFERRED = ("Liberation Sans", "Arimo", "Arial", "DejaVu Sans")
_TYPOGRAPHY = "£€−–—‘’“”…×·•→≥≤é"  # noqa: RUF001 - the typography the paper prints, on purpose
_ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + _TYPOGRAPHY
"""Characters every subset holds, beside those the document uses."""


@dataclass(frozen=True)
class Face:
    """A family's regular and bold font files."""

    family: str
    regular: Path
    bold: Path


@lru_cache(maxsize=1)
def face() -> Face:
    """The first family of :data:`_PREFERRED` installed with both weights (DejaVu Sans at worst,
    which matplotlib ships)."""
    from matplotlib import font_manager

    for family in _PREFERRED:
        try:
            regular, bold = (Path(font_manager.findfont(font_manager.FontProperties(family=family, weight=w),
                                                        fallback_to_default=False)) for w in ("normal", "bold"))
        except ValueError:
            continue
        if regular.suffix.lower() == ".ttf" and bold.suffix.lower() == ".ttf" and regular != bold:
            return Face(family, regular, bold)
    default = Path(font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans")))
    return Face("DejaVu Sans", default, default.with_name("DejaVuSans-Bold.ttf"))


def subset(path: Path, text: str) -> bytes:
    """The TrueType font at ``path`` cut down to the glyphs ``text`` (and :data:`_ALWAYS`) needs."""
    import logging

    from fontTools import subset as ft_subset

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    options = ft_subset.Options()
    options.layout_features = ["kern", "liga", "tnum", "lnum"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = ft_subset.load_font(str(path), options)
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(text=text + _ALWAYS)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def font_face_css(text: str) -> str:
    """``@font-face`` rules embedding the regular and bold faces, subset to ``text``, as data URIs.
    Empty when no font file can be read (the CSS then falls back on :data:`FALLBACK_STACK`)."""
    chosen = face()
    rules = []
    for weight, path in (("400", chosen.regular), ("700", chosen.bold)):
        try:
            data = base64.b64encode(subset(path, text)).decode("ascii")
        except Exception:  # noqa: BLE001 - a font that cannot be read is left out, never fatal
            continue
        rules.append(f"@font-face {{ font-family: '{FAMILY}'; font-style: normal; font-weight: {weight}; "
                     f"src: url(data:font/ttf;base64,{data}) format('truetype'); }}")
    return "\n".join(rules)
