"""Handing freed heap back to the system between the stages of a long build."""

from __future__ import annotations

import ctypes
import ctypes.util


def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim  # noqa: B018  (glibc only: not on macOS or musl)
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _glibc()


def release_memory() -> None:
    """Return the pages a stage freed. glibc keeps what Python and the store's threads free, and the
    next stage's peak would stand on it: 100 MiB after dumping 1,000 issues, 85 MiB while the overview
    of 3,650 issues reads its entities."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
