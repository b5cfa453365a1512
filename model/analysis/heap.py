"""Keeping freed array memory in the process for the next chunk of draws (glibc only).

A chunk of draws makes dozens of arrays of about 1.7 MB each
(:data:`~model.analysis.runs.CELLS_PER_CHUNK` cells of 8 bytes), many alive together, and frees
them when it ends. glibc then gives most of that memory back to the operating system (its trim
threshold is twice the largest block it has served from the heap, a few MB), so every chunk maps
its memory afresh and the kernel zeroes each page on first touch: about 5,100 page faults a chunk
of the base scenario (none once kept), about half of the engine's time per chunk on the 2-core
test machine (``benchmarks/bench_engine.py --heap default`` against
``--heap kept``). :func:`keep_freed_memory` raises glibc's mmap threshold (to its largest, 32 MiB)
and trim threshold, so those blocks come from the process's heap and go back to it.

What it costs: the process keeps up to :data:`TRIM_BYTES` of freed memory for reuse instead of
returning it at once; its peak (the arrays alive at one time) is unchanged. The setting is for the
whole process, so only the batch commands make it (:func:`model.analysis.runs.evaluate`), never
the library on import. Elsewhere than glibc (macOS, Windows, musl) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

MMAP_BYTES = 32 * 2**20
"""Blocks up to this size come from the heap (glibc's largest mmap threshold on 64-bit systems)."""

TRIM_BYTES = 256 * 2**20
"""Free memory at the top of the heap kept for reuse before glibc returns it to the system."""

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
"""``mallopt`` parameter numbers (glibc's malloc.h)."""


@functools.cache
def keep_freed_memory() -> bool:
    """Ask glibc to keep freed array memory for reuse (once per process); whether it took."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        mallopt = getattr(libc, "mallopt", None)
        if mallopt is None or not hasattr(libc, "gnu_get_libc_version"):
            return False
        return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_BYTES)) and bool(mallopt(_M_TRIM_THRESHOLD, TRIM_BYTES))
    except OSError:
        return False
