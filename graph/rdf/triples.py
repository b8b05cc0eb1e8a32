"""A light, indexed set of triples: what a build assembles before any store, and what it writes from.

rdflib's in-memory store costs about 20 µs a triple to add; a build only needs to add, look up by
subject and predicate, and write, so it keeps plain dictionaries and makes an rdflib Graph on demand.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import Graph, URIRef
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


class TripleIndex:
    """Triples indexed by subject then predicate, and by predicate; the subset of rdflib's Graph API
    that the writers and the page need."""

    def __init__(self, namespaces: Iterable[tuple[str, str]] = ()) -> None:
        self.namespaces: list[tuple[str, str]] = list(namespaces)
        self._spo: dict[Node, dict[Node, set[Node]]] = {}
        self._pos: dict[Node, dict[Node, set[Node]]] = {}
        self._count = 0

    def add(self, triple: Triple) -> None:
        s, p, o = triple
        objects = self._spo.setdefault(s, {}).setdefault(p, set())
        if o in objects:
            return
        objects.add(o)
        self._pos.setdefault(p, {}).setdefault(o, set()).add(s)
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __contains__(self, triple: Triple) -> bool:
        s, p, o = triple
        return o in self._spo.get(s, {}).get(p, ())

    def __iter__(self) -> Iterator[Triple]:
        for s, preds in self._spo.items():
            for p, objects in preds.items():
                for o in objects:
                    yield s, p, o

    def subject_map(self) -> dict[Node, dict[Node, set[Node]]]:
        return self._spo

    def subjects(self, predicate: Node | None = None, obj: Node | None = None) -> Iterator[Node]:
        if predicate is None:
            yield from self._spo
            return
        by_object = self._pos.get(predicate, {})
        if obj is None:
            seen: set[Node] = set()
            for subjects in by_object.values():
                for s in subjects:
                    if s not in seen:
                        seen.add(s)
                        yield s
        else:
            yield from by_object.get(obj, ())

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        yield from self._spo.get(subject, {}).get(predicate, ())

    def predicates(self, subject: Node) -> Iterator[Node]:
        yield from self._spo.get(subject, {})

    def value(self, subject: Node, predicate: Node) -> Node | None:
        objects = self._spo.get(subject, {}).get(predicate)
        return min(objects, key=str) if objects else None

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        for o, subjects in self._pos.get(predicate, {}).items():
            for s in subjects:
                yield s, o

    def to_graph(self) -> Graph:
        graph = Graph()
        for prefix, iri in self.namespaces:
            graph.bind(prefix, URIRef(iri), override=True, replace=True)
        graph.addN((s, p, o, graph) for s, p, o in self)
        return graph
