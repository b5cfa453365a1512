"""Scenarios: reading, ``extends`` chains, merging and validation (SPEC sections 3 and 7).

A scenario is read from a file (:func:`load_scenario`) or from text (:func:`load_text`, for
uploads), or made by laying a document of changes over a resolved scenario (:func:`overlay`,
the dashboard's sliders). In each case every document is normalised against the schema
(:mod:`~model.scenario.normalise`), merged onto the scenario it extends by one function
(:func:`~model.scenario.merge.merge_trees`), completed with defaults, checked as a whole and
joined to its ICB table. Every problem found on the way is collected as an :class:`Issue`; a
failed load raises one :class:`ScenarioError` listing them all, and :func:`check_files` returns
them.

The package's modules, in the order a load uses them: ``files`` (finding files and the extends
chain), ``yamlio`` (safe, line-numbered YAML), ``normalise`` (values against the schema, with
``values`` for the messages and ``uncertainty`` for distributions), ``merge``, ``complete``,
``checks`` (whole-scenario checks), ``icb_table`` and ``resolved`` (the :class:`Scenario`).
"""

from __future__ import annotations

from functools import reduce
from pathlib import Path

from model.periods import year_labels
from model.scenario.checks import (
    MAX_HORIZON_YEARS,
    MAX_ICB_YEARS,
    check_go_live_keys,
    check_resolved,
    check_series_years,
    size_problem,
)
from model.scenario.complete import complete
from model.scenario.files import BASE_FILE, BASE_NAME, SCENARIO_DIR, Context, Layer, find_root, read_chain, start_file
from model.scenario.icb_table import IcbTable
from model.scenario.merge import merge_trees, plain
from model.scenario.normalise import Normaliser
from model.scenario.organisations import resolve_history, restrict
from model.scenario.published import resolve_published
from model.scenario.resolved import Node, Scenario, param, section
from model.scenario.uncertainty import check_uncertainty
from model.scenario.yamlio import Document, Issue, parse_yaml, read_yaml

__all__ = ["BASE_FILE", "BASE_NAME", "MAX_HORIZON_YEARS", "MAX_ICB_YEARS", "SCENARIO_DIR", "IcbTable", "Issue",
           "Scenario", "ScenarioError", "check_files", "find_root", "format_issues", "load_scenario", "load_text",
           "merge_trees", "overlay", "size_problem"]


class ScenarioError(Exception):
    """A scenario that cannot be used; ``issues`` lists every problem found."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = list(issues)
        super().__init__(format_issues(self.issues))


def format_issues(issues: list[Issue]) -> str:
    """The issues, one per line, as ``file:line, dotted.path | what is wrong. how to fix it.``"""
    return "\n".join(str(issue) for issue in issues)


def load_scenario(ref: str | Path, root: Path) -> Scenario:
    """Load, merge and validate a scenario.

    ``ref`` is ``base`` (``root/assumptions.yaml``), a scenario name (``root/scenarios/NAME.yaml``)
    or a path (a relative one from the current directory). Raises ScenarioError listing every
    issue found.
    """
    return _raise_unless(_load_file(ref, Context(root.resolve())))


def load_text(text: str, root: Path, display: str = "scenario.yaml") -> Scenario:
    """Load, merge and validate a scenario given as YAML text, named ``display`` in messages.

    It may extend a scenario of ``root`` by name, but may not name files of its own (an
    ``extends`` path or an ``icbs.table``): text that came from a browser never makes the model
    read a file. Raises ScenarioError listing every issue found.
    """
    doc, issues = parse_yaml(text, display)
    if doc is None:
        raise ScenarioError(issues)
    return _raise_unless(_resolve(Layer(doc, None), Context(root.resolve()), issues))


def overlay(scenario: Scenario, changes: dict[str, object], name: str, display: str,
            description: str = "") -> Scenario:
    """``scenario`` with the values of the document ``changes`` laid over it, as a scenario file
    that ``extends`` it and holds ``changes`` would give (the same normalising, merging and
    checks). ``name`` and ``description`` describe the result; ``display`` is where its values
    were set (for their provenance). Raises ScenarioError when a change is not valid.
    """
    issues: list[Issue] = []
    ctx = Context(scenario.root)
    tree, bad = Normaliser(Layer(Document(display, changes, {}), None), ctx, issues).document()
    check_series_years(tree, [scenario.tree], issues)
    if issues:
        raise ScenarioError(issues)
    merged = plain(merge_trees(scenario.tree, tree))
    return _raise_unless(_finish(merged, bad, ctx, issues, name, description, scenario.file, scenario.chain, display,
                                 False, like=scenario))


FACT_KEYS = (("icbs",), ("horizon",), ("organisations",), ("allowance", "use_published"), ("allowance", "published"))
"""What a scenario's ICBs, organisations over time and published allowances rest on besides the
files they name: which ICBs run, the horizon, the organisation changes, and the published keys."""


def _same_facts(tree: dict[str, Node], other: dict[str, Node]) -> bool:
    """Whether two complete trees give the same ICBs, organisations over time and published
    allowances (read from the same root folder)."""

    def at(node: object, path: tuple[str, ...]) -> object:
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        return node

    return all(at(tree, path) == at(other, path) for path in FACT_KEYS)


def check_files(paths: list[Path], root: Path) -> list[Issue]:
    """Every issue in each scenario file of ``paths`` (and the files they extend), each once."""
    ctx = Context(root.resolve())
    found: dict[Issue, None] = {}
    for path in paths:
        found.update(dict.fromkeys(_load_file(Path(path), ctx)[1]))
    return list(found)


def _raise_unless(loaded: tuple[Scenario | None, list[Issue]]) -> Scenario:
    """The scenario, or ScenarioError listing each issue once (in the order found)."""
    scenario, issues = loaded
    if issues or scenario is None:
        raise ScenarioError(list(dict.fromkeys(issues)))
    return scenario


def _load_file(ref: str | Path, ctx: Context) -> tuple[Scenario | None, list[Issue]]:
    """The scenario of the file ``ref`` names, and every issue found."""
    path, issues = start_file(ref, ctx)
    if path is None:
        return None, issues
    doc, read_issues = read_yaml(path, ctx.display(path))
    issues.extend(read_issues)
    if doc is None:
        return None, issues
    return _resolve(Layer(doc, path), ctx, issues)


def _resolve(first: Layer, ctx: Context, issues: list[Issue]) -> tuple[Scenario | None, list[Issue]]:
    """Read the chain ``first`` extends, then normalise, merge, complete and check it."""
    layers, chain_complete = read_chain(first, ctx, issues)
    trees, bad = [], set()
    for layer in layers:
        tree, layer_bad = Normaliser(layer, ctx, issues).document()
        trees.append(tree)
        bad |= layer_bad
    for at, tree in enumerate(trees):
        check_series_years(tree, trees[at + 1:], issues)
    if not chain_complete:
        return None, issues
    own = first.doc.data if isinstance(first.doc.data, dict) else {}
    file = first.file or Path(first.doc.file)
    last = layers[-1]
    partial = last.file is None or last.file.name != BASE_FILE
    chain = tuple(layer.file or Path(layer.doc.file) for layer in reversed(layers))
    return _finish(plain(reduce(merge_trees, reversed(trees), {})), bad, ctx, issues,
                   own.get("name") or file.stem, own.get("description") or "", file, chain, last.doc.file, partial)


def _finish(tree: dict[str, Node], bad: set[tuple[str, ...]], ctx: Context, issues: list[Issue], name: str,
            description: str, file: Path, chain: tuple[Path, ...], base_file: str,
            partial: bool, like: Scenario | None = None) -> tuple[Scenario | None, list[Issue]]:
    """Complete a merged tree with defaults, check it as a whole and make the Scenario. ``like``: a
    valid scenario the tree was laid over, whose ICBs, organisations over time and published
    allowances are taken as they are when the tree leaves everything they rest on unchanged (the
    dashboard lays an overlay over its start at every slider move; reading the tables again gives
    the same, and a custom run kept by the page then holds no copy of its start's organisations)."""
    if not complete(tree, (), base_file, partial, bad, issues):
        return None, issues
    checked = check_resolved(tree, ctx, issues)
    if checked is None:
        return None, issues
    table, rows = checked
    years = year_labels(param(section(tree["horizon"])["base_year"]).text(),
                        param(section(tree["horizon"])["end_year"]).text())
    if not years:
        return None, issues
    too_big = size_problem(len(rows), len(years), MAX_ICB_YEARS, "this scenario runs")
    if too_big:
        end = param(section(tree["horizon"])["end_year"]).prov
        issues.append(Issue(end.file, end.line, "horizon.end_year", too_big))
        return None, issues
    kept = like if like is not None and like.root == ctx.root and _same_facts(tree, like.tree) else None
    if kept is not None and kept.full_history is not None:
        full, history, icbs, published = kept.full_history, kept.history, kept.icbs, kept.published
    else:
        kept = None
        resolved = resolve_history(param(section(tree["organisations"])["changes"]), ctx.root, table, years, issues)
        if resolved is None:
            return None, issues
        full, history, icbs = resolved, restrict(resolved, rows), table.select(rows)
    changes = " or an organisation change" if len(full.eras) > 1 else ""
    check_go_live_keys(tree, "by_icb", list(dict.fromkeys(code for era in full.eras for code in era.codes())),
                       f"ICB code '{{}}': it is not in {param(section(tree['icbs'])['table']).text()}{changes}", issues)
    if kept is None:
        published = resolve_published(section(tree["allowance"]), ctx.root, full, history, years, issues)
    scenario = Scenario(name=name, description=description, file=file, chain=chain, root=ctx.root, tree=tree,
                        icbs=icbs, history=history, published=published, full_history=full)
    if scenario.years:
        check_uncertainty(scenario, issues)
    return (None if issues else scenario), issues
