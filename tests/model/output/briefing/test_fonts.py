"""The briefing's typeface (model/output/briefing/fonts.py): an installed sans with both weights, cut
down to the glyphs a document uses and embedded as data."""

from __future__ import annotations

import base64
import re

from model.output.briefing import fonts


def test_the_face_has_a_regular_and_a_bold_truetype_file():
    face = fonts.face()
    assert face.family in ("Liberation Sans", "Arimo", "Arial", "DejaVu Sans")
    assert face.regular.is_file() and face.bold.is_file() and face.regular != face.bold
    assert face.regular.suffix.lower() == face.bold.suffix.lower() == ".ttf"
    assert fonts.face() is face  # found once


def test_a_subset_is_a_smaller_truetype_font():
    face = fonts.face()
    cut = fonts.subset(face.regular, "Allowance £41.1m")
    assert cut[:4] in (b"\x00\x01\x00\x00", b"true")
    assert len(cut) < face.regular.stat().st_size


def test_font_face_rules_embed_both_weights_as_data():
    css = fonts.font_face_css("Key messages")
    rules = re.findall(r"@font-face \{[^}]*\}", css)
    assert len(rules) == 2
    assert [re.search(r"font-weight: (\d+)", rule).group(1) for rule in rules] == ["400", "700"]
    for rule in rules:
        assert f"font-family: '{fonts.FAMILY}'" in rule
        data = re.search(r"url\(data:font/ttf;base64,([A-Za-z0-9+/=]+)\)", rule).group(1)
        assert base64.b64decode(data)[:4] in (b"\x00\x01\x00\x00", b"true")
    assert "url(http" not in css and "Arial" in fonts.FALLBACK_STACK
