"""Values together with where they came from.

Every number the model uses is held as a :class:`Param` (one value) or a :class:`Series` (one value
per financial year), and each value carries a :class:`Provenance`: the file and line that set it and,
when the file gave them, its source, status, note and unit. Provenance is kept through a run so that
any figure can be traced back to what it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.periods import parse_year, series_lookup

STATUSES = ("sourced", "inference", "assumption")
"""The allowed ``status`` values: a source states it / worked out from sourced figures / a judgement."""

PROVENANCE_KEYS = ("unit", "source", "status", "note")
"""Keys that may stand beside a value in a scenario file: ``{value: 0.3, unit: ..., source: ...}``."""

DEFAULT_FILE = "<default>"
"""The ``file`` of a value no scenario file set: the model's own default for an optional key."""


@dataclass(frozen=True)
class Provenance:
    """Where a value came from.

    ``file`` is a display path (relative to the project root when inside it), ``line`` is 1-based,
    ``status`` is one of :data:`STATUSES` or None, ``unit`` is the schema's unit for the key.
    """

    file: str
    line: int | None
    source: str | None = None
    status: str | None = None
    note: str | None = None
    unit: str | None = None

    def location(self) -> str:
        """``FILE:LINE``, or ``FILE`` when the line is not known."""
        return self.file if self.line is None else f"{self.file}:{self.line}"

    def describe(self) -> str:
        """One line for people: the source (or the note), the status, and where it was set."""
        parts = [text for text in (self.source or self.note, self.status and f"({self.status})") if text]
        parts.append("model default" if self.file == DEFAULT_FILE else f"set in {self.location()}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Param:
    """One value with its provenance.

    ``value`` is a float (every number is held as a float), a str (words, months ``YYYY-MM``, year
    labels ``YYYY/YY``, paths), a bool (flags), None (an absent envelope or a go-live that never
    happens) or a tuple of str (``icbs.include`` when it lists codes and regions).
    """

    value: object
    prov: Provenance

    def number(self) -> float:
        """The value of a number (or of one year of a series), which is always held as a float."""
        if isinstance(self.value, float):
            return self.value
        raise TypeError(f"{self.prov.location()}: expected a number, got {self.value!r}")

    def text(self) -> str:
        """The value of a word, year label, month or path, which is always held as a str."""
        if isinstance(self.value, str):
            return self.value
        raise TypeError(f"{self.prov.location()}: expected text, got {self.value!r}")


@dataclass(frozen=True)
class Series:
    """A per-year series (SPEC section 2).

    ``points`` maps year labels ``YYYY/YY`` to values. ``before`` is a bare number the series was
    given as (or merged over): the value in years before the first listed year, or in every year
    when no year is listed. At least one of the two is always set.
    """

    points: dict[str, Param]
    before: Param | None = None

    def values(self, labels: list[str]) -> list[float]:
        """The series' value in each of the year labels ``labels``."""
        points = {parse_year(label): param.number() for label, param in self.points.items()}
        before = None if self.before is None else self.before.number()
        return series_lookup(points, [parse_year(label) for label in labels], before)

    def param_for(self, label: str) -> Param:
        """The Param that supplies the value in year ``label`` (a listed point, or ``before``)."""
        year = parse_year(label)
        earlier = [lab for lab in self.points if parse_year(lab) <= year]
        if earlier:
            return self.points[max(earlier, key=parse_year)]
        if self.before is not None:
            return self.before
        return self.points[min(self.points, key=parse_year)]

    def last_listed(self) -> str | None:
        """The latest listed year label, or None when the series is a bare number."""
        return max(self.points, key=parse_year) if self.points else None
