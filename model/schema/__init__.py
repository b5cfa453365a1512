"""The schema as data: every scenario key (keys.yaml), every results column (columns.yaml) and
every unit (units.yaml), declared once.

Loading and validation (:mod:`model.scenario`), the engine's inputs, rounding and units of
results, chart axes, the audit workbook's Inputs sheet and the dashboard's controls all derive
from these declarations:

- :mod:`model.schema.keys`: :class:`KeySpec` and :func:`spec_for` for the keys of a scenario file;
- :mod:`model.schema.parameters`: what a parameter path (SPEC section 8) names;
- :mod:`model.schema.columns`: :class:`ColumnSpec` for the columns of results.csv;
- :mod:`model.schema.units`: how a unit is written and displayed.
"""

from model.schema.columns import (
    COLUMN_NAMES,
    COLUMNS,
    CONTRACT_COLUMNS,
    HEADLINES,
    METRICS,
    ColumnSpec,
    column,
    is_column,
)
from model.schema.keys import (
    FUNCTIONS,
    KINDS,
    NUMERIC_KINDS,
    ROLES,
    SCHEMA,
    WILDCARDS,
    KeyPath,
    KeySpec,
    child_keys,
    expand,
    key_parts,
    spec_for,
)
from model.schema.parameters import (
    DISTRIBUTIONS,
    MAX_SHIFT_MONTHS,
    MODES,
    ParameterError,
    ParameterRef,
    ScenarioLike,
    change_problem,
    changed,
    did_you_mean,
    parameter_paths,
    percent_hint,
    resolve_parameter,
    role_of,
    timing_paths,
    value_problem,
)
from model.schema.units import UNITS, Display, Unit, unit

__all__ = [
    "COLUMNS", "COLUMN_NAMES", "CONTRACT_COLUMNS", "DISTRIBUTIONS", "FUNCTIONS", "HEADLINES", "KINDS",
    "MAX_SHIFT_MONTHS", "METRICS", "MODES", "NUMERIC_KINDS", "ROLES", "SCHEMA", "UNITS", "WILDCARDS", "ColumnSpec",
    "Display", "KeyPath", "KeySpec", "ParameterError", "ParameterRef", "ScenarioLike", "Unit", "change_problem",
    "changed", "child_keys", "column", "did_you_mean", "expand", "is_column", "key_parts", "parameter_paths",
    "percent_hint", "resolve_parameter", "role_of", "spec_for", "timing_paths", "unit", "value_problem",
]
