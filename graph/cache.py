"""The extraction cache: an issue whose bytes, options and extractor code are unchanged is not read again."""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Source files whose change changes what extraction returns.
_CODE_GLOBS = ("nlp/*.py", "nlp/data/*", "model.py", "sources.py", "api.py")


@functools.cache
def code_fingerprint() -> str:
    """A hash of the extractor's own code and data, so that upgrading newsgraph invalidates the cache."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for pattern in _CODE_GLOBS:
        for path in sorted(root.glob(pattern)):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class ExtractionCache:
    """Pickled results keyed by a content hash, one file each, written atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def key(self, path: Path, data: bytes, options: object) -> str:
        digest = hashlib.sha256()
        for part in (code_fingerprint(), repr(options), path.name):
            digest.update(part.encode("utf-8"))
            digest.update(b"\x1f")
        digest.update(data)
        return digest.hexdigest()

    def _file(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> Any | None:
        try:
            with self._file(key).open("rb") as handle:
                return pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception as err:
            log.warning("%s: unreadable cache entry (%s); extracting again", self._file(key), err)
            return None

    def put(self, key: str, value: object) -> None:
        target = self._file(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except OSError as err:  # a cache that cannot be written costs speed, not the build
            log.warning("%s: cannot write cache entry (%s)", target, err.strerror or err)
