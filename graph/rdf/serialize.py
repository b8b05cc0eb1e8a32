"""A sorted Turtle writer: the same graph always gives byte-identical text."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import BinaryIO

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.rdf.triples import TripleIndex

_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_PLAIN_NUMBERS = {str(XSD.integer)}
_XSD_STRING = str(XSD.string)
_IRI_CACHE_SIZE = 1 << 18
_INTEGER = re.compile(r"[+-]?\d+")


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
        self._iris: dict[str, str] = {}

    def iri(self, node: URIRef | str) -> str:
        text = str(node)
        done = self._iris.get(text)
        if done is None:
            done = self._iri(text)
            if len(self._iris) < _IRI_CACHE_SIZE:  # bounded: an archive has millions of IRIs
                self._iris[text] = done
        return done

    def _iri(self, text: str) -> str:
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
            return self.literal(str(node), node.language, str(node.datatype) if node.datatype else None)
        raise TypeError(f"not an RDF term: {node!r}")

    def literal(self, value: str, language: str | None, datatype: str | None) -> str:
        text = f'"{_escape(value)}"'
        if language:
            return f"{text}@{language}"
        if datatype in _PLAIN_NUMBERS and _INTEGER.fullmatch(value):
            return value
        if datatype and datatype != _XSD_STRING:
            return f"{text}^^{self.iri(datatype)}"
        return text


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


_NT_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_NT_CHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_RDF_TYPE = str(RDF.type)


def _nt_unescape(text: str) -> str:
    if "\\" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        short, long, char = match.groups()
        return chr(int(short or long, 16)) if short or long else _NT_CHARS.get(char, char)

    return _NT_ESCAPE.sub(one, text)


def _nt_object(text: str, names: _Names) -> tuple[tuple[int, str, str], str]:
    """An N-Triples object as its sort key (that of _sort_key) and its Turtle text."""
    if text.startswith("<"):
        iri = text[1:-1]
        return (0, iri, ""), names.iri(iri)
    if text.startswith("_:"):
        return (0, text[2:], ""), text
    close = text.rindex('"')
    value = _nt_unescape(text[1:close])
    suffix = text[close + 1 :]
    language = suffix[1:] if suffix.startswith("@") else None
    datatype = suffix[3:-1] if suffix.startswith("^^<") else None
    return (1, value, language or datatype or ""), names.literal(value, language, datatype)


def _turtle_block(subject: str, lines: list[str], names: _Names) -> str:
    by_predicate: dict[str, list[tuple[tuple[int, str, str], str]]] = {}
    for line in lines:
        _, predicate, obj = line.rstrip().removesuffix(" .").split(" ", 2)
        by_predicate.setdefault(predicate[1:-1], []).append(_nt_object(obj, names))
    rendered = []
    for predicate in sorted(by_predicate, key=lambda p: (p != _RDF_TYPE, p)):
        objects = sorted(set(by_predicate[predicate]))
        verb = "a" if predicate == _RDF_TYPE else names.iri(predicate)
        rendered.append(f"    {verb} " + ",\n        ".join(text for _, text in objects))
    head = names.iri(subject[1:-1]) if subject.startswith("<") else subject
    return head + "\n" + " ;\n".join(rendered) + " .\n"


def ntriples_to_turtle(
    source: Path, target: BinaryIO, namespaces: list[tuple[str, str]], scratch: Path
) -> None:
    """Write the N-Triples file `source` as the Turtle to_turtle would write for the same triples,
    holding only an index of subjects in memory: for graphs too large to hold (an Oxigraph dump)."""
    names = _Names(namespaces)
    # offsets, not a memory map: mapped pages of a dump of millions of triples would count as resident
    segments: dict[bytes, list[tuple[int, int]]] = {}
    with source.open("rb") as handle:
        position, current, start = 0, b"", 0
        for line in handle:
            subject = line[: line.find(b" ")]
            if subject != current:
                if current:
                    segments.setdefault(current, []).append((start, position))
                current, start = subject, position
            position += len(line)
        if current:
            segments.setdefault(current, []).append((start, position))
        body = scratch / "body.ttl"
        fd = handle.fileno()
        with body.open("wb") as out:
            first = True
            for subject in sorted(segments):  # UTF-8 byte order is code point order
                lines = [
                    line
                    for begin, stop in segments[subject]
                    for line in os.pread(fd, stop - begin, begin).decode("utf-8").split("\n")
                    if line
                ]
                if not first:
                    out.write(b"\n")
                first = False
                out.write(_turtle_block(subject.decode("utf-8"), lines, names).encode("utf-8"))
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(names.prefixes) if p in names.used)
    target.write((header + "\n").encode("utf-8"))
    with body.open("rb") as handle:
        shutil.copyfileobj(handle, target, 1 << 20)
    body.unlink()
