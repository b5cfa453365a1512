"""Finding scenario files: the project folder, a scenario by name or path, and the chain of files
it ``extends`` (SPEC section 7).

A scenario is named (``base`` is ``assumptions.yaml``; other names are files in ``scenarios/``)
or given as a path. A scenario may also be given as text (an upload in the dashboard): such a
document may extend a scenario by name but may not name files of its own, so text from a browser
can never make the model read a file the project did not ship.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from model.scenario.values import shown
from model.scenario.yamlio import Document, Issue, file_kind, read_yaml, shorten
from model.schema import did_you_mean

BASE_NAME = "base"
BASE_FILE = "assumptions.yaml"
SCENARIO_DIR = "scenarios"
MAX_CHAIN = 64
"""Most files an ``extends`` chain may hold: scenarios extend one or two others; a longer chain is
a mistake (or an attack), and refusing it bounds the time a check takes."""
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

UNRESOLVABLE = ("cannot follow this path: it holds a character no path may hold, or symbolic links that "
                "go round in a loop. Check it.")
NO_FILES_FROM_TEXT = ("a scenario given as text (an upload) cannot name files; it may extend a shipped "
                      "scenario by name")


def find_root(start: Path | None = None) -> Path:
    """The project folder: the nearest folder at or above ``start`` (default: the current folder)
    holding assumptions.yaml, else the folder this package was installed from."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / BASE_FILE).is_file():
            return folder
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Context:
    """What resolving files needs: the project folder."""

    root: Path

    def display(self, path: Path) -> str:
        """``path`` relative to the root when inside it, else absolute."""
        resolved = resolved_path(path) or path
        return resolved.relative_to(self.root).as_posix() if resolved.is_relative_to(self.root) else str(resolved)

    def from_display(self, shown: str) -> Path:
        """Inverse of :meth:`display`."""
        return self.root / shown if not Path(shown).is_absolute() else Path(shown)

    def scenario_names(self) -> list[str]:
        """``base`` and the names of the scenarios in ``root/scenarios``."""
        return [BASE_NAME, *sorted(p.stem for p in (self.root / SCENARIO_DIR).glob("*.yaml"))]


def resolved_path(path: Path) -> Path | None:
    """``path`` made absolute with symbolic links followed, or None when that is impossible (a loop
    of links, a NUL character)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return None


def is_file(path: Path) -> bool:
    """Whether ``path`` is a file (False, not an error, for a name too long for the system)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


@dataclass(frozen=True)
class Layer:
    """One document of an extends chain, as read: from ``file``, or (``file`` None) given as
    text or data, which may not name files."""

    doc: Document
    file: Path | None

    @property
    def folder(self) -> Path | None:
        """The folder relative paths in the document start from (None: it may not name files)."""
        return None if self.file is None else self.file.parent


def start_file(ref: str | Path, ctx: Context) -> tuple[Path | None, list[Issue]]:
    """The file ``ref`` names (a scenario name, or a path from the current folder), or None and
    an Issue."""
    if isinstance(ref, str) and not is_path(ref):
        path, message = named_file(ref, ctx)
        kind = path_kind(Path(ref)) if message else None
        if message and kind:
            message = (f"'{ref}' here is {kind}, not a scenario file, and no scenario has that name. Give the path "
                       f"of a scenario file (.yaml), or name a scenario: {', '.join(ctx.scenario_names())}.")
        return (None, [Issue(ref, None, "", message)]) if message else (path, [])
    path = resolved_path(Path(ref))
    if path is None:
        return None, [Issue(shorten(str(ref), 200), None, "", UNRESOLVABLE)]
    if not is_file(path):
        kind = path_kind(path)
        what = f"this is {kind}, not a scenario file" if kind else "file not found"
        return None, [Issue(ctx.display(path), None, "", f"{what}. Check the path, or name a scenario: "
                                                        + ", ".join(ctx.scenario_names()) + ".")]
    return path, []


def path_kind(path: Path) -> str | None:
    """What is at ``path`` in words ('a folder', 'a named pipe (FIFO)'), or None when nothing is."""
    try:
        return file_kind(path.stat().st_mode)
    except (OSError, ValueError):
        return None


def is_path(ref: str) -> bool:
    """Whether an ``extends`` value or command-line reference is a path rather than a name."""
    return "/" in ref or "\\" in ref or ref.endswith((".yaml", ".yml"))


def named_file(name: str, ctx: Context) -> tuple[Path | None, str | None]:
    """The file of a scenario name (``base`` or a file in scenarios/), or None and what is wrong."""
    if name == BASE_NAME:
        path = ctx.root / BASE_FILE
    elif NAME_RE.match(name):
        path = ctx.root / SCENARIO_DIR / f"{name}.yaml"
    else:
        return None, (f"'{name}' is not a scenario name or a path. Name a scenario "
                      f"({', '.join(ctx.scenario_names())}) or give a path ending .yaml.")
    found = resolved_path(path)
    if is_file(path) and found is not None:
        return found, None
    where = BASE_FILE if name == BASE_NAME else f"{SCENARIO_DIR}/{name}.yaml"
    return None, f"no scenario '{name}' (looked for {where}). {did_you_mean(name, ctx.scenario_names())}"


def read_chain(first: Layer, ctx: Context, issues: list[Issue]) -> tuple[list[Layer], bool]:
    """``first`` and the files it extends, child first. Returns the layers read and whether the
    chain is complete (every file read, every extends found, no cycle, not too long)."""
    layers = [first]
    seen = {first.file} if first.file is not None else set()
    while True:
        layer = layers[-1]
        target, message = extends_target(layer, ctx)
        doc = layer.doc
        if message:
            issues.append(Issue(doc.file, doc.line(("extends",)), "extends", message))
            return layers, False
        if target is None:
            return layers, True
        if target in seen:
            names = " -> ".join([each.doc.file for each in layers] + [ctx.display(target)])
            issues.append(Issue(doc.file, doc.line(("extends",)), "extends",
                                f"extends goes round in a circle: {shorten(names, 400)}. Remove the extends "
                                "that closes the circle, or start one of these files from base."))
            return layers, False
        if len(layers) >= MAX_CHAIN:
            issues.append(Issue(doc.file, doc.line(("extends",)), "extends",
                                f"the extends chain is more than {MAX_CHAIN} files long. Start this scenario from "
                                "base or from a shipped scenario."))
            return layers, False
        read, read_issues = read_yaml(target, ctx.display(target))
        issues.extend(read_issues)
        if read is None:
            return layers, False
        seen.add(target)
        layers.append(Layer(read, target))


def extends_target(layer: Layer, ctx: Context) -> tuple[Path | None, str | None]:
    """The file ``layer`` extends (None if it extends nothing), or a message saying what is wrong."""
    data = layer.doc.data
    if not isinstance(data, dict) or "extends" not in data:
        return None, None
    ref = data["extends"]
    if layer.file is not None and layer.file.name == BASE_FILE and layer.file.parent == ctx.root:
        return None, "the base scenario cannot extend another. Remove extends from it."
    if not isinstance(ref, str) or not ref.strip():
        return None, (f"expected the scenario this one starts from, got {shown(ref)}. Write a scenario name "
                      "(e.g. base) or a path.")
    if not is_path(ref):
        return named_file(ref.strip(), ctx)
    if layer.folder is None:
        return None, (f"{NO_FILES_FROM_TEXT}. Write extends: and the name of a scenario "
                      f"({', '.join(ctx.scenario_names())}).")
    path = resolved_path(Path(ref) if Path(ref).is_absolute() else layer.folder / ref)
    if path is None:
        return None, f"'{shorten(ref)}': {UNRESOLVABLE}"
    if not is_file(path):
        kind = path_kind(path)
        if kind:
            return None, f"'{shorten(ref)}' is {kind}, not a scenario file. Name a scenario file (.yaml)."
        return None, (f"file not found: '{shorten(ref)}' (looked for {shorten(ctx.display(path), 200)}; paths are "
                      f"relative to this file). {did_you_mean(Path(ref).stem, ctx.scenario_names())}")
    return path, None
