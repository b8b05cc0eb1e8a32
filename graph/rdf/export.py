"""Exporting a newsgraph graph to other RDF syntaxes, to network files for Gephi, and to CSV tables.

Named graphs (TriG, N-Quads): each article's graph, named by the article IRI, holds the article's own
triples and the facts derived from it (memberships, events) with their provenance and evidence; a
membership attested by several articles appears in each of their graphs, its prov:wasDerivedFrom and
ng:evidence triples only in the graph of the article they point to. The default graph holds the
descriptions of entities (persons, organizations, places, projects, newspapers, attested spans),
which no single article owns. The union of all graphs is the source graph.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF
from rdflib.term import Node

from graph.atomic import write_atomic
from graph.errors import NewsgraphError
from graph.rdf.ontology import jsonld_context
from graph.rdf.serialize import to_turtle
from graph.rdf.triples import Triple, TripleIndex
from graph.rdf.validate import read_graph
from graph.rdf.vocab import NG, OA, ORG, SCHEMA

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("ttl", "nt", "nq", "trig", "jsonld", "graphml", "gexf", "csv")
DEFAULT_INPUT = Path("exports/graph.ttl")
CSV_TABLES: dict[str, tuple[str, ...]] = {
    "articles.csv": (
        "article",
        "headline",
        "alternative_headline",
        "date_published",
        "newspaper",
        "authors",
        "contributors",
        "source_file",
        "article_body",
    ),
    "persons.csv": ("person", "name", "alternate_names", "titles", "articles"),
    "memberships.csv": (
        "membership",
        "person",
        "person_name",
        "title",
        "organization",
        "organization_name",
        "article",
        "date_published",
        "evidence_start",
        "evidence_end",
        "evidence_exact",
    ),
    "events.csv": (
        "event",
        "name",
        "kinds",
        "start_date",
        "part_of_day",
        "place",
        "place_name",
        "organizer_name",
        "article",
        "evidence_start",
        "evidence_end",
        "evidence_exact",
    ),
    "participation.csv": ("event", "event_name", "start_date", "person", "person_name", "role"),
}

# Node kinds of the network projection, most specific type first: a newspaper is also an organization.
NODE_KINDS: tuple[tuple[str, URIRef], ...] = (
    ("article", SCHEMA.NewsArticle),
    ("event", SCHEMA.Event),
    ("newspaper", SCHEMA.Newspaper),
    ("person", SCHEMA.Person),
    ("organization", SCHEMA.Organization),
    ("project", SCHEMA.Project),
    ("place", SCHEMA.Place),
    ("place", SCHEMA.AdministrativeArea),  # a division that contains named places but is not named itself
)
# Direct relations of the projection: predicate -> (label, whether the edge runs object -> subject).
EDGE_LABELS: dict[URIRef, tuple[str, bool]] = {
    SCHEMA.mentions: ("报道", False),
    SCHEMA.author: ("记者", False),
    SCHEMA.contributor: ("通讯员", False),
    SCHEMA.isPartOf: ("刊于", False),
    SCHEMA.attendee: ("出席", True),
    NG.chair: ("主持", True),
    NG.speaker: ("讲话", True),
    NG.leader: ("率队", True),
    SCHEMA.organizer: ("主办", True),
    SCHEMA.location: ("位于", False),
    SCHEMA.containedInPlace: ("属于", False),
    ORG.subOrganizationOf: ("隶属", False),
    NG.homeCity: ("所在城市", False),
    NG.jurisdiction: ("管辖", False),
}
ROLES: dict[URIRef, str] = {
    SCHEMA.attendee: "attendee",
    NG.chair: "chair",
    NG.speaker: "speaker",
    NG.leader: "leader",
}


class ExportError(NewsgraphError):
    """An export that cannot be written: unknown format or an unusable output path."""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    format: str
    out: Path
    triples: int
    files: list[Path] = field(default_factory=list)


# --- named graphs ---
def partition(graph: Graph) -> tuple[list[Triple], dict[URIRef, list[Triple]]]:
    """Split ``graph`` into the default graph's triples and each article's named graph (see module doc)."""
    articles = set(graph.subjects(RDF.type, SCHEMA.NewsArticle))
    source_of: dict[Node, Node] = {
        ev: src for ev, src in graph.subject_objects(OA.hasSource) if src in articles
    }
    derived: dict[Node, set[Node]] = defaultdict(set)
    for fact, article in graph.subject_objects(PROV.wasDerivedFrom):
        if article in articles:
            derived[fact].add(article)
    default: list[Triple] = []
    named: dict[URIRef, list[Triple]] = defaultdict(list)
    for s, p, o in graph:
        if s in articles:
            targets: Iterable[Node] = (s,)
        elif s in source_of:
            targets = (source_of[s],)
        elif s in derived:
            if p == PROV.wasDerivedFrom and o in articles:
                targets = (o,)
            elif p == NG.evidence and o in source_of:
                targets = (source_of[o],)
            else:
                targets = derived[s]
        else:
            default.append((s, p, o))
            continue
        for target in targets:
            named[URIRef(str(target))].append((s, p, o))
    return default, dict(named)


def _index(graph: Graph, triples: Iterable[Triple]) -> TripleIndex:
    index = TripleIndex((p, str(ns)) for p, ns in graph.namespaces())
    for triple in triples:
        index.add(triple)
    return index


def _turtle_parts(text: str) -> tuple[list[str], str]:
    lines = text.split("\n")
    prefixes = [line for line in lines if line.startswith("@prefix ")]
    body = "\n".join(line for line in lines if not line.startswith("@prefix ")).strip("\n")
    return prefixes, body


def to_trig(graph: Graph) -> str:
    """TriG, sorted: the default graph first, then one named graph per article in IRI order."""
    default, named = partition(graph)
    prefixes: set[str] = set()
    head, body = _turtle_parts(to_turtle(_index(graph, default)))
    prefixes.update(head)
    blocks = [body + "\n"] if body else []
    for name in sorted(named):
        head, body = _turtle_parts(to_turtle(_index(graph, named[name])))
        prefixes.update(head)
        indented = "\n".join(f"    {line}" if line else "" for line in body.split("\n"))
        blocks.append(f"<{name}> {{\n{indented}\n}}\n")
    return "".join(f"{line}\n" for line in sorted(prefixes)) + "\n" + "\n".join(blocks)


def _nt_lines(triples: Iterable[Triple]) -> list[str]:
    part = Graph(bind_namespaces="none")
    for triple in triples:
        part.add(triple)
    return [line for line in part.serialize(format="nt").splitlines() if line.strip()]


def to_nquads(graph: Graph) -> str:
    """N-Quads, one line a quad, sorted; default-graph triples carry no graph name."""
    default, named = partition(graph)
    lines = _nt_lines(default)
    for name, triples in named.items():
        lines.extend(f"{line[: -len(' .')]} <{name}> ." for line in _nt_lines(triples))
    return "".join(f"{line}\n" for line in sorted(lines))


def to_ntriples(graph: Graph) -> str:
    """N-Triples, one line a triple, sorted."""
    return "".join(f"{line}\n" for line in sorted(_nt_lines(graph)))


# --- JSON-LD ---
def _sorted_json(value: Any) -> Any:
    # JSON-LD arrays of property values are unordered sets (no @list here), so sorting keeps the meaning
    if isinstance(value, dict):
        return {k: _sorted_json(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


def to_jsonld(graph: Graph) -> str:
    """JSON-LD compacted with ontology/context.jsonld, the context inlined so the file reads offline."""
    context = jsonld_context()
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = document.get("@graph", [document] if "@id" in document else [])
    nodes = [_sorted_json({k: v for k, v in node.items() if k != "@context"}) for node in nodes]
    nodes.sort(key=lambda node: str(node.get("@id", "")))
    return json.dumps({"@context": context, "@graph": nodes}, ensure_ascii=False, indent=2) + "\n"


# --- network projection ---
def _label(graph: Graph, node: Node) -> str:
    for predicate in (SCHEMA.name, SCHEMA.headline):
        values = sorted(str(v) for v in graph.objects(node, predicate))
        if values:
            return values[0]
    return str(node).rsplit("/", 1)[-1]


def to_network(graph: Graph) -> nx.MultiDiGraph:
    """Entities and articles as nodes (``kind``, ``label``, ``count``, ``iri``), relations as labelled edges.

    ``count`` is, for an article, how many nodes it mentions; for any other node, how many articles
    mention it, name it in a byline or state it as a fact. Memberships become 任职 edges from the person
    to the organization (with the ``title``); edges to nodes outside the projection are left out."""
    kinds: dict[Node, str] = {}
    for kind, cls in NODE_KINDS:
        for node in graph.subjects(RDF.type, cls):
            kinds.setdefault(node, kind)
    edges: set[tuple[str, str, str, str, str]] = set()
    for predicate, (label, reverse) in EDGE_LABELS.items():
        for s, o in graph.subject_objects(predicate):
            if s in kinds and o in kinds:
                source, target = (o, s) if reverse else (s, o)
                edges.add((str(source), str(target), label, str(predicate), ""))
    for membership in graph.subjects(RDF.type, ORG.Membership):
        for person in graph.objects(membership, ORG.member):
            for organization in graph.objects(membership, ORG.organization):
                if person in kinds and organization in kinds:
                    for title in graph.objects(membership, NG.title):
                        edges.add((str(person), str(organization), "任职", str(ORG.Membership), str(title)))
    articles_of: dict[Node, set[Node]] = defaultdict(set)
    for predicate in (SCHEMA.mentions, SCHEMA.author, SCHEMA.contributor):
        for article, node in graph.subject_objects(predicate):
            articles_of[node].add(article)
    for fact, article in graph.subject_objects(PROV.wasDerivedFrom):
        articles_of[fact].add(article)
    network = nx.MultiDiGraph()
    for node in sorted(kinds, key=str):
        if kinds[node] == "article":
            count = len(set(graph.objects(node, SCHEMA.mentions)))
        else:
            count = len(articles_of.get(node, ()))
        network.add_node(str(node), kind=kinds[node], label=_label(graph, node), count=count, iri=str(node))
    for source, target, label, predicate, title in sorted(edges):
        key = f"{label}:{title}" if title else label
        attributes = {"label": label, "predicate": predicate}
        if title:
            attributes["title"] = title
        network.add_edge(source, target, key=key, **attributes)
    return network


def to_graphml(graph: Graph) -> str:
    """GraphML of :func:`to_network`, as Gephi and yEd open it."""
    return "\n".join(nx.generate_graphml(to_network(graph))) + "\n"


def to_gexf(graph: Graph) -> str:
    """GEXF 1.2 of :func:`to_network`, with a date from the data instead of today's so the file is stable."""
    dates = sorted(str(d) for d in graph.objects(None, SCHEMA.datePublished))
    stamp = dates[-1] if dates else "1970-01-01"
    text = "\n".join(nx.generate_gexf(to_network(graph))) + "\n"
    return re.sub(r'lastmodifieddate="[^"]*"', f'lastmodifieddate="{stamp}"', text, count=1)


# --- CSV ---
def _first(graph: Graph, node: Node | None, predicate: URIRef) -> str:
    if node is None:
        return ""
    values = sorted(str(v) for v in graph.objects(node, predicate))
    return values[0] if values else ""


def _joined(values: Iterable[object]) -> str:
    return "; ".join(sorted({str(v) for v in values}))


def csv_tables(graph: Graph) -> dict[str, list[tuple[str, ...]]]:
    """The rows of each CSV table (without header), sorted."""
    g = graph
    name = _namer(g)
    tables: dict[str, list[tuple[str, ...]]] = {table: [] for table in CSV_TABLES}
    for article in g.subjects(RDF.type, SCHEMA.NewsArticle):
        tables["articles.csv"].append(
            (
                str(article),
                _first(g, article, SCHEMA.headline),
                _first(g, article, SCHEMA.alternativeHeadline),
                _first(g, article, SCHEMA.datePublished),
                _joined(name(p) for p in g.objects(article, SCHEMA.isPartOf)),
                _joined(name(p) for p in g.objects(article, SCHEMA.author)),
                _joined(name(p) for p in g.objects(article, SCHEMA.contributor)),
                _first(g, article, NG.sourceFile),
                _first(g, article, SCHEMA.articleBody),
            )
        )
    titles: dict[Node, set[str]] = defaultdict(set)
    for membership in g.subjects(RDF.type, ORG.Membership):
        person = g.value(membership, ORG.member)
        organization = g.value(membership, ORG.organization)
        title = _first(g, membership, NG.title)
        titles[person].add(title)
        for evidence in g.objects(membership, NG.evidence):
            article = g.value(evidence, OA.hasSource)
            tables["memberships.csv"].append(
                (
                    str(membership),
                    str(person or ""),
                    name(person),
                    title,
                    str(organization or ""),
                    name(organization),
                    str(article or ""),
                    _first(g, article, SCHEMA.datePublished),
                    _first(g, evidence, OA.start),
                    _first(g, evidence, OA.end),
                    _first(g, evidence, OA.exact),
                )
            )
    articles_of: dict[Node, set[Node]] = defaultdict(set)
    for predicate in (SCHEMA.mentions, SCHEMA.author, SCHEMA.contributor):
        for article, node in g.subject_objects(predicate):
            articles_of[node].add(article)
    for person in g.subjects(RDF.type, SCHEMA.Person):
        tables["persons.csv"].append(
            (
                str(person),
                name(person),
                _joined(g.objects(person, SCHEMA.alternateName)),
                _joined(titles.get(person, ())),
                str(len(articles_of.get(person, ()))),
            )
        )
    for event in g.subjects(RDF.type, SCHEMA.Event):
        kinds = _joined(
            str(t)[len(str(NG)) :] for t in g.objects(event, RDF.type) if str(t).startswith(str(NG))
        )
        place = g.value(event, SCHEMA.location)
        start = _first(g, event, SCHEMA.startDate)
        for evidence in g.objects(event, NG.evidence):
            tables["events.csv"].append(
                (
                    str(event),
                    name(event),
                    kinds,
                    start,
                    _first(g, event, NG.partOfDay),
                    str(place or ""),
                    name(place),
                    _joined(name(o) for o in g.objects(event, SCHEMA.organizer)),
                    str(g.value(evidence, OA.hasSource) or ""),
                    _first(g, evidence, OA.start),
                    _first(g, evidence, OA.end),
                    _first(g, evidence, OA.exact),
                )
            )
        for predicate, role in ROLES.items():
            for person in g.objects(event, predicate):
                tables["participation.csv"].append(
                    (str(event), name(event), start, str(person), name(person), role)
                )
    return {table: sorted(rows) for table, rows in tables.items()}


def _namer(graph: Graph) -> Callable[[Node | None], str]:
    """A memoized ``node -> schema:name`` (the smallest, for determinism) of ``graph``."""
    cache: dict[Node | None, str] = {}

    def name(node: Node | None) -> str:
        if node not in cache:
            cache[node] = _first(graph, node, SCHEMA.name)
        return cache[node]

    return name


def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


# --- entry point ---
TEXT_WRITERS: dict[str, Callable[[Graph], str]] = {
    "ttl": to_turtle,
    "nt": to_ntriples,
    "nq": to_nquads,
    "trig": to_trig,
    "jsonld": to_jsonld,
    "graphml": to_graphml,
    "gexf": to_gexf,
}


def default_output(fmt: str) -> Path:
    """Where ``newsgraph export`` writes without -o: beside the build's graph.ttl."""
    return Path("exports") / ("csv" if fmt == "csv" else f"graph.{fmt}")


def export(paths: Sequence[str | Path], fmt: str, out: str | Path | None = None) -> ExportResult:
    """Read the graphs in ``paths`` and write their union as ``fmt`` to ``out`` (a directory for csv)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (use one of {', '.join(FORMATS)})")
    graph = read_graph(paths or [DEFAULT_INPUT])
    target = Path(out) if out is not None else default_output(fmt)
    files: list[Path] = []
    try:
        if fmt == "csv":
            if target.exists() and not target.is_dir():
                raise ExportError(f"{target}: CSV export writes a directory, and this is a file")
            for table, rows in csv_tables(graph).items():
                write_atomic(target / table, _csv_bytes(CSV_TABLES[table], rows))
                files.append(target / table)
        else:
            if target.is_dir():
                raise ExportError(f"{target}: is a directory; give a file name")
            write_atomic(target, TEXT_WRITERS[fmt](graph).encode("utf-8"))
            files.append(target)
    except OSError as err:
        raise ExportError(f"{err.filename or target}: cannot write: {err.strerror or err}") from err
    log.info("exported %d triples as %s to %s", len(graph), fmt, target)
    return ExportResult(format=fmt, out=target, triples=len(graph), files=files)
