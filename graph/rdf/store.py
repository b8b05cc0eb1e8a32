"""Graph stores for querying: RDF files in pyoxigraph or rdflib, or a persistent Oxigraph directory."""

from __future__ import annotations

import enum
import functools
import logging
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph.errors import QueryError
from graph.rdf.vocab import bind_prefixes

log = logging.getLogger(__name__)

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal

OXIGRAPH_PREFIX = "oxigraph:"
"""A graph spec `oxigraph:DIR` names a persistent pyoxigraph store directory."""

# rdflib format names and pyoxigraph formats by file extension
FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    ".ttl": ("turtle", ox.RdfFormat.TURTLE),
    ".turtle": ("turtle", ox.RdfFormat.TURTLE),
    ".nt": ("nt", ox.RdfFormat.N_TRIPLES),
    ".nq": ("nquads", ox.RdfFormat.N_QUADS),
    ".trig": ("trig", ox.RdfFormat.TRIG),
    ".jsonld": ("json-ld", ox.RdfFormat.JSON_LD),
    ".json": ("json-ld", ox.RdfFormat.JSON_LD),
}


class Kind(str, enum.Enum):
    """What a query returns."""

    SELECT = "select"
    ASK = "ask"
    GRAPH = "graph"  # CONSTRUCT and DESCRIBE


class Engine(str, enum.Enum):
    """Where RDF files are loaded for querying."""

    RDFLIB = "rdflib"
    OXIGRAPH = "oxigraph"


@dataclass
class Result:
    """A query result in rdflib terms, whichever store answered it."""

    kind: Kind
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None


class Store(Protocol):
    """What query code needs from a store."""

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result: ...

    def __len__(self) -> int: ...

    def close(self) -> None: ...


def known_prefixes() -> dict[str, str]:
    """The prefixes every query may use without declaring them (those of graph.ttl)."""
    g = Graph(bind_namespaces="none")
    bind_prefixes(g)
    return {prefix: str(iri) for prefix, iri in g.namespaces() if prefix}


class RdflibStore:
    """An rdflib Dataset whose default graph is the union of the loaded files."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._prefixes = known_prefixes()

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result:
        try:
            result = self.graph.query(sparql, initNs=self._prefixes, initBindings=dict(bindings or {}))
        except Exception as err:  # rdflib raises pyparsing errors, bare Exceptions and others
            raise QueryError(_rdflib_message(err)) from err
        if result.type == "ASK":
            return Result(Kind.ASK, boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph(bind_namespaces="none")
            bind_prefixes(graph)
            for triple in result:
                graph.add(triple)  # type: ignore[arg-type]
            return Result(Kind.GRAPH, graph=graph)
        variables = [str(v) for v in result.vars or ()]
        return Result(Kind.SELECT, variables, [tuple(row) for row in result])  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self.graph)

    def close(self) -> None:
        self.graph.close()


class OxigraphStore:
    """A pyoxigraph Store, in memory or opened from a directory."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._prefixes = known_prefixes()
        self._union: bool | None = None

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result:
        try:
            answer = self._run(with_values(sparql, bindings or {}))
        except SyntaxError as err:
            raise QueryError(_oxigraph_message(str(err))) from err
        except (OSError, ValueError, TypeError, RuntimeError) as err:
            raise QueryError(f"query failed: {_first_line(err)}") from err
        if isinstance(answer, ox.QueryBoolean):
            return Result(Kind.ASK, boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):
            graph = Graph(bind_namespaces="none")
            bind_prefixes(graph)
            for t in answer:
                graph.add((from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)))
            return Result(Kind.GRAPH, graph=graph)
        variables = [v.value for v in answer.variables]
        rows = [tuple(None if term is None else from_oxigraph(term) for term in row) for row in answer]
        return Result(Kind.SELECT, variables, rows)

    def _run(self, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        if self._union is None:
            # the union of named graphs (N-Quads shards) only when there are some: it costs joins their
            # index order (conflicting-titles: 48 ms against 1.2 ms on 7 M triples)
            self._union = next(iter(self.store.named_graphs()), None) is not None
        return self.store.query(sparql, prefixes=self._prefixes, use_default_graph_as_union=self._union)

    def __len__(self) -> int:
        return len(self.store)

    def close(self) -> None:
        # pyoxigraph closes the store when the object goes away; dropping the reference is the close
        self.store = ox.Store()


# comments, strings and IRIs are skipped whole, so braces inside them are not counted
_TOKEN = re.compile(
    r"""(?P<skip>#[^\n]*|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>\s]*>)"""
    r"|(?P<open>\{)|(?P<close>\})|(?P<word>[A-Za-z_]+)",
    re.S,
)


def with_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """The query with `bindings` as a VALUES block first in its WHERE group.

    Not pyoxigraph's substitutions: those filter the solutions after evaluation (a bound reporter-beats
    took 17 s on 7 M triples, against 0.5 ms)."""
    return inject_values(sparql, {ox.Variable(name): to_oxigraph(term) for name, term in bindings.items()})


def inject_values(sparql: str, substitutions: Mapping[ox.Variable, OxTerm]) -> str:
    """Put `VALUES (?a ?b) { (t1 t2) }` first in the query's WHERE group; pyoxigraph writes the terms in
    N-Triples syntax, so no user text reaches the query unescaped."""
    if not substitutions:
        return sparql
    names = " ".join(str(v) for v in substitutions)
    terms = " ".join(str(t) for t in substitutions.values())
    values = f" VALUES ({names}) {{ ({terms}) }} "
    depth, previous, construct = 0, "", False
    for match in _TOKEN.finditer(sparql):
        if match.group("word"):
            word = match.group("word").upper()
            construct = construct or (depth == 0 and word == "CONSTRUCT")
            previous = word
        elif match.group("open"):
            if depth == 0 and (previous == "WHERE" or not construct):
                return sparql[: match.end()] + values + sparql[match.end() :]
            depth += 1
            previous = "{"
        elif match.group("close"):
            depth -= 1
            previous = "}"
    raise QueryError("cannot bind parameters: the query has no WHERE group")


def _rdflib_message(err: Exception) -> str:
    lineno, col, msg = getattr(err, "lineno", None), getattr(err, "col", None), getattr(err, "msg", None)
    if lineno is not None and col is not None:
        return f"SPARQL syntax error at line {lineno}, column {col}: {msg or err}"
    first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return f"query failed: {first}"


_OX_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)


def _oxigraph_message(text: str) -> str:
    text = " ".join(text.split())
    match = _OX_POSITION.match(text)
    if not match:
        return f"SPARQL syntax error: {text}"
    line, col, rest = match.groups()
    return f"SPARQL syntax error at line {line}, column {col}: {rest}"


def to_oxigraph(term: Node) -> OxTerm:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"cannot use {term!r} as an RDF term")


_XSD_STRING = str(XSD.string)


@functools.lru_cache(maxsize=1 << 16)
def _literal(value: str, language: str | None, datatype: str | None) -> Literal:
    """Rows repeat names and counts: making each rdflib Literal once saves most of a row's cost."""
    if language:
        return Literal(value, lang=language)
    # rdflib writes xsd:string literals as plain ones
    return Literal(value) if datatype == _XSD_STRING else Literal(value, datatype=datatype)


def from_oxigraph(term: OxTerm | ox.Triple) -> Node:
    """A pyoxigraph term as the rdflib term rdflib itself would have produced."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        return _literal(term.value, term.language, None if term.language else term.datatype.value)
    raise QueryError(f"RDF-star triple terms are not supported: {term}")


def _file_format(path: Path) -> tuple[str, ox.RdfFormat]:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise QueryError(f"{path}: unknown RDF format (known extensions: {known})") from None


def _files(specs: Sequence[str | Path]) -> list[Path]:
    paths = []
    for spec in specs:
        path = Path(spec)
        if not path.is_file():
            raise QueryError(f"{path}: no such file")
        _file_format(path)
        paths.append(path)
    return paths


def open_store(specs: Sequence[str | Path], engine: Engine = Engine.OXIGRAPH) -> Store:
    """Open RDF files (format by extension) in `engine`, or a single `oxigraph:DIR` read-only."""
    specs = list(specs)
    if not specs:
        raise QueryError("no graph given")
    stores = [str(s) for s in specs if str(s).startswith(OXIGRAPH_PREFIX)]
    if stores:
        if len(specs) > 1:
            raise QueryError("an oxigraph:DIR graph cannot be combined with other graphs")
        return open_oxigraph(Path(stores[0][len(OXIGRAPH_PREFIX) :]))
    paths = _files(specs)
    if engine is Engine.OXIGRAPH:
        store = ox.Store()
        for path in paths:
            _load_oxigraph_file(store, path, bulk=False)
        return OxigraphStore(store)
    return RdflibStore(_load_rdflib(paths))


def _load_rdflib(paths: Sequence[Path]) -> Graph:
    # a plain Graph queries faster than a union Dataset, which only quad formats need
    quads = any(_file_format(path)[0] in ("nquads", "trig") for path in paths)
    graph = Dataset(default_union=True) if quads else Graph()
    bind_prefixes(graph)
    for path in paths:
        name, _ = _file_format(path)
        try:
            graph.parse(str(path), format=name)
        except Exception as err:
            raise QueryError(f"{path}: cannot parse as {name}: {_first_line(err)}") from err
    return graph


def _load_oxigraph_file(store: ox.Store, path: Path, bulk: bool) -> None:
    _, fmt = _file_format(path)
    load = store.bulk_load if bulk else store.load
    try:
        load(path=str(path), format=fmt)
    except (SyntaxError, OSError, ValueError) as err:
        raise QueryError(f"{path}: cannot parse as {fmt}: {_first_line(err)}") from err


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def open_oxigraph(directory: Path) -> OxigraphStore:
    """Open a persistent store read-only; it must have been written by write_oxigraph or load_oxigraph."""
    if not directory.is_dir():
        raise QueryError(f"{OXIGRAPH_PREFIX}{directory}: no such store directory")
    try:
        return OxigraphStore(ox.Store.read_only(str(directory)))
    except OSError as err:
        raise QueryError(f"{OXIGRAPH_PREFIX}{directory}: cannot open: {_first_line(err)}") from err


def turtle_lines(chunks: Iterable[Iterable[tuple[Node, Node, Node]]]) -> Iterator[bytes]:
    """Triples as Turtle lines in large byte chunks for Oxigraph's bulk loader: text through bulk_load
    is several times faster than building pyoxigraph Quads one by one. rdflib's n3() is Turtle, not
    N-Triples (it writes multi-line literals in triple quotes)."""
    iris: dict[Node, str] = {}  # recurring IRIs (types, predicates, people) are formatted once
    batch: list[str] = []
    for triples in chunks:
        if len(iris) > _IRI_CACHE_SIZE:
            iris.clear()  # bounded: evidence and event IRIs never recur
        for s, p, o in triples:
            subject = iris.get(s) or iris.setdefault(s, s.n3())
            predicate = iris.get(p) or iris.setdefault(p, p.n3())
            obj = o.n3() if isinstance(o, Literal) else iris.get(o) or iris.setdefault(o, o.n3())
            batch.append(f"{subject} {predicate} {obj} .\n")
            if len(batch) >= 50_000:
                yield "".join(batch).encode("utf-8")
                batch.clear()
    if batch:
        yield "".join(batch).encode("utf-8")


_IRI_CACHE_SIZE = 1 << 15


class Chunks:
    """A read()-able stream over byte chunks, so bulk_load never holds the whole document."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._current = b""
        self._offset = 0  # slicing from an offset: cutting the front off a big buffer copies it

    def read(self, size: int = -1) -> bytes:
        parts = []
        wanted = size
        while wanted != 0:
            if self._offset >= len(self._current):
                chunk = next(self._chunks, None)
                if chunk is None:
                    break
                self._current, self._offset = chunk, 0
            end = len(self._current) if wanted < 0 else min(len(self._current), self._offset + wanted)
            parts.append(self._current[self._offset : end])
            if wanted > 0:
                wanted -= end - self._offset
            self._offset = end
        return b"".join(parts)


def replace_directory(
    directory: str | Path,
    fill: Callable[[ox.Store], None],
    write_beside: Callable[[Path], None] | None = None,
) -> Path:
    """Fill a new store beside `directory`, then swap it in, so readers never see half a store;
    `write_beside` puts files of its own into the new directory, to be swapped in with it."""
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}.", suffix=".tmp"))
    try:
        store = ox.Store(str(staging))
        fill(store)
        store.flush()
        store.optimize()
        del store
        if write_beside is not None:
            write_beside(staging)
        if directory.exists():
            old = directory.with_name(f".{directory.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            directory.rename(old)
            staging.rename(directory)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return directory


def write_oxigraph(triples: Iterable[tuple[Node, Node, Node]], directory: str | Path) -> Path:
    """Write rdflib-term triples as a persistent Oxigraph store in `directory`, replacing any there."""

    def fill(store: ox.Store) -> None:
        store.bulk_load(Chunks(turtle_lines([triples])), format=ox.RdfFormat.TURTLE)

    done = replace_directory(directory, fill)
    log.info("wrote Oxigraph store %s", done)
    return done


def load_oxigraph(directory: str | Path, files: Sequence[str | Path]) -> Path:
    """Load RDF files (format by extension) into a new persistent Oxigraph store in `directory`."""
    paths = _files(files)

    def fill(store: ox.Store) -> None:
        for path in paths:
            _load_oxigraph_file(store, path, bulk=True)

    return replace_directory(directory, fill)
