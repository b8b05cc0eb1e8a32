"""A sorted Turtle writer: the same graph always gives byte-identical text."""

from __future__ import annotations

import contextlib
import heapq
import itertools
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.rdf.triples import TripleIndex

_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_PLAIN_NUMBERS = {str(XSD.integer)}
_XSD_STRING = str(XSD.string)
_IRI_CACHE_SIZE = 1 << 15
RUN_LINES = 100_000
_INTEGER = re.compile(r"[+-]?\d+")
_RDF_TYPE = str(RDF.type)


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


ObjectKey = tuple[int, str, str]
"""An object's place among its predicate's objects: IRIs and blank nodes, then literals, by text."""


def _object(node: object, names: _Names) -> tuple[ObjectKey, str]:
    """An rdflib object as its sort key and its Turtle text."""
    if isinstance(node, Literal):
        return (1, str(node), f"{node.language or ''}{node.datatype or ''}"), names.term(node)
    return (0, str(node), ""), names.term(node)


def _subject_token(node: object) -> bytes:
    """A subject as N-Triples writes it: subjects are sorted by these bytes in both writers."""
    return f"<{node}>".encode() if isinstance(node, URIRef) else f"_:{node}".encode()


def _block(head: str, by_predicate: dict[str, list[tuple[ObjectKey, str]]], names: _Names) -> str:
    """One subject's Turtle: rdf:type first, then predicates and their objects in sorted order."""
    rendered = []
    for predicate in sorted(by_predicate, key=lambda p: (p != _RDF_TYPE, p)):
        objects = sorted(set(by_predicate[predicate]))
        verb = "a" if predicate == _RDF_TYPE else names.iri(predicate)
        rendered.append(f"    {verb} " + ",\n        ".join(text for _, text in objects))
    return head + "\n" + " ;\n".join(rendered) + " .\n"


def _header(names: _Names) -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(names.prefixes) if p in names.used) + "\n"


def to_turtle(graph: Graph | TripleIndex) -> str:
    """Turtle with subjects, predicates and objects in a fixed order, and only the prefixes it uses.

    The same text `ntriples_to_turtle` writes for the same triples: both order subjects by their
    N-Triples bytes and render each subject through `_block`."""
    if isinstance(graph, Graph):
        index = TripleIndex((p, str(ns)) for p, ns in graph.namespace_manager.namespaces())
        for triple in graph:
            index.add(triple)
        graph = index
    names = _Names(graph.namespaces)
    by_subject = graph.subject_map()
    blocks = []
    for subject in sorted(by_subject, key=_subject_token):
        by_predicate = {
            str(predicate): [_object(o, names) for o in objects]
            for predicate, objects in by_subject[subject].items()
        }
        blocks.append(_block(names.term(subject), by_predicate, names))
    return _header(names) + "\n".join(blocks)


_NT_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_NT_CHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _nt_unescape(text: str) -> str:
    if "\\" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        short, long, char = match.groups()
        return chr(int(short or long, 16)) if short or long else _NT_CHARS.get(char, char)

    return _NT_ESCAPE.sub(one, text)


def _nt_object(text: str, names: _Names) -> tuple[ObjectKey, str]:
    """An N-Triples object as its sort key (that of `_object`) and its Turtle text."""
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
    by_predicate: dict[str, list[tuple[ObjectKey, str]]] = {}
    for line in lines:
        _, predicate, obj = line.rstrip().removesuffix(" .").split(" ", 2)
        by_predicate.setdefault(predicate[1:-1], []).append(_nt_object(obj, names))
    head = names.iri(subject[1:-1]) if subject.startswith("<") else subject
    return _block(head, by_predicate, names)


def ntriples_to_turtle(
    source: Path,
    target: BinaryIO,
    namespaces: list[tuple[str, str]],
    scratch: Path,
    run_lines: int = RUN_LINES,
) -> None:
    """Write the N-Triples file `source` as the Turtle to_turtle would write for the same triples.

    An external merge sort: runs of `run_lines` lines are grouped by subject, sorted and written to
    `scratch`, then merged, so memory holds one run whatever the size of the graph (an Oxigraph dump)."""
    names = _Names(namespaces)
    runs = []
    with source.open("rb") as handle:
        while lines := list(itertools.islice(handle, run_lines)):
            blocks: dict[bytes, list[bytes]] = {}
            for line in lines:
                if line.strip():
                    blocks.setdefault(line[: line.find(b" ")], []).append(line)
            run = scratch / f"run-{len(runs):05d}"
            with run.open("wb") as out:
                for subject in sorted(blocks):  # UTF-8 byte order is code point order
                    out.write(b"%s\t%d\n" % (subject, len(blocks[subject])))
                    out.writelines(blocks[subject])
            runs.append(run)
    body = scratch / "body.ttl"
    with body.open("wb") as out, contextlib.ExitStack() as files:
        merged = heapq.merge(*(_run_records(files.enter_context(r.open("rb"))) for r in runs), key=_first)
        first = True
        for subject, group in itertools.groupby(merged, key=_first):
            lines = [line.decode("utf-8").rstrip("\n") for _, chunk in group for line in chunk]
            if not first:
                out.write(b"\n")
            first = False
            out.write(_turtle_block(subject.decode("utf-8"), lines, names).encode("utf-8"))
    target.write(_header(names).encode("utf-8"))
    with body.open("rb") as handle:
        shutil.copyfileobj(handle, target, 1 << 20)
    body.unlink()
    for run in runs:
        run.unlink()


def _run_records(handle: BinaryIO) -> Iterator[tuple[bytes, list[bytes]]]:
    for header in handle:
        subject, count = header.rstrip(b"\n").rsplit(b"\t", 1)
        yield subject, [handle.readline() for _ in range(int(count))]


def _first(record: tuple[bytes, list[bytes]]) -> bytes:
    return record[0]
