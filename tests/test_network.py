"""The derived co-attendance statistics equal what grouping the events themselves gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.api import build
from graph.rdf.query import run
from graph.rdf.store import Store, open_store

ARCHIVE = Path(__file__).parent / "fixtures" / "archive"
ROOT = Path(__file__).resolve().parents[1]
PREFIXES = """PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
"""
# The questions as they read before the statistics: every event scanned and grouped.
PAIRS_FROM_EVENTS = (
    PREFIXES
    + """
SELECT ?person1 ?person2 (COUNT(DISTINCT ?event) AS ?events) WHERE {
  ?event schema:attendee|ng:chair|ng:speaker|ng:leader ?a , ?b .
  FILTER (STR(?a) < STR(?b))
  FILTER EXISTS { ?m1 org:member ?a }
  FILTER EXISTS { ?m2 org:member ?b }
  ?a schema:name ?person1 . ?b schema:name ?person2 .
} GROUP BY ?a ?b ?person1 ?person2"""
)
PEOPLE_FROM_EVENTS = (
    PREFIXES
    + """
SELECT ?name (COUNT(DISTINCT ?other) AS ?partners) (COUNT(DISTINCT ?event) AS ?events) WHERE {
  ?event schema:attendee|ng:chair|ng:speaker|ng:leader ?p .
  FILTER EXISTS { ?m org:member ?p }
  ?p schema:name ?name .
  OPTIONAL { ?event schema:attendee|ng:chair|ng:speaker|ng:leader ?other . FILTER (?other != ?p) }
} GROUP BY ?p ?name"""
)


@pytest.fixture(scope="module", params=["seed", "archive"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Store:
    source = ROOT / "seeds" if request.param == "seed" else ARCHIVE
    out = tmp_path_factory.mktemp(request.param)
    build([source], out, workers=1, write_html=False, stream=False)
    return open_store([out / "graph.ttl"])


def rows(store: Store, query: str) -> list[tuple[str, ...]]:
    return sorted(tuple(str(v) for v in row) for row in run(query, store=store).rows)


def test_co_attendance_counts_equal_grouped_events(store: Store) -> None:
    derived = rows(store, "co-attendance")
    assert derived == rows(store, PAIRS_FROM_EVENTS)
    assert derived and all(int(r[2]) >= 1 for r in derived)


def test_most_connected_counts_equal_grouped_events(store: Store) -> None:
    derived = rows(store, "most-connected")
    assert derived == rows(store, PEOPLE_FROM_EVENTS)
    assert derived
