"""The HTTP layer: the SPARQL 1.1 Protocol's query operation at `/sparql` (with `$NAME` parameters bound as
RDF terms), the query page at `/`, `/describe` and the library at `/queries.json`, as a WSGI app on
Werkzeug, and the launcher of `newsgraph serve`."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import signal
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler
from werkzeug.wrappers import Request, Response

from graph.errors import QueryError
from graph.processes import exit_with_parent
from graph.rdf.query import bound_query
from graph.server.checks import refusal
from graph.server.engine import (
    DEFAULT_GRAPH,
    DEFAULT_MAX_RESULTS,
    DEFAULT_TIMEOUT,
    GRAPH_TYPES,
    RESULT_TYPES,
    Answer,
    QueryEngine,
    QueryRequest,
    ServerError,
)
from graph.server.page import (
    DESCRIBE_INCOMING,
    QUERIES_DIR,
    STATIC_TYPES,
    load_library,
    page_csp,
    render_description,
    render_page,
    static_file,
)

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

log = logging.getLogger("newsgraph.server")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_MAX_BODY = 1_000_000
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
FORMATS = {
    "json": "application/sparql-results+json, application/ld+json;q=0.9",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "xml": "application/sparql-results+xml, application/rdf+xml;q=0.9",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}
"""`format=NAME` on /sparql: the Accept header it stands for."""
_DECLARES_PARAMS = re.compile(r"^\s*#\s*Param:", re.MULTILINE)


def negotiate(accept: str | None, types: Sequence[str]) -> str | None:
    """The media type of ``types`` that ``accept`` prefers (the first on a tie), None if none is
    acceptable. An absent or empty Accept header takes the first type."""
    ranges = parse_accept_header(accept, MIMEAccept)
    if not ranges:
        return types[0]
    return ranges.best_match(types)


def allowed_hosts_for(host: str) -> frozenset[str] | None:
    """Host header names to accept when bound to ``host``: loopback names for loopback, anything otherwise.

    Checking Host stops a web page from reaching a loopback endpoint through DNS rebinding.
    """
    if host in LOOPBACK_NAMES or host.startswith("127."):
        return LOOPBACK_NAMES | {host}
    return None


def _plain(status: int, message: str, **headers: str) -> Response:
    return _answer(Answer.error(status, message), **headers)


def _answer(answer: Answer, **headers: str) -> Response:
    response = Response(answer.body, status=answer.status, content_type=answer.content_type)
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = value
    return response


class SparqlApp:
    """The WSGI app: `/` the query page and `/static/` its files, `/describe` one resource, `/queries.json`
    the library, `/sparql` the protocol; nothing else."""

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

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self.handle(request)
        except Exception:
            log.exception("request failed")
            response = _plain(500, "internal error; see the server log")
        response.headers["X-Content-Type-Options"] = "nosniff"
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        if self.cors:
            response.headers["Access-Control-Allow-Origin"] = "*"
        return response(environ, start_response)

    def handle(self, request: Request) -> Response:
        """Route one request."""
        if self.allowed_hosts is not None:
            host = request.headers.get("Host", "")
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name.strip("[]").lower() not in self.allowed_hosts:
                return _plain(421, f"unexpected Host header {host!r}; use 127.0.0.1 or localhost")
        path = request.environ.get("PATH_INFO") or "/"  # as sent: Werkzeug's .path folds `//sparql`
        if path == "/sparql":
            return self.sparql(request)
        static = static_file(path.removeprefix("/static/")) if path.startswith("/static/") else None
        if path not in ("/", "/queries.json", "/describe") and static is None:
            return _plain(404, "not found; the endpoint is /sparql and the query page is /")
        if request.method not in ("GET", "HEAD"):
            return _plain(405, "use GET", Allow="GET, HEAD")
        if static is not None:
            response = Response(static, content_type=STATIC_TYPES[path[path.rfind(".") :]])
            response.headers["Cache-Control"] = "public, max-age=3600"
            return response
        if path == "/describe":
            return self.describe(request)
        queries = load_library(self.queries_dir)
        if path == "/queries.json":
            return Response(
                _json([asdict(q) for q in queries]), content_type="application/json; charset=utf-8"
            )
        return _page(render_page(queries, self.engine.triples))

    def describe(self, request: Request) -> Response:
        """`/describe?iri=IRI`: the resource's DESCRIBE as a small HTML page, or as Turtle (or any graph
        type) when the Accept header or `format` asks for it."""
        iri = request.args.get("iri", "")
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            return _plain(400, f"not an IRI: {iri!r}; use /describe?iri=https://...")
        wanted = FORMATS.get(request.args.get("format", ""), request.headers.get("Accept"))
        graph_type = negotiate(wanted, ["text/html", *GRAPH_TYPES])
        if graph_type is None:
            return _plain(406, "acceptable types are text/html, " + ", ".join(GRAPH_TYPES))
        if graph_type != "text/html":
            media_type = GRAPH_TYPES[graph_type].media_type
            return _answer(self.engine.run(QueryRequest(f"DESCRIBE {node}", None, media_type)), Vary="Accept")
        outgoing = self.engine.run(QueryRequest(f"DESCRIBE {node}", None, "application/n-triples"))
        if outgoing.status != 200:
            return _answer(outgoing)
        incoming = self.engine.run(
            QueryRequest(
                f"SELECT ?s ?p WHERE {{ ?s ?p {node} }} ORDER BY ?p ?s LIMIT {DESCRIBE_INCOMING}",
                "application/sparql-results+json",
                None,
            )
        )
        referrers = json.loads(incoming.body)["results"]["bindings"] if incoming.status == 200 else []
        return _page(render_description(iri, outgoing.body, referrers))

    def sparql(self, request: Request) -> Response:
        """The SPARQL 1.1 Protocol query operation, read-only."""
        method = request.method
        if method == "OPTIONS":
            response = Response(status=204)
            response.headers["Allow"] = "GET, POST, OPTIONS"
            if self.cors:
                response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
                response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
                response.headers["Access-Control-Max-Age"] = "86400"
            return response
        if method not in ("GET", "POST"):
            return _plain(405, "use GET or POST", Allow="GET, POST, OPTIONS")
        query_string = request.query_string.decode("latin-1")
        if len(query_string) > self.max_body:
            return _plain(413, f"the request is larger than {self.max_body:,} bytes")
        try:
            params = parse_qs(query_string, keep_blank_values=True, errors="strict")
            if method == "POST":
                body_params = self._post_params(request)
                if isinstance(body_params, Response):
                    return body_params
                for name, values in body_params.items():
                    params.setdefault(name, []).extend(values)
        except UnicodeDecodeError:
            return _plain(400, "the request is not valid UTF-8")
        if "update" in params:
            return _plain(403, "this endpoint is read-only: SPARQL Update is refused")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            return _plain(400, "give exactly one non-empty `query` (GET parameter or POST body)")
        query = queries[0]
        arguments = {name[1:]: values[-1] for name, values in params.items() if name.startswith("$")}
        if arguments or _DECLARES_PARAMS.search(query):
            try:
                query = bound_query(query, arguments)
            except QueryError as err:
                return _plain(400, str(err))
        refused = refusal(query)
        if refused:
            return _plain(*refused)
        for name in ("default-graph-uri", "named-graph-uri"):
            for iri in params.get(name, []):
                try:
                    ox.NamedNode(iri)
                except ValueError:
                    return _plain(400, f"{name} is not an IRI: {iri!r}")
        formats = params.get("format", [])
        if formats and formats[-1] not in FORMATS:
            return _plain(400, f"unknown format {formats[-1]!r}; known: {', '.join(FORMATS)}")
        # a link cannot set Accept, so `format` names the types a download wants
        accept = FORMATS[formats[-1]] if formats else request.headers.get("Accept")
        results_type, graph_type = negotiate(accept, list(RESULT_TYPES)), negotiate(accept, list(GRAPH_TYPES))
        query_request = QueryRequest(
            query,
            RESULT_TYPES[results_type].media_type if results_type else None,
            GRAPH_TYPES[graph_type].media_type if graph_type else None,
            tuple(params.get("default-graph-uri", [])),
            tuple(params.get("named-graph-uri", [])),
        )
        if query_request.results_type is None and query_request.graph_type is None:
            acceptable = ", ".join(dict.fromkeys([*RESULT_TYPES, *GRAPH_TYPES]))
            return _plain(406, "acceptable types are " + acceptable)
        started = time.perf_counter()
        answer = self.engine.run(query_request)
        log.info("query answered %d in %.3f s", answer.status, time.perf_counter() - started)
        return _answer(answer, Vary="Accept")

    def _post_params(self, request: Request) -> dict[str, list[str]] | Response:
        length = request.content_length or 0
        if length > self.max_body:
            return _plain(413, f"the request body is larger than {self.max_body:,} bytes")
        body = request.get_data(cache=False) if length > 0 else b""
        content_type = request.mimetype
        charset = re.search(r"charset\s*=\s*\"?([\w.-]+)", request.content_type or "", re.IGNORECASE)
        if content_type == "application/sparql-query":
            encoding = charset.group(1) if charset else "utf-8"
            try:
                return {"query": [body.decode(encoding)]}
            except LookupError:
                return _plain(415, f"unknown charset {encoding!r}")
        if content_type == "application/x-www-form-urlencoded":
            return parse_qs(body.decode("ascii", "strict"), keep_blank_values=True, errors="strict")
        if content_type == "application/sparql-update":
            return _plain(403, "this endpoint is read-only: SPARQL Update is refused")
        return _plain(
            415, "POST a query as application/sparql-query or application/x-www-form-urlencoded (query=…)"
        )


def _page(body: bytes) -> Response:
    response = Response(body, content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = page_csp()
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


class _Handler(WSGIRequestHandler):
    """Logs through `logging` and gives up on a silent client."""

    timeout = 60

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        log.info("%s %s %s", self.address_string(), self.requestline, code)


class _PooledServer(BaseWSGIServer):
    """Werkzeug's server with a fixed pool of request threads: starting a thread per connection cost
    about a tenth of the server's time under 32 clients."""

    multithread = True
    request_threads = 64

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pool = ThreadPoolExecutor(self.request_threads, thread_name_prefix="newsgraph-http")

    def process_request(self, request: Any, client_address: Any) -> None:
        self._pool.submit(self._one, request, client_address)

    def _one(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)

    def server_close(self) -> None:
        super().server_close()
        self._pool.shutdown(wait=False, cancel_futures=True)


def make_server(app: SparqlApp, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> BaseWSGIServer:
    """A Werkzeug server for ``app`` bound to ``host``:``port`` (0 picks a free port), answering
    requests from a pool of threads."""
    try:
        return _PooledServer(host, port, app, handler=_Handler)
    except (OSError, SystemExit) as err:
        reason = getattr(err, "strerror", None) or err
        raise ServerError(f"cannot listen on {host}:{port}: {reason}") from None


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
    workers: int | None = None
    http_processes: int | None = None  # one per core by default


def serve(options: ServeOptions, announce: Callable[[str], None] = log.warning) -> None:
    """Load the graph and serve it until interrupted; ServerError if either cannot be done.

    One HTTP process per core shares the listening socket and the started workers: a single Python
    process answering HTTP was the endpoint's limit under many clients."""
    engine = QueryEngine(
        options.graphs, timeout=options.timeout, max_results=options.max_results, workers=options.workers
    )
    with engine:
        hosts = allowed_hosts_for(options.host)
        app = SparqlApp(engine, cors=options.cors, max_body=options.max_body, allowed_hosts=hosts)
        server = make_server(app, options.host, options.port)
        host, port = server.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else host
        sources = " ".join(engine.sources)
        announce(f"loaded {engine.triples:,} triples from {sources} in {engine.load_seconds:.3f} s")
        if hosts is None:
            log.warning("listening on %s: anyone who can reach it can query the graph", options.host)
        parts = max(1, min(options.http_processes or (os.cpu_count() or 1), engine.workers))
        children = []
        for part in range(1, parts):
            pid = os.fork()
            if pid == 0:
                _serve_part(server, engine, part, parts)
            children.append(pid)
        engine.share(0, parts)
        signal.signal(signal.SIGTERM, _interrupt)  # stop the other HTTP processes on the way out
        announce(f"SPARQL endpoint http://{shown}:{port}/sparql, query page http://{shown}:{port}/")
        try:
            server.serve_forever()
        finally:
            server.server_close()
            for pid in children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
            for pid in children:
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _serve_part(server: BaseWSGIServer, engine: QueryEngine, part: int, parts: int) -> None:
    """One forked HTTP process: its share of the workers, the same socket; never returns."""
    status = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the first process stops the others
        exit_with_parent(os.getppid())
        engine.share(part, parts)
        server.serve_forever()
        status = 0
    except BaseException:  # a forked child must reach os._exit
        pass
    finally:
        os._exit(status)
