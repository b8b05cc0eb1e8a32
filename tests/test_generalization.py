"""The quality gate: extraction holds on papers it was not written for.

Builds every document of the dev sets (`tests/shared/dev`, vendored from `../shared/dev`) and of our own
corpus (`tests/corpus`) on its own, as a user would (`newsgraph build FILE`), scores it with the shared
scorer and fails below the figures the generalization issue sets.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / "tests" / "shared"
SCORE_DIR = SHARED / "eval" / "score_dir.py"
FOUR = "persons,organizations,places,articles"


def score(*folders: Path, cats: str | None = None) -> dict[str, float]:
    """Per-category F1 and the macro F1 of score_dir.py over the folders."""
    newsgraph = shutil.which("newsgraph") or str(Path(sys.executable).with_name("newsgraph"))
    args = [sys.executable, str(SCORE_DIR), "--ng", newsgraph, *map(str, folders)]
    if cats:
        args += ["--cats", cats]
    done = subprocess.run(args, capture_output=True, text=True, timeout=1800)
    assert "FAILED" not in done.stdout, done.stdout
    figures = {
        m[1]: float(m[2]) for m in re.finditer(r"^(\w+)\s+[\d.]+\s+[\d.]+\s+([\d.]+)\s", done.stdout, re.M)
    }
    figures["macro"] = float(re.search(r"macro F1 ([\d.]+)", done.stdout)[1])
    return figures


@pytest.fixture(scope="module")
def local() -> dict[str, float]:
    return score(SHARED / "dev" / "local")


@pytest.fixture(scope="module")
def city() -> dict[str, float]:
    return score(SHARED / "dev" / "city")


@pytest.fixture(scope="module")
def both() -> dict[str, float]:
    return score(SHARED / "dev" / "local", SHARED / "dev" / "city")


def test_government_sites(local: dict[str, float]) -> None:
    assert local["macro"] >= 0.85, local


def test_city_papers(city: dict[str, float]) -> None:
    assert city["macro"] >= 0.85, city


def test_a_national_daily() -> None:
    figures = score(SHARED / "dev" / "pfr", cats=FOUR)
    assert figures["macro"] >= 0.85, figures


@pytest.mark.parametrize("category", ["events", "participation", "titles"])
def test_events_participation_and_titles(both: dict[str, float], category: str) -> None:
    assert both[category] >= 0.80, both


def test_our_corpus_of_other_sources() -> None:
    """42 articles from 42 other sources, checked by a second reader: a floor that catches a regression."""
    figures = score(ROOT / "tests" / "corpus")
    assert figures["macro"] >= 0.82, figures


def test_the_seed_issue(tmp_path: Path) -> None:
    newsgraph = shutil.which("newsgraph") or str(Path(sys.executable).with_name("newsgraph"))
    subprocess.run([newsgraph, "build", str(ROOT / "seeds"), "--out", str(tmp_path), "--quiet"], check=True)
    done = subprocess.run(
        [
            sys.executable,
            str(SHARED / "eval" / "score.py"),
            "--gold",
            str(SHARED / "gold" / "seed.gold.json"),
            str(tmp_path / "graph.ttl"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert float(re.search(r"macro F1 ([\d.]+)", done.stdout)[1]) >= 0.97, done.stdout
