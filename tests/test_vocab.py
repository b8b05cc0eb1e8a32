"""Tests for the ng: vocabulary, the ontology file and prefix binding."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from graph.rdf.vocab import ID_BASE, NG, OA, SCHEMA, bind_prefixes

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology" / "newsgraph.ttl"
NS = str(NG._NS)
TERMS = sorted(name for name in NG.__annotations__ if not name.startswith("_"))


@pytest.fixture(scope="module")
def onto() -> Graph:
    """The parsed ontology."""
    g = Graph()
    g.parse(ONTOLOGY, format="turtle")
    return g


def _langs(g: Graph, s: URIRef, p: URIRef) -> set[str | None]:
    return {o.language for o in g.objects(s, p) if isinstance(o, Literal)}


def test_ontology_parses_and_has_header(onto: Graph) -> None:
    header = URIRef(NS.rstrip("#"))
    assert (header, RDF.type, OWL.Ontology) in onto
    assert str(onto.value(header, OWL.versionInfo)) == "0.1.0"


@pytest.mark.parametrize("name", TERMS)
def test_term_is_documented_and_aligned(onto: Graph, name: str) -> None:
    term = NG[name]
    types = set(onto.objects(term, RDF.type))
    assert types & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, name
    labels = _langs(onto, term, RDFS.label)
    assert {"en", "zh"} <= labels, name
    assert "en" in _langs(onto, term, RDFS.comment), name
    assert onto.value(term, RDFS.isDefinedBy) == URIRef(NS.rstrip("#"))
    supers = set(onto.objects(term, RDFS.subClassOf)) | set(onto.objects(term, RDFS.subPropertyOf))
    assert any(not str(s).startswith(NS) for s in supers), f"{name} has no external alignment"


def test_every_ng_iri_in_ontology_is_in_ng(onto: Graph) -> None:
    used = {str(t) for triple in onto for t in triple if isinstance(t, URIRef) and str(t).startswith(NS)}
    names = {iri[len(NS) :] for iri in used}
    assert names <= set(TERMS)
    assert names == set(TERMS)


def test_ng_iris_in_raw_text_are_known() -> None:
    text = ONTOLOGY.read_text(encoding="utf-8")
    assert set(re.findall(r"\bng:(\w+)", text)) <= set(TERMS)


def test_ng_fails_on_typo() -> None:
    assert NG.title == URIRef(NS + "title")
    with pytest.raises(AttributeError):
        _ = NG.titel


def test_attendee_subproperties(onto: Graph) -> None:
    for p in (NG.chair, NG.speaker, NG.leader):
        assert (p, RDFS.subPropertyOf, SCHEMA.attendee) in onto


def test_evidence_class_is_a_selector(onto: Graph) -> None:
    supers = set(onto.objects(NG.Evidence, RDFS.subClassOf))
    assert {OA.TextPositionSelector, OA.TextQuoteSelector} <= supers
    assert onto.value(NG.evidence, RDFS.range) == NG.Evidence


@pytest.mark.parametrize("bind_namespaces", ["rdflib", "core", "none"])
def test_bind_prefixes_serializes_cleanly(bind_namespaces: str) -> None:
    g = Graph(bind_namespaces=bind_namespaces)
    g.bind("schema", "http://schema.org/")  # a clashing earlier binding must be replaced
    bind_prefixes(g)
    bind_prefixes(g)  # idempotent
    person = URIRef(ID_BASE + "person-x")
    g.add((person, RDF.type, SCHEMA.Person))
    g.add((person, SCHEMA.name, Literal("曹慧泉", lang="zh")))
    g.add((URIRef(ID_BASE + "m"), NG.title, Literal("市委书记", lang="zh")))
    g.add((URIRef(ID_BASE + "m"), NG.evidence, URIRef(ID_BASE + "ev")))
    g.add((URIRef(ID_BASE + "ev"), OA.exact, Literal("市委书记曹慧泉")))
    ttl = g.serialize(format="turtle")
    assert ttl.count("@prefix schema:") == 1
    assert "@prefix schema: <https://schema.org/> ." in ttl
    assert "@prefix id: <https://w3id.org/newsgraph/id/> ." in ttl
    assert "ns1:" not in ttl
    assert "schema1:" not in ttl
    assert "id:person-x" in ttl


def test_bind_prefixes_on_ontology(onto: Graph) -> None:
    g = Graph()
    for t in onto:
        g.add(t)
    bind_prefixes(g)
    ttl = g.serialize(format="turtle")
    assert ttl.count("@prefix schema:") == 1
    assert not re.search(r"@prefix \w+1:", ttl)
    assert "ns1:" not in ttl


def test_bind_prefixes_custom_base() -> None:
    g = Graph()
    bind_prefixes(g, base="https://example.org/x/")
    assert dict(g.namespaces())["id"] == URIRef("https://example.org/x/")
    expected = {"rdf", "rdfs", "xsd", "owl", "schema", "org", "prov", "oa", "ng", "dcterms", "sem", "time"}
    expected.add("id")
    assert expected <= {p for p, _ in g.namespaces()}


DOCS = ONTOLOGY.parents[1] / "docs" / "ontology.html"
SHAPES = ONTOLOGY.parent / "shapes.ttl"
PROPERTIES = [n for n in TERMS if n[0].islower()]


@pytest.mark.parametrize("name", PROPERTIES)
def test_property_has_domain_and_range(onto: Graph, name: str) -> None:
    term = NG[name]
    assert onto.value(term, RDFS.domain) is not None, name
    assert onto.value(term, RDFS.range) is not None, name


@pytest.mark.parametrize("name", TERMS)
def test_term_has_chinese_comment(onto: Graph, name: str) -> None:
    assert "zh" in _langs(onto, NG[name], RDFS.comment), name


def test_ontology_aligns_to_each_vocabulary(onto: Graph) -> None:
    supers = {
        str(o)
        for p in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass)
        for o in onto.objects(None, p)
    }
    for vocabulary in (
        str(SCHEMA),
        "http://www.w3.org/ns/prov#",
        str(OA),
        "http://semanticweb.cs.vu.nl/2009/11/sem/",
    ):
        assert any(s.startswith(vocabulary) for s in supers), vocabulary
    assert any(s.startswith("http://xmlns.com/foaf/0.1/") for s in supers)


def test_shipped_files_are_found_through_the_package() -> None:
    from graph.rdf.ontology import CONTEXT_FILE, ONTOLOGY_FILE, SHAPES_FILE, load_turtle, ontology_resource

    for name in (ONTOLOGY_FILE, SHAPES_FILE, CONTEXT_FILE):
        assert ontology_resource(name).is_file(), name
    assert (URIRef(NS.rstrip("#")), RDF.type, OWL.Ontology) in load_turtle(ONTOLOGY_FILE)


def test_shapes_use_no_unknown_ng_terms() -> None:
    shapes = Graph().parse(SHAPES, format="turtle")
    used = {str(t) for triple in shapes for t in triple if isinstance(t, URIRef) and str(t).startswith(NS)}
    assert {iri[len(NS) :] for iri in used} <= set(TERMS)


@pytest.mark.parametrize("name", TERMS)
def test_docs_describe_every_term(name: str) -> None:
    html = DOCS.read_text(encoding="utf-8")
    # the full IRI, not a longer term that starts with it (evidence vs Evidence is case-sensitive)
    assert re.search(re.escape(NS + name) + r"(?![A-Za-z0-9_])", html), name
