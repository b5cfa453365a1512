"""The briefing as one self-contained HTML page (model/output/briefing/html.py): language, landmarks,
headings in order, table headers, alt text, nothing fetched, and the stylesheet's contrast."""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser

from model.output.briefing import style
from model.output.briefing.html import stylesheet


class Outline(HTMLParser):
    """What the accessibility checks need from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_is_one_accessible_self_contained_file(briefing):
    page = briefing.html()
    outline = Outline()
    outline.feed(page)
    tags = outline.tags
    assert tags[0] == ("html", {"lang": "en-GB"})
    names = [t for t, _ in tags]
    assert {"header", "main", "footer", "title"} <= set(names) and names.count("h1") == 1
    levels = [int(t[1]) for t in names if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    images = [a for t, a in tags if t == "img"]
    assert len(images) == 3 and all(a["src"].startswith("data:image/png;base64,") and len(a["alt"]) > 80
                                    for a in images)
    assert all(a.get("scope") in ("col", "row") for t, a in tags if t == "th")
    assert names.count("caption") == names.count("table") and names.count("figcaption") == 3
    for tag, attrs in tags:
        assert tag not in ("script", "link", "iframe", "object")
        for key in ("src", "srcset", "data"):
            assert not attrs.get(key) or attrs[key].startswith("data:"), (tag, attrs)
    assert not re.search(r"url\((?!data:)", page)
    assert "@font-face" in page and "size: A4" in page


def test_every_text_colour_in_the_stylesheet_meets_wcag_aa():
    """Each CSS rule's text colour against its own background (white where it sets none; the
    title band's white text against the band; code on its pale grey)."""
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", stylesheet()):
        colour = re.search(r"(?<![-\w])color:\s*(#[0-9A-Fa-f]{6})", body)
        if not colour:
            continue
        background = re.search(r"background:\s*(#[0-9A-Fa-f]{6})", body)
        behind = background.group(1) if background else (style.BAND if "band" in selector else style.NHS_WHITE)
        assert style.contrast(colour.group(1), behind) >= 4.5, selector.strip()
    for what, text, background in style.TEXT_PAIRS:
        assert style.contrast(text, background) >= 4.5, what
    for colour in style.SCENARIO_COLOURS:
        assert style.contrast(colour, style.NHS_WHITE) >= 3.0, colour
