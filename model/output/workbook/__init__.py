"""The model itself as a live Excel workbook: every figure a formula that traces back to an input.

``icb-model workbook`` writes it (see :mod:`model.cli.workbook`); ``docs/workbook.md`` is the
reader's guide. Sheets:

- **About**: what the workbook is, how to use it, and a link to every sheet (:mod:`.about`).
- **Inputs**: every engine input of the resolved scenario with its unit, status, source and the
  file and line that set it; per-year series with years across columns; the go-live rules
  (default, by region) and the ICB table (population, own base-year RCA, go-live set for the
  ICB, and the go-live used, derived by formula). Input cells are yellow and carry names
  (``pay_share``, ``pay_award``, ``golive_dentistry``...) (:mod:`.inputs_sheet`,
  :mod:`.icb_table`).
- **England**: the sum of the ICB sheets, ratios recomputed from the sums (:mod:`.england`).
- **Checks**: live TRUE/FALSE: the base year balances, England equals the sum of the ICBs, no
  negative WTE (:mod:`.checks`).
- **one sheet per ICB** (named by its ODS code): years across columns, one row per quantity of
  SPEC sections 3 to 5 in the order the methodology explains them (:mod:`.icb_sheet`, on the
  columns and rows every calculation sheet shares, :mod:`.calc`). Column D holds quantities
  that have one value per ICB (base-year RCA, a function's go-live year...). Every cell is a
  formula referring to Inputs or to rows above it (or, for a running total, to the year before).

Formulas use only IF, AND, OR, NOT, MIN, MAX, ABS, INT, SUM, INDEX, MATCH, ISNUMBER, YEAR,
MONTH, LEFT and VALUE, which behave the same in Excel and LibreOffice; nothing volatile, no
macros.

The package has two layers. :func:`plan_workbook` (:mod:`.build`) lays out every cell (its
formula text, the value the formula should give, its style) in plain Python as a :class:`Plan`
(:mod:`.plan`) and needs no spreadsheet library; :func:`write_workbook` (:mod:`.writer`) writes a
plan with xlsxwriter, storing each formula's expected value as its cached result so the file
shows numbers before any recalculation. Expected values come from the engine
(:func:`model.engine.run`) for every quantity the engine reports, and from the same arithmetic,
written out row by row, for the steps in between (S[t], a function's budget...). Cells that show
an engine figure carry an ``engine`` tag so that tests can compare them with an engine run on
changed inputs. What a workbook is built from is a :class:`WorkbookSpec` (:mod:`.spec`).
"""

from model.output.workbook.build import plan_workbook
from model.output.workbook.checks import CHECK_TOLERANCE
from model.output.workbook.plan import (
    ALLOWED_FUNCTIONS,
    NEVER,
    NO_ENVELOPE,
    Cell,
    Plan,
    Sheet,
    a1,
    col_name,
    functions_used,
    month_serial,
    quote_sheet,
    safe_sheet_name,
    sheet_names,
)
from model.output.workbook.spec import (
    GoLiveRules,
    OtherSetting,
    Source,
    WorkbookSpec,
    spec_from_inputs,
    spec_from_scenario,
)
from model.output.workbook.writer import write_workbook

__all__ = [
    "ALLOWED_FUNCTIONS", "CHECK_TOLERANCE", "NEVER", "NO_ENVELOPE", "Cell", "GoLiveRules", "OtherSetting",
    "Plan", "Sheet", "Source", "WorkbookSpec", "a1", "col_name", "functions_used", "month_serial",
    "plan_workbook", "quote_sheet", "safe_sheet_name", "sheet_names", "spec_from_inputs", "spec_from_scenario",
    "write_workbook",
]
