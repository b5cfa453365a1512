"""What the briefing says, in the order a board reads it, as plain blocks any renderer lays out.

:func:`compose` turns results (SPEC section 6 rows) and the scenarios that made them into a
:class:`Document`: a title block, key messages written from the numbers by
:mod:`~model.output.briefing.wording`, the headline table, three charts, what each scenario
changes from the base with the source and status of every changed value, the method, the limits
of the data and how to reproduce the figures. The renderers (``html``, ``word``; the PDF is
printed from the HTML) only lay these blocks out, so the three formats say the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from model import __version__
from model.output.briefing import wording
from model.output.briefing.charts import Chart
from model.output.compare import SelectionError, headline_table
from model.schema import HEADLINES

if TYPE_CHECKING:
    from model.scenario import Scenario

ENGLAND = "ENG"
PREFERRED_YEAR = "2026/27"
"""The year a briefing shows unless told otherwise (the last year of the horizon when it is not in it)."""
MAX_MESSAGES = 5
MINUS = "\u2212"

# ---------------------------------------------------------------------------------------------
# Blocks


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


# ---------------------------------------------------------------------------------------------
# Choosing the place and year


def choose_year(results: pd.DataFrame, names: Sequence[str], year: str | None = None) -> str:
    """``year`` if every scenario has it, else an error; without one, 2026/27 if every scenario
    has it, else the last year they all have."""
    common = _common_years(results, names)
    if year is not None:
        if year not in common:
            raise SelectionError(f"year '{year}' is not in the results of every scenario; choose one of "
                                 f"{', '.join(common)}")
        return year
    if not common:
        raise SelectionError("the scenarios share no year")
    return PREFERRED_YEAR if PREFERRED_YEAR in common else common[-1]


def _common_years(results: pd.DataFrame, names: Sequence[str]) -> list[str]:
    years: list[str] | None = None
    for name in names:
        own = list(dict.fromkeys(results.loc[results["scenario"] == name, "year"]))
        years = own if years is None else [y for y in years if y in own]
    return years or []


def place_rows(results: pd.DataFrame, names: Sequence[str], place: str) -> dict[str, pd.DataFrame]:
    """Each scenario's rows for ``place`` indexed by year, in horizon order; an error naming the
    choices when a scenario lacks the place."""
    chosen = results[results["icb_code"] == place]
    out = {}
    for name in names:
        rows = chosen[chosen["scenario"] == name]
        if rows.empty:
            if not (results["scenario"] == name).any():
                raise SelectionError(f"scenario '{name}' is not in the results")
            codes = sorted(set(results.loc[results["scenario"] == name, "icb_code"]) - {ENGLAND})
            raise SelectionError(f"ICB '{place}' is not in the results of {name}; choose ENG or one of "
                                 f"{', '.join(codes)}")
        out[name] = rows.set_index("year")
    return out


def _basis(row: pd.Series) -> str | None:
    value = row.get("allowance_basis")
    return value if isinstance(value, str) and value else None


# ---------------------------------------------------------------------------------------------
# Key messages


def key_messages(rows: dict[str, pd.DataFrame], place_name: str, year: str) -> list[wording.Sentence]:
    """Three to five sentences from the numbers: the reference scenario's allowance and its
    real-terms change, what it pays for against the need and the gap, the posts that go and
    their cost, what is left for core functions (when there is room), and up to two other
    scenarios against the reference."""
    names = list(rows)
    ref = rows[names[0]]
    base_year = str(ref.index[0])
    at = ref.loc[year]
    upto = ref.iloc[: list(ref.index).index(year) + 1]
    first_year = str(ref.index[1]) if len(ref.index) > 1 else base_year
    first = [
        wording.allowance(place_name, year, base_year, at["allowance_gbp"], at["real_change_vs_base"], _basis(at)),
        wording.workforce(at["affordable_wte"], at["required_wte"], at["wte_gap"], at["funding_gap_gbp"]),
    ]
    core = wording.core_capacity(at["core_capacity_wte"], at["required_core_wte"])
    posts = wording.redundancy(year, first_year, at["redundancies_wte"], at["redundancy_cost_gbp"],
                               float(upto["redundancies_wte"].sum()), float(upto["redundancy_cost_gbp"].sum()))
    comparisons = []
    for name in names[1:]:
        other = rows[name]
        if str(other.index[0]) != base_year:
            continue
        row = other.loc[year]
        comparisons.append(wording.comparison(name, names[0], year, base_year, row["real_change_vs_base"],
                                              at["real_change_vs_base"], row["wte_gap"], at["wte_gap"]))
    caution = programme_pay_caution(rows)
    if caution and comparisons:
        comparisons[0] = wording.join(comparisons[0], caution)
    messages = [*first, posts, *comparisons[:2]]
    if len(messages) < MAX_MESSAGES:
        messages.insert(2, core)
    return messages[:MAX_MESSAGES]


def programme_pay_caution(rows: dict[str, pd.DataFrame]) -> wording.Sentence | None:
    """A warning when some scenarios count programme-funded pay in the allowance and others do not."""
    counting = [n for n, r in rows.items() if "programme_pay_allowance_gbp" in r
                and float(r["programme_pay_allowance_gbp"].iloc[0]) > 0]
    if not counting or len(counting) == len(rows):
        return None
    return wording.programme_pay_caution(counting, [n for n in rows if n not in counting])


# ---------------------------------------------------------------------------------------------
# The headline table


def headline(results: pd.DataFrame, rows: dict[str, pd.DataFrame], names: list[str], place: str,
             place_name: str, year: str, base_year: str, number: int) -> Table:
    """The compare table's measures for the place and year, one column per scenario, then each
    scenario's difference from the reference; a row for the basis of the allowance where the
    results say which figures are published."""
    table = headline_table(results, names, year, place)
    units = list(table["unit"])
    body = []
    for i, spec in enumerate(HEADLINES):
        unit = units[i]
        cells = [wording.cell(float(table.iloc[i][name]), unit) for name in names]
        diffs = [wording.cell(float(table.iloc[i][f"{name} - {names[0]}"]), unit, difference=True)
                 for name in names[1:]]
        body.append((spec.label, _unit_label(unit, base_year, spec.name), *cells, *diffs))
    if any(_basis(r.loc[year]) for r in rows.values()):
        body.insert(1, ("Basis of the allowance", "", *(_basis(rows[n].loc[year]) or "projected" for n in names),
                        *("" for _ in names[1:])))
    header = ("Measure", "Unit", *names, *(f"{n} {MINUS} {names[0]}" for n in names[1:]))
    notes = [f"Cash unless stated; real terms in {base_year} prices. WTE: whole-time equivalents. Negative gaps "
             "are shortfalls. Differences of percentages are in percentage points. Figures are rounded "
             "independently, so they may not add up exactly."]
    if len(body) > len(HEADLINES):
        notes.append("Basis of the allowance: published is NHS England's published figure for the organisation; "
                     "restated is summed or apportioned from published figures of other organisations; projected "
                     "is from the scenario's rules.")
    return Table(number, f"Headline figures for {place_name}, {year}", header, tuple(body),
                 (False, False, *(True for _ in header[2:])), tuple(notes))


def _unit_label(unit: str, base_year: str, name: str) -> str:
    if unit == "£m":
        return f"£m, {base_year} prices" if name.endswith("_real_gbp") else "£m, cash"
    return unit


# ---------------------------------------------------------------------------------------------
# Figures


WATERFALL_LABELS = ("Cut and envelope (core, cash)", "Delegated functions added (cash)",
                    "Inflation: buying power lost")


def waterfall_steps(rows: pd.DataFrame, base_year: str, year: str) -> list[tuple[str, float, bool]]:
    """(label, £, total?) from the base-year allowance to ``year``'s in base-year prices: the base
    allowance, the change in the core allowance (cash), the change in delegated budgets (cash),
    inflation (cash minus real) and the allowance in real terms. The changes add up to the last."""
    b, y = rows.loc[base_year], rows.loc[year]
    return [
        (f"{base_year} allowance", float(b["allowance_gbp"]), True),
        (WATERFALL_LABELS[0], float(y["core_allowance_gbp"] - b["core_allowance_gbp"]), False),
        (WATERFALL_LABELS[1], float(y["delegated_allowance_gbp"] - b["delegated_allowance_gbp"]), False),
        (WATERFALL_LABELS[2], float(y["allowance_real_gbp"] - y["allowance_gbp"]), False),
        (f"{year} allowance, {base_year} prices", float(y["allowance_real_gbp"]), True),
    ]


def figures(rows: dict[str, pd.DataFrame], place_name: str, year: str, base_year: str) -> list[Figure]:
    """Figure 1, the allowance; 2, the workforce; 3, the waterfall; each with its caption and alt text."""
    from model.output.briefing import charts

    names = list(rows)
    years = [y for y in rows[names[0]].index if all(y in r.index for r in rows.values())]

    def lines(column: str, scale: float = 1.0, published: bool = False) -> list[charts.Line]:
        out = []
        for name, r in rows.items():
            r = r.loc[years]
            marks = [(_basis(row) == "published") for _, row in r.iterrows()] if published else []
            out.append(charts.Line(name, years, list(r[column].to_numpy(dtype=float) / scale), marks))
        return out

    ref = rows[names[0]]
    first, last = years[0], years[-1]
    cash = lines("allowance_gbp", 1e6, published=True)
    any_published = any(any(line.published) for line in cash)
    alt1 = wording.allowance_chart_alt(
        place_name, first, last, names[0], ref.loc[first, "allowance_gbp"], ref.loc[last, "allowance_gbp"],
        ref.loc[last, "allowance_real_gbp"],
        [(n, rows[n].loc[last, "allowance_gbp"], rows[n].loc[last, "allowance_real_gbp"]) for n in names[1:]])
    fig1 = Figure(1, f"The allowance for {place_name} by year, in cash and in {base_year} prices (£m). The dotted "
                     f"line marks {year}." + (" Circled points are NHS England's published figures."
                                              if any_published else ""), alt1.text,
                  charts.allowance_chart(cash, lines("allowance_real_gbp", 1e6), base_year, year))
    alt2 = wording.workforce_chart_alt(
        place_name, first, last, year, names[0], ref.loc[year, "affordable_wte"], ref.loc[year, "required_wte"],
        [(n, rows[n].loc[year, "affordable_wte"], rows[n].loc[year, "required_wte"]) for n in names[1:]])
    fig2 = Figure(2, f"Staff the allowance pays for (solid lines) against the staff core and delegated functions "
                     f"need (dashed lines), {place_name}, whole-time equivalents (WTE).", alt2.text,
                  charts.workforce_chart(lines("affordable_wte"), lines("required_wte"), year))
    steps = {name: waterfall_steps(r, base_year, year) for name, r in rows.items() if base_year in r.index}
    ref_steps = steps[names[0]]
    alt3 = wording.waterfall_chart_alt(place_name, base_year, year, names[0], *(value for _, value, _ in ref_steps))
    fig3 = Figure(3, f"From the {base_year} allowance to the {year} allowance in {base_year} prices (£m), "
                     f"{place_name}: the change in the core allowance, the budgets delegated functions brought, and "
                     "the buying power lost to inflation. Hatched bars take money away.", alt3.text,
                  charts.waterfall_chart([(name, [charts.Step(label, value / 1e6, total)
                                                  for label, value, total in s]) for name, s in steps.items()],
                                         base_year))
    return [fig1, fig2, fig3]


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
    turnover = wording.percent(float(reference.value("workforce.turnover_rate")))
    months = float(reference.value("workforce.redundancy_months"))
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


def reproduce_blocks(scenarios: Sequence[Scenario], place: str, year: str, command: str | None) -> list[Block]:
    """The exact command and every input file with its sha256."""
    refs = [scenario_ref(s) for s in scenarios]
    command = command or (f"icb-model briefing {' '.join(_quoted(r) for r in refs)} --icb {place} --year {year} "
                          "--out briefing/")
    rows = []
    seen: set[Path] = set()
    for scenario in scenarios:
        files = [(Path(f), "scenario file" if i == len(scenario.chain) - 1 else "extended by " + scenario.name)
                 for i, f in enumerate(scenario.chain)]
        table = scenario.tree.get("icbs", {}).get("table")
        if table is not None and table.value:
            path = Path(table.value)
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


# ---------------------------------------------------------------------------------------------
# The whole document


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
    has_basis = any(_basis(row) for r in rows.values() for _, row in r.iterrows())
    created = created or date.today()
    messages = key_messages(rows, place_name, year)
    n_icbs = results.loc[(results["scenario"] == names[0]) & (results["icb_code"] != ENGLAND), "icb_code"].nunique()
    organisation = f"England ({n_icbs} ICBs)" if place == ENGLAND else f"{place_name} ({place})"
    start, end = year.split("/")
    facts = (
        ("Organisation", organisation),
        ("Financial year", f"{year} (April {start} to March {start[:2]}{end})"),
        ("Date", f"{created.day} {created:%B %Y}"),
        ("Scenarios", ", ".join([f"{names[0]} (reference)", *names[1:]])),
        ("Model", f"ICB running-cost model {__version__}"),
        *((f"Content sha256, {s.name}", s.content_hash()) for s in scenarios),
    )
    figs = figures(rows, place_name, year, base_year)
    blocks: list[Block] = [
        Heading(2, "Key messages", "messages"),
        Para(f"Under {names[0]}, the reference scenario, unless a message says otherwise.", note=True),
        Items(tuple(m.text for m in messages), ordered=True),
        Heading(2, "Headline figures", "headline"),
        headline(results, rows, names, place, place_name, year, base_year, 1),
        Heading(2, "The allowance, the staff it pays for and the gap", "charts"),
        *figs,
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
        *reproduce_blocks(scenarios, place, year, command),
    ]
    blocks = _number_tables(blocks)
    return Document(
        title=f"Running costs: {place_name}, {year}",
        kicker="Board briefing",
        place_code=place,
        place_name=place_name,
        year=year,
        base_year=base_year,
        scenarios=tuple(names),
        facts=facts,
        messages=tuple(messages),
        blocks=tuple(blocks),
        footer=f"Board briefing: {place_name}, {year} · ICB running-cost model {__version__}",
        created=created,
        figures=tuple(figs),
    )


def _number_tables(blocks: list[Block]) -> list[Block]:
    """Tables numbered 1, 2, ... in the order they appear."""
    out, number = [], 0
    for block in blocks:
        if isinstance(block, Table):
            number += 1
            block = Table(number, block.caption, block.header, block.rows, block.numeric, block.notes)
        out.append(block)
    return out
