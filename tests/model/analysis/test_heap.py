"""Keeping freed array memory for the next chunk (model/analysis/heap.py): on glibc, arrays of a
chunk's size reuse freed memory instead of mapping (and faulting in) fresh pages each time."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

_FAULTS = """
import resource, sys
import numpy as np
if sys.argv[1] == "kept":
    from model.analysis.heap import keep_freed_memory
    assert keep_freed_memory() is True and keep_freed_memory() is True  # once per process; idempotent

def chunk():  # sixty arrays of a chunk's size alive together, then freed, as the engine's are
    arrays = [np.ones(72_000) for _ in range(60)]
    return sum(a[0] for a in arrays)

chunk()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(20):
    chunk()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _page_faults(heap: str) -> int:
    done = subprocess.run([sys.executable, "-c", _FAULTS, heap], capture_output=True, text=True, check=True)
    return int(done.stdout)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the setting is glibc's")
def test_freed_arrays_are_reused_instead_of_mapped_afresh():
    default, kept = _page_faults("default"), _page_faults("kept")
    assert default > 20 * 60 * 100  # each chunk faults its arrays' pages (140 each) in again
    assert kept < default / 20


def test_elsewhere_it_says_it_did_nothing(monkeypatch):
    from model.analysis import heap

    monkeypatch.setattr(heap.ctypes.util, "find_library", lambda name: None)
    heap.keep_freed_memory.cache_clear()
    try:
        assert heap.keep_freed_memory() is False
    finally:
        heap.keep_freed_memory.cache_clear()
