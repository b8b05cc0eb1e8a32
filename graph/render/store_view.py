"""Pages of a graph too large to hold, read from its Oxigraph store from the focus outwards.

Only the reached nodes, the facts around them and the labels of what those facts point to are read
from the store, so a focus view costs the size of the neighbourhood, not of the archive. A hub (a
city every article mentions) contributes its latest `HUB_LINKS` links, newest first.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph

from graph.errors import NewsgraphError
from graph.memory import release_memory
from graph.rdf.store import from_oxigraph
from graph.rdf.terms import (
    NG_CoAttendance,
    NG_eventCount,
    NG_evidence,
    NG_firstPerson,
    NG_secondPerson,
    OA_hasSource,
    PROV_wasDerivedFrom,
    RDF_type,
    RDFS_label,
    SCHEMA_articleBody,
    SCHEMA_author,
    SCHEMA_contributor,
    SCHEMA_headline,
    SCHEMA_name,
)
from graph.rdf.triples import TripleIndex
from graph.rdf.vocab import bind_prefixes
from graph.render.network import ENTITY_TYPES, fold
from graph.render.page import PageOptions, render_page
from graph.render.search import Named, find
from graph.render.view import (
    LINK_PREDICATES,
    RDF_TYPES,
    Edge,
    Node,
    TitleEntry,
    View,
    build_view,
    name_pinyin,
)

log = logging.getLogger(__name__)

HUB_LINKS = 200
"""Links read per node and direction at most: a focus page shows a hub's newest ones."""

OVERVIEW_LINKS = 10
"""Links per entity on an archive's overview: its newest posts, events and articles (a focus view has
them all); with a panel's 40, the overview of 1,000 entities held 0.5 GiB while it was drawn."""

_BODY = ox.NamedNode(str(SCHEMA_articleBody))
_LABELS = tuple(ox.NamedNode(str(p)) for p in (RDF_type, SCHEMA_name, SCHEMA_headline, RDFS_label))
_FOLLOWED = tuple(ox.NamedNode(str(p)) for p in (NG_evidence, PROV_wasDerivedFrom))
_BYLINE = tuple(ox.NamedNode(str(p)) for p in (SCHEMA_author, SCHEMA_contributor))
_MEMBER = ox.NamedNode("http://www.w3.org/ns/org#member")
_ORGANIZATION = ox.NamedNode("http://www.w3.org/ns/org#organization")
_MENTIONS = ox.NamedNode("https://schema.org/mentions")
_EVIDENCE = ox.NamedNode(str(NG_evidence))
_DERIVED = ox.NamedNode(str(PROV_wasDerivedFrom))
_NOT_FACTS = {ox.NamedNode(str(p)) for p in (RDF_type, NG_evidence, OA_hasSource)}
_DG = ox.DefaultGraph()


class StoreReader:
    """The triples around some nodes of a store, gathered into a TripleIndex for build_view."""

    def __init__(self, store: ox.Store, links: int = HUB_LINKS, shown: set[str] | None = None) -> None:
        self.store = store
        self.links = links
        self.shown = shown  # the only nodes the page will show, when known beforehand
        prefixes = Graph(bind_namespaces="none")
        bind_prefixes(prefixes)
        self.index = TripleIndex((p, str(ns)) for p, ns in prefixes.namespaces())
        self._described: set[str] = set()
        self._labelled: set[str] = set()
        self._followed: set[str] = set()

    def _add(self, quads: Iterable[ox.Quad]) -> list[ox.Quad]:
        kept = []
        for q in quads:
            if q.predicate == _BODY:
                continue
            if self.shown is not None and q.predicate == _MENTIONS and q.object.value not in self.shown:
                continue  # an overview's articles mention thousands of entities it does not show
            self.index.add((from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object)))
            kept.append(q)
        return kept

    def outgoing(self, node: ox.NamedNode) -> list[ox.Quad]:
        return list(self.store.quads_for_pattern(node, None, None, _DG))

    def incoming(self, node: ox.NamedNode) -> list[ox.Quad]:
        """Links into `node`, the newest `self.links` when there are more."""
        quads = list(self.store.quads_for_pattern(None, None, node, _DG))
        if len(quads) <= self.links:
            return quads
        rows = self.store.query(
            f"SELECT DISTINCT ?s WHERE {{ ?s ?p {node} . "
            "OPTIONAL { ?s <https://schema.org/datePublished>|<https://schema.org/startDate> ?d } } "
            f"ORDER BY DESC(?d) ?s LIMIT {self.links}"
        )
        newest = {row["s"] for row in rows}
        return [q for q in quads if q.subject in newest]

    def describe(self, node: ox.NamedNode) -> None:
        """Everything `node` states (but an article's body), its evidence and sources, and the labels
        of what it points to."""
        if node.value in self._described:
            return
        self._described.add(node.value)
        for q in self._add(self._newest_sources(node, self.outgoing(node))):
            target = q.object
            if not isinstance(target, ox.NamedNode):
                continue
            if q.predicate in _FOLLOWED:
                self.follow(target)
            elif q.predicate != _MENTIONS:  # what an article mentions is on the page only if reached
                self.label(target)

    def _newest_sources(self, node: ox.NamedNode, quads: list[ox.Quad]) -> list[ox.Quad]:
        """A post restated in thousands of articles keeps the evidence and sources of the newest."""
        paths = ((_EVIDENCE, "<{p}> ?x . ?x <{s}> ?a"), (_DERIVED, "<{p}> ?x . BIND(?x AS ?a)"))
        for predicate, path in paths:
            if sum(q.predicate == predicate for q in quads) <= self.links:
                continue
            pattern = path.format(p=predicate.value, s=OA_hasSource)
            rows = self.store.query(
                f"SELECT DISTINCT ?x WHERE {{ {node} {pattern} "
                "OPTIONAL { ?a <https://schema.org/datePublished> ?d } } "
                f"ORDER BY DESC(?d) ?x LIMIT {self.links}"
            )
            newest = {row["x"] for row in rows}
            quads = [q for q in quads if q.predicate != predicate or q.object in newest]
        return quads

    def follow(self, node: ox.NamedNode) -> None:
        """A fact's evidence or source article: what its quotes and their headlines and bylines need."""
        if node.value in self._followed:
            return
        self._followed.add(node.value)
        # not what a source article mentions: that would put every article stating a post on the page
        self._add(q for q in self.outgoing(node) if q.predicate != _MENTIONS)
        for byline in _BYLINE:
            for author in self.store.quads_for_pattern(node, byline, None, _DG):
                self.label(author.object)

    def label(self, node: object) -> None:
        if not isinstance(node, ox.NamedNode) or node.value in self._labelled:
            return
        self._labelled.add(node.value)
        for predicate in _LABELS:
            self._add(self.store.quads_for_pattern(node, predicate, None, _DG))

    def neighbours(self, node: ox.NamedNode) -> Iterator[ox.NamedNode]:
        """Nodes one link away on the page; a membership links its person and its organization."""
        for q in self.outgoing(node):
            if isinstance(q.object, ox.NamedNode) and q.predicate.value in LINK_PREDICATES:
                yield q.object
        for q in self.incoming(node):
            if q.predicate in (_MEMBER, _ORGANIZATION):
                other = _ORGANIZATION if q.predicate == _MEMBER else _MEMBER
                far = [f.object for f in self.store.quads_for_pattern(q.subject, other, None, _DG)]
                if not far:  # a title without its organization links to the articles stating it
                    far = [f.object for f in self.store.quads_for_pattern(q.subject, _DERIVED, None, _DG)]
                yield from (f for f in far if isinstance(f, ox.NamedNode))
            elif isinstance(q.subject, ox.NamedNode) and q.predicate.value in LINK_PREDICATES:
                yield q.subject

    def gather(self, seeds: Iterable[str], hops: int) -> set[str]:
        """Describe the nodes within `hops` links of `seeds` and the facts that point at them."""
        reached = {s: 0 for s in seeds}
        frontier = sorted(reached)
        for depth in range(hops + 1):
            following = []
            for iri in frontier:
                node = ox.NamedNode(iri)
                self.describe(node)
                for q in self.incoming(node):
                    # facts about the node, and those an article states (its panel lists their quotes)
                    if isinstance(q.subject, ox.NamedNode) and q.predicate not in _NOT_FACTS:
                        self.describe(q.subject)
                if depth == hops:
                    continue
                for nb in self.neighbours(node):
                    if nb.value not in reached:
                        reached[nb.value] = depth + 1
                        following.append(nb.value)
            frontier = sorted(following)
        return set(reached)


def find_in_store(store: ox.Store, name: str) -> list[str]:
    """IRIs of the nodes `name` finds in the store, ranked as `graph.render.search.find` ranks them
    (names, aliases, parts of names, pinyin, then headlines)."""
    if not name.strip():
        return []
    return list(dict.fromkeys(c.key for c in find(_searchable(store), name)))


def _searchable(store: ox.Store) -> list[Named]:
    """Every node of a page the store holds, by name and aliases; every article by headline."""
    types = " ".join(f"<{t}>" for kind, group in RDF_TYPES if kind != "article" for t in group)
    rows = store.query(
        "SELECT ?s ?name (GROUP_CONCAT(DISTINCT ?alias; SEPARATOR='\\u001f') AS ?aliases) WHERE { "
        f"VALUES ?type {{ {types} }} ?s a ?type ; <https://schema.org/name> ?name . "
        "OPTIONAL { ?s <https://schema.org/alternateName> ?alias } "
        "FILTER(isIRI(?s)) } GROUP BY ?s ?name ORDER BY ?s ?name"
    )
    found = [Named(row["s"].value, row["name"].value, _aliases(row["aliases"])) for row in rows]
    headlines = store.query(
        "SELECT ?s ?headline WHERE { ?s <https://schema.org/headline> ?headline FILTER(isIRI(?s)) } "
        "ORDER BY ?s ?headline"
    )
    found += [Named(row["s"].value, row["headline"].value, article=True) for row in headlines]
    return found


def _aliases(concatenated: ox.Literal | None) -> tuple[str, ...]:
    return tuple(a for a in concatenated.value.split("\x1f") if a) if concatenated is not None else ()


def render_store_page(store: ox.Store, options: PageOptions, title: str = "newsgraph") -> str:
    """A focus page read from the store: the neighbourhood of `options.focus`, then filtered as
    render_page filters a whole graph."""
    if not options.focus:
        raise NewsgraphError("a page from a store needs --focus NAME (the store is too large to show whole)")
    seeds = find_in_store(store, options.focus)
    if not seeds:
        raise NewsgraphError(f"no node named {options.focus!r} in the store")
    reader = StoreReader(store)
    reached = reader.gather(seeds, options.hops)
    log.info("focus %r: %d node(s) reached, %d triples read", options.focus, len(reached), len(reader.index))
    return render_page(reader.index, title=title, options=options)


def _directory(store: ox.Store, known: set[str]) -> list[Node]:
    """Every person, organization and place of the store not in `known`, with the titles its
    memberships state: enough for the page to find it, name it and show its posts."""
    kinds = {str(t): kind for kind, types in RDF_TYPES if kind in ENTITY_TYPES for t in types}
    found: dict[str, tuple[str, str]] = {}
    rows = store.query(
        f"SELECT ?s ?t ?n WHERE {{ ?s a ?t ; <{SCHEMA_name}> ?n "
        f"VALUES ?t {{ {' '.join(f'<{t}>' for t in sorted(kinds))} }} }}"
    )
    rank = {kind: i for i, kind in enumerate(ENTITY_TYPES)}
    for row in rows:
        iri, kind, name = row["s"].value, kinds[row["t"].value], row["n"].value.strip()
        if iri in known or not name or not isinstance(row["s"], ox.NamedNode):
            continue
        old = found.get(iri)
        # the strongest kind, then the shortest name, as build_view chooses
        if old is None or (rank[kind], len(name), name) < (rank[old[0]], len(old[1]), old[1]):
            found[iri] = (kind, name)
    titles: dict[str, set[TitleEntry]] = {}
    rows = store.query(
        "SELECT ?p ?pn ?o ?on ?t WHERE { ?m a <http://www.w3.org/ns/org#Membership> ; "
        "<http://www.w3.org/ns/org#member> ?p ; <https://w3id.org/newsgraph/ontology#title> ?t . "
        f"?p <{SCHEMA_name}> ?pn . OPTIONAL {{ ?m <http://www.w3.org/ns/org#organization> ?o . "
        f"?o <{SCHEMA_name}> ?on }} }}"
    )
    for row in rows:
        person = row["p"].value
        if person not in found:
            continue
        org, org_name = row["o"], row["on"]
        titles.setdefault(person, set()).add(
            TitleEntry(
                person=person,
                person_name=row["pn"].value,
                title=row["t"].value,
                organization=org.value if org is not None else "",
                organization_name=org_name.value if org_name is not None else "",
            )
        )
    nodes = []
    for iri, (kind, name) in sorted(found.items()):
        pinyin, initials = name_pinyin(name)
        nodes.append(
            Node(
                id=iri,
                label=name,
                type=kind,
                pinyin=pinyin,
                initials=initials,
                degree=0,
                titles=tuple(sorted(titles.get(iri, ()), key=lambda t: (t.title, t.organization_name))),
            )
        )
    return nodes


def _co_attendance(store: ox.Store) -> list[tuple[str, str, int]]:
    """The pairs of persons the build counted as attending events together (ng:CoAttendance)."""
    rows = store.query(
        f"SELECT ?a ?b ?n WHERE {{ ?x a <{NG_CoAttendance}> ; <{NG_firstPerson}> ?a ; "
        f"<{NG_secondPerson}> ?b ; <{NG_eventCount}> ?n }}"
    )
    return sorted((row["a"].value, row["b"].value, int(row["n"].value)) for row in rows)


def _co_mentions(store: ox.Store) -> dict[str, set[str]]:
    """Each article's mentioned nodes (756,000 links at 3,650 issues: read in about 3 s)."""
    groups: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, _MENTIONS, None, _DG):
        groups.setdefault(q.subject.value, set()).add(q.object.value)
    return groups


def render_overview(store: ox.Store, entities: list[str], title: str, mentioned: dict[str, int]) -> str:
    """The archive's page: its most mentioned `entities` with their panels (posts, events, quotes),
    and every other person, organization and place of the store for search and selection."""
    from graph.render.html import render_html

    reader = StoreReader(store, links=OVERVIEW_LINKS, shown=set(entities))
    ordered = sorted(entities)
    for start in range(0, len(ordered), 100):
        reader.gather(ordered[start : start + 100], 0)
        release_memory()  # what the store's queries of hubs freed: 85 MiB at 3,650 issues
    overview = build_view(reader.index, shown=set(entities))
    others = _directory(store, {n.id for n in overview.nodes})
    posts = tuple(
        Edge(t.person, t.organization, "任职", notes=(t.title,))
        for node in others
        for t in node.titles
        if t.organization
    )
    view = View(nodes=overview.nodes + tuple(others), edges=overview.edges + posts)
    network = fold(
        view, co_attendance=_co_attendance(store), co_mentions=_co_mentions(store), mentions=mentioned
    )
    return render_html(view, title=title, network=network)
