"""Where the figures come from: what each scenario changes from the base (with the source and
status of every changed value), the method, the limits of the data and how to reproduce them."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from model import __version__
from model.output.briefing import wording
from model.output.briefing.content.blocks import Block, Code, Heading, Items, Para, Table
from model.scenario.resolved import param, section

if TYPE_CHECKING:
    from model.scenario import Scenario


# ---------------------------------------------------------------------------------------------
# What each scenario changes


def change_blocks(scenarios: Sequence[Scenario], base: Scenario | None, first_table: int) -> list[Block]:
    """For each scenario: its description, then a table of every value it changes from the base
    with the base's and its own value, and the sources of those values as numbered notes."""
    from model.output.briefing.changes import differences

    blocks: list[Block] = []
    number = first_table
    base_name = base.name if base is not None else "base"
    for scenario in scenarios:
        blocks.append(Heading(3, scenario.name))
        if scenario.description:
            blocks.append(Para(scenario.description))
        if base is None:
            blocks.append(Para("The base scenario could not be read, so changes are not listed.", note=True))
            continue
        if scenario.content_hash() == base.content_hash():
            what = ("This is the base scenario" if scenario.name == base.name
                    else f"{scenario.name} gives the model the same inputs as the base scenario")
            blocks.append(Para(f"{what} ({_display(base.chain[0], base.root)}). Every value and its source is "
                               "listed by `icb-model show base` and in docs/assumptions.md."))
            continue
        found = differences(scenario, base)
        if not found:
            blocks.append(Para(f"{scenario.name} changes no value the model uses from {base_name}."))
            continue
        sources: dict[tuple[str, str, str, str], int] = {}
        rows = []
        lines: dict[int, list[str]] = {}
        for change in found:
            ref = sources.setdefault(change.provenance, len(sources) + 1)
            lines.setdefault(ref, []).append(change.set_in.rsplit(":", 1)[-1] if ":" in change.set_in else "")
            rows.append((change.label, change.year or "all", change.before, change.after, change.status or "—",
                         f"S{ref}"))
        notes = []
        for (status, source, note, file), ref in sources.items():
            where = [line for line in lines[ref] if line]
            at = f"{file}, line{'s' if len(where) > 1 else ''} {_line_span(where)}" if where else file
            parts = [f"S{ref}.", f"({status})" if status else "", note, f"Source: {source}" if source else "",
                     f"Set in {at}."]
            notes.append(" ".join(p for p in parts if p))
        blocks.append(Table(number, f"What {scenario.name} changes from {base_name}",
                            ("Parameter", "Year", base_name, scenario.name, "Status", "Source"), tuple(rows),
                            (False, False, True, True, False, False), tuple(notes)))
        number += 1
    return blocks


def _line_span(lines: list[str]) -> str:
    numbers = sorted({int(n) for n in lines if n.isdigit()})
    if not numbers:
        return ", ".join(lines)
    if numbers == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 2:
        return f"{numbers[0]} to {numbers[-1]}"
    return ", ".join(map(str, numbers))


# ---------------------------------------------------------------------------------------------
# Method, limits, reproduction


def method_blocks(reference: Scenario, base_year: str, has_basis: bool) -> list[Block]:
    """The method in half a page, with the reference scenario's own settings."""
    index = reference.value("real_terms.index")
    deflator = ("the cost of running an ICB (pay with on-costs and non-pay, weighted by the pay share)"
                if index == "cost" else "the GDP deflator")
    turnover = wording.percent(param(reference.get("workforce.turnover_rate")).number())
    months = param(reference.get("workforce.redundancy_months")).number()
    published = (" Where NHS England has published an organisation's allowance for a year, that figure is used "
                 "as it stands and the rules project on from it." if has_basis else "")
    return [
        Para(f"The model projects each ICB's running cost allowance year by year from {base_year}, the base "
             "year, and sets it against the staff and non-pay its core and delegated functions need. "
             "docs/methodology.md gives every formula and a worked example to check with a calculator."),
        Items((
            "Allowance: each ICB's base-year running cost allowance (its own figure, or a per-head figure times its "
            "GP-registered population), cut by the scenario's path in cash or in real terms, or held to a per-head "
            "envelope; delegated functions (pharmacy, optometry, dentistry and specialised commissioning) add their "
            f"budgets when they go live.{published}",
            "Cost of a post: the base-year salary with each year's pay award and employer on-costs; non-pay costs "
            "rise with inflation.",
            "Staff: the allowance pays for (allowance minus non-pay) divided by the cost of a post; the need is the "
            "base-year core workforce (changed by any change in demand) plus each delegated function's staff per "
            "head. The gap is one minus the other; negative is a shortfall.",
            f"Redundancies: staff fall to what the allowance pays for; turnover of {turnover} a year absorbs what it "
            f"can, and the rest are redundancies at {months:g} months' salary each, a one-off cost that is not taken "
            "from the allowance.",
            f"Real terms: cash deflated by {deflator}, in {base_year} prices.",
            "England is the sum of the ICBs; its ratios are recomputed from the sums.",
        )),
    ]


LIMITS = (
    "This is a projection under stated assumptions, not a forecast: each figure follows from the values in the "
    "section above and the scenario files, whose sources and status (sourced, inference or assumption) are given.",
    "ICBs' own running cost allowances are not published in a usable form for every year; where a figure is not "
    "published, an ICB's base-year allowance is a per-head figure times its population, calibrated to England's "
    "published 2024/25 total. An ICB can give its own figure in the ICB table.",
    "Populations are GP-registered lists, which run above ONS resident estimates, so per-head figures are lower "
    "than per-resident ones.",
    "The numbers of pharmacy, optometry, dentistry and specialised commissioning staff transferred to ICBs, and the "
    "staff those functions need, were not published: they are assumptions, stated and reasoned in the scenario "
    "files.",
    "Several instructions are known only from press reports of NHS England letters; values that rest on them say so.",
    "Redundancy costs are modelled at a number of months' salary; actual costs depend on each person's service and "
    "contract.",
)


def reproduce_blocks(scenarios: Sequence[Scenario], place: str, year: str, command: str | None,
                     footprint: str | None = None) -> list[Block]:
    """The exact command and every input file with its sha256. ``footprint`` is the one the
    figures are stated on; the command names it unless it is the scenarios' latest (the default)."""
    refs = [scenario_ref(s) for s in scenarios]
    latest = scenarios[0].history.footprints()[-1] if scenarios else None
    on = f" --footprint {footprint}" if footprint and footprint != latest else ""
    command = command or (f"icb-model briefing {' '.join(_quoted(r) for r in refs)} --icb {place} --year {year}"
                          f"{on} --out briefing/")
    rows = []
    seen: set[Path] = set()
    for scenario in scenarios:
        files = [(Path(f), "scenario file" if i == len(scenario.chain) - 1 else "extended by " + scenario.name)
                 for i, f in enumerate(scenario.chain)]
        table = param(section(scenario.tree["icbs"])["table"]).text()
        if table:
            path = Path(table)
            files.append((path if path.is_absolute() else scenario.root / path, "ICB table"))
        for path, role in files:
            if path in seen:
                continue
            seen.add(path)
            if path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                rows.append((_display(path, scenario.root), f"{role} ({scenario.name})", digest))
            else:
                rows.append((f"{scenario.name}.yaml", f"scenario given as text ({scenario.name}): save it under "
                             "this name to rerun", "—"))
    return [
        Para(f"With the model at version {__version__} (run `icb-model --help` to check), this command writes "
             "this paper again, with results.csv holding every figure of the place for every year:"),
        Code(command),
        Table(0, "The input files and their sha256", ("File", "Role", "sha256"), tuple(rows), (False, False, False)),
        Para("The same files give the same figures: each scenario's content hash (in the title block) covers every "
             "value the model reads. `icb-model run` writes the results of every ICB and England, and "
             "`icb-model show NAME` lists every value with its source.", note=True),
    ]


def scenario_ref(scenario: Scenario) -> str:
    """How the command line names a scenario: ``base``, a name in scenarios/, or a path."""
    root = Path(scenario.root)
    file = Path(scenario.file)
    if file == root / "assumptions.yaml":
        return "base"
    if file.parent == root / "scenarios" and file.suffix == ".yaml":
        return file.stem
    if file.is_file():
        return _display(file, root)
    return f"{scenario.name}.yaml"


def _display(path: Path, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path(root).resolve()))
    except ValueError:
        return str(path)


def _quoted(text: str) -> str:
    return f"'{text}'" if any(c in text for c in " '\"$&;|<>()*?") else text
