"""Atomic file writing: every output of newsgraph goes through here, so an interrupted or failed write
leaves the previous file intact and readers never see half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from graph.errors import NewsgraphError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_file(path: Path, durable: bool = True) -> Iterator[BinaryIO]:
    """A binary handle whose bytes replace `path` only when the block ends without an error.

    `durable` flushes the bytes to disk before the rename, so a power cut cannot leave an empty file in
    place of the old one; a cache entry, which can be made again, skips it for speed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise NewsgraphError(f"{path}: cannot write: {err.strerror or err}") from err
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); give it the mode a plain open() would
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise NewsgraphError(
            f"{path}: cannot write: {err.strerror or err}; the previous file is intact"
        ) from err
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` (text as UTF-8) through `atomic_file`."""
    with atomic_file(path) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


def remove_stale_temporaries(folder: Path, *names: str) -> None:
    """Temporary files a killed run left beside `names` in `folder`."""
    for name in names:
        for stale in folder.glob(f".{name}.*.tmp"):
            stale.unlink(missing_ok=True)
