"""SPARQL over a built graph: the query library, parameters bound as RDF terms, and result formats."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph.errors import QueryError
from graph.rdf.store import (
    Engine,
    Kind,
    Result,
    Store,
    known_prefixes,
    open_store,
    to_oxigraph,
    with_values,
)

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

LIBRARY_PACKAGE = "graph.queries"
"""The query library: one research question per queries/NAME.rq (the repository's queries/, installed as
the package graph.queries)."""

DEFAULT_GRAPH = Path("exports") / "graph.ttl"
DEFAULT_STORE = Path("exports") / "store"


def default_graph() -> str:
    """The build's store when it streamed into one (an archive), else its graph.ttl."""
    return f"oxigraph:{DEFAULT_STORE}" if DEFAULT_STORE.is_dir() else str(DEFAULT_GRAPH)


DEFAULT_ENGINE = Engine.OXIGRAPH
"""Files load into pyoxigraph by default: see bench/README.md, Stores: rdflib and Oxigraph."""

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LIBRARY_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_HEADER = re.compile(r"^#\s*(Question|Param|Example):\s*(.*)$")
# "text"@lang or "text"^^xsd:date|integer|string: an explicit literal for a query without a header
_TAGGED = re.compile(r'"(.*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(xsd:(?:date|integer|string)))', re.S)
# characters an IRIREF may not contain (SPARQL 1.1 grammar, production 139)
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


class Format(str, enum.Enum):
    """Output formats; turtle and jsonld are for CONSTRUCT and DESCRIBE."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    TURTLE = "turtle"
    JSONLD = "jsonld"


class ParamType(str, enum.Enum):
    """How a parameter's text becomes an RDF term; `@zh` (any language tag) makes a tagged literal."""

    STRING = "string"
    DATE = "date"
    INTEGER = "integer"
    IRI = "iri"


@dataclass(frozen=True)
class Param:
    """A parameter declared in a library query's header: `# Param: name @zh 张国华 the person's name`.

    A parameter is required unless its name ends in `?` (`# Param: name? @zh ...`): left out, an optional
    one stays unbound, so the query answers for every value."""

    name: str
    type: str  # a ParamType value or a language tag such as "@zh"
    example: str = ""
    description: str = ""
    optional: bool = False


@dataclass
class LibraryQuery:
    """A research question stored as queries/NAME.rq."""

    name: str
    text: str
    question: str = ""
    params: dict[str, Param] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)


def parse_header(text: str) -> tuple[str, dict[str, Param], list[str]]:
    """The question, parameters and example command lines from a query's leading comment."""
    question, params, examples = "", {}, []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER.match(stripped)
        if not match:
            continue
        key, value = match.groups()
        if key == "Question":
            question = value.strip()
        elif key == "Example":
            examples.append(value.strip())
        else:
            parts = value.split(maxsplit=3)
            name = parts[0].removesuffix("?") if parts else ""
            if len(parts) < 2 or not _NAME.match(name):
                want = "`# Param: NAME[?] TYPE EXAMPLE TEXT`"
                raise QueryError(f"bad parameter line (want {want}): {stripped}")
            _check_type(parts[1])
            params[name] = Param(name, parts[1], *parts[2:], optional=parts[0].endswith("?"))
    return question, params, examples


def _check_type(kind: str) -> None:
    if kind.startswith("@") and re.fullmatch(r"@[A-Za-z]+(-[A-Za-z0-9]+)*", kind):
        return
    if kind not in {t.value for t in ParamType}:
        known = ", ".join([t.value for t in ParamType] + ["@LANG"])
        raise QueryError(f"unknown parameter type {kind!r} (known: {known})")


def library(folder: Traversable | None = None) -> dict[str, LibraryQuery]:
    """Every library query by name, sorted (the shipped library unless `folder` is given)."""
    folder = folder or resources.files(LIBRARY_PACKAGE)
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".rq")), key=lambda e: e.name)
    return {entry.name[:-3]: _library_entry(entry.name[:-3], entry) for entry in entries}


def library_query(name: str, folder: Traversable | None = None) -> LibraryQuery:
    entry = (folder or resources.files(LIBRARY_PACKAGE)).joinpath(f"{name}.rq")
    if not _LIBRARY_NAME.match(name) or not entry.is_file():
        raise QueryError(f"no library query named {name!r}; `newsgraph query --list` shows them")
    return _library_entry(name, entry)


def _library_entry(name: str, entry: Traversable) -> LibraryQuery:
    text = entry.read_text(encoding="utf-8")
    question, params, examples = parse_header(text)
    return LibraryQuery(name, text, question, params, examples)


def resolve(query: str | None = None, file: str | Path | None = None) -> LibraryQuery:
    """A SPARQL string, a library query name, or a .rq file, as a query with its declared parameters."""
    if (query is None) == (file is None):
        raise QueryError("give either a query (SPARQL text or a library query name) or a .rq file")
    if file is not None:
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise QueryError(f"{path}: cannot read: {err.strerror or err}") from err
        question, params, examples = parse_header(text)
        return LibraryQuery(path.stem, text, question, params, examples)
    assert query is not None
    # a bare word is a library name: SPARQL always has whitespace or braces
    if _LIBRARY_NAME.match(query.strip()):
        return library_query(query.strip())
    question, params, examples = parse_header(query)
    return LibraryQuery("query", query, question, params, examples)


def parse_params(pairs: Sequence[str]) -> dict[str, str]:
    """`name=value` strings as a dict; a value may itself contain `=`."""
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not _NAME.match(name):
            raise QueryError(f"bad parameter {pair!r}: use NAME=VALUE, e.g. name=张国华")
        params[name] = value
    return params


def to_term(value: str, kind: str | None = None, prefixes: Mapping[str, str] | None = None) -> Node:
    """A parameter value as an RDF term: by its declared type, else an IRI when written as <...> or
    with a known prefix (id:person-..., schema:Person), else a plain string literal."""
    prefixes = known_prefixes() if prefixes is None else prefixes
    if kind is None:
        iri = _as_iri(value, prefixes)
        if iri is not None:
            return iri
        tagged = _TAGGED.fullmatch(value)
        if tagged:
            text, lang, datatype = tagged.groups()
            if lang:
                return Literal(text, lang=lang)
            return to_term(text, datatype.removeprefix("xsd:"), prefixes)
        return Literal(value)
    if kind.startswith("@"):
        return Literal(value, lang=kind[1:])
    if kind == ParamType.STRING:
        return Literal(value)
    if kind == ParamType.DATE:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise QueryError(f"not a date: {value!r} (use YYYY-MM-DD)") from None
        return Literal(value, datatype=XSD.date)
    if kind == ParamType.INTEGER:
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise QueryError(f"not an integer: {value!r}")
        return Literal(value.strip(), datatype=XSD.integer)
    if kind == ParamType.IRI:
        iri = _as_iri(value, prefixes)
        if iri is None:
            raise QueryError(f"not an IRI: {value!r} (use <https://...> or a prefixed name like id:...)")
        return iri
    _check_type(kind)
    raise AssertionError(kind)


def _as_iri(value: str, prefixes: Mapping[str, str]) -> URIRef | None:
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        iri = text[1:-1]
    else:
        prefix, colon, local = text.partition(":")
        if not colon or prefix not in prefixes or not re.fullmatch(r"[\w\-.]*", local):
            return None
        iri = prefixes[prefix] + local
    if not iri or _BAD_IRI.search(iri):
        raise QueryError(f"not a valid IRI: {value!r}")
    return URIRef(iri)


def bind(query: LibraryQuery, params: Mapping[str, str]) -> dict[str, Node]:
    """Parameter values as RDF terms for the query's variables. Unknown names and required parameters left
    out or empty are errors, never silently unbound; an empty optional one is left out."""
    prefixes = known_prefixes()
    for declared in query.params.values():
        if not declared.optional and not params.get(declared.name, "").strip():
            raise QueryError(missing_message(declared))
    bindings: dict[str, Node] = {}
    for name, value in params.items():
        if not value.strip():
            continue
        declared = query.params.get(name)
        if declared is None:
            if query.params:
                known = ", ".join(query.params)
                raise QueryError(f"{query.name} has no parameter {name!r} (it takes: {known})")
            if not re.search(rf"[?$]{re.escape(name)}\b", query.text):
                raise QueryError(f"the query has no variable ?{name} to bind")
        bindings[name] = to_term(value, declared.type if declared else None, prefixes)
    return bindings


def missing_message(param: Param) -> str:
    """What a researcher reads when a required parameter was left out or empty."""
    wanted = f": give {param.description}" if param.description else ""
    example = f", e.g. {param.name}={param.example}" if param.example else ""
    return f"parameter {param.name!r} has no value{wanted}{example}"


def bound_query(text: str, params: Mapping[str, str]) -> str:
    """SPARQL text with `params` bound as a VALUES block, typed by the text's own `# Param:` header: what
    the endpoint runs for `$name=value` arguments, through the same `bind` as `newsgraph query --param`."""
    question, declared, examples = parse_header(text)
    return with_values(text, bind(LibraryQuery("query", text, question, declared, examples), params))


def run(
    query: str | None = None,
    file: str | Path | None = None,
    graphs: Sequence[str | Path] = (DEFAULT_GRAPH,),
    params: Mapping[str, str] | None = None,
    engine: Engine = DEFAULT_ENGINE,
    store: Store | None = None,
) -> Result:
    """Run a SPARQL string, a library query by name, or a .rq file on `store` or on the opened `graphs`."""
    resolved = resolve(query, file)
    bindings = bind(resolved, params or {})
    if store is not None:
        return store.query(resolved.text, bindings)
    opened = open_store(graphs, engine)
    try:
        return opened.query(resolved.text, bindings)
    finally:
        opened.close()


# -- output --------------------------------------------------------------------------------------------


def shorten(term: Node | None, prefixes: Mapping[str, str] | None = None) -> str:
    """A term as a person reads it: prefixed IRIs, literals without quotes, tags or types."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        # the longest namespace wins, so id: beats a shorter base it may share
        for prefix, ns in sorted((prefixes or known_prefixes()).items(), key=lambda kv: -len(kv[1])):
            local = text[len(ns) :]
            if text.startswith(ns) and re.fullmatch(r"[\w\-.]*", local):
                return f"{prefix}:{local}"
        return f"<{text}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def width(text: str) -> int:
    """Terminal columns of `text`: East Asian wide and fullwidth characters take two, combining marks none."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())  # a table row is one line
    if width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, columns: int, right: bool) -> str:
    gap = " " * (columns - width(text))
    return gap + text if right else text + gap


def _numeric(term: Node | None) -> bool:
    return isinstance(term, Literal) and term.datatype is not None and term.datatype in _NUMERIC


_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.nonNegativeInteger}


def table(result: Result, max_width: int = 60) -> str:
    """An aligned text table; cells longer than `max_width` columns are clipped with an ellipsis."""
    if result.kind is Kind.ASK:
        return "true\n" if result.boolean else "false\n"
    prefixes = known_prefixes()
    cells = [[_clip(shorten(term, prefixes), max_width) for term in row] for row in result.rows]
    widths = [width(v) for v in result.variables]
    for row in cells:
        widths = [max(w, width(c)) for w, c in zip(widths, row, strict=True)]
    right = [
        bool(result.rows) and all(_numeric(row[i]) or row[i] is None for row in result.rows)
        for i in range(len(result.variables))
    ]
    lines = [
        "  ".join(_pad(v, w, r) for v, w, r in zip(result.variables, widths, right, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(_pad(c, w, r) for c, w, r in zip(row, widths, right, strict=True)) for row in cells]
    count = len(result.rows)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _csv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _delimited(result: Result, delimiter: str) -> str:
    out = io.StringIO()
    if result.kind is Kind.ASK:
        return "true\n" if result.boolean else "false\n"
    if delimiter == ",":
        # W3C SPARQL 1.1 CSV: bare values, CRLF line ends
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(result.variables)
        writer.writerows([_csv_value(t) for t in row] for row in result.rows)
        return out.getvalue()
    # W3C SPARQL 1.1 TSV: ?var header, terms in N-Triples syntax, which escapes tabs and newlines
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else str(to_oxigraph(t)) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    value: dict[str, str] = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype is not None:
        value["datatype"] = str(term.datatype)
    return value


def to_json(result: Result) -> str:
    """W3C SPARQL 1.1 Query Results JSON."""
    if result.kind is Kind.ASK:
        data: dict = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows
        ]
        data = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render(result: Result, fmt: Format | str | None = None) -> str:
    """The result as text in `fmt`; by default a table for SELECT and ASK, Turtle for CONSTRUCT/DESCRIBE."""
    if fmt is None:
        fmt = Format.TURTLE if result.kind is Kind.GRAPH else Format.TABLE
    fmt = Format(fmt)
    if result.kind is Kind.GRAPH:
        assert result.graph is not None
        if fmt is Format.TURTLE:
            return result.graph.serialize(format="turtle")
        if fmt is Format.JSONLD:
            return result.graph.serialize(format="json-ld", auto_compact=True).rstrip("\n") + "\n"
        raise QueryError(f"a CONSTRUCT or DESCRIBE result prints as turtle or jsonld, not {fmt.value}")
    if fmt is Format.TABLE:
        return table(result)
    if fmt is Format.CSV:
        return _delimited(result, ",")
    if fmt is Format.TSV:
        return _delimited(result, "\t")
    if fmt is Format.JSON:
        return to_json(result)
    raise QueryError(
        f"a {result.kind.value.upper()} result prints as table, csv, tsv or json, not {fmt.value}"
    )
