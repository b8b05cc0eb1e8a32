"""Shared fixtures: the repository, the vendored copy of the shared folder, and one build of the seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.api import BuildResult, build

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parent / "shared"
"""The contract, scorer, gold and dev set the tests use, copied from `../shared` (`test_vendored.py`
checks the copies when `../shared` is beside the checkout)."""
UPSTREAM = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    out = tmp_path_factory.mktemp("seed-build")
    return build([ROOT / "seeds"], out), out
