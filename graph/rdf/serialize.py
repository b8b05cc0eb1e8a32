"""A sorted Turtle writer: the same graph always gives byte-identical text."""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.rdf.triples import TripleIndex

_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_PLAIN_NUMBERS = {XSD.integer}


def _escape(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ch in "\u2028\u2029" or 0xD800 <= ord(ch) <= 0xDFFF:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


class _Names:
    def __init__(self, namespaces: list[tuple[str, str]]) -> None:
        self.prefixes = sorted(((p, ns) for p, ns in namespaces if p), key=lambda item: -len(item[1]))
        self.used: set[str] = set()
        self._cache: dict[object, str] = {}

    def iri(self, node: URIRef) -> str:
        text = str(node)
        for prefix, ns in self.prefixes:
            if text.startswith(ns) and _LOCAL.match(text[len(ns) :]):
                self.used.add(prefix)
                return f"{prefix}:{text[len(ns) :]}"
        return f"<{text}>"

    def term(self, node: object) -> str:
        cached = self._cache.get(node)
        if cached is None:
            cached = self._cache[node] = self._term(node)
        return cached

    def _term(self, node: object) -> str:
        if isinstance(node, URIRef):
            return self.iri(node)
        if isinstance(node, BNode):
            return f"_:{node}"
        if isinstance(node, Literal):
            value = f'"{_escape(str(node))}"'
            if node.language:
                return f"{value}@{node.language}"
            if node.datatype in _PLAIN_NUMBERS and re.fullmatch(r"[+-]?\d+", str(node)):
                return str(node)
            if node.datatype and node.datatype != XSD.string:
                return f"{value}^^{self.iri(URIRef(node.datatype))}"
            return value
        raise TypeError(f"not an RDF term: {node!r}")


def _sort_key(node: object) -> tuple[int, str, str]:
    if isinstance(node, Literal):
        return (1, str(node), f"{node.language or ''}{node.datatype or ''}")
    return (0, str(node), "")


def to_turtle(graph: Graph | TripleIndex) -> str:
    """Turtle with subjects, predicates and objects in a fixed order, and only the prefixes it uses."""
    if isinstance(graph, Graph):
        index = TripleIndex((p, str(ns)) for p, ns in graph.namespace_manager.namespaces())
        for triple in graph:
            index.add(triple)
        graph = index
    names = _Names(graph.namespaces)
    blocks = []
    by_subject = graph.subject_map()
    for subject in sorted(by_subject, key=_sort_key):
        predicates = sorted(by_subject[subject], key=lambda p: (p != RDF.type, str(p)))
        lines = []
        for predicate in predicates:
            objects = sorted(by_subject[subject][predicate], key=_sort_key)
            verb = "a" if predicate == RDF.type else names.iri(predicate)
            rendered = ",\n        ".join(names.term(o) for o in objects)
            lines.append(f"    {verb} {rendered}")
        blocks.append(names.term(subject) + "\n" + " ;\n".join(lines) + " .\n")
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(names.prefixes) if p in names.used)
    return header + "\n" + "\n".join(blocks)
