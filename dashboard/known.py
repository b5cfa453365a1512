"""Allowances a finance lead already knows, entered on the page for the ICB on screen.

A known allowance is a published figure the scenario did not have: for an organisation, a year
after the start's last published year, in £. The custom scenario takes each as published
(``allowance.published.figures``, SPEC section 10): in that year the organisation's allowance
equals it, and the rules project the years after from it. The page asks for £m; the scenario
file and the URL hold £ (to the penny).

Whatever the browser sends is checked here: amounts must read as a number of £m in a believable
range, years must be open for the organisation in the start, and no more than
:data:`MAX_FIGURES` figures are kept. What cannot be used leaves the figure as it was, with a
message saying why.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from dashboard.startpoint import StartPoint

MAX_FIGURES = 40
"""Most known allowances one custom scenario holds (more than one per ICB and year is never needed)."""
LOW_GBP_M, HIGH_GBP_M = 1.0, 1_000.0
"""A known allowance must be £1m to £1,000m: every ICB's is tens of £m (England's all together
is under £1,200m), so anything outside is a slip (most often pounds typed where £m is asked)."""
MAX_TEXT = 40
"""Longest text read from an amount box."""
_CLEAN = re.compile(r"[£,\s]")


@dataclass(frozen=True, order=True)
class KnownFigure:
    """An organisation's allowance for a year (£, cash), entered as known."""

    code: str
    year: str
    gbp: float


Known = tuple[KnownFigure, ...]
"""Known allowances, sorted by organisation and year."""


def open_years(sp: StartPoint, code: str) -> list[str]:
    """The years a known allowance can be entered for organisation ``code`` in start ``sp``: those
    after the start's last published year in which the organisation exists; none when the start
    projects by the rules alone (it takes no published figures) or has no such organisation."""
    if sp.published_last is None or code not in sp.exists:
        return []
    first, last = sp.exists[code]
    return [sp.labels[t] for t in range(max(sp.published_last + 1, first), last + 1)]


def parse_amount(text: object) -> float | str | None:
    """£ from what was typed in £m ('39.5', '£39.5m', '39.47'); None when blank; a message saying
    what to type when it cannot be read or is outside £1m to £1,000m."""
    if text is None:
        return None
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        return "this is not an amount. Type the allowance in £m, e.g. 39.5."
    raw = str(text)[:MAX_TEXT + 1]
    if len(raw) > MAX_TEXT:
        return "this is too long for an amount. Type the allowance in £m, e.g. 39.5."
    cleaned = _CLEAN.sub("", raw).removesuffix("m").removesuffix("M")
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        return f"'{raw.strip()}' is not a number. Type the allowance in £m, e.g. 39.5."
    if not math.isfinite(value) or value <= 0:
        return "an allowance is more than £0. Type it in £m, e.g. 39.5."
    if value > HIGH_GBP_M:
        return (f"£{value:,.0f}m is more than any ICB's allowance; the box takes £m (39.5 for £39,500,000). "
                f"Type £{LOW_GBP_M:,.0f}m to £{HIGH_GBP_M:,.0f}m.")
    if value < LOW_GBP_M:
        return f"£{value:g}m is less than any ICB's allowance. Type £{LOW_GBP_M:,.0f}m to £{HIGH_GBP_M:,.0f}m."
    return round(value * 1e6, 2)


def amount_text(gbp: float) -> str:
    """£ as the amount box shows it, in £m without trailing zeros: 35000000 -> '35'."""
    return f"{gbp / 1e6:.8f}".rstrip("0").rstrip(".")


def for_place(known: Known, code: str) -> dict[str, float]:
    """The known allowances of one organisation, by year."""
    return {k.year: k.gbp for k in known if k.code == code}


def typed(known: Known, code: str, entries: dict[str, object], sp: StartPoint) -> tuple[Known, list[str]]:
    """The known allowances once the boxes of organisation ``code`` (``entries``: year -> what was
    typed) were edited: its figures replaced by what is typed in its open years (a blank box
    removes the figure); anything that cannot be used keeps the figure it had, with a message."""
    before = for_place(known, code)
    kept: dict[str, float] = {}
    messages = []
    for year in open_years(sp, code):
        amount = parse_amount(entries.get(year))
        if isinstance(amount, str):
            had = f"£{before[year] / 1e6:,.2f}m" if year in before else "none"
            messages.append(f"{code} {year}: {amount} The figure stays as it was ({had}).")
            amount = before.get(year)
        if amount is not None:
            kept[year] = amount
    others = [k for k in known if k.code != code]
    mine = [KnownFigure(code, year, gbp) for year, gbp in kept.items()]
    if len(others) + len(mine) > MAX_FIGURES:
        messages.append(f"At most {MAX_FIGURES} known allowances can be entered; the last ones were not kept.")
    return tuple(sorted(others + mine)[:MAX_FIGURES]), messages


def to_text(known: Known) -> str:
    """Known allowances for the URL: 'S0E4D:2026/27:35000000,QYG:2027/28:39465259.95'."""
    return ",".join(f"{k.code}:{k.year}:{f'{k.gbp:.2f}'.rstrip('0').rstrip('.')}" for k in known)


def from_text(text: object, sp: StartPoint) -> Known:
    """Known allowances read back from the URL: only entries for an organisation and an open year
    of start ``sp`` with a believable amount in £ are kept, the first :data:`MAX_FIGURES` of them,
    one per organisation and year."""
    if not isinstance(text, str):
        return ()
    found: dict[tuple[str, str], float] = {}
    for item in text.split(",")[: MAX_FIGURES * 2]:
        parts = item.split(":")
        if len(parts) != 3:
            continue
        code, year, amount = parts[0].strip().upper(), parts[1].strip(), parts[2].strip()
        if year not in open_years(sp, code) or (code, year) in found:
            continue
        try:
            gbp = float(amount)
        except ValueError:
            continue
        if math.isfinite(gbp) and LOW_GBP_M * 1e6 <= gbp <= HIGH_GBP_M * 1e6:
            found[(code, year)] = round(gbp, 2)
    return tuple(sorted(KnownFigure(code, year, gbp) for (code, year), gbp in found.items()))[:MAX_FIGURES]
