"""The briefing's look: the NHS colour palette, used with restraint, and colour contrast checks.

Colours are from the NHS identity guidelines' palette. Text is near-black or NHS Dark Blue on
white (and white on NHS Dark Blue in the title band); NHS Blue marks links and the first
scenario. Every text colour pair meets WCAG 2.2 AA (4.5:1) and every colour that carries meaning
in a chart stands at least 3:1 against white (WCAG 1.4.11); :func:`contrast` computes the ratios
and the tests check them.
"""

from __future__ import annotations

NHS_BLUE = "#005EB8"
NHS_DARK_BLUE = "#003087"
NHS_BLACK = "#231F20"
NHS_DARK_GREY = "#425563"
NHS_MID_GREY = "#768692"
NHS_PALE_GREY = "#E8EDEE"
NHS_WHITE = "#FFFFFF"
NHS_PINK = "#AE2573"
NHS_DARK_GREEN = "#006747"
NHS_PURPLE = "#330072"
NHS_DARK_RED = "#8A1538"
NHS_WARM_YELLOW = "#FFB81C"

TEXT = NHS_BLACK
HEADING = NHS_DARK_BLUE
MUTED_TEXT = NHS_DARK_GREY
LINK = NHS_BLUE
RULE = NHS_MID_GREY
BAND = NHS_DARK_BLUE
BAND_TEXT = NHS_WHITE
TABLE_HEAD = NHS_PALE_GREY

TEXT_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("body text", TEXT, NHS_WHITE),
    ("headings", HEADING, NHS_WHITE),
    ("notes and captions", MUTED_TEXT, NHS_WHITE),
    ("links", LINK, NHS_WHITE),
    ("title band", BAND_TEXT, BAND),
    ("table headers", TEXT, TABLE_HEAD),
    ("notes in table headers", MUTED_TEXT, TABLE_HEAD),
)
"""Every (what, text colour, background) pair the briefing uses."""

SCENARIO_COLOURS = (NHS_BLUE, NHS_PINK, NHS_DARK_GREEN, NHS_DARK_GREY, NHS_PURPLE, NHS_DARK_RED)
"""A colour per scenario, in order; each at least 3:1 against white. Markers differ too
(:data:`SCENARIO_MARKERS`), so no scenario is told apart by colour alone."""
SCENARIO_MARKERS = ("o", "s", "^", "D", "v", "P")


def scenario_colour(index: int) -> str:
    return SCENARIO_COLOURS[index % len(SCENARIO_COLOURS)]


def scenario_marker(index: int) -> str:
    return SCENARIO_MARKERS[index % len(SCENARIO_MARKERS)]


def tint(colour: str, share: float = 0.65) -> str:
    """``colour`` (#rrggbb) mixed with white, ``share`` of the way (fills of bars that take money away)."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * share):02X}" for c in rgb)


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)
