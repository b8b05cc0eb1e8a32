"""The copies of `../shared` under `tests/shared` still match it, so a fresh clone tests what CI tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SHARED, UPSTREAM

FOLDERS = ("contract", "eval", "gold", "dev")

pytestmark = pytest.mark.skipif(not UPSTREAM.is_dir(), reason="../shared is not beside this checkout")


def files(root: Path) -> set[str]:
    return {
        str(p.relative_to(root))
        for folder in FOLDERS
        for p in (root / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_every_shared_file_is_vendored() -> None:
    assert files(UPSTREAM) == files(SHARED)


@pytest.mark.parametrize("name", sorted(files(SHARED)))
def test_vendored_copy_matches(name: str) -> None:
    assert (SHARED / name).read_bytes() == (UPSTREAM / name).read_bytes(), f"tests/shared/{name} is stale"
