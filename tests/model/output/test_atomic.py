"""Atomic writes (model/output/atomic.py): a reader sees the old complete file or the new one, never
a part; what was written is recorded as written. (tests/hardening/test_hardening_atomic.py kills
writers at random; these are the plain cases.)"""

from __future__ import annotations

import hashlib
import os
import stat

import pytest

from model.output.atomic import Written, atomic_path, atomic_write, atomic_write_text


def test_atomic_write_text_writes_and_records_the_bytes(tmp_path):
    written = atomic_write_text(tmp_path / "deep" / "er" / "notes.txt", "£1\n")
    data = "£1\n".encode()
    assert (tmp_path / "deep" / "er" / "notes.txt").read_bytes() == data
    assert written == Written(tmp_path / "deep" / "er" / "notes.txt", len(data), hashlib.sha256(data).hexdigest())
    assert written.record() == {"bytes": 4, "sha256": hashlib.sha256(data).hexdigest()}


def test_the_temporary_file_is_hidden_beside_the_target_and_gone_afterwards(tmp_path):
    seen = []

    def write(tmp):
        seen.append(tmp)
        tmp.write_text("new")

    atomic_write(tmp_path / "results.csv", write)
    (tmp,) = seen
    assert tmp.parent == tmp_path and tmp.name.startswith(".results.csv.") and tmp.name.endswith(".tmp")
    assert not tmp.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "results.csv"
    target.write_text("old")

    def half_then_fail(tmp):
        tmp.write_text("half a fi")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        atomic_write(target, half_then_fail)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["results.csv"]


def test_a_new_file_gets_an_ordinary_mode_and_a_replaced_one_keeps_its_own(tmp_path):
    mask = os.umask(0o022)
    os.umask(mask)
    new = tmp_path / "new.csv"
    atomic_write_text(new, "x")
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~mask
    private = tmp_path / "private.csv"
    private.write_text("x")
    private.chmod(0o600)
    atomic_write_text(private, "y")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600 and private.read_text() == "y"


def test_atomic_path_renames_only_on_success(tmp_path):
    target = tmp_path / "a.txt"
    with atomic_path(target) as tmp:
        tmp.write_text("done")
        assert not target.exists()
    assert target.read_text() == "done"
    with pytest.raises(KeyboardInterrupt), atomic_path(target) as tmp:
        tmp.write_text("interrupted")
        raise KeyboardInterrupt
    assert target.read_text() == "done" and len(list(tmp_path.iterdir())) == 1
