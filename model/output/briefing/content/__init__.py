"""What the briefing says, in the order a board reads it, as plain blocks any renderer lays out.

:func:`compose` turns results (SPEC section 6 rows) and the scenarios that made them into a
:class:`Document`: a title block, key messages written from the numbers by
:mod:`~model.output.briefing.wording`, the headline table, three charts, what each scenario
changes from the base with the source and status of every changed value, the method, the limits
of the data and how to reproduce the figures. The renderers (``html``, ``word``; the PDF is
printed from the HTML) only lay these blocks out, so the three formats say the same.

The modules, in the order the paper uses them: :mod:`.blocks` (the block types and the
:class:`Document`), :mod:`.selection` (the place's rows and the year), :mod:`.summary` (key
messages and the headline table), :mod:`.figures` (the three charts with captions and alt text),
:mod:`.sources` (what each scenario changes, the method, the limits, how to reproduce) and
:mod:`.document` (:func:`compose`, the whole paper).
"""

from model.output.briefing.content.blocks import Block, Code, Document, Figure, Heading, Items, Para, Table
from model.output.briefing.content.document import compose
from model.output.briefing.content.figures import waterfall_steps
from model.output.briefing.content.selection import ENGLAND, PREFERRED_YEAR, choose_year, place_rows
from model.output.briefing.content.summary import MAX_MESSAGES, headline, key_messages

__all__ = [
    "ENGLAND",
    "MAX_MESSAGES",
    "PREFERRED_YEAR",
    "Block",
    "Code",
    "Document",
    "Figure",
    "Heading",
    "Items",
    "Para",
    "Table",
    "choose_year",
    "compose",
    "headline",
    "key_messages",
    "place_rows",
    "waterfall_steps",
]
