"""Keep the memory a check frees for the next check, where the C library is glibc.

A check allocates and frees arrays of a few hundred kilobytes to some megabytes (the networks'
activations). glibc serves the larger ones by mmap and trims the heap top as soon as it is
free, so each check faults the same memory back in page by page: about 3,000 minor page
faults for a 600-word article, several milliseconds of its time. Raising the two thresholds
keeps that memory in the process; the peak it reaches is the same.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# glibc takes no mmap threshold above 32 MiB on 64-bit systems; larger blocks are still mapped.
MMAP_THRESHOLD = 32 * 2**20


def keep_freed_memory(trim_threshold_mb: int) -> bool:
    """Serve blocks up to 32 MiB from the heap and return its free top to the system only past
    `trim_threshold_mb`. False where that cannot be set (not glibc, or 0 asked: the defaults)."""
    if trim_threshold_mb <= 0 or platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    trim = min(trim_threshold_mb * 2**20, 2**31 - 1)
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 and mallopt(_M_TRIM_THRESHOLD, trim) == 1)


def _libc() -> ctypes.CDLL | None:
    if platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def resident_mb() -> float | None:
    """This process's resident memory in MB (Linux), or None where it cannot be read."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def trim_if_above(limit_mb: int) -> bool:
    """Return the free memory to the system (glibc's malloc_trim) when the process is resident
    above `limit_mb`: a large request's arrays are not kept, while after a normal check the
    memory stays for the next one (see keep_freed_memory). True where it trimmed."""
    if limit_mb <= 0:
        return False
    resident = resident_mb()
    if resident is None or resident <= limit_mb:
        return False
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True
