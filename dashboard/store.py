"""The scenarios the page shows, run once and cached: shipped, custom and uploaded.

- Shipped scenarios (``base`` and every file in ``scenarios/``) are loaded and run at start, each
  once per content hash.
- The custom scenario is its start with the overlay document of the settings laid over it
  (:func:`dashboard.overlay.custom_scenario`), run over all ICBs and cached by the start's content
  hash and the document; its results carry its content hash, the one ``icb-model run`` gives the
  downloaded file.
- Uploads are validated by the project's safe loader from their text and kept by content hash.

Results are the ``results.csv`` table: £, fractions, WTE, one row per scenario, place and year.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.chartdata import Spread, spread
from dashboard.columns import Columns
from dashboard.controls import CUSTOM, Settings
from dashboard.known import Known
from dashboard.overlay import Edit, custom_scenario, describe, document, edits, scenario_yaml
from dashboard.places import Places, places_of
from dashboard.startpoint import StartPoint, envelope_default, start_point
from dashboard.urlstate import MAX_COMPARE, UPLOAD_PREFIX, View
from model import engine
from model.arrays import FloatArray
from model.engine.inputs import Inputs, from_scenario
from model.output.compare import UNIT
from model.output.results import ENGLAND_CODE, table_columns, tabulate
from model.scenario import Scenario, ScenarioError, load_scenario, load_text

REFUSED_KEYS_KEPT = 256
"""How many upload keys that failed re-validation a worker remembers (so it does not retry them)."""
UPLOAD_MAX_BYTES = 256 * 1024
"""Largest scenario file the page accepts (shipped scenario files are under 10 KB)."""
SHIPPED_ORDER = ("base", "envelope_2025", "instruction_2023", "real_terms_30", "spec_comm_2024", "merger_2027",
                 "pod_capacity_gap", "high_pay")
"""Order shipped scenarios are listed in; others in scenarios/ follow alphabetically."""


class Rows:
    """One results table and the selections a page makes of it, each made once: a place's rows
    (every year) and the ICBs' rows in a year (as :class:`~dashboard.columns.Columns`, each column
    read once), and how far their allowances per head differ. ``whole`` is every row. The table
    never changes once made, so neither do they; a selection worked out twice by two threads at
    once is the same either way."""

    def __init__(self, whole: Columns) -> None:
        self.whole = whole
        self._places: dict[str, Columns] = {}
        self._in_year: dict[str, Columns] = {}
        self._spread: dict[str, Spread | None] = {}

    @property
    def name(self) -> str:
        """The scenario's name, as its rows give it."""
        return str(self.whole["scenario"][0])

    @property
    def table(self) -> pd.DataFrame:
        """Every row as a pandas frame (for a custom scenario, made when first asked for)."""
        return self.whole.frame

    def place(self, code: str) -> Columns:
        """The rows of place ``code`` (an ICB's or England's), every year (none: no rows)."""
        rows = self._places.get(code)
        if rows is None:
            rows = self._places[code] = self.whole.take(self.whole["icb_code"] == code)
        return rows

    def icbs_in(self, year: str) -> Columns:
        """Every ICB's row (England's left out) in ``year``."""
        rows = self._in_year.get(year)
        if rows is None:
            codes = self.whole["icb_code"]
            rows = self._in_year[year] = self.whole.take((self.whole["year"] == year) & (codes != ENGLAND_CODE))
        return rows

    def spread(self, year: str) -> Spread | None:
        """How far the ICBs' allowances per head differ in ``year`` (:func:`dashboard.chartdata.spread`)."""
        if year not in self._spread:
            self._spread[year] = spread(self.whole, self.name, year)
        return self._spread[year]


def _rows_on(tables: dict[str, Rows], name: str, inputs: Inputs, out: dict[str, FloatArray], digest: str,
             footprint: str) -> Rows | None:
    """The results table of a run on ``footprint``, with the page's selections (:class:`Rows`),
    made once and kept in ``tables``; None when the run has no such footprint."""
    rows = tables.get(footprint)
    if rows is None:
        if footprint not in inputs.footprints:
            return None
        rows = tables[footprint] = Rows(Columns.of_arrays(table_columns(name, inputs, out, content_hash=digest,
                                                                        footprint=footprint)))
    return rows


def _latest(loaded: Loaded | Custom) -> Rows:
    """A run's results on its latest footprint (which every run has), with the page's selections."""
    rows = loaded.rows_on(loaded.inputs.footprint().label)
    assert rows is not None, "a run has its own latest footprint"
    return rows


@dataclass(frozen=True)
class Loaded:
    """A scenario the page can show: its Scenario, Inputs, StartPoint, results and content hash.

    ``key`` is its compare key (its name for shipped scenarios); ``name`` appears in results
    tables, legends and downloads. ``results`` are on its latest footprint; :meth:`results_on`
    gives any footprint of its history (each made once, from the engine's arrays ``out``).
    """

    key: str
    name: str
    scenario: Scenario
    inputs: Inputs
    start: StartPoint
    results: pd.DataFrame
    content_hash: str
    out: dict[str, FloatArray] = field(default_factory=dict, repr=False, compare=False)
    tables: dict[str, Rows] = field(default_factory=dict, repr=False, compare=False)

    @property
    def latest(self) -> Rows:
        """:attr:`results` with the page's selections."""
        return _latest(self)

    def results_on(self, footprint: str) -> pd.DataFrame | None:
        """The results restated on ``footprint``; None when the scenario's history has no such footprint."""
        rows = self.rows_on(footprint)
        return None if rows is None else rows.table

    def rows_on(self, footprint: str) -> Rows | None:
        """:meth:`results_on` with the selections the page makes of it (:class:`Rows`)."""
        return _rows_on(self.tables, self.name, self.inputs, self.out, self.content_hash, footprint)


@dataclass(frozen=True)
class Custom:
    """The custom scenario for some settings: the edits they make to the start, the overlay
    document those edits write, the Scenario it gives, its inputs, results (latest footprint)
    and content hash; :meth:`results_on` gives any footprint."""

    start: Loaded
    settings: Settings
    known: Known
    edits: tuple[Edit, ...]
    document: dict[str, Any]
    scenario: Scenario
    inputs: Inputs
    content_hash: str
    out: dict[str, FloatArray] = field(default_factory=dict, repr=False, compare=False)
    tables: dict[str, Rows] = field(default_factory=dict, repr=False, compare=False)

    @property
    def latest(self) -> Rows:
        """The results on the latest footprint, with the page's selections."""
        return _latest(self)

    @property
    def results(self) -> pd.DataFrame:
        """The results on the latest footprint, as a frame (made when first asked for: the page
        reads :attr:`latest` and :meth:`rows_on`)."""
        return self.latest.table

    def results_on(self, footprint: str) -> pd.DataFrame | None:
        """The results restated on ``footprint``; None when the scenario's history has no such footprint."""
        rows = self.rows_on(footprint)
        return None if rows is None else rows.table

    def rows_on(self, footprint: str) -> Rows | None:
        """:meth:`results_on` with the selections the page makes of it (:class:`Rows`)."""
        return _rows_on(self.tables, CUSTOM, self.inputs, self.out, self.content_hash, footprint)


@dataclass(frozen=True)
class UploadResult:
    """What became of an upload: the scenario (None when refused) and messages for the page."""

    loaded: Loaded | None
    messages: tuple[str, ...]


_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def safe_filename(name: str | None) -> str:
    """An uploaded file's name reduced to letters, digits, ``_ . -``, ending ``.yaml``."""
    stem = Path(str(name or "uploaded")).name
    stem = re.sub(r"\.(ya?ml)$", "", stem, flags=re.IGNORECASE)
    stem = _SAFE_NAME.sub("_", stem).strip("._-")[:60] or "uploaded"
    return f"{stem}.yaml"


class ScenarioStore:
    """Scenarios for the page, loaded once per process, with results cached by content hash.

    Custom runs are kept in a small LRU cache keyed by the starting scenario's content hash and
    the overlay document; uploads by their content hash. Safe to share between threads.
    """

    def __init__(self, root: Path, custom_cache: int = 64, upload_cache: int = 32) -> None:
        self.root = Path(root).resolve()
        names = ["base", *sorted(p.stem for p in (self.root / "scenarios").glob("*.yaml"))]
        names.sort(key=lambda n: (SHIPPED_ORDER.index(n) if n in SHIPPED_ORDER else len(SHIPPED_ORDER), n))
        self._lock = threading.Lock()
        self._by_hash: OrderedDict[str, tuple[Inputs, dict]] = OrderedDict()
        """Engine runs by scenario content hash, most recent last: at most the shipped scenarios and
        the uploads kept (an upload evicted takes its run with it once newer ones arrive)."""
        self._custom: OrderedDict[tuple[str, str], Custom] = OrderedDict()
        self._uploads: OrderedDict[str, Loaded] = OrderedDict()
        self._refused_keys: OrderedDict[str, None] = OrderedDict()
        self._custom_cache, self._upload_cache = custom_cache, upload_cache
        scenarios = [load_scenario(name, self.root) for name in names]
        self.envelope_default = envelope_default(scenarios)
        """What switching the envelope on gives a start without one: the first shipped envelope."""
        self.shipped: dict[str, Loaded] = {name: self._prepare(name, s)
                                           for name, s in zip(names, scenarios, strict=True)}
        base = self.shipped["base"]
        self.labels: tuple[str, ...] = base.inputs.labels
        self.places: Places = places_of(scenarios)
        """England and every organisation of the shipped scenarios' histories, and their footprints."""
        table = base.scenario.icbs
        self.icbs = pd.DataFrame({"code": table.codes, "name": table.names, "region": table.regions,
                                  "population": table.population})

    def _prepare(self, key: str, scenario: Scenario) -> Loaded:
        """Inputs, engine run and results of a scenario, run once per content hash."""
        digest = scenario.content_hash()
        with self._lock:
            cached = self._by_hash.get(digest)
            if cached is not None:
                self._by_hash.move_to_end(digest)
        if cached is None:
            inputs = from_scenario(scenario)
            cached = (inputs, engine.run(inputs))
            with self._lock:
                self._by_hash[digest] = cached
                while len(self._by_hash) > len(SHIPPED_ORDER) + self._upload_cache:
                    self._by_hash.popitem(last=False)
        inputs, out = cached
        results = tabulate(scenario.name, inputs, out, content_hash=digest)
        start = start_point(scenario, inputs, self.envelope_default)
        return Loaded(key, scenario.name, scenario, inputs, start, results, digest, out,
                      {inputs.footprint().label: Rows(Columns(results))})

    # -- what can be compared ------------------------------------------------------------------

    def keys(self) -> list[str]:
        """Compare keys on offer: shipped scenarios, the custom one, then uploads."""
        with self._lock:
            uploads = list(self._uploads)
        return [*list(self.shipped), CUSTOM, *uploads]

    def get(self, key: str) -> Loaded | None:
        """A shipped or uploaded scenario by compare key."""
        if key in self.shipped:
            return self.shipped[key]
        with self._lock:
            return self._uploads.get(key)

    def starts(self) -> dict[str, StartPoint]:
        """The scenarios the custom one may start from (the shipped ones) and their StartPoints."""
        return {key: loaded.start for key, loaded in self.shipped.items()}

    # -- the custom scenario --------------------------------------------------------------------

    def custom(self, start_key: str, settings: Settings, known: Known = ()) -> Custom:
        """The custom scenario: the start with the overlay of the settings and known allowances laid
        over it, run once (all ICBs). Raises ScenarioError if they do not make a valid scenario."""
        start = self.shipped[start_key]
        found = tuple(edits(settings, start.start, known))
        doc = document(list(found))
        cache_key = (start.content_hash, json.dumps(doc, sort_keys=True))
        with self._lock:
            hit = self._custom.get(cache_key)
            if hit is not None:
                self._custom.move_to_end(cache_key)
        if hit is not None:
            same = hit.settings == settings and hit.known == known
            return hit if same else replace(hit, settings=dict(settings), known=known, edits=found)
        scenario = custom_scenario(start.scenario, doc, describe(list(found), start.start))
        digest = scenario.content_hash()
        inputs = from_scenario(scenario)
        made = Custom(start, dict(settings), known, found, doc, scenario, inputs, digest, engine.run(inputs))
        with self._lock:
            self._custom[cache_key] = made
            while len(self._custom) > self._custom_cache:
                self._custom.popitem(last=False)
        return made

    def custom_yaml(self, start_key: str, settings: Settings, model_version: str, known: Known = (),
                    footprint: str | None = None) -> str:
        """The custom scenario as a YAML file that extends its start by name (its header names the
        ``--footprint`` that reproduces the page when that is not the scenario's latest)."""
        start = self.shipped[start_key]
        shown = "" if footprint is None or footprint == start.inputs.footprint().label else footprint
        return scenario_yaml(settings, start.start, start_key, start.content_hash, model_version, known=known,
                             footprint=shown)

    def load_text(self, text: str, filename: str) -> Scenario:
        """Load scenario YAML text through the project's loader: it may extend a shipped scenario
        by name but never names a file. Raises ScenarioError with messages naming ``filename``."""
        return load_text(text, self.root, safe_filename(filename))

    # -- uploads --------------------------------------------------------------------------------

    def upload(self, filename: str | None, raw: bytes) -> UploadResult:
        """Validate an uploaded scenario file (size-limited, parsed by the safe loader, never
        executed) and keep it for comparison. Messages are those the command line would print."""
        from model.scenario.yamlio import decode_utf8

        shown = safe_filename(filename)
        if len(raw) > UPLOAD_MAX_BYTES:
            return UploadResult(None, (f"{shown} | the file is {len(raw):,} bytes, over the limit of "
                                       f"{UPLOAD_MAX_BYTES:,}. Scenario files are small; check it is the right file.",))
        text, issue = decode_utf8(raw, shown)
        if issue is not None:
            return UploadResult(None, (str(issue),))
        try:
            scenario = self.load_text(text, shown)
        except ScenarioError as error:  # each problem once, as `icb-model validate` (check_files) lists them
            return UploadResult(None, tuple(dict.fromkeys(str(i) for i in error.issues)))
        taken = set(self.shipped) | {CUSTOM, UNIT}
        if scenario.name in taken:
            like = "the column of units in the headline table" if scenario.name == UNIT else \
                "a scenario the page already shows"
            return UploadResult(None, (f"{shown}, name | the scenario is named '{scenario.name}', like {like}. "
                                       f"Give it its own `name:` (not {', '.join(sorted(taken))}).",))
        key = UPLOAD_PREFIX + scenario.content_hash()[:12]
        loaded = self._prepare(key, scenario)
        with self._lock:
            clash = [u for k, u in self._uploads.items() if u.name == loaded.name and k != key]
            for old in clash:
                del self._uploads[old.key]
            self._uploads[key] = loaded
            self._uploads.move_to_end(key)
            while len(self._uploads) > self._upload_cache:
                self._uploads.popitem(last=False)
        return UploadResult(loaded, (f"{shown}: valid. '{loaded.name}' is ready to compare.",))

    def ensure_uploads(self, uploads: list[dict] | None) -> None:
        """Re-validate uploads this process does not hold (another server worker took them, or
        it restarted) from the text the browser keeps: ``[{key, name, filename, text}]``.

        A request can carry at most :data:`MAX_COMPARE` uploads that are looked at, and a key whose
        text fails validation or gives another key is remembered (up to
        :data:`REFUSED_KEYS_KEPT`) and not validated again, so a client cannot make every request
        re-validate megabytes of text."""
        for upload in (uploads or [])[:MAX_COMPARE]:
            key, text = upload.get("key"), upload.get("text")
            if not (isinstance(key, str) and isinstance(text, str)) or self.get(key) is not None:
                continue
            with self._lock:
                if key in self._refused_keys:
                    continue
            result = self.upload(upload.get("filename"), text.encode("utf-8"))
            if result.loaded is None or result.loaded.key != key:
                with self._lock:
                    self._refused_keys[key] = None
                    while len(self._refused_keys) > REFUSED_KEYS_KEPT:
                        self._refused_keys.popitem(last=False)

    # -- results for a view ---------------------------------------------------------------------

    def footprint(self, view: View) -> str:
        """The footprint the view states results on (its own, else the current one)."""
        return view.footprint or self.places.current

    def compared(self, view: View) -> tuple[pd.DataFrame, list[str], Custom]:
        """Results of the compared scenarios on the view's footprint (all organisations, England,
        all years) and their names in order, and the custom scenario of the view's settings. A
        scenario whose history lacks the footprint is left out (see :meth:`lacking`)."""
        parts, custom = self.compared_rows(view)
        frames = [rows.table for _, rows in parts]
        results = pd.concat(frames, ignore_index=True) if frames else custom.results.iloc[0:0]
        return results, [name for name, _ in parts], custom

    def compared_rows(self, view: View) -> tuple[list[tuple[str, Rows]], Custom]:
        """:meth:`compared`'s results as each scenario's name and :class:`Rows`, in compare order,
        and the custom scenario: what the page selects from without adding the tables together."""
        custom = self.custom(view.start, view.settings, view.known)
        footprint = self.footprint(view)
        parts = []
        for key in view.compare:
            loaded: Loaded | Custom | None = custom if key == CUSTOM else self.get(key)
            rows = None if loaded is None else loaded.rows_on(footprint)
            if rows is not None:
                parts.append((CUSTOM if key == CUSTOM else rows.name, rows))
        return parts, custom

    def lacking(self, view: View) -> list[str]:
        """Names of compared scenarios whose history has no footprint of the view's label."""
        footprint = self.footprint(view)
        out = []
        for key in view.compare:
            loaded = self.shipped[view.start] if key == CUSTOM else self.get(key)
            if loaded is not None and footprint not in loaded.inputs.footprints:
                out.append(CUSTOM if key == CUSTOM else loaded.name)
        return out

    def scenarios_for_export(self, view: View, custom: Custom) -> list[Scenario]:
        """Scenario objects of the compared scenarios, for the workbook's Assumptions sheet (the
        custom one's values changed by the controls say "set in the dashboard")."""
        out = []
        for key in view.compare:
            loaded = custom if key == CUSTOM else self.get(key)
            if loaded is not None:
                out.append(loaded.scenario)
        return out
