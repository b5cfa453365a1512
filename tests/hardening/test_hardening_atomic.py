"""Outputs are written atomically, and every figure traces back to its inputs (issue 5).

A run killed at any moment leaves, for each output file, either the previous complete file or the
new complete file, never a partial one. Proved by killing real processes with SIGKILL (which no
clean-up code can catch) at random moments, many times over:

- a writer looping over :func:`model.output.atomic.atomic_write_text` with two real results files, killed
  at random (``KILL_TRIALS``, default 150): the kills land before, inside and after writes;
- ``icb-model run`` itself, over a folder holding an earlier run, killed at a random moment after
  its first temporary file appears (``RUN_KILL_TRIALS``, default 12);
- the same writer and command stopped by SIGTERM and SIGHUP (what ``timeout``, ``kill`` and a
  closed terminal send; ``SIGNAL_TRIALS``, default 6 runs and 60 writers each), which must leave
  no temporary file at all;
- two runs started at once into one folder: one writes, the other is refused, and the manifest
  always describes the files beside it.

After every kill each file must parse completely and equal the old or the new version byte for
byte (the workbook: a complete zip whose every member checks out); the manifest, written last,
may only describe files that are there; anything else in the folder must be a hidden ``.tmp``
file, which nothing takes for output (docs/hardening.md explains why one may be left).

Provenance: the ``scenario_sha256`` column and the manifest's hash change when an input changes
and not when only provenance, comments, layout, name or description do.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import __version__
from model.output.atomic import atomic_write, atomic_write_text
from model.scenario import load_scenario
from tests.project_copy import cli, copy_project

ROOT = Path(__file__).resolve().parents[2]
KILL_TRIALS = int(os.environ.get("KILL_TRIALS", "150"))
RUN_KILL_TRIALS = int(os.environ.get("RUN_KILL_TRIALS", "12"))
SIGNAL_TRIALS = int(os.environ.get("SIGNAL_TRIALS", "6"))
"""Runs stopped by each of SIGTERM and SIGHUP (and writers: ten times as many)."""
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
OUTPUTS = ("results.csv", "results.xlsx", "manifest.json")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("project"))
    return root


@pytest.fixture(scope="module")
def reference_runs(project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Complete run folders of base (the 'previous' run) and high_pay (the 'new' one)."""
    runs = {}
    for name in ("base", "high_pay"):
        out = tmp_path_factory.mktemp(name)
        assert cli(project, "run", name, "--out", str(out))[0] == 0
        runs[name] = out
    return runs


def env_without_debug() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "ICB_MODEL_DEBUG"}


def stray_files(folder: Path) -> list[str]:
    """Files in ``folder`` other than the outputs; each must be a hidden temporary file."""
    extra = sorted(p.name for p in folder.iterdir() if p.name not in OUTPUTS)
    for name in extra:
        assert name.startswith(".") and name.endswith(".tmp"), f"unexpected file {name}"
        assert not name.endswith((".csv", ".xlsx", ".json")), name
    return extra


# ---------------------------------------------------------------------------------------------
# The mechanism: a writer killed at random, many times


WRITER = """
import sys
from pathlib import Path
from model.output.atomic import atomic_write_text
target, old, new = Path(sys.argv[1]), Path(sys.argv[2]).read_text(), Path(sys.argv[3]).read_text()
print("ready", flush=True)
n = 0
while True:
    atomic_write_text(target, new if n % 2 == 0 else old)
    n += 1
"""


SIGNALLED_WRITER = """
import sys
from pathlib import Path
from model.output.atomic import Terminated, atomic_write_text, signals_end_cleanly
target, old, new = Path(sys.argv[1]), Path(sys.argv[2]).read_text(), Path(sys.argv[3]).read_text()
n = 0
try:
    with signals_end_cleanly():
        print("ready", flush=True)
        while True:
            atomic_write_text(target, new if n % 2 == 0 else old)
            n += 1
except Terminated as stop:
    sys.exit(128 + stop.signum)
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_writer_stopped_by_sigterm_or_sighup_leaves_the_old_or_new_file_and_no_temporary_file(
        sig: int, reference_runs: dict[str, Path], tmp_path: Path) -> None:
    old = (reference_runs["base"] / "results.csv").read_bytes()
    new = (reference_runs["high_pay"] / "results.csv").read_bytes()
    rng = random.Random(sig)
    for trial in range(10 * SIGNAL_TRIALS):
        folder = tmp_path / f"t{trial}"
        folder.mkdir()
        target = folder / "results.csv"
        target.write_bytes(old)
        proc = subprocess.Popen([sys.executable, "-c", SIGNALLED_WRITER, str(target),
                                 str(reference_runs["base"] / "results.csv"),
                                 str(reference_runs["high_pay"] / "results.csv")],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env_without_debug())
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0, 0.03))
        proc.send_signal(sig)
        assert proc.wait(timeout=30) == 128 + sig, proc.stderr.read().decode()[-3000:]
        proc.stderr.close()
        proc.stdout.close()
        assert target.read_bytes() in (old, new), f"trial {trial}: a partial file"
        assert stray_files(folder) == [], f"trial {trial}: a temporary file was left"


def test_a_writer_killed_at_random_leaves_the_old_or_the_new_file(reference_runs: dict[str, Path],
                                                                  tmp_path: Path) -> None:
    old = (reference_runs["base"] / "results.csv").read_bytes()
    new = (reference_runs["high_pay"] / "results.csv").read_bytes()
    assert old != new and len(old) > 100_000
    rng = random.Random(5)
    seen = {"old": 0, "new": 0, "temp file left": 0}
    for trial in range(KILL_TRIALS):
        folder = tmp_path / f"t{trial}"
        folder.mkdir()
        target = folder / "results.csv"
        target.write_bytes(old)
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target), str(reference_runs["base"] / "results.csv"),
                                 str(reference_runs["high_pay"] / "results.csv")],
                                cwd=ROOT, stdout=subprocess.PIPE, env=env_without_debug())
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0, 0.03))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        content = target.read_bytes()
        assert content in (old, new), f"trial {trial}: a partial file ({len(content)} bytes)"
        seen["old" if content == old else "new"] += 1
        seen["temp file left"] += bool(stray_files(folder))
        pd.read_csv(target)  # and it parses, all of it
    # The kills landed both between and during writes: both versions and leftover temp files seen.
    assert seen["old"] and seen["new"], seen
    print(f"\n{KILL_TRIALS} kills of the writer: {seen}")


# ---------------------------------------------------------------------------------------------
# The real command, killed during its writes


def _xlsx_sheets(path: Path) -> list[str]:
    """Sheet names of a workbook, after checking every member of the zip (a partial file fails)."""
    with zipfile.ZipFile(path) as book:
        assert book.testzip() is None
        workbook = book.read("xl/workbook.xml").decode("utf-8")
    return [part.split('"')[0] for part in workbook.split('<sheet name="')[1:]]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP])
def test_icb_model_run_killed_part_way_leaves_each_file_old_or_new(sig: int, project: Path,
                                                                   reference_runs: dict[str, Path],
                                                                   tmp_path: Path) -> None:
    """SIGKILL may leave a hidden temporary file (no clean-up can run); SIGTERM and SIGHUP may not,
    and end with status 128 + the signal (or 0 when the run had finished)."""
    old, new = reference_runs["base"], reference_runs["high_pay"]
    versions = {name: {"base": (old / name).read_bytes(), "high_pay": (new / name).read_bytes()}
                for name in ("results.csv",)}
    hashes = {json.loads((run / "manifest.json").read_text())["scenarios"][0]["content_sha256"]: name
              for name, run in reference_runs.items()}
    outcomes = []

    def start(out: Path) -> tuple[subprocess.Popen, float]:
        """Start the run; return it and the moment its first temporary file appeared."""
        proc = subprocess.Popen([sys.executable, "-m", "model.cli", "--root", str(project), "run", "high_pay",
                                 "--out", str(out)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=env_without_debug())
        deadline = time.perf_counter() + 60
        while proc.poll() is None and time.perf_counter() < deadline:
            if any(p.name.endswith(".tmp") for p in out.iterdir()):
                break
            time.sleep(0.0005)
        return proc, time.perf_counter()

    calibrate = tmp_path / "calibrate"
    shutil.copytree(old, calibrate)
    proc, writing = start(calibrate)
    proc.wait()
    window = time.perf_counter() - writing  # how long the writing takes, uninterrupted
    trials = RUN_KILL_TRIALS if sig == signal.SIGKILL else SIGNAL_TRIALS
    for trial in range(trials):
        out = tmp_path / f"run{trial}"
        shutil.copytree(old, out)
        proc, _ = start(out)
        # Kill at moments spread over the writing, closest together at its start: the files take
        # milliseconds, and the window also holds the interpreter's exit.
        time.sleep(window * (trial / trials) ** 2)
        proc.send_signal(sig)
        status = proc.wait()
        if sig != signal.SIGKILL:  # -sig: it came after the command, as the interpreter closed
            assert status in (0, 128 + sig, -sig), status

        csv = (out / "results.csv").read_bytes()
        which = {"results.csv": next(k for k, v in versions["results.csv"].items() if v == csv)}
        pd.read_csv(out / "results.csv")
        sheets = _xlsx_sheets(out / "results.xlsx")
        assert sheets[1] in ("base", "high_pay") and sheets[0] == "README" and sheets[-1] == "Assumptions"
        which["results.xlsx"] = sheets[1]
        manifest = json.loads((out / "manifest.json").read_text())
        which["manifest.json"] = hashes[manifest["scenarios"][0]["content_sha256"]]
        if which["manifest.json"] == "high_pay":  # written last: everything it describes is there
            for name, record in manifest["files"].items():
                assert _sha256(out / name) == record["sha256"], (trial, name)
        left = stray_files(out)
        assert not left or sig == signal.SIGKILL, (trial, left)
        outcomes.append((tuple(which.values()), bool(left)))
    print(f"\n{trials} {signal.Signals(sig).name}s of icb-model run in a {window * 1000:.0f} ms writing window: "
          f"{ {o: outcomes.count(o) for o in sorted(set(outcomes))} } ((csv, xlsx, manifest), temp file left)")
    # Some kills landed mid-run: at least one trial ended with an old file still in place.
    assert any("base" in o[0] for o in outcomes), outcomes


def test_two_runs_into_one_folder_at_once_never_leave_a_manifest_that_disagrees(project: Path,
                                                                                 tmp_path: Path) -> None:
    """Started together: one run holds the folder and writes; the other is refused at once
    (status 2, saying another command is writing there). The manifest names the scenario the
    results hold, and every hash in it is that of the file beside it."""
    for trial in range(SIGNAL_TRIALS):
        out = tmp_path / f"both{trial}"
        runs = [subprocess.Popen([sys.executable, "-m", "model.cli", "--root", str(project), "run", name, "--out",
                                  str(out), "--no-xlsx"], cwd=ROOT, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, env=env_without_debug())
                for name in ("base", "high_pay")]
        ended = [(proc.wait(timeout=120), proc.stderr.read().decode()) for proc in runs]
        for status, err in ended:
            assert status == 0 or (status == 2 and "another icb-model command is writing into" in err), err
        manifest = json.loads((out / "manifest.json").read_text())
        results = pd.read_csv(out / "results.csv")
        assert set(results["scenario"]) == {manifest["scenarios"][0]["name"]}
        for name, record in manifest["files"].items():
            assert _sha256(out / name) == record["sha256"], (trial, name)
        assert stray_files(out) == []


def test_a_run_that_fails_part_way_leaves_complete_files_and_no_temporary_file(
        project: Path, reference_runs: dict[str, Path], tmp_path: Path, monkeypatch) -> None:
    """An error while writing the workbook: exit 1, the old workbook and manifest kept whole, and
    no temporary file left (the clean-up runs for errors and Ctrl+C, which are not SIGKILL)."""
    import model.output.export as export

    out = tmp_path / "out"
    shutil.copytree(reference_runs["base"], out)
    before = {name: (out / name).read_bytes() for name in ("results.xlsx", "manifest.json")}

    def failing(results, scenarios, path):
        def write(tmp: Path) -> None:
            tmp.write_bytes(b"PK\x03\x04 half a workbook")
            raise OSError(28, "No space left on device", str(tmp))
        atomic_write(path, write)

    monkeypatch.setattr(export, "write_xlsx", failing)
    monkeypatch.delenv("ICB_MODEL_DEBUG", raising=False)
    status, err = cli(project, "run", "high_pay", "--out", str(out))
    assert status == 1 and "the disk is full" in err and "Traceback" not in err
    assert f"cannot use {out / 'results.xlsx'}" in err and ".tmp" not in err
    assert {name: (out / name).read_bytes() for name in before} == before
    assert (out / "results.csv").read_bytes() == (reference_runs["high_pay"] / "results.csv").read_bytes()
    assert stray_files(out) == []


def test_an_invalid_scenario_leaves_the_previous_run_untouched(project: Path, reference_runs: dict[str, Path],
                                                              tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(reference_runs["base"], out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: base\nbaseline:\n  pay_share: 75\n")
    status, err = cli(project, "run", "base", str(bad), "--out", str(out))
    assert status == 2 and "bad.yaml:3, baseline.pay_share" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_outputs_get_ordinary_file_permissions(tmp_path: Path) -> None:
    """Temporary files are private (0600) while written; the output gets the mode a plain write
    would give (what the umask allows), or keeps the mode of the file it replaces."""
    mask = os.umask(0o022)
    try:
        new = tmp_path / "new.csv"
        atomic_write_text(new, "a\n")
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        kept = tmp_path / "kept.csv"
        kept.write_text("old\n")
        kept.chmod(0o640)
        atomic_write_text(kept, "new\n")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text() == "new\n"
    finally:
        os.umask(mask)


# ---------------------------------------------------------------------------------------------
# Tracing figures to their inputs: the content hash and the model version


def test_results_carry_the_scenario_hash_and_the_model_version(reference_runs: dict[str, Path],
                                                               project: Path) -> None:
    for name, out in reference_runs.items():
        results = pd.read_csv(out / "results.csv", keep_default_na=False)
        manifest = json.loads((out / "manifest.json").read_text())
        digest = load_scenario(name, project).content_hash()
        assert set(results["scenario_sha256"]) == {digest} == {manifest["scenarios"][0]["content_sha256"]}
        assert set(results["model_version"].astype(str)) == {__version__} == {manifest["model_version"]}
        assert manifest["files"]["results.csv"]["sha256"] == _sha256(out / "results.csv")
        assert manifest["files"]["results.xlsx"]["sha256"] == _sha256(out / "results.xlsx")


BASE = yaml.safe_load((ROOT / "assumptions.yaml").read_text(encoding="utf-8"))


def _hash_of(project: Path, data: dict | str, name: str = "variant.yaml") -> str:
    path = project / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")
    return load_scenario(path, project).content_hash()


def _provenance_edits(node: object, draw) -> None:
    """Change, in place, what is only provenance: source, note, status; and bare <-> provenance forms."""
    if isinstance(node, dict):
        for key in list(node):
            value = node[key]
            if key in ("source", "note"):
                node[key] = draw(st.sampled_from(["", "changed", "see https://example.org", value + " (edited)"]))
            elif key == "status" and isinstance(value, str):
                node[key] = draw(st.sampled_from(["inference", "assumption"]))
                node.setdefault("note", "why")
            elif isinstance(value, dict) and set(value) <= {"value", "unit", "source", "status", "note"} \
                    and "value" in value and draw(st.booleans()):
                node[key] = value["value"]  # the bare form of the same value
            else:
                _provenance_edits(value, draw)
    elif isinstance(node, list):
        for item in node:
            _provenance_edits(item, draw)


@settings(max_examples=max(10, EXAMPLES // 4), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_hash_ignores_provenance_comments_layout_name_and_description(project: Path, data: st.DataObject) -> None:
    reference = load_scenario("base", project).content_hash()
    doc = copy.deepcopy(BASE)
    _provenance_edits(doc, data.draw)
    doc["name"] = data.draw(st.sampled_from(["base", "renamed", "another"]))
    doc["description"] = data.draw(st.text(st.characters(categories=["L", "N", "P", "Zs"]), max_size=30))
    if data.draw(st.booleans()):
        doc = dict(reversed(list(doc.items())))  # keys in another order
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True,
                          default_flow_style=data.draw(st.sampled_from([None, True, False])))
    if data.draw(st.booleans()):
        text = "# a comment that changes nothing\n" + text + "# and another at the end\n"
    assert _hash_of(project, text) == reference


def _numbers(node: object, path: tuple = ()) -> list[tuple]:
    """Paths of the numbers in the base's tree that the model reads (not uncertainty bounds)."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("uncertainty",) and not path:
                continue
            found += _numbers(value, (*path, key))
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        found.append(path)
    return found


NUMBER_PATHS = _numbers(BASE)


@settings(max_examples=max(10, EXAMPLES // 2), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(NUMBER_PATHS), factor=st.sampled_from([0.9, 0.99, 1.01, 1.1]),
       shift=st.sampled_from([-0.001, 0.001]))
def test_hash_changes_when_any_input_changes(project: Path, path: tuple, factor: float, shift: float) -> None:
    reference = load_scenario("base", project).content_hash()
    doc = copy.deepcopy(BASE)
    node = doc
    for key in path[:-1]:
        node = node[key]
    old = node[path[-1]]
    node[path[-1]] = old * factor if old else abs(shift)
    assert _hash_of(project, doc) != reference, path


def test_hash_follows_the_icb_table_but_not_its_unused_columns(project: Path) -> None:
    reference = load_scenario("base", project).content_hash()
    table = pd.read_csv(project / "data" / "icbs.csv", dtype=str, keep_default_na=False)
    table["note"] = "edited, and used by nothing"
    table.to_csv(project / "data" / "notes_icbs.csv", index=False)
    doc = copy.deepcopy(BASE)
    doc["icbs"]["table"] = "data/notes_icbs.csv"
    assert _hash_of(project, doc) == reference
    table.loc[0, "population"] = str(int(table.loc[0, "population"]) + 1)
    table.to_csv(project / "data" / "pop_icbs.csv", index=False)
    doc["icbs"]["table"] = "data/pop_icbs.csv"
    assert _hash_of(project, doc) != reference


def test_hash_in_the_results_file_changes_with_an_input_not_with_a_comment(project: Path, tmp_path: Path) -> None:
    """End to end: the scenario_sha256 column of results.csv written by `icb-model run`."""
    def column(text: str, name: str) -> str:
        path = project / f"{name}.yaml"
        path.write_text(text)
        out = tmp_path / name
        assert cli(project, "run", str(path), "--out", str(out), "--no-xlsx")[0] == 0
        (digest,) = set(pd.read_csv(out / "results.csv")["scenario_sha256"])
        return digest

    plain = column("extends: base\nname: mine\nworkforce:\n  turnover_rate: 0.12\n", "plain")
    noted = column("# why: see the HR report\nextends: base\nname: mine_too\ndescription: same inputs\n"
                   "workforce:\n  turnover_rate: {value: 0.12, status: assumption, note: 'HR report, 2025'}\n", "noted")
    changed = column("extends: base\nname: mine\nworkforce:\n  turnover_rate: 0.13\n", "changed")
    assert plain == noted != changed
