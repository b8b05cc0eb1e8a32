"""Reading newsgraph graphs from files, and checking them against the SHACL shapes (ontology/shapes.ttl)."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from graph.errors import NewsgraphError
from graph.rdf.ontology import SHAPES_FILE, load_turtle
from graph.rdf.vocab import bind_prefixes

log = logging.getLogger(__name__)

# File suffix -> rdflib parser; the quad formats are read into a Dataset and merged.
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}
QUAD_FORMATS = frozenset({"nquads", "trig", "json-ld"})


class ValidationError(NewsgraphError):
    """Validation could not run: the shapes cannot be read or pySHACL failed."""


class GraphReadError(ValidationError):
    """A graph file that cannot be read or parsed; the message names the file and the cause."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@functools.lru_cache(maxsize=256)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


class _PreparedQueryGraph(Graph):
    """A Graph that parses each distinct SPARQL text once.

    pySHACL runs every sh:sparql constraint once per focus node with the same text and $this bound
    through initBindings; parsing dominates (about 10 ms a query), so caching the parse makes
    validating exports/graph.ttl about ten times faster."""

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if isinstance(query_object, str) and not kwargs.get("initNs"):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


def _format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise GraphReadError(str(path), f"unknown RDF file type {path.suffix or '(none)'!r} (use {known})")
    return fmt


def read_graph(paths: Iterable[str | Path]) -> Graph:
    """The union of the triples in ``paths`` (named graphs merged), with the prefixes they declare."""
    graph: Graph = _PreparedQueryGraph()
    bind_prefixes(graph)
    count = 0
    for item in paths:
        path = Path(item)
        count += 1
        fmt = _format(path)
        if not path.is_file():
            raise GraphReadError(str(path), "no such file" if not path.exists() else "not a file")
        try:
            data = path.read_bytes()
        except OSError as err:
            raise GraphReadError(str(path), err.strerror or str(err)) from err
        try:
            if fmt in QUAD_FORMATS:
                dataset = Dataset()
                dataset.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
                for s, p, o, _ in dataset.quads((None, None, None, None)):
                    graph.add((s, p, o))
                namespaces = dataset.namespaces()
            else:
                part = Graph()
                part.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
                graph += part
                namespaces = part.namespaces()
        except Exception as err:  # rdflib raises many unrelated types for bad syntax
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise GraphReadError(str(path), f"not valid {fmt}: {first}") from err
        for prefix, namespace in namespaces:
            if prefix and prefix not in dict(graph.namespaces()):
                graph.bind(prefix, namespace)
    if count == 0:
        raise ValidationError("no graph file given")
    return graph


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result, as plain strings: IRIs in full, literals in N-Triples form."""

    focus: str
    path: str | None
    message: str
    severity: str
    value: str | None = None


@dataclass(frozen=True)
class ValidationReport:
    """Whether the graph conforms, and each result, sorted by focus node, path and message."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    prefixes: tuple[tuple[str, str], ...] = ()

    def short(self, term: str | None) -> str:
        """``term`` as a prefixed name where a prefix of the validated graph covers it."""
        if term is None:
            return ""
        best = ("", "")
        for prefix, namespace in self.prefixes:
            if term.startswith(namespace) and len(namespace) > len(best[1]):
                best = (prefix, namespace)
        local = term[len(best[1]) :]
        if best[1] and local and all(ch.isalnum() or ch in "-_." for ch in local):
            return f"{best[0]}:{local}"
        return f"<{term}>" if term.startswith(("http:", "https:", "urn:", "file:")) else term

    def lines(self) -> list[str]:
        """One line per result in plain words: severity, focus node, path, message."""
        out = []
        for v in self.violations:
            where = f"{self.short(v.focus)} {self.short(v.path)}".rstrip()
            message = " ".join(v.message.split())
            severity = "" if v.severity == "Violation" else f"{v.severity.lower()}: "
            out.append(f"{severity}{where}: {message}")
        return out


def _text(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, Literal):
        return node.n3()
    return str(node)


def _violations(results: Graph) -> list[Violation]:
    found = []
    for result in results.subjects(SH.resultSeverity, None):
        severity = results.value(result, SH.resultSeverity)
        path = results.value(result, SH.resultPath)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        component = results.value(result, SH.sourceConstraintComponent)
        message = messages[0] if messages else str(component).rsplit("#", 1)[-1]
        found.append(
            Violation(
                focus=_text(results.value(result, SH.focusNode)) or "",
                path=str(path) if isinstance(path, URIRef) else _text(path),
                message=message,
                severity=str(severity).rsplit("#", 1)[-1],
                value=_text(results.value(result, SH.value)),
            )
        )
    return sorted(found, key=lambda v: (v.focus, v.path or "", v.message, v.value or ""))


def _shapes_graph(shapes: Path | None) -> Graph:
    if shapes is None:
        return load_turtle(SHAPES_FILE)
    try:
        return Graph().parse(shapes, format=_format(shapes))
    except GraphReadError:
        raise
    except Exception as err:
        raise ValidationError(f"{shapes}: cannot read the shapes: {err}") from err


def validate(paths: Sequence[str | Path], shapes: Path | None = None) -> ValidationReport:
    """Check the union of the graphs in ``paths`` against ``shapes`` (default: the shipped shapes).

    No inference: a build states every type it relies on (an ng:Meeting is also a schema:Event), so
    RDFS inference over the ontology adds nothing the shapes need and only costs time."""
    import pyshacl  # slow to import; only this command needs it

    started = time.perf_counter()
    data = read_graph(paths)
    shapes_graph = _shapes_graph(shapes)
    try:
        conforms, results, _ = pyshacl.validate(
            data, shacl_graph=shapes_graph, inference="none", inplace=True, allow_warnings=True
        )
    except Exception as err:  # pySHACL reports bad shapes with its own exception types
        raise ValidationError(f"cannot validate: {' '.join(str(err).split())}") from err
    report = ValidationReport(
        conforms=bool(conforms),
        violations=_violations(results),
        triples=len(data),
        seconds=time.perf_counter() - started,
        prefixes=tuple((p, str(ns)) for p, ns in data.namespaces() if p),
    )
    log.info(
        "validated %d triples in %.2f s: %d result(s)", report.triples, report.seconds, len(report.violations)
    )
    return report
