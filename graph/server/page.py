"""The query page at `/`: YASGUI's editor and results table (vendored, served from `/static/`), the
library's queries in a picker with their parameters as form fields, offline and under a strict
Content-Security-Policy."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import jinja2
import pyoxigraph as ox
from markupsafe import Markup
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graph.rdf.ontology import vocabulary
from graph.rdf.query import LIBRARY_PACKAGE, Param, library, shorten
from graph.rdf.store import from_oxigraph, known_prefixes

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

log = logging.getLogger("newsgraph.server")

QUERIES_DIR: Traversable = resources.files(LIBRARY_PACKAGE)  # queries/, installed as graph.queries
STATIC_PACKAGE = "graph.server.static"
STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
"""What `/static/NAME` serves: the package's files of these kinds, nothing else."""

DESCRIBE_INCOMING = 200
"""Statements about a resource that `/describe` lists under "referred to by", at most."""

DEFAULT_QUERY = """SELECT DISTINCT ?person ?name WHERE {
  ?person a schema:Person ; schema:name ?name .
}
LIMIT 100
"""


@dataclass(frozen=True)
class LibraryQuery:
    """One query of the research library as the page lists it: file name, title, text and parameters."""

    name: str
    title: str
    query: str
    params: tuple[Param, ...] = ()


def load_library(directory: Traversable | None = QUERIES_DIR) -> list[LibraryQuery]:
    """The library's queries sorted by name (none for an absent folder), titled by their question."""
    if directory is None or not directory.is_dir():
        return []
    try:
        queries = library(directory).values()
    except (OSError, UnicodeDecodeError) as err:
        log.warning("%s: the query library cannot be read: %s", directory, err)
        return []
    return [
        LibraryQuery(
            f"{q.name}.rq", q.question or _first_comment(q.text) or q.name, q.text, tuple(q.params.values())
        )
        for q in queries
    ]


def _first_comment(text: str) -> str:
    comments = (line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#"))
    return next((c for c in comments if c), "")


@functools.cache
def static_file(name: str) -> bytes | None:
    """A file of the page (read once), None unless the static package holds it and serves its kind."""
    if "/" in name or "\\" in name or name.startswith(".") or not name.endswith(tuple(STATIC_TYPES)):
        return None
    entry = resources.files(STATIC_PACKAGE).joinpath(name)
    return entry.read_bytes() if entry.is_file() else None


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("graph.server", "templates"), autoescape=True, keep_trailing_newline=True
    )


def page_csp() -> str:
    """The page runs only the server's own scripts and talks only to this server. YASGUI's table and
    editor set style attributes, hence 'unsafe-inline' for styles (never for scripts)."""
    return (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; "
        "frame-ancestors 'none'"
    )


def _script_json(value: object) -> Markup:
    # Inside <script>, only `<` can end the element; escaping it (and & and >) keeps any text inert.
    text = json.dumps(value, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def render_page(queries: Sequence[LibraryQuery], triples: int) -> bytes:
    """The offline query page: every library title HTML-escaped, query texts and terms as inert JSON."""
    classes, properties = vocabulary()
    settings = {
        "library": [
            {"name": q.name, "title": q.title, "query": q.query, "params": [asdict(p) for p in q.params]}
            for q in queries
        ],
        "defaultQuery": DEFAULT_QUERY,
        "prefixes": dict(sorted(known_prefixes().items())),
        "classes": list(classes),
        "properties": list(properties),
    }
    return (
        _environment()
        .get_template("query.html")
        .render(library=queries, triples=triples, settings=_script_json(settings))
        .encode()
    )


@dataclass(frozen=True)
class Cell:
    """One term as the description page shows it: text, a link to the term's own description for an IRI,
    and a literal's language tag or datatype."""

    text: str
    link: str = ""
    note: str = ""


def _cell(term: Node, prefixes: Mapping[str, str]) -> Cell:
    if isinstance(term, URIRef):
        return Cell(shorten(term, prefixes), "describe?" + urlencode({"iri": str(term)}))
    if isinstance(term, Literal):
        if term.language:
            return Cell(str(term), note="@" + term.language)
        datatype = term.datatype
        return Cell(str(term), note="^^" + shorten(datatype, prefixes) if datatype else "")
    return Cell(shorten(term, prefixes))


def render_description(iri: str, ntriples: bytes, referrers: Sequence[dict]) -> bytes:
    """The `/describe` page of one resource: its DESCRIBE (grouped by subject, the resource first, then
    its blank nodes) and the statements that point at it, every term escaped by the template."""
    prefixes = known_prefixes()
    subject = URIRef(iri)
    rows: dict[Node, list[tuple[Cell, Cell]]] = {}
    for triple in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
        s, p, o = (from_oxigraph(t) for t in (triple.subject, triple.predicate, triple.object))
        rows.setdefault(s, []).append((_cell(p, prefixes), _cell(o, prefixes)))
    groups = [
        (_cell(s, prefixes), sorted(rows[s], key=lambda row: (row[0].text, row[1].text)))
        for s in sorted(rows, key=lambda s: (s != subject, str(s)))
    ]
    pointing = [
        (
            _cell(URIRef(b["s"]["value"]) if b["s"]["type"] == "uri" else BNode(b["s"]["value"]), prefixes),
            _cell(URIRef(b["p"]["value"]), prefixes),
        )
        for b in referrers
    ]
    return (
        _environment()
        .get_template("describe.html")
        .render(
            title=shorten(subject, prefixes),
            iri=iri,
            turtle="describe?" + urlencode({"iri": iri, "format": "turtle"}),
            groups=groups,
            referrers=pointing,
            capped=len(referrers) >= DESCRIBE_INCOMING,
        )
        .encode()
    )
