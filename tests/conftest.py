"""Shared fixtures: the repository, the shared folder beside it, and one build of the seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.api import BuildResult, build

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    out = tmp_path_factory.mktemp("seed-build")
    return build([ROOT / "seeds"], out), out
