"""The query engine: a process holding the store, and a pool of started workers forked from it that
answer one query at a time, each killed at its deadline.

Pyoxigraph cannot be interrupted inside a query, so killing the worker is the only sure timeout. Forking
a worker per query made every light query pay for a fork (150 ms p50 under 32 clients on the seed); a
started worker answers the next query at once, and only a worker killed at a deadline is replaced.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import queue
import signal
import socket
import struct
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.errors import NewsgraphError

log = logging.getLogger("newsgraph.server")

DEFAULT_GRAPH = "exports/graph.ttl"
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_RESULTS = 10_000
STORE_SCHEME = "oxigraph:"


class ServerError(NewsgraphError):
    """The endpoint cannot start: a graph that cannot be loaded, or an address that cannot be bound."""


def default_workers() -> int:
    """Started workers: enough that light queries still find one while four heavy ones run."""
    return max(8, 2 * (os.cpu_count() or 2))


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
    """Answer queries on ``conn`` one after another until the server closes it; runs in a process forked
    from the store holder and never returns."""
    status = 1
    try:
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        _send_frame(conn, str(os.getpid()).encode())
        while True:
            try:
                frame = _recv_frame(conn)
            except (ConnectionError, struct.error):
                status = 0  # the server closed the connection: the pool is shrinking or stopping
                return
            # A backstop if the server dies before killing this process at the deadline.
            signal.alarm(math.ceil(timeout) + 2)
            request = QueryRequest(**json.loads(frame))
            answer = answer_query(store, request, max_results, prefixes)
            _send_frame(conn, json.dumps([answer.status, answer.content_type]).encode())
            _send_frame(conn, answer.body)
            signal.alarm(0)
    except BaseException:  # a forked child must reach os._exit
        pass
    finally:
        os._exit(status)


def _holder(
    control: socket.socket, sources: Sequence[str], timeout: float, max_results: int, prefixes: dict
) -> None:
    """Load the store once, then fork a worker whenever the server asks; runs in its own process and
    never returns."""
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


@dataclass
class _Worker:
    conn: socket.socket
    pid: int

    def kill(self) -> None:
        self.conn.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)


class QueryEngine:
    """Answers queries in a pool of worker processes that share the loaded store.

    The store holder is forked once, before the server starts threads, and loads the graph; workers are
    forked from it (their copy-on-write pages share the store) when the engine starts, and again only to
    replace one killed at a deadline.
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
        self.workers = workers or default_workers()
        self._slots = threading.BoundedSemaphore(self.workers)
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
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
        """Fork the store holder, wait until the graph is loaded and start the workers; raises
        ServerError if the graph cannot be loaded."""
        self._check_sources()
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            ours.close()
            _holder(theirs, self.sources, self.timeout, self.max_results, self.prefixes)
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
        for _ in range(self.workers):
            self._idle.put(self._spawn(time.monotonic() + self.timeout))
        return self

    def _spawn(self, deadline: float) -> _Worker:
        """A new worker forked by the store holder, ready for a query."""
        ours, theirs = socket.socketpair()
        try:
            with self._lock:
                if self._control is None:
                    raise ConnectionError("the query engine has stopped")
                socket.send_fds(self._control, [b"w"], [theirs.fileno()])
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        try:
            pid = int(_recv_frame(ours, deadline))
            ours.settimeout(None)  # each query sets its own deadline
            return _Worker(ours, pid)
        except BaseException:
            ours.close()
            raise

    def share(self, part: int, parts: int) -> None:
        """Keep every `parts`-th started worker from the `part`-th on and let the others go: each of
        several HTTP processes forked after `start` then queries with workers of its own. Only the
        first part stops the store holder."""
        mine = []
        for index, worker in enumerate(self._drain()):
            if index % parts == part:
                mine.append(worker)
            else:
                worker.conn.close()
        for worker in mine:
            self._idle.put(worker)
        self.workers = len(mine)
        self._slots = threading.BoundedSemaphore(max(1, self.workers))
        if part:
            self._pid = 0  # the holder is the first part's child, not this process's

    def _drain(self) -> list[_Worker]:
        drained = []
        while True:
            try:
                drained.append(self._idle.get_nowait())
            except queue.Empty:
                return drained

    def worker_pids(self) -> list[int]:
        """The process ids of the idle workers."""
        with self._idle.mutex:
            return [worker.pid for worker in self._idle.queue]

    def close(self) -> None:
        """Stop the workers and the store holder; a worker still answering ends at its own deadline."""
        for worker in self._drain():
            worker.conn.close()
        with self._lock:
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
        # every worker busy: wait for one rather than refuse (queries wait while heavy ones run)
        if not self._slots.acquire(timeout=self.timeout):
            return Answer.error(503, "the server is busy with other queries; try again shortly")
        worker: _Worker | None = None
        try:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                worker = self._spawn(deadline)  # one killed at a deadline, replaced on demand
            _send_frame(worker.conn, json.dumps(request.__dict__).encode())
            status, content_type = json.loads(_recv_frame(worker.conn, deadline))
            body = _recv_frame(worker.conn, deadline)
            worker.conn.settimeout(None)
            self._idle.put(worker)
            worker = None
            return Answer(status, content_type, body)
        except TimeoutError:
            return late
        except (ConnectionError, OSError, ValueError, struct.error) as err:
            if self._control is None:
                return Answer.error(503, "the query engine has stopped")
            log.warning("query worker failed: %s", err)
            return Answer.error(500, "the query process ended without an answer (out of memory?)")
        finally:
            if worker is not None:
                worker.kill()
                self._replace()
            self._slots.release()

    def _replace(self) -> None:
        """Start a worker in place of one killed, so that the pool stays full for the next queries."""
        if self._control is None:
            return
        try:
            self._idle.put(self._spawn(time.monotonic() + self.timeout))
        except (ConnectionError, OSError, ValueError, struct.error) as err:
            log.warning("could not start a query worker: %s; the next query will try again", err)
