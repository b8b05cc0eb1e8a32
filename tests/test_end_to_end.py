"""The seed issue end to end: scorer thresholds, contract queries, determinism and committed exports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SHARED
from rdflib import Graph

from graph.api import BuildResult


def score(ttl: Path) -> dict:
    run = subprocess.run(
        [
            sys.executable,
            str(SHARED / "eval" / "score.py"),
            "--gold",
            str(SHARED / "gold" / "seed.gold.json"),
            str(ttl),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_seed_meets_the_pipeline_thresholds(seed_build: tuple[BuildResult, Path]) -> None:
    _, out = seed_build
    result = score(out / "graph.ttl")
    assert result["macro_f1"] >= 0.90
    for category in (
        "persons",
        "titles",
        "organizations",
        "places",
        "projects",
        "events",
        "participation",
        "roles",
        "articles",
        "bylines",
    ):
        assert result[category]["f1"] >= 0.80, category
    evidence = result["evidence"]
    assert evidence["valid"] == evidence["rows"]
    assert evidence["coverage"] >= 0.95
    assert result["place_hierarchy"]["correct"] >= 10
    assert result["article_dates"] == {"correct": 9, "of": 9}
    assert result["article_bodies"]["probes_passed"] == result["article_bodies"]["of"]


@pytest.mark.parametrize(
    "name", sorted(p.stem for p in (SHARED / "contract").glob("*.rq") if p.stem != "prefixes")
)
def test_every_contract_query_answers(name: str, seed_build: tuple[BuildResult, Path]) -> None:
    result, _ = seed_build
    prefixes = (SHARED / "contract" / "prefixes.rq").read_text(encoding="utf-8")
    rows = list(
        result.graph.query(prefixes + (SHARED / "contract" / f"{name}.rq").read_text(encoding="utf-8"))
    )
    assert rows, f"{name} gave no rows"


def test_evidence_quotes_equal_the_body_slice(seed_build: tuple[BuildResult, Path]) -> None:
    result, _ = seed_build
    prefixes = (SHARED / "contract" / "prefixes.rq").read_text(encoding="utf-8")
    rows = list(
        result.graph.query(prefixes + (SHARED / "contract" / "evidence.rq").read_text(encoding="utf-8"))
    )
    for _, _, exact, start, end, body in rows:
        assert str(body)[int(start) : int(end)] == str(exact)


def test_chair_and_speaker_are_also_attendees(seed_build: tuple[BuildResult, Path]) -> None:
    result, _ = seed_build
    q = """PREFIX schema: <https://schema.org/> PREFIX ng: <https://w3id.org/newsgraph/ontology#>
    ASK { ?e ng:chair|ng:speaker ?p . FILTER NOT EXISTS { ?e schema:attendee ?p } }"""
    assert not result.graph.query(q).askAnswer


def test_turtle_is_clean_and_parses_in_rdflib_and_oxigraph(seed_build: tuple[BuildResult, Path]) -> None:
    import pyoxigraph

    _, out = seed_build
    text = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "ns1:" not in text and "schema1:" not in text
    assert "@prefix schema: <https://schema.org/> ." in text
    assert len(Graph().parse(data=text, format="turtle")) > 500
    store = pyoxigraph.Store()
    store.load(text.encode("utf-8"), pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(Graph().parse(data=text, format="turtle"))


def test_two_builds_are_byte_identical(seed_build: tuple[BuildResult, Path], tmp_path: Path) -> None:
    _, out = seed_build
    run = subprocess.run(
        [sys.executable, "-m", "graph", "build", str(ROOT / "seeds"), "--out", str(tmp_path), "-q"],
        capture_output=True,
        text=True,
        env={"PYTHONHASHSEED": "7", "PATH": ""},
        check=True,
    )
    assert run.returncode == 0
    for name in ("graph.ttl", "graph.html"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_committed_exports_are_fresh(seed_build: tuple[BuildResult, Path]) -> None:
    _, out = seed_build
    for name in ("graph.ttl", "graph.html"):
        committed = ROOT / "exports" / name
        assert committed.exists(), f"exports/{name} is missing: run `newsgraph build`"
        assert committed.read_bytes() == (out / name).read_bytes(), (
            f"exports/{name} is stale: run `newsgraph build`"
        )


def test_page_is_offline_utf8_with_a_legend(seed_build: tuple[BuildResult, Path]) -> None:
    _, out = seed_build
    html = (out / "graph.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in html.lower()
    assert 'src="http' not in html and 'href="http' not in html
    assert "ng-legend" in html and "人物" in html
