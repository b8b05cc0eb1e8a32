"""Tests for graph.rdf.export and `newsgraph export`: every format round-trips."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from graph.api import BuildResult
from graph.cli import main
from graph.rdf.export import CSV_TABLES, FORMATS, ExportError, export, partition, to_network
from graph.rdf.vocab import NG, OA, ORG, SCHEMA

PARSERS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}


@pytest.fixture(scope="module")
def seed_graph(seed_build: tuple[BuildResult, Path]) -> Path:
    return seed_build[1] / "graph.ttl"


@pytest.fixture(scope="module")
def source(seed_graph: Path) -> Graph:
    return Graph().parse(seed_graph, format="turtle")


@pytest.fixture(scope="module")
def exported(seed_graph: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("export")
    return {fmt: export([seed_graph], fmt, out / f"graph.{fmt}").out for fmt in FORMATS}


@pytest.mark.parametrize("fmt", sorted(PARSERS))
def test_rdf_formats_round_trip(exported: dict[str, Path], source: Graph, fmt: str) -> None:
    back = Graph().parse(exported[fmt], format=PARSERS[fmt])
    assert len(back) == len(source)
    assert isomorphic(back, source)


@pytest.mark.parametrize(("fmt", "parser"), [("trig", "trig"), ("nq", "nquads")])
def test_named_graph_formats_union_is_the_source(
    exported: dict[str, Path], source: Graph, fmt: str, parser: str
) -> None:
    ds = Dataset()
    ds.parse(exported[fmt], format=parser)
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(union, source)
    articles = set(source.subjects(RDF.type, SCHEMA.NewsArticle))
    names = {g.identifier for g in ds.graphs() if g.identifier != ds.default_graph.identifier}
    assert names == articles
    for article in articles:
        named = ds.graph(article)
        assert (article, RDF.type, SCHEMA.NewsArticle) in named
        # every fact in the article's graph is derived from it, with evidence quoting it
        for fact in named.subjects(NG.evidence, None):
            assert (fact, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), article) in named
        for ev in named.objects(None, NG.evidence):
            assert (ev, OA.hasSource, article) in named
    default = ds.default_graph
    assert not set(default.subjects(RDF.type, SCHEMA.NewsArticle))
    assert set(default.subjects(RDF.type, SCHEMA.Person))


def test_membership_of_two_articles_is_in_both_graphs(source: Graph) -> None:
    default, named = partition(source)
    derived = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
    shared = [
        m for m in source.subjects(RDF.type, ORG.Membership) if len(set(source.objects(m, derived))) > 1
    ]
    assert shared, "the seed has a post stated by two articles"
    m = min(shared, key=str)
    for article in source.objects(m, derived):
        triples = named[URIRef(str(article))]
        assert (m, ORG.member, source.value(m, ORG.member)) in triples
        assert (m, derived, article) in triples
        others = set(source.objects(m, derived)) - {article}
        assert not any((m, derived, other) in triples for other in others)
    assert not any(t[0] == m for t in default)


def test_jsonld_uses_the_context(exported: dict[str, Path]) -> None:
    document = json.loads(exported["jsonld"].read_text(encoding="utf-8"))
    context = json.loads(
        (Path(__file__).resolve().parents[1] / "ontology" / "context.jsonld").read_text(encoding="utf-8")
    )["@context"]
    assert document["@context"] == context
    people = [n for n in document["@graph"] if n.get("@type") == "Person"]
    assert any(n.get("name") == "曹慧泉" for n in people)
    ids = [n["@id"] for n in document["@graph"]]
    assert ids == sorted(ids)


def test_context_covers_every_ng_term() -> None:
    context = json.loads(
        (Path(__file__).resolve().parents[1] / "ontology" / "context.jsonld").read_text(encoding="utf-8")
    )["@context"]
    mapped = {v if isinstance(v, str) else v["@id"] for v in context.values()}
    terms = {f"ng:{name}" for name in NG.__annotations__ if not name.startswith("_")}
    assert terms <= mapped


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_formats_read_back(exported: dict[str, Path], source: Graph, fmt: str) -> None:
    network = to_network(source)
    back = nx.read_graphml(exported[fmt]) if fmt == "graphml" else nx.read_gexf(exported[fmt])
    assert back.number_of_nodes() == network.number_of_nodes()
    assert back.number_of_edges() == network.number_of_edges()
    kinds = {data["kind"] for _, data in back.nodes(data=True)}
    assert {"person", "organization", "place", "event", "article"} <= kinds
    labels = {data["label"] for _, _, data in back.edges(data=True)}
    assert {"任职", "出席", "报道", "位于"} <= labels


def test_network_projection(source: Graph) -> None:
    network = to_network(source)
    person = next(n for n, d in network.nodes(data=True) if d["label"] == "曹慧泉" and d["kind"] == "person")
    assert network.nodes[person]["count"] >= 2
    titles = {d.get("title") for _, _, d in network.out_edges(person, data=True) if d["label"] == "任职"}
    assert "市委书记" in titles
    for _, data in network.nodes(data=True):
        assert all(isinstance(v, (str, int)) for v in data.values())
    chair_edges = [(u, v) for u, v, d in network.edges(data=True) if d["label"] == "主持"]
    assert all(
        network.nodes[u]["kind"] == "person" and network.nodes[v]["kind"] == "event" for u, v in chair_edges
    )


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_csv_tables(exported: dict[str, Path], source: Graph) -> None:
    out = exported["csv"]
    assert sorted(p.name for p in out.iterdir()) == sorted(CSV_TABLES)
    for table, columns in CSV_TABLES.items():
        header, rows = _rows(out / table)
        assert header == list(columns)
        assert [list(r.values()) for r in rows] == sorted(list(r.values()) for r in rows)
    _, memberships = _rows(out / "memberships.csv")
    cao = [r for r in memberships if r["person_name"] == "曹慧泉" and r["title"] == "市委书记"]
    assert cao
    assert all("曹慧泉" in r["evidence_exact"] for r in cao)
    _, participation = _rows(out / "participation.csv")
    assert {"attendee", "chair"} <= {r["role"] for r in participation}
    _, articles = _rows(out / "articles.csv")
    assert len(articles) == len(set(source.subjects(RDF.type, SCHEMA.NewsArticle)))
    assert any("\n" in r["article_body"] for r in articles)  # multi-line bodies survive quoting
    _, persons = _rows(out / "persons.csv")
    assert "市委书记" in next(r["titles"] for r in persons if r["name"] == "曹慧泉")


@pytest.mark.parametrize("fmt", FORMATS)
def test_exports_are_deterministic(
    seed_graph: Path, tmp_path: Path, exported: dict[str, Path], fmt: str
) -> None:
    again = export([seed_graph], fmt, tmp_path / f"again.{fmt}").out
    if fmt == "csv":
        for table in CSV_TABLES:
            assert (again / table).read_bytes() == (exported[fmt] / table).read_bytes()
    else:
        assert again.read_bytes() == exported[fmt].read_bytes()
    leftovers = [p.name for p in again.parent.rglob("*.tmp")]
    assert leftovers == []


def test_export_errors(seed_graph: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format"):
        export([seed_graph], "xlsx", tmp_path / "x")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="directory"):
        export([seed_graph], "csv", tmp_path / "file")
    with pytest.raises(ExportError, match="directory"):
        export([seed_graph], "ttl", tmp_path)


def test_cli_export(seed_graph: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "g.trig"
    assert main(["export", str(seed_graph), "--format", "trig", "-o", str(out)]) == 0
    assert out.is_file() and "wrote" in capsys.readouterr().err
    assert (
        main(["export", str(tmp_path / "missing.ttl"), "--format", "nt", "-o", str(tmp_path / "m.nt")]) == 1
    )
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "missing.ttl" in err
