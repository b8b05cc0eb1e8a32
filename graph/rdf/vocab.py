"""RDF vocabulary of newsgraph: the ng: namespace, external namespaces and prefix binding."""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD, DefinedNamespace

ID_BASE = "https://w3id.org/newsgraph/id/"
"""Base IRI of the resources (articles, people, events, ...) a build mints."""

ONTOLOGY_IRI = "https://w3id.org/newsgraph/ontology"
"""IRI of the owl:Ontology declared in ontology/newsgraph.ttl."""

SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
TIME = Namespace("http://www.w3.org/2006/time#")


class NG(DefinedNamespace):
    """The newsgraph ontology namespace; see ontology/newsgraph.ttl."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # Classes
    Evidence: URIRef  # text selector quoting the words that state a fact
    AdministrativeDivision: URIRef  # Chinese administrative division
    Meeting: URIRef  # 会议
    Inspection: URIRef  # 调研, 视察
    Ceremony: URIRef  # 仪式
    SchoolReopening: URIRef  # 开学
    Broadcast: URIRef  # 集中收听收看
    CoAttendance: URIRef  # two persons and the number of events they took part in together

    # Object properties
    evidence: URIRef  # fact -> ng:Evidence
    chair: URIRef  # 主持
    speaker: URIRef  # 讲话, 作报告, 宣讲
    leader: URIRef  # 率队
    photographer: URIRef  # article -> the person credited for its pictures (记者 甲 摄)
    homeCity: URIRef  # newspaper -> its city
    firstPerson: URIRef  # ng:CoAttendance -> the person with the lower IRI
    secondPerson: URIRef  # ng:CoAttendance -> the other person

    # Datatype properties
    title: URIRef  # title as written, on org:Membership
    partOfDay: URIRef  # 上午, 下午, 晚上
    adminCode: URIRef  # GB/T 2260 code
    adminLevel: URIRef  # province, prefecture, county, township, community
    dateRule: URIRef  # option, filename, metadata, inferred
    sourceFile: URIRef  # input file name
    firstAttested: URIRef  # earliest publication date that attests a membership
    lastAttested: URIRef  # latest publication date that attests a membership
    mergedBecause: URIRef  # why mentions in several articles are one person
    eventCount: URIRef  # events a person took part in, or a pair took part in together
    partnerCount: URIRef  # distinct other persons at a person's events
    jurisdiction: URIRef  # the place a body governs (市委 -> 株洲市)


def bind_prefixes(g: Graph, base: str = ID_BASE) -> None:
    """Bind the newsgraph prefixes on ``g``, replacing any clashing binding; ``id`` maps to ``base``."""
    prefixes: dict[str, str] = {
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "xsd": str(XSD),
        "owl": str(OWL),
        "schema": str(SCHEMA),
        "org": str(ORG),
        "prov": str(PROV),
        "oa": str(OA),
        "ng": str(NG._NS),
        "dcterms": str(DCTERMS),
        "sem": str(SEM),
        "time": str(TIME),
        "id": base,
    }
    for prefix, iri in prefixes.items():
        g.bind(prefix, Namespace(iri), override=True, replace=True)
