"""A read-only SPARQL 1.1 Protocol endpoint over the graph: a WSGI app, its query engine and a launcher."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import json
import logging
import math
import os
import re
import signal
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

import pyoxigraph as ox

from graph.errors import NewsgraphError
from graph.rdf.query import LIBRARY_PACKAGE, library

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

log = logging.getLogger("newsgraph.server")

DEFAULT_GRAPH = "exports/graph.ttl"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_RESULTS = 10_000
DEFAULT_MAX_BODY = 1_000_000
STORE_SCHEME = "oxigraph:"
QUERIES_DIR: Traversable = resources.files(LIBRARY_PACKAGE)  # queries/, installed as graph.queries

Environ = dict[str, Any]
StartResponse = Callable[..., Any]


class ServerError(NewsgraphError):
    """The endpoint cannot start: a graph that cannot be loaded, or an address that cannot be bound."""


# --- Query inspection -------------------------------------------------------------------------------

# SPARQL's lexical tokens, enough to tell keywords from the same letters inside strings, IRIs, comments,
# variables and prefixed names. Alternation order matters: an IRI is tried before `<` as an operator.
_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
               |\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'
               |"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f\u2040]*)
    | (?P<pname>(?:[^\W\d_][\w.\-\u00b7]*)?:(?:[\w\-.:%\u00b7]|\\.)*)
    | (?P<word>[A-Za-z][A-Za-z0-9_]*)
    | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


def _unescape_codepoints(text: str) -> str:
    """Apply SPARQL's \\u and \\U escapes to the whole text, as the spec's pre-parse step does."""

    def one(match: re.Match[str]) -> str:
        value = int(match.group(1) or match.group(2), 16)
        return chr(value) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else match.group(0)

    return _CODEPOINT.sub(one, text)


def _keywords(text: str) -> Iterable[str]:
    """The upper-cased keywords of ``text``, plus dot-separated parts of prefixed names' local parts."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "word":
            yield match.group().upper()
        elif kind == "pname":
            # A lexer that ends a prefixed name at a dot would see `ex:a.SERVICE` as a keyword; be as strict.
            for part in match.group().split(":", 1)[1].split(".")[1:]:
                yield part.upper()


def refusal(query: str) -> tuple[int, str] | None:
    """Why ``query`` may not run, as (HTTP status, message), or None when it may.

    Oxigraph reads \\u escapes only inside strings and IRIs while the SPARQL spec applies them first, so the
    text is checked both ways; a refusal in either reading refuses the query.
    """
    for text in (query, _unescape_codepoints(query)):
        words = list(_keywords(text))
        first = next((w for w in words if w not in ("BASE", "PREFIX")), "")
        if first in UPDATE_KEYWORDS:
            return 403, f"this endpoint is read-only: SPARQL Update ({first}) is refused"
        if "SERVICE" in words:
            return 400, "federated queries are refused: SERVICE is not allowed on this endpoint"
    return None


# --- Content negotiation ----------------------------------------------------------------------------

_RF = ox.QueryResultsFormat
RESULT_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": _RF.JSON,
    "application/json": _RF.JSON,
    "application/sparql-results+xml": _RF.XML,
    "application/xml": _RF.XML,
    "text/xml": _RF.XML,
    "text/csv": _RF.CSV,
    "text/tab-separated-values": _RF.TSV,
}
GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/x-json+ld": ox.RdfFormat.JSON_LD,
    "application/json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/xml": ox.RdfFormat.RDF_XML,
}


def _media_ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q))
    return ranges


def negotiate(accept: str | None, types: Sequence[str]) -> str | None:
    """The media type of ``types`` that ``accept`` prefers (the first on a tie), None if none is acceptable.

    An absent or empty Accept header takes the first type.
    """
    ranges = _media_ranges(accept or "")
    if not ranges:
        return types[0]
    best, best_q = None, 0.0
    for media in types:
        # The most specific matching range sets the quality (RFC 9110 §12.5.1).
        matched = [
            (2 if r == media else 1 if r == media.split("/")[0] + "/*" else 0, q)
            for r, q in ranges
            if r in (media, media.split("/")[0] + "/*", "*/*")
        ]
        if matched:
            q = max(matched)[1]
            if q > best_q:
                best, best_q = media, q
    return best


# --- Query engine -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """An HTTP answer to a query: status, content type and body."""

    status: int
    content_type: str
    body: bytes

    @classmethod
    def error(cls, status: int, message: str) -> Answer:
        return cls(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode())


@dataclass(frozen=True)
class QueryRequest:
    """What a worker needs to answer one query: the text, the chosen formats and the protocol's dataset."""

    query: str
    results_type: str | None  # media type for SELECT/ASK, None when the client accepts none
    graph_type: str | None  # media type for CONSTRUCT/DESCRIBE
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def _send_frame(sock: socket.socket, data: bytes) -> None:
    sock.sendall(struct.pack(">Q", len(data)) + data)


def _recv_exact(sock: socket.socket, size: int, deadline: float | None) -> bytes:
    chunks, left = [], size
    while left:
        if deadline is not None:
            sock.settimeout(max(deadline - time.monotonic(), 0.001))
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise ConnectionError("worker closed the connection")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _recv_frame(sock: socket.socket, deadline: float | None = None) -> bytes:
    (size,) = struct.unpack(">Q", _recv_exact(sock, 8, deadline))
    return _recv_exact(sock, size, deadline)


def default_prefixes() -> dict[str, str]:
    """The newsgraph prefixes (schema:, org:, prov:, oa:, ng:, id:, …), usable in queries without PREFIX."""
    from rdflib import Graph

    from graph.rdf.vocab import bind_prefixes

    g = Graph(bind_namespaces="none")
    bind_prefixes(g)
    return {prefix: str(iri) for prefix, iri in g.namespaces()}


def _open_store(sources: Sequence[str]) -> ox.Store:
    if len(sources) == 1 and sources[0].startswith(STORE_SCHEME):
        return ox.Store.read_only(sources[0][len(STORE_SCHEME) :])
    store = ox.Store()
    for source in sources:
        try:
            store.bulk_load(path=source, format=ox.RdfFormat.from_extension(Path(source).suffix[1:]))
        except (SyntaxError, ValueError, OSError) as err:
            raise ServerError(f"{source}: cannot load: {err}") from err
    return store


class _LineCap:
    """A write target that counts lines and stops the serializer once there are more than ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit, self.lines, self.exceeded, self.parts = limit, 0, False, []

    def write(self, data: bytes) -> int:
        self.lines += data.count(b"\n")
        self.parts.append(bytes(data))
        if self.lines > self.limit:
            self.exceeded = True
            raise OverflowError("result cap")
        return len(data)

    def flush(self) -> None:
        """Nothing is buffered here."""

    def value(self) -> bytes:
        return b"".join(self.parts)


def _one_line(err: Exception, limit: int = 400) -> str:
    # Oxigraph lists every expected token over several lines; a plain message is one readable line.
    text = " ".join(str(err).split())
    return text if len(text) <= limit else text[:limit] + " …"


def _with_charset(media_type: str) -> str:
    return media_type if "charset" in media_type else media_type + "; charset=utf-8"


def answer_query(
    store: ox.Store, request: QueryRequest, max_results: int, prefixes: dict[str, str]
) -> Answer:
    """Run one query on ``store`` and serialize it; the result cap is an error, never a silent truncation."""
    too_many = (
        f"the result has more than {max_results:,} rows; page through it with LIMIT and OFFSET, "
        "or start the server with a larger --max-results"
    )
    try:
        result = store.query(
            request.query,
            prefixes=prefixes,
            default_graph=[ox.NamedNode(g) for g in request.default_graphs] or None,
            named_graphs=[ox.NamedNode(g) for g in request.named_graphs] or None,
        )
        if isinstance(result, (ox.QueryBoolean, ox.QuerySolutions)):
            if request.results_type is None:
                return Answer.error(406, "SELECT and ASK results come as " + ", ".join(RESULT_TYPES))
            fmt = ox.QueryResultsFormat.from_media_type(request.results_type)
            if isinstance(result, ox.QueryBoolean):
                return Answer(200, _with_charset(fmt.media_type), result.serialize(format=fmt))
            # TSV has one line per solution, so the cap is counted while oxigraph serializes, then converted.
            sink = _LineCap(max_results + 1)
            with contextlib.suppress(OverflowError):
                result.serialize(sink, format=ox.QueryResultsFormat.TSV)
            if sink.exceeded:
                return Answer.error(413, too_many)
            body = sink.value()
            if fmt != ox.QueryResultsFormat.TSV:
                parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
                body = parsed.serialize(format=fmt)
            return Answer(200, _with_charset(fmt.media_type), body)
        if request.graph_type is None:
            return Answer.error(406, "CONSTRUCT and DESCRIBE results come as " + ", ".join(GRAPH_TYPES))
        fmt = ox.RdfFormat.from_media_type(request.graph_type)
        sink = _LineCap(max_results)
        with contextlib.suppress(OverflowError):
            result.serialize(sink, format=ox.RdfFormat.N_TRIPLES)
        if sink.exceeded:
            return Answer.error(413, too_many.replace("rows", "triples"))
        body = sink.value()
        if fmt != ox.RdfFormat.N_TRIPLES:
            triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
            body = ox.serialize(triples, format=fmt, prefixes=prefixes)
        return Answer(200, _with_charset(fmt.media_type), body)
    except SyntaxError as err:
        return Answer.error(400, f"query syntax error: {_one_line(err)}")
    except (OSError, ValueError, RuntimeError) as err:
        return Answer.error(500, f"query failed: {_one_line(err)}")


def _worker(conn: socket.socket, store: ox.Store, timeout: float, max_results: int, prefixes: dict) -> None:
    """Answer one query on ``conn``; runs in a process forked for it and never returns."""
    status = 1
    try:
        # A backstop if the server dies before killing this process at the deadline.
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(math.ceil(timeout) + 2)
        _send_frame(conn, str(os.getpid()).encode())
        request = QueryRequest(**json.loads(_recv_frame(conn)))
        answer = answer_query(store, request, max_results, prefixes)
        _send_frame(conn, json.dumps([answer.status, answer.content_type]).encode())
        _send_frame(conn, answer.body)
        status = 0
    except BaseException:  # a forked child must reach os._exit
        pass
    finally:
        os._exit(status)


def _zygote(
    control: socket.socket, sources: Sequence[str], timeout: float, max_results: int, prefixes: dict
) -> None:
    """Load the store once, then fork one worker per query; runs in its own process and never returns."""
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers
        started = time.perf_counter()
        try:
            store = _open_store(sources)
            triples = len(store)
        except (ServerError, OSError, ValueError, SyntaxError) as err:
            _send_frame(control, json.dumps({"error": str(err)}).encode())
            return
        seconds = time.perf_counter() - started
        _send_frame(control, json.dumps({"triples": triples, "seconds": seconds}).encode())
        while True:
            message, fds, _flags, _addr = socket.recv_fds(control, 1, 1)
            if not message:
                status = 0
                return
            try:
                pid = os.fork()
            except OSError:
                pid = -1  # closing the socket tells the server the worker never started
            if pid == 0:
                control.close()
                _worker(socket.socket(fileno=fds[0]), store, timeout, max_results, prefixes)
            for fd in fds:
                os.close(fd)
    except BaseException:  # a forked child must reach os._exit
        pass
    finally:
        os._exit(status)


class QueryEngine:
    """Runs each query in a worker process, killed at the deadline, forked from a process holding the store.

    The holder (a "zygote") is forked once, before the server starts threads, and loads the graph; each
    query then costs one fork, whose copy-on-write pages share the loaded store. Pyoxigraph cannot be
    interrupted inside a query, so killing the worker is the only sure timeout.
    """

    def __init__(
        self,
        sources: Sequence[str | Path],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_results: int = DEFAULT_MAX_RESULTS,
        workers: int | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> None:
        self.sources = [str(s) for s in sources] or [DEFAULT_GRAPH]
        self.timeout, self.max_results = timeout, max_results
        self.prefixes = default_prefixes() if prefixes is None else prefixes
        self.triples, self.load_seconds = 0, 0.0
        self._slots = threading.BoundedSemaphore(workers or max(2, os.cpu_count() or 2))
        self._lock = threading.Lock()
        self._control: socket.socket | None = None
        self._pid = 0

    def _check_sources(self) -> None:
        stores = [s for s in self.sources if s.startswith(STORE_SCHEME)]
        if stores and len(self.sources) > 1:
            raise ServerError(f"{STORE_SCHEME}DIR opens a store on its own; it cannot be combined with files")
        for source in self.sources:
            path = Path(source[len(STORE_SCHEME) :] if source in stores else source)
            if not path.exists():
                hint = "; run `newsgraph build` first" if source == DEFAULT_GRAPH else ""
                raise ServerError(f"{source}: no such file or directory{hint}")
            if source in stores and not path.is_dir():
                raise ServerError(f"{source}: not a directory")
            if source not in stores and not path.is_file():
                raise ServerError(f"{source}: not a file")
            if source not in stores and not ox.RdfFormat.from_extension(path.suffix[1:]):
                raise ServerError(f"{source}: unknown RDF format (use .ttl, .nt, .nq, .trig, .jsonld, .rdf)")

    def start(self) -> QueryEngine:
        """Fork the store holder and wait until the graph is loaded; raises ServerError if it cannot be."""
        self._check_sources()
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            ours.close()
            _zygote(theirs, self.sources, self.timeout, self.max_results, self.prefixes)
        theirs.close()
        self._control, self._pid = ours, pid
        try:
            ready = json.loads(_recv_frame(ours))
        except (ConnectionError, struct.error) as err:
            self.close()
            raise ServerError(f"the store process died while loading: {err}") from err
        if "error" in ready:
            self.close()
            raise ServerError(ready["error"])
        self.triples, self.load_seconds = ready["triples"], ready["seconds"]
        log.info("loaded %d triples from %s in %.3f s", self.triples, self.sources, self.load_seconds)
        return self

    def close(self) -> None:
        """Stop the store holder; running workers end at their own deadline."""
        control, self._control = self._control, None
        if control is not None:
            control.close()
        if self._pid:
            for _ in range(200):
                if os.waitpid(self._pid, os.WNOHANG)[0]:
                    break
                time.sleep(0.01)
            else:
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            self._pid = 0

    def __enter__(self) -> QueryEngine:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, request: QueryRequest) -> Answer:
        """Answer ``request`` within the timeout, or a 503 answer once it has passed."""
        deadline = time.monotonic() + self.timeout
        late = Answer.error(
            503, f"the query did not finish within the {self.timeout:g} s limit; narrow it or add a LIMIT"
        )
        if not self._slots.acquire(timeout=self.timeout):
            return Answer.error(503, "the server is busy with other queries; try again shortly")
        pid = 0
        try:
            ours, theirs = socket.socketpair()
            with ours:
                try:
                    with self._lock:
                        if self._control is None:
                            return Answer.error(503, "the query engine has stopped")
                        socket.send_fds(self._control, [b"q"], [theirs.fileno()])
                finally:
                    theirs.close()
                _send_frame(ours, json.dumps(request.__dict__).encode())
                pid = int(_recv_frame(ours, deadline))
                status, content_type = json.loads(_recv_frame(ours, deadline))
                body = _recv_frame(ours, deadline)
                pid = 0
                return Answer(status, content_type, body)
        except TimeoutError:
            return late
        except (ConnectionError, OSError, ValueError, struct.error) as err:
            log.warning("query worker failed: %s", err)
            return Answer.error(500, "the query process ended without an answer (out of memory?)")
        finally:
            if pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self._slots.release()


# --- Library queries and the page ---------------------------------------------------------------


@dataclass(frozen=True)
class LibraryQuery:
    """One query of the research library: file name, title from its header comment, and text."""

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


def _script_json(value: object) -> str:
    # Inside <script>, only `<` can end the element; escaping it (and & and >) keeps any text inert.
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


PAGE_SCRIPT = """
"use strict";
const library = JSON.parse(document.getElementById("library").textContent);
const picker = document.getElementById("picker");
const editor = document.getElementById("query");
const status = document.getElementById("status");
const output = document.getElementById("output");
picker.addEventListener("change", () => {
  const chosen = library[Number(picker.value)];
  if (chosen) editor.value = chosen.query;
});
function term(cell) {
  if (!cell) return "";
  if (cell.type === "bnode") return "_:" + cell.value;
  if (cell.type === "triple") return "<< " + JSON.stringify(cell.value) + " >>";
  return cell["xml:lang"] ? cell.value + " @" + cell["xml:lang"] : cell.value;
}
function el(tag, text) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
}
function show(type, text) {
  output.replaceChildren();
  if (!type.startsWith("application/sparql-results+json")) {
    output.append(el("pre", text));
    return;
  }
  const data = JSON.parse(text);
  if ("boolean" in data) {
    output.append(el("p", "ASK: " + data.boolean));
    status.textContent += " · " + data.boolean;
    return;
  }
  const table = el("table");
  const head = el("tr");
  for (const name of data.head.vars) head.append(el("th", "?" + name));
  table.append(head);
  for (const row of data.results.bindings) {
    const tr = el("tr");
    for (const name of data.head.vars) tr.append(el("td", term(row[name])));
    table.append(tr);
  }
  output.append(table);
  status.textContent += " · " + data.results.bindings.length + " rows";
}
document.getElementById("form").addEventListener("submit", async (event) => {
  event.preventDefault();
  status.textContent = "running…";
  output.replaceChildren();
  const started = performance.now();
  try {
    const response = await fetch("sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: editor.value,
    });
    const text = await response.text();
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    status.textContent = response.status + " " + response.statusText + " · " + seconds + " s";
    if (!response.ok) {
      output.append(el("pre", text));
      output.lastChild.className = "error";
      return;
    }
    show(response.headers.get("Content-Type") || "", text);
  } catch (error) {
    status.textContent = "request failed: " + error;
  }
});
"""

PAGE_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
textarea { width: 100%; height: 14em; font: 13px/1.4 monospace; box-sizing: border-box; }
select, button { font-size: 14px; margin: 0.4em 0.4em 0.4em 0; }
table { border-collapse: collapse; margin-top: 0.8em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td { white-space: pre-wrap; max-width: 40em; }
pre { white-space: pre-wrap; background: #f7f7f7; padding: 0.6em; }
.error { color: #a00; }
#status { color: #555; }
"""


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# The page may run only its own script and talk only to this server.
PAGE_CSP = (
    f"default-src 'none'; script-src {_csp_hash(PAGE_SCRIPT)}; style-src {_csp_hash(PAGE_STYLE)}; "
    "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
)

DEFAULT_QUERY = """SELECT DISTINCT ?person ?name WHERE {
  ?person a schema:Person ; schema:name ?name .
}
LIMIT 100
"""


def render_page(library: Sequence[LibraryQuery], triples: int) -> bytes:
    """The offline query page: every library title HTML-escaped, query texts as inert JSON."""
    options = "\n".join(
        f'<option value="{i}" title="{html.escape(q.name)}">{html.escape(q.title)}</option>'
        for i, q in enumerate(library)
    )
    picker = (
        f'<select id="picker"><option value="">library queries…</option>\n{options}</select>'
        if library
        else '<select id="picker" disabled><option value="">no queries/ folder</option></select>'
    )
    payload = [{"name": q.name, "title": q.title, "query": q.query} for q in library]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>newsgraph SPARQL</title>
<style>{PAGE_STYLE}</style></head>
<body>
<h1>newsgraph SPARQL endpoint</h1>
<p>{triples:,} triples · read-only · endpoint <code>/sparql</code> · prefixes schema:, org:, prov:, oa:, ng:,
id: and the usual ones need no PREFIX line here.</p>
<form id="form">
{picker}
<textarea id="query" spellcheck="false">{html.escape(DEFAULT_QUERY)}</textarea>
<button type="submit">Run</button> <span id="status"></span>
</form>
<div id="output"></div>
<script type="application/json" id="library">{_script_json(payload)}</script>
<script>{PAGE_SCRIPT}</script>
</body></html>
""".encode()


# --- The WSGI app -------------------------------------------------------------------------------

_REASONS = {
    200: "OK",
    204: "No Content",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    421: "Misdirected Request",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


@dataclass
class Response:
    """An HTTP response before it is handed to WSGI."""

    status: int
    content_type: str = "text/plain; charset=utf-8"
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, answer: Answer) -> Response:
        return cls(answer.status, answer.content_type, answer.body)

    @classmethod
    def error(cls, status: int, message: str, **headers: str) -> Response:
        return cls.of(Answer.error(status, message)).with_headers(**headers)

    def with_headers(self, **headers: str) -> Response:
        self.headers += [(name.replace("_", "-"), value) for name, value in headers.items()]
        return self


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def allowed_hosts_for(host: str) -> frozenset[str] | None:
    """Host header names to accept when bound to ``host``: loopback names for loopback, anything otherwise.

    Checking Host stops a web page from reaching a loopback endpoint through DNS rebinding.
    """
    if host in LOOPBACK_NAMES or host.startswith("127."):
        return LOOPBACK_NAMES | {host}
    return None


class SparqlApp:
    """The WSGI app: `/` the query page, `/queries.json` the library, `/sparql` the protocol; nothing else."""

    def __init__(
        self,
        engine: QueryEngine,
        *,
        cors: bool = False,
        max_body: int = DEFAULT_MAX_BODY,
        allowed_hosts: frozenset[str] | None = None,
        queries_dir: Traversable | None = QUERIES_DIR,
    ) -> None:
        self.engine, self.cors, self.max_body = engine, cors, max_body
        self.allowed_hosts, self.queries_dir = allowed_hosts, queries_dir

    def __call__(self, environ: Environ, start_response: StartResponse) -> list[bytes]:
        try:
            response = self.handle(environ)
        except Exception:
            log.exception("request failed")
            response = Response.error(500, "internal error; see the server log")
        headers = [
            ("Content-Type", response.content_type),
            ("Content-Length", str(len(response.body))),
            ("X-Content-Type-Options", "nosniff"),
            ("Cache-Control", "no-store"),
            *response.headers,
        ]
        if self.cors:
            headers.append(("Access-Control-Allow-Origin", "*"))
        start_response(f"{response.status} {_REASONS.get(response.status, 'Status')}", headers)
        return [response.body]

    def handle(self, environ: Environ) -> Response:
        """Route one request."""
        path = environ.get("PATH_INFO") or "/"
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if self.allowed_hosts is not None:
            host = environ.get("HTTP_HOST", "")
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name.strip("[]").lower() not in self.allowed_hosts:
                return Response.error(421, f"unexpected Host header {host!r}; use 127.0.0.1 or localhost")
        if path == "/sparql":
            return self.sparql(environ, method)
        if path not in ("/", "/queries.json"):
            return Response.error(404, "not found; the endpoint is /sparql and the query page is /")
        if method != "GET":
            return Response.error(405, "use GET", Allow="GET")
        library = load_library(self.queries_dir)
        if path == "/queries.json":
            body = json.dumps([q.__dict__ for q in library], ensure_ascii=False).encode()
            return Response(200, "application/json; charset=utf-8", body)
        page = render_page(library, self.engine.triples)
        return Response(200, "text/html; charset=utf-8", page).with_headers(
            Content_Security_Policy=PAGE_CSP, Referrer_Policy="no-referrer"
        )

    def sparql(self, environ: Environ, method: str) -> Response:
        """The SPARQL 1.1 Protocol query operation, read-only."""
        if method == "OPTIONS":
            response = Response(204).with_headers(Allow="GET, POST, OPTIONS")
            if self.cors:
                response.with_headers(
                    Access_Control_Allow_Methods="GET, POST, OPTIONS",
                    Access_Control_Allow_Headers="Content-Type, Accept",
                    Access_Control_Max_Age="86400",
                )
            return response
        if method not in ("GET", "POST"):
            return Response.error(405, "use GET or POST", Allow="GET, POST, OPTIONS")
        query_string = environ.get("QUERY_STRING", "")
        if len(query_string) > self.max_body:
            return Response.error(413, f"the request is larger than {self.max_body:,} bytes")
        try:
            params = parse_qs(query_string, keep_blank_values=True, errors="strict")
            if method == "POST":
                body_params = self._post_params(environ)
                if isinstance(body_params, Response):
                    return body_params
                for name, values in body_params.items():
                    params.setdefault(name, []).extend(values)
        except UnicodeDecodeError:
            return Response.error(400, "the request is not valid UTF-8")
        if "update" in params:
            return Response.error(403, "this endpoint is read-only: SPARQL Update is refused")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            return Response.error(400, "give exactly one non-empty `query` (GET parameter or POST body)")
        query = queries[0]
        refused = refusal(query)
        if refused:
            return Response.error(*refused)
        for name in ("default-graph-uri", "named-graph-uri"):
            for iri in params.get(name, []):
                try:
                    ox.NamedNode(iri)
                except ValueError:
                    return Response.error(400, f"{name} is not an IRI: {iri!r}")
        accept = environ.get("HTTP_ACCEPT")
        results_type, graph_type = negotiate(accept, list(RESULT_TYPES)), negotiate(accept, list(GRAPH_TYPES))
        request = QueryRequest(
            query,
            RESULT_TYPES[results_type].media_type if results_type else None,
            GRAPH_TYPES[graph_type].media_type if graph_type else None,
            tuple(params.get("default-graph-uri", [])),
            tuple(params.get("named-graph-uri", [])),
        )
        if request.results_type is None and request.graph_type is None:
            return Response.error(
                406, "acceptable types are " + ", ".join(dict.fromkeys([*RESULT_TYPES, *GRAPH_TYPES]))
            )
        started = time.perf_counter()
        answer = self.engine.run(request)
        log.info("query answered %d in %.3f s", answer.status, time.perf_counter() - started)
        return Response.of(answer).with_headers(Vary="Accept")

    def _post_params(self, environ: Environ) -> dict[str, list[str]] | Response:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return Response.error(400, "bad Content-Length")
        if length > self.max_body:
            return Response.error(413, f"the request body is larger than {self.max_body:,} bytes")
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        content_type, _, options = (environ.get("CONTENT_TYPE") or "").partition(";")
        content_type = content_type.strip().lower()
        charset = re.search(r"charset\s*=\s*\"?([\w.-]+)", options, re.IGNORECASE)
        if content_type == "application/sparql-query":
            encoding = charset.group(1) if charset else "utf-8"
            try:
                return {"query": [body.decode(encoding)]}
            except LookupError:
                return Response.error(415, f"unknown charset {encoding!r}")
        if content_type == "application/x-www-form-urlencoded":
            return parse_qs(body.decode("ascii", "strict"), keep_blank_values=True, errors="strict")
        if content_type == "application/sparql-update":
            return Response.error(403, "this endpoint is read-only: SPARQL Update is refused")
        return Response.error(
            415, "POST a query as application/sparql-query or application/x-www-form-urlencoded (query=…)"
        )


# --- The launcher -------------------------------------------------------------------------------


class _Handler(WSGIRequestHandler):
    """Request handler that logs through `logging` and gives up on a silent client."""

    timeout = 60

    def log_message(self, format: str, *args: object) -> None:
        log.info("%s %s", self.address_string(), format % args)


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    """wsgiref's server, one thread per request so a slow query does not block the page."""

    daemon_threads = True
    allow_reuse_address = True


def make_server(app: SparqlApp, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> WSGIServer:
    """A threading wsgiref server for ``app`` bound to ``host``:``port`` (0 picks a free port)."""
    server_class = _ThreadingServer
    if ":" in host:
        server_class = type("_ThreadingServer6", (_ThreadingServer,), {"address_family": socket.AF_INET6})
    try:
        server = server_class((host, port), _Handler)
    except OSError as err:
        raise ServerError(f"cannot listen on {host}:{port}: {err.strerror or err}") from err
    server.set_app(app)
    return server


@dataclass(frozen=True)
class ServeOptions:
    """Options of `newsgraph serve`."""

    graphs: tuple[str, ...] = (DEFAULT_GRAPH,)
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    timeout: float = DEFAULT_TIMEOUT
    max_results: int = DEFAULT_MAX_RESULTS
    cors: bool = False
    max_body: int = DEFAULT_MAX_BODY


def serve(options: ServeOptions, announce: Callable[[str], None] = log.warning) -> None:
    """Load the graph and serve it until interrupted; ServerError if either cannot be done."""
    with QueryEngine(options.graphs, timeout=options.timeout, max_results=options.max_results) as engine:
        hosts = allowed_hosts_for(options.host)
        app = SparqlApp(engine, cors=options.cors, max_body=options.max_body, allowed_hosts=hosts)
        server = make_server(app, options.host, options.port)
        host, port = server.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else host
        sources = " ".join(engine.sources)
        announce(f"loaded {engine.triples:,} triples from {sources} in {engine.load_seconds:.3f} s")
        if hosts is None:
            log.warning("listening on %s: anyone who can reach it can query the graph", options.host)
        announce(f"SPARQL endpoint http://{shown}:{port}/sparql, query page http://{shown}:{port}/")
        try:
            server.serve_forever()
        finally:
            server.server_close()
