"""The query page at `/`: the library's queries in a picker, an editor and a results table, offline
and under a strict Content-Security-Policy."""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from graph.rdf.query import LIBRARY_PACKAGE, library

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

log = logging.getLogger("newsgraph.server")

QUERIES_DIR: Traversable = resources.files(LIBRARY_PACKAGE)  # queries/, installed as graph.queries
_TEMPLATES = "graph.server.templates"

DEFAULT_QUERY = """SELECT DISTINCT ?person ?name WHERE {
  ?person a schema:Person ; schema:name ?name .
}
LIMIT 100
"""


@dataclass(frozen=True)
class LibraryQuery:
    """One query of the research library as the page lists it: file name, title and text."""

    name: str
    title: str
    query: str


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
        LibraryQuery(f"{q.name}.rq", q.question or _first_comment(q.text) or q.name, q.text) for q in queries
    ]


def _first_comment(text: str) -> str:
    comments = (line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#"))
    return next((c for c in comments if c), "")


@functools.cache
def _asset(name: str) -> str:
    """A template file, read once: the page's CSP hashes must match the script and style it inlines."""
    return resources.files(_TEMPLATES).joinpath(name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_asset), autoescape=True, keep_trailing_newline=True
    )


@functools.cache
def page_csp() -> str:
    """The page may run only its own script and style, and talk only to this server."""
    return (
        f"default-src 'none'; script-src {_csp_hash(_asset('query.js'))}; "
        f"style-src {_csp_hash(_asset('query.css'))}; connect-src 'self'; form-action 'none'; "
        "base-uri 'none'; frame-ancestors 'none'"
    )


def _script_json(value: object) -> str:
    # Inside <script>, only `<` can end the element; escaping it (and & and >) keeps any text inert.
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_page(queries: Sequence[LibraryQuery], triples: int) -> bytes:
    """The offline query page: every library title HTML-escaped, query texts as inert JSON."""
    payload = [{"name": q.name, "title": q.title, "query": q.query} for q in queries]
    return (
        _environment()
        .get_template("query.html")
        .render(
            library=queries,
            triples=triples,
            default_query=DEFAULT_QUERY,
            payload=Markup(_script_json(payload)),
            style=Markup(_asset("query.css")),
            script=Markup(_asset("query.js")),
        )
        .encode()
    )
