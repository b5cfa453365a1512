"""The model itself as a live Excel workbook: every figure a formula that traces back to an input.

``icb-model workbook`` writes it (see :mod:`model.cli.workbook`); ``docs/workbook.md`` is the
reader's guide. Sheets:

- **About**: what the workbook is, how to use it, and a link to every sheet with the code it
  stands for (:mod:`.about`).
- **Inputs**: every engine input of the resolved scenario with its unit, status, source and the
  file and line that set it; per-year series with years across columns; the go-live rules and the
  ICB table (:mod:`.icb_table`); where the organisations change, the changes' shares and the
  pieces with their go-live by era (:mod:`.pieces_table`); the published allowances
  (:mod:`.published_table`). Input cells are yellow and carry names (``pay_share``,
  ``pay_award``, ``golive_dentistry``, ``use_published``...) (:mod:`.inputs_sheet`).
- **England**: the sum of the organisations' sheets, ratios recomputed from the sums
  (:mod:`.england`).
- **Checks**: live TRUE/FALSE: the base year balances, England equals the sum of the
  organisations, no negative WTE, published figures are met, shares add up to 1 (:mod:`.checks`).
- **one sheet per organisation of the chosen footprint** (named by its code): years across
  columns; its pieces' rows (:mod:`.piece_rows`), the published figure, k and staff pool of its
  organisation (:mod:`.org_rows`) and its figures on the footprint (:mod:`.unit_rows`), laid out
  by :mod:`.calc_sheets` on the rows every sheet starts with (:mod:`.national`, :mod:`.calc`).
  **Other organisations** holds the k and pools of the organisations of other years.

Formulas use only IF, AND, OR, NOT, MIN, MAX, ABS, INT, SUM, INDEX, MATCH, ISNUMBER, YEAR,
MONTH, LEFT and VALUE, which behave the same in Excel and LibreOffice; nothing volatile, no
macros.

The package has two layers. :func:`plan_workbook` (:mod:`.build`) lays out every cell (its
formula text, the value the formula should give, its style) in plain Python as a :class:`Plan`
(:mod:`.plan`) and needs no spreadsheet library; :func:`write_workbook` (:mod:`.writer`) writes a
plan with xlsxwriter, storing each formula's expected value as its cached result so the file
shows numbers before any recalculation. Expected values come from the engine
(:func:`model.engine.run`) for every quantity the engine reports, and from the same arithmetic
(:mod:`.solve` and the row modules) for the steps in between (k, S[t], a function's budget...).
Cells that show an engine figure carry an ``engine`` tag so that tests can compare them with an
engine run on changed inputs. What a workbook is built from is a :class:`WorkbookSpec`
(:mod:`.spec`), with its organisations over time (:mod:`.structure`).
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
