"""The whole briefing: its title block, then every section in the order a board reads it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from model import __version__
from model.output.briefing.content.blocks import Block, Document, Heading, Items, Para, Table
from model.output.briefing.content.figures import figures
from model.output.briefing.content.selection import ENGLAND, basis, choose_year, place_rows
from model.output.briefing.content.sources import LIMITS, change_blocks, method_blocks, reproduce_blocks
from model.output.briefing.content.summary import headline, key_messages
from model.output.compare import SelectionError

if TYPE_CHECKING:
    from model.scenario import Scenario


def compose(results: pd.DataFrame, scenarios: Sequence[Scenario], place: str = ENGLAND, year: str | None = None,
            base: Scenario | None = None, created: date | None = None, command: str | None = None) -> Document:
    """The briefing for ``place`` (an ICB code or ENG) and ``year`` (default: :func:`choose_year`).

    ``results`` holds every scenario's rows (more are ignored); ``scenarios`` are the scenarios
    that made them, the first the reference. ``base`` is what "changes from the base" compares
    with (None: nothing is listed). Raises SelectionError for a place or year not in the results.
    """
    if not scenarios:
        raise SelectionError("no scenario given")
    names = [s.name for s in scenarios]
    place = place.upper()
    rows = place_rows(results, names, place)
    year = choose_year(results, names, year)
    ref = rows[names[0]]
    base_year = str(ref.index[0])
    place_name = str(ref["icb_name"].iloc[0])
    created = created or date.today()
    messages = key_messages(rows, place_name, year)
    figs = figures(rows, place_name, year, base_year)
    blocks: list[Block] = [
        Heading(2, "Key messages", "messages"),
        Para(f"Under {names[0]}, the reference scenario, unless a message says otherwise.", note=True),
        Items(tuple(m.text for m in messages), ordered=True),
        Heading(2, "Headline figures", "headline"),
        headline(results, rows, names, place, place_name, year, base_year, 1),
        Heading(2, "The allowance, the staff it pays for and the gap", "charts"),
        *figs,
        *_workings(scenarios, base, rows, place, year, base_year, command),
    ]
    return Document(
        title=f"Running costs: {place_name}, {year}",
        kicker="Board briefing",
        place_code=place,
        place_name=place_name,
        year=year,
        base_year=base_year,
        scenarios=tuple(names),
        facts=_facts(results, scenarios, place, place_name, year, created),
        messages=tuple(messages),
        blocks=tuple(_number_tables(blocks)),
        footer=f"Board briefing: {place_name}, {year} · ICB running-cost model {__version__}",
        created=created,
        figures=tuple(figs),
    )


def _facts(results: pd.DataFrame, scenarios: Sequence[Scenario], place: str, place_name: str, year: str,
           created: date) -> tuple[tuple[str, str], ...]:
    """The title block: organisation, year, date, scenarios, model version and content hashes."""
    names = [s.name for s in scenarios]
    n_icbs = results.loc[(results["scenario"] == names[0]) & (results["icb_code"] != ENGLAND), "icb_code"].nunique()
    organisation = f"England ({n_icbs} ICBs)" if place == ENGLAND else f"{place_name} ({place})"
    start, end = year.split("/")
    return (
        ("Organisation", organisation),
        ("Financial year", f"{year} (April {start} to March {start[:2]}{end})"),
        ("Date", f"{created.day} {created:%B %Y}"),
        ("Scenarios", ", ".join([f"{names[0]} (reference)", *names[1:]])),
        ("Model", f"ICB running-cost model {__version__}"),
        *((f"Content sha256, {s.name}", s.content_hash()) for s in scenarios),
    )


def _workings(scenarios: Sequence[Scenario], base: Scenario | None, rows: dict[str, pd.DataFrame], place: str,
              year: str, base_year: str, command: str | None) -> list[Block]:
    """The sections after the charts: what each scenario changes, the method, the limits of the
    data and how to reproduce the figures."""
    has_basis = any(basis(row) for r in rows.values() for _, row in r.iterrows())
    return [
        Heading(2, "What each scenario changes from the base", "changes"),
        Para("Every value the scenario sets differently from the base scenario, with the base's value, the "
             "scenario's, and where the scenario's comes from (status: sourced, a source states it; inference, "
             "worked out from sourced figures; assumption, a judgement, with the reason)."),
        *change_blocks(scenarios, base, 2),
        Heading(2, "Method", "method"),
        *method_blocks(scenarios[0], base_year, has_basis),
        Heading(2, "The limits of the data", "limits"),
        Items(LIMITS),
        Heading(2, "How to reproduce these figures", "reproduce"),
        *reproduce_blocks(scenarios, place, year, command, _footprint(rows)),
    ]


def _footprint(rows: dict[str, pd.DataFrame]) -> str | None:
    """The footprint the place's figures are stated on (None when the results do not say)."""
    first = next(iter(rows.values()))
    return str(first["footprint"].iloc[0]) if "footprint" in first and len(first) else None


def _number_tables(blocks: list[Block]) -> list[Block]:
    """Tables numbered 1, 2, ... in the order they appear."""
    out, number = [], 0
    for block in blocks:
        if isinstance(block, Table):
            number += 1
            block = Table(number, block.caption, block.header, block.rows, block.numeric, block.notes)
        out.append(block)
    return out
