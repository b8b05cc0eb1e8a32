"""Tests for SHACL validation: the shapes, graph.rdf.validate and `newsgraph validate`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.api import BuildResult
from graph.cli import main
from graph.rdf.validate import GraphReadError, ValidationError, read_graph, validate
from graph.rdf.vocab import NG, OA, ORG, SCHEMA, bind_prefixes

SHAPES = Path(__file__).resolve().parents[1] / "ontology" / "shapes.ttl"


@pytest.fixture(scope="module")
def seed_graph(seed_build: tuple[BuildResult, Path]) -> Path:
    return seed_build[1] / "graph.ttl"


def _broken(tmp_path: Path, seed_graph: Path, change: Callable[[Graph], URIRef]) -> tuple[Path, URIRef]:
    """A copy of the seed graph changed by ``change``, which returns the node it broke."""
    g = Graph().parse(seed_graph, format="turtle")
    bind_prefixes(g)
    node = change(g)
    path = tmp_path / "broken.ttl"
    g.serialize(path, format="turtle")
    return path, node


def _first_evidence(g: Graph) -> URIRef:
    return min(g.subjects(RDF.type, NG.Evidence), key=str)


def test_seed_build_conforms(seed_graph: Path) -> None:
    report = validate([seed_graph])
    assert report.conforms, report.lines()
    assert report.violations == []
    assert report.triples > 500


def test_shapes_cover_every_type_the_build_emits(seed_graph: Path) -> None:
    shapes = Graph().parse(SHAPES, format="turtle")
    targets = {str(o) for o in shapes.objects(None, URIRef("http://www.w3.org/ns/shacl#targetClass"))}
    data = Graph().parse(seed_graph, format="turtle")
    emitted = {str(t) for t in data.objects(None, RDF.type)}
    # event subclasses and the oa: selector types are checked through schema:Event and ng:Evidence
    covered_elsewhere = {str(t) for t in emitted if t.startswith(str(NG._NS)) and t != str(NG.Evidence)}
    covered_elsewhere |= {
        str(OA.TextPositionSelector),
        str(OA.TextQuoteSelector),
        str(SCHEMA.AdministrativeArea),
    }
    assert emitted - covered_elsewhere <= targets


def _wrong_exact(g: Graph) -> URIRef:
    ev = _first_evidence(g)
    g.set((ev, OA.exact, Literal("并非原文")))
    return ev


def _end_past_body(g: Graph) -> URIRef:
    ev = _first_evidence(g)
    g.set((ev, OA.end, Literal(10**6)))
    return ev


def _start_after_end(g: Graph) -> URIRef:
    ev = _first_evidence(g)
    end = int(g.value(ev, OA.end))
    g.set((ev, OA.start, Literal(end + 1)))
    return ev


def _negative_start(g: Graph) -> URIRef:
    ev = _first_evidence(g)
    g.set((ev, OA.start, Literal(-1)))
    return ev


def _membership_without_title(g: Graph) -> URIRef:
    m = min(g.subjects(RDF.type, ORG.Membership), key=str)
    g.remove((m, NG.title, None))
    return m


def _membership_without_evidence(g: Graph) -> URIRef:
    m = min(g.subjects(RDF.type, ORG.Membership), key=str)
    g.remove((m, NG.evidence, None))
    return m


def _event_date_as_string(g: Graph) -> URIRef:
    event = min(g.subjects(SCHEMA.startDate, None), key=str)
    g.set((event, SCHEMA.startDate, Literal("12月5日")))
    return event


def _event_without_provenance(g: Graph) -> URIRef:
    event = min(g.subjects(RDF.type, SCHEMA.Event), key=str)
    g.remove((event, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None))
    return event


def _headline_without_language(g: Graph) -> URIRef:
    article = min(g.subjects(RDF.type, SCHEMA.NewsArticle), key=str)
    g.set((article, SCHEMA.headline, Literal(str(g.value(article, SCHEMA.headline)))))
    return article


def _person_name_in_english(g: Graph) -> URIRef:
    person = min(g.subjects(RDF.type, SCHEMA.Person), key=str)
    g.set((person, SCHEMA.name, Literal("Someone", lang="en")))
    return person


def _date_as_string(g: Graph) -> URIRef:
    article = min(g.subjects(SCHEMA.datePublished, None), key=str)
    g.set((article, SCHEMA.datePublished, Literal("2022-12-07", datatype=XSD.string)))
    return article


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (_wrong_exact, "SUBSTR"),
        (_end_past_body, "past the end"),
        (_start_after_end, "start <= end"),
        (_negative_start, "0 <= start"),
        (_membership_without_title, "ng:title"),
        (_membership_without_evidence, "ng:evidence"),
        (_event_date_as_string, "xsd:date"),
        (_event_without_provenance, "prov:wasDerivedFrom"),
        (_headline_without_language, "headline"),
        (_person_name_in_english, "schema:name"),
        (_date_as_string, "datePublished"),
    ],
)
def test_broken_graph_is_reported_on_the_broken_node(
    tmp_path: Path, seed_graph: Path, change: Callable[[Graph], URIRef], words: str
) -> None:
    path, node = _broken(tmp_path, seed_graph, change)
    report = validate([path])
    assert not report.conforms
    hits = [v for v in report.violations if v.focus == str(node)]
    assert hits, report.lines()
    assert any(words in v.message for v in hits), [v.message for v in hits]
    assert all(v.severity == "Violation" for v in hits)


def test_lines_are_one_line_with_prefixed_names(tmp_path: Path, seed_graph: Path) -> None:
    path, node = _broken(tmp_path, seed_graph, _wrong_exact)
    report = validate([path])
    short = "id:" + str(node).rsplit("/", 1)[-1]
    lines = [line for line in report.lines() if line.startswith(short)]
    assert lines
    assert all("\n" not in line for line in report.lines())
    assert "并非原文" in lines[0]


def test_violations_are_sorted_and_deterministic(tmp_path: Path, seed_graph: Path) -> None:
    path, _ = _broken(tmp_path, seed_graph, _membership_without_title)
    first, second = validate([path]), validate([path])
    assert first.violations == second.violations
    keys = [(v.focus, v.path or "", v.message, v.value or "") for v in first.violations]
    assert keys == sorted(keys)


def test_several_files_are_validated_as_one_graph(tmp_path: Path, seed_graph: Path) -> None:
    g = Graph().parse(seed_graph, format="turtle")
    articles = {t for t in g if (t[0], RDF.type, SCHEMA.NewsArticle) in g}
    rest = tmp_path / "rest.nt"
    only_articles = tmp_path / "articles.ttl"
    a, b = Graph(), Graph()
    for t in g:
        (a if t in articles else b).add(t)
    a.serialize(only_articles, format="turtle")
    b.serialize(rest, format="nt")
    assert not validate([rest]).conforms  # evidence without the article bodies it quotes
    assert validate([rest, only_articles]).conforms


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("bad.ttl", "@prefix : <x> .\nthis is not turtle", "not valid turtle"),
        ("bad.nt", "<a> <b> .", "not valid nt"),
        ("graph.txt", "", "unknown RDF file type"),
    ],
)
def test_unreadable_input_raises(tmp_path: Path, name: str, text: str, reason: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GraphReadError, match=reason):
        validate([path])


def test_missing_input_raises(tmp_path: Path) -> None:
    with pytest.raises(GraphReadError, match="no such file"):
        read_graph([tmp_path / "nope.ttl"])
    with pytest.raises(ValidationError):
        read_graph([])


def test_custom_shapes(tmp_path: Path, seed_graph: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <https://schema.org/> .\n"
        "[] a sh:NodeShape ; sh:targetClass schema:Person ; "
        "sh:property [ sh:path schema:birthDate ; sh:minCount 1 ] .\n",
        encoding="utf-8",
    )
    report = validate([seed_graph], shapes=shapes)
    assert not report.conforms
    assert {v.path for v in report.violations} == {str(SCHEMA.birthDate)}


def test_cli_exit_codes(tmp_path: Path, seed_graph: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(seed_graph)]) == 0
    out = capsys.readouterr()
    assert out.out == ""
    assert "conforms" in out.err

    path, node = _broken(tmp_path, seed_graph, _wrong_exact)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert lines and any(line.startswith("id:" + str(node).rsplit("/", 1)[-1]) for line in lines)
    assert "does not conform" in out.err

    bad = tmp_path / "bad.ttl"
    bad.write_text("nonsense", encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert len(out.err.strip().splitlines()) == 1
    assert "Traceback" not in out.err and "bad.ttl" in out.err
