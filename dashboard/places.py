"""The places the page can show: England and every organisation of the shipped scenarios'
histories, when each existed, what it was formed from or became, and the footprints results can
be stated on.

ICBs change (SPEC section 10): the 42 ICBs of July 2022 became 36 on 1 April 2026, and a scenario
may add a later change (``merger_2027``). An organisation exists on the footprints (eras) that list
it. *Current* organisations are those of the base's latest footprint (the 36); *former* ones
existed before it and ended (the 12 of the 42 that changed: the other 30 carry on unchanged and
are current); *later* ones are made by a shipped scenario's own change. A page about a place is
stated on a footprint where it exists; moved to a footprint where it does not, the page shows the
organisation that holds most of its people there.

Everything here is worked out once, when the page starts, from the scenarios' histories.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from model.output.listing import became_text, formed_from_text, organisation_names, successors
from model.output.results import ENGLAND_CODE
from model.periods import parse_year
from model.scenario import Scenario

CURRENT, FORMER, LATER = "current", "former", "later"
HEADING = "heading:"
"""Values of the place list's group headings start with this; they cannot be chosen."""


@dataclass(frozen=True)
class FootprintInfo:
    """One footprint on offer: its label (the calendar year it began, ``2026``), the years it
    covers in the scenario that defines it, how many organisations it has and which shipped
    scenarios have it."""

    label: str
    first: str
    last: str
    count: int
    scenarios: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    """An organisation the page can show (England is not one: see :data:`ENGLAND_CODE`).

    ``kind`` is :data:`CURRENT`, :data:`FORMER` or :data:`LATER`; ``first`` and ``last`` are the
    first and last year labels it exists in, in ``scenario``, the first shipped scenario whose
    history names it; ``footprints`` the footprint labels that list it in any shipped scenario.
    ``formed`` says what it was formed from and when, ``became`` what it became and when ("" when
    neither happened in ``scenario``); ``planned`` what other shipped scenarios change about it."""

    code: str
    name: str
    region: str
    kind: str
    first: str
    last: str
    footprints: tuple[str, ...]
    formed: str
    became: str
    planned: str
    scenario: str


@dataclass(frozen=True)
class Places:
    """Every place and footprint on offer. ``current`` is the base's latest footprint (the default
    one); ``nearest[(code, footprint)]`` is the organisation of that footprint that holds most of
    the people of ``code``, for each code that is not on it."""

    current: str
    footprints: dict[str, FootprintInfo]
    by_code: dict[str, Place]
    nearest: dict[tuple[str, str], str]

    def exists_on(self, code: str, footprint: str) -> bool:
        """Whether England or organisation ``code`` can be shown on ``footprint``."""
        place = self.by_code.get(code)
        return code == ENGLAND_CODE or (place is not None and footprint in place.footprints)

    def footprint_for(self, code: str, wanted: str) -> str:
        """``wanted`` if the place is on it, else the latest footprint where it is."""
        place = self.by_code.get(code)
        if place is None or wanted in place.footprints:
            return wanted
        return place.footprints[-1]

    def name(self, code: str) -> str:
        """England's or an organisation's full name."""
        return "England" if code == ENGLAND_CODE else self.by_code[code].name


def _month(year: str, end: bool) -> str:
    """'April 2026' for the start of 2026/27; 'March 2026' for the end of 2025/26."""
    first = parse_year(year)
    return f"March {first + 1}" if end else f"April {first}"


def _eras(scenario: Scenario) -> list[tuple[str, int, int]]:
    """Each era of the scenario's history: its label and first and last year index."""
    eras = scenario.history.eras
    n = len(scenario.years)
    return [(era.label, era.first, (eras[k + 1].first - 1) if k + 1 < len(eras) else n - 1)
            for k, era in enumerate(eras)]


def _atom_people(scenario: Scenario) -> np.ndarray:
    """Each atom's base-year GP-registered population (its weight times its ICB's)."""
    history = scenario.history
    population = np.asarray(scenario.icbs.population, dtype=float)
    return np.array([atom.weight * population[atom.icb] for atom in history.atoms])


def _nearest(scenario: Scenario, found: dict[tuple[str, str], str]) -> None:
    """For each organisation of one era and each other era of the scenario, the organisation of
    the other era that holds most of its people (added to ``found`` where not there yet)."""
    history = scenario.history
    people = _atom_people(scenario)
    codes = np.array([atom.codes for atom in history.atoms], dtype=object)  # (atoms, eras)
    for k, era in enumerate(history.eras):
        for j, other in enumerate(history.eras):
            if j == k:
                continue
            there = set(other.codes())
            for code in era.codes():
                if code in there or (code, other.label) in found:
                    continue
                mine = codes[:, k] == code
                held: dict[str, float] = {}
                for target, weight in zip(codes[mine, j], people[mine], strict=True):
                    held[target] = held.get(target, 0.0) + float(weight)
                found[(code, other.label)] = max(held, key=lambda c: (held[c], c))


def _changes(scenario: Scenario, k: int, code: str, names: dict[str, str]) -> tuple[str, str]:
    """What organisation ``code`` of era ``k`` was formed from at the era's start, and what it
    became after the era's end, as sentences ("" for neither)."""
    history, years = scenario.history, scenario.years
    eras = _eras(scenario)
    pairs = history.eras[k].formed_from.get(code, ())
    formed = became = ""
    if pairs and pairs != ((code, 1.0),):
        month = _month(years[eras[k][1]], end=False)
        grew = " grew: it" if code in dict(pairs) else ""
        formed = f"On 1 {month}, {names[code]}{grew} was {formed_from_text(pairs, names)}."
    went = successors(history, k)
    if code in went and code not in history.eras[k + 1].codes():
        month = _month(years[eras[k + 1][1]], end=False)
        became = f"On 1 {month}, {names[code]} {became_text(went[code], names)}."
    return formed, became


def places_of(scenarios: Sequence[Scenario]) -> Places:
    """Every place and footprint in the histories of ``scenarios`` (the base first: its latest
    footprint is the current one)."""
    base = scenarios[0]
    current = base.history.eras[-1].label
    current_codes = set(base.history.eras[-1].codes())
    footprints: dict[str, FootprintInfo] = {}
    by_code: dict[str, Place] = {}
    nearest: dict[tuple[str, str], str] = {}
    for scenario in scenarios:
        history, years = scenario.history, scenario.years
        names = organisation_names(history)
        for k, (label, first, last) in enumerate(_eras(scenario)):
            era = history.eras[k]
            info = footprints.get(label)
            footprints[label] = FootprintInfo(label, years[first], years[last], len(era.organisations),
                                              (scenario.name,)) if info is None else FootprintInfo(
                label, info.first, info.last, info.count, tuple(dict.fromkeys((*info.scenarios, scenario.name))))
            for org in era.organisations:
                formed, became = _changes(scenario, k, org.code, names)
                known = by_code.get(org.code)
                if known is None:
                    kind = CURRENT if org.code in current_codes else FORMER if scenario is base else LATER
                    by_code[org.code] = Place(org.code, org.name, org.region, kind, years[first], years[last],
                                              (label,), formed, became, "", scenario.name)
                    continue
                footprints_of = tuple(dict.fromkeys((*known.footprints, label)))
                if known.scenario == scenario.name:
                    by_code[org.code] = Place(
                        known.code, known.name, known.region, known.kind, known.first, years[last], footprints_of,
                        known.formed or formed, known.became or became, known.planned, known.scenario)
                    continue
                new = [text for text in (formed, became) if text and text not in (known.formed, known.became)
                       and text not in known.planned]
                planned = " ".join(filter(None, (known.planned, *(f"In {scenario.name}: {t}" for t in new))))
                by_code[org.code] = Place(known.code, known.name, known.region, known.kind, known.first, known.last,
                                          footprints_of, known.formed, known.became, planned, known.scenario)
        _nearest(scenario, nearest)
    order = sorted(footprints, key=int)
    return Places(current, {label: footprints[label] for label in order}, by_code, nearest)


def place_on(places: Places, code: str, footprint: str) -> tuple[str, str]:
    """The place to show on ``footprint`` for ``code``, and a note when it had to change: the
    organisation of that footprint that holds most of its people."""
    if places.exists_on(code, footprint):
        return code, ""
    other = places.nearest.get((code, footprint))
    if other is None:
        return ENGLAND_CODE, f"{places.name(code)} ({code}) is not on the {footprint} footprint, so England is shown."
    return other, (f"{places.name(code)} ({code}) is not an organisation of the {footprint} footprint; "
                   f"{places.name(other)} ({other}), which holds most of its people, is shown instead.")


def short_name(name: str, limit: int | None = None) -> str:
    """An organisation's name without 'NHS ' and ' Integrated Care Board', cut to ``limit``
    characters with '…' where given (chart axes)."""
    out = name.removeprefix("NHS ").replace(" Integrated Care Board", "").replace(" ICB", "")
    return out if limit is None or len(out) <= limit else out[:limit - 2] + "…"


def when(place: Place) -> str:
    """When a place exists, for people: 'until March 2026', 'from April 2027' or ''."""
    if place.kind == FORMER:
        return f"until {_month(place.last, end=True)}"
    if place.kind == LATER:
        return f"from {_month(place.first, end=False)}"
    return ""


def what(places: Places, place: Place) -> str:
    """What kind of organisation a place is, for its page: 'one of the 36 ICBs from April 2026',
    'one of the 42 ICBs until March 2026', 'an ICB from April 2027, in merger_2027 only'."""
    if place.kind == CURRENT:
        info = places.footprints[places.current]
        return f"one of the {info.count} ICBs from {_month(info.first, end=False)}"
    if place.kind == FORMER:
        info = places.footprints[place.footprints[-1]]
        return f"one of the {info.count} ICBs until {_month(place.last, end=True)}"
    return f"an ICB from {_month(place.first, end=False)}, in {place.scenario} only"


def place_options(places: Places) -> list[dict]:
    """The place list: England, the current ICBs by name, then former ones marked 'until March
    2026', then those a scenario plans. Each label holds the name, the code and the region, so
    typing either finds it; the group headings cannot be chosen."""
    current = places.footprints[places.current]
    groups = {CURRENT: [], FORMER: [], LATER: []}
    for place in sorted(places.by_code.values(), key=lambda p: (short_name(p.name), p.code)):
        suffix = when(place)
        if place.kind == LATER:
            suffix += f", in {place.scenario} only"
        label = f"{short_name(place.name)} ({place.code}), {place.region}" + (f": {suffix}" if suffix else "")
        groups[place.kind].append({"label": label, "value": place.code})
    former_count = len(groups[FORMER])
    headings = {
        CURRENT: f"ICBs from {_month(current.first, end=False)} ({len(groups[CURRENT])})",
        FORMER: f"Former ICBs, until March {parse_year(current.first)} ({former_count} that changed; the others "
                "carry on above)",
        LATER: "Organisations a scenario plans",
    }
    options: list[dict] = [{"label": "England (all ICBs)", "value": ENGLAND_CODE}]
    for kind, items in groups.items():
        if items:
            options.append({"label": headings[kind], "value": f"{HEADING}{kind}", "disabled": True})
            options += items
    return options


def footprint_options(places: Places) -> list[dict]:
    """The footprints on offer, the current one first, then older ones, then those only a
    scenario has: '36 ICBs from April 2026', '42 ICBs to March 2026', '35 ICBs from April 2027
    (merger_2027)'."""
    options = []
    current = int(places.current)
    order = sorted(places.footprints, key=lambda label: (int(label) > current, -int(label)))
    for label in order:
        info = places.footprints[label]
        if int(label) < current:
            text = f"{info.count} ICBs to {_month(info.last, end=True)}"
        else:
            only = "" if label == places.current or len(info.scenarios) > 1 else f" ({info.scenarios[0]})"
            text = f"{info.count} ICBs from {_month(info.first, end=False)}{only}"
        options.append({"label": text, "value": label})
    return options


def change_marks(places: Places, code: str, shown: set[str]) -> list[tuple[str, str]]:
    """The years the organisations changed among the footprints ``shown`` (those of the compared
    scenarios), each with a label for the chart: what happened to the place then, else how many
    ICBs there were from then."""
    marks = []
    place = places.by_code.get(code)
    labels = [label for label in places.footprints if label in shown]
    for label in labels[1:]:
        info = places.footprints[label]
        month = _month(info.first, end=False)
        only = "" if len(info.scenarios) > 1 or places.current == label else f" ({info.scenarios[0]})"
        text = f"{info.count} ICBs from {month}{only}"
        if place is not None and month in place.formed:
            text = f"{'formed' if place.first == info.first else 'grew'} {month}"
        elif place is not None and place.became and month in place.became:
            text = f"became part of others {month}: later years are its share"
        marks.append((info.first, text))
    return marks
