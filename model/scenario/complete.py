"""Completing a merged scenario: optional keys take their defaults (from keys.yaml) and required
keys that no file of the chain sets are reported."""

from __future__ import annotations

from model import schema
from model.provenance import DEFAULT_FILE, Param, Provenance
from model.scenario.resolved import Node
from model.scenario.yamlio import Issue, dotted
from model.schema import KeyPath, KeySpec

META_KEYS = ("name", "description", "extends")
"""Top-level keys that describe a file rather than set a value; they are not in the tree."""


def complete(tree: dict[str, Node], parts: KeyPath, file: str, partial: bool, bad: set[KeyPath],
              issues: list[Issue]) -> bool:
    """Fill defaults of optional keys in ``tree`` (at ``parts``) and report required keys missing,
    in ``file`` (the first file of the chain); ``partial`` when that file is not the base.

    Returns whether every required key is there (keys dropped for an issue already reported are
    missing but not reported again).
    """
    if parts == ("uncertainty",):
        for key in [key for key, value in tree.items() if isinstance(value, Param)]:
            del tree[key]
        return True
    whole = True
    for name in schema.child_keys(parts):
        child = (*parts, name)
        spec = schema.spec_for(child)
        assert spec is not None  # child_keys names keys of the schema
        if parts == () and name in META_KEYS:
            continue
        if name not in tree and not spec.required:
            tree[name] = _default(spec)
        node = tree.get(name)
        if node is None:
            whole = False
            if not any(child[: len(b)] == b for b in bad):
                issues.append(Issue(file, None, dotted(child), _missing_message(child, spec, partial)))
        elif isinstance(node, dict):
            whole = complete(node, child, file, partial, bad, issues) and whole
    return whole


def _default(spec: KeySpec) -> Node:
    """The default value of an optional key, with provenance saying it is the model's default."""
    if spec.kind == "section":
        return {}
    return Param(spec.default, Provenance(DEFAULT_FILE, None, unit=spec.unit,
                                          note="not set in any scenario file: the model's default"))


def _missing_message(parts: KeyPath, spec: KeySpec, partial: bool) -> str:
    """The message for a required key the resolved scenario lacks."""
    wanted = f"a section with {', '.join(schema.child_keys(parts))}" if spec.kind == "section" else spec.expects()
    where = f"`{parts[-1]}:` under `{dotted(parts[:-1])}:`" if len(parts) > 1 else f"`{parts[0]}:`"
    also = ", or start from the base with `extends: base`" if partial else ""
    return f"missing: every scenario needs {spec.label.lower()}, {wanted}. Add {where}{also}."


