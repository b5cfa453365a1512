"""The page's state in the URL, so that a view can be shared: place, footprint, year, the scenarios
compared, the start, every control that differs from its default and the allowances entered as
known. Anything unreadable falls back to the default; numbers are kept within the controls' ranges
(in their display units); a place is shown on a footprint where it exists."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from dashboard.controls import CONTROLS, CUSTOM, Settings, Value
from dashboard.known import Known, from_text, to_text
from dashboard.places import Places
from dashboard.startpoint import StartPoint, defaults, settings_from
from model.output.results import ENGLAND_CODE

UPLOAD_PREFIX = "upload:"
"""Compare keys of uploaded scenarios start with this, then 12 hex digits of their content hash."""
MAX_COMPARE = 4
"""How many scenarios the page compares at once."""
DEFAULT_COMPARE = ("base", "envelope_2025", CUSTOM)
DEFAULT_YEAR = "2025/26"


@dataclass(frozen=True)
class View:
    """Everything the page shows is a function of this (and the uploads held server-side):
    the start's compare key, an ICB code (or England's), a year label, the compare keys and the
    settings of the custom scenario."""

    start: str
    icb: str
    year: str
    compare: tuple[str, ...]
    settings: Settings
    footprint: str | None = None
    """The footprint results are stated on (None: the current one, the base's latest)."""
    known: Known = ()
    """Allowances entered as known (:mod:`dashboard.known`)."""


FOOTPRINT_KEY, KNOWN_KEY = "on", "known"
"""URL keys of the footprint (``on=2022``) and of the known allowances (``known=S0E4D:2026/27:35000000``)."""


def to_query(view: View, sp: StartPoint, current: str | None = None) -> str:
    """The URL query for a view: where it differs from the page's defaults only (``current`` is
    the default footprint)."""
    d = defaults(sp)
    pairs: list[tuple[str, str]] = []
    if view.icb != ENGLAND_CODE:
        pairs.append(("icb", view.icb))
    if view.footprint is not None and view.footprint != current:
        pairs.append((FOOTPRINT_KEY, view.footprint))
    if view.year != DEFAULT_YEAR:
        pairs.append(("year", view.year))
    shown = tuple(k for k in view.compare if not k.startswith(UPLOAD_PREFIX))
    if shown != DEFAULT_COMPARE:
        pairs.append(("compare", ",".join(shown)))
    if view.start != "base":
        pairs.append(("start", view.start))
    for control in CONTROLS:
        value = view.settings.get(control.key)
        if value is not None and value != d[control.key]:
            pairs.append((control.key, _query_value(value)))
    if view.known:
        pairs.append((KNOWN_KEY, to_text(view.known)))
    return "?" + urlencode(pairs, safe="/,:") if pairs else ""


def _query_value(value: Value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


MAX_QUERY = 4096
"""Longest URL query read (a view's query is a few hundred characters)."""


def parse_query(search: str | None, starts: dict[str, StartPoint], icbs: list[str], years: list[str],
                keys: list[str], places: Places | None = None) -> View:
    """The view a URL query asks for; anything unreadable falls back to the default.

    ``starts`` maps each scenario that may start the custom one to its StartPoint; ``icbs``,
    ``years`` and ``keys`` are the ICB codes, year labels and compare keys on offer; ``places``
    (when given) the footprints, on one of which the place must exist.
    """
    text = search if isinstance(search, str) else ""
    query = dict(parse_qsl(text[:MAX_QUERY].lstrip("?"), keep_blank_values=False))
    start = query.get("start") if query.get("start") in starts else ("base" if "base" in starts else next(iter(starts)))
    icb = (query.get("icb") or ENGLAND_CODE).upper()
    icb = icb if icb in icbs or icb == ENGLAND_CODE else ENGLAND_CODE
    footprint = None
    if places is not None:
        wanted = query.get(FOOTPRINT_KEY)
        footprint = places.footprint_for(icb, wanted if wanted in places.footprints else places.current)
    year = query.get("year") if query.get("year") in years else default_year(years)
    compare = default_compare(keys)
    if "compare" in query:
        wanted = [k for k in dict.fromkeys(query["compare"].split(",")) if k in keys]
        compare = tuple(wanted[:MAX_COMPARE]) or compare
    return View(start, icb, year, compare, settings_from(query, starts[start]), footprint,
                from_text(query.get(KNOWN_KEY), starts[start]))


def default_year(years: list[str]) -> str:
    """The year shown first: :data:`DEFAULT_YEAR` when offered, else the last year."""
    return DEFAULT_YEAR if DEFAULT_YEAR in years else years[-1]


def default_compare(keys: list[str]) -> tuple[str, ...]:
    """The scenarios compared first: :data:`DEFAULT_COMPARE`, those of them on offer."""
    chosen = tuple(k for k in DEFAULT_COMPARE if k in keys)
    return chosen or tuple(keys[:1])
