"""The SPARQL endpoint: protocol, formats, refusals and limits in process; SPARQLWrapper on a live server."""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
import rdflib
from conftest import ROOT, SHARED, Reply, call, live_server

from graph.server import (
    GRAPH_TYPES,
    RESULT_TYPES,
    QueryEngine,
    ServerError,
    SparqlApp,
    allowed_hosts_for,
    negotiate,
    refusal,
)

PERSONS = "SELECT DISTINCT ?person ?name WHERE { ?person a schema:Person ; schema:name ?name . }"
CONSTRUCT = "CONSTRUCT { ?p schema:name ?name } WHERE { ?p a schema:Person ; schema:name ?name }"
XSS = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
# About 1,100 triples to the fourth power: ~1.5e12 solutions to count, hours of work for any engine.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def contract_query(name: str) -> str:
    """A contract query with the contract's PREFIX lines, as a portable client would send it."""
    prefixes = (SHARED / "contract" / "prefixes.rq").read_text(encoding="utf-8")
    return prefixes + (SHARED / "contract" / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def engine(graph_ttl: Path) -> Iterator[QueryEngine]:
    with QueryEngine([graph_ttl], timeout=5, max_results=10_000) as running:
        yield running


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("queries")
    (folder / "persons.rq").write_text("# Every person\n" + PERSONS + "\n", encoding="utf-8")
    (folder / "evil.rq").write_text(
        "# <script>alert('title')</script> & co\nSELECT ?x { BIND(\"</script><b>\" AS ?x) }\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="module")
def app(engine: QueryEngine, library: Path) -> SparqlApp:
    return SparqlApp(engine, queries_dir=library, allowed_hosts=allowed_hosts_for("127.0.0.1"))


def names(reply: Reply) -> set[str]:
    data = json.loads(reply.body)
    return {row["name"]["value"] for row in data["results"]["bindings"]}


# --- Protocol --------------------------------------------------------------------------------------


def test_get_runs_a_query(app: SparqlApp) -> None:
    reply = call(app, params={"query": contract_query("persons.rq")})
    assert reply.code == 200, reply.text
    assert reply.type == "application/sparql-results+json"
    assert "曹慧泉" in names(reply)


def test_post_query_body_and_form(app: SparqlApp) -> None:
    direct = call(app, "POST", body=PERSONS.encode(), content_type="application/sparql-query; charset=utf-8")
    form = call(
        app,
        "POST",
        body=urlencode({"query": PERSONS}).encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert direct.code == form.code == 200
    assert "曹慧泉" in names(direct) == names(form)


def test_newsgraph_prefixes_need_no_prefix_lines(app: SparqlApp) -> None:
    # The contract's own text has no PREFIX lines; the endpoint supplies schema:, org:, ng:, …
    text = (SHARED / "contract" / "persons.rq").read_text(encoding="utf-8")
    assert "曹慧泉" in names(call(app, params={"query": text}))


@pytest.mark.parametrize(
    ("request_kwargs", "code"),
    [
        ({"params": ""}, 400),
        ({"params": {"query": "  "}}, 400),
        ({"params": "query=ASK%7B%7D&query=ASK%7B%7D"}, 400),
        ({"params": {"query": "SELECT * WHERE { ?s ?p "}}, 400),
        ({"method": "POST", "body": b"ASK {}", "content_type": "text/plain"}, 415),
        ({"method": "PUT", "body": b"ASK {}"}, 405),
        ({"params": {"query": "ASK {}"}, "accept": "image/png"}, 406),
        ({"params": {"query": "ASK {}", "default-graph-uri": "not an iri"}}, 400),
    ],
)
def test_bad_requests_get_a_plain_message(app: SparqlApp, request_kwargs: dict, code: int) -> None:
    reply = call(app, **request_kwargs)
    assert reply.code == code
    assert reply.type == "text/plain"
    assert reply.text.strip() and "\n" not in reply.text.strip()


def test_dataset_parameters_are_honoured(app: SparqlApp) -> None:
    # The files are the default graph; naming another graph as the default leaves nothing to match.
    params = {"query": "ASK { ?s ?p ?o }", "default-graph-uri": "https://example.org/no-such-graph"}
    assert json.loads(call(app, params=params).body)["boolean"] is False
    assert json.loads(call(app, params={"query": "ASK { ?s ?p ?o }"}).body)["boolean"] is True


# --- Content negotiation --------------------------------------------------------------------------


def parse_select(reply: Reply) -> set[str]:
    if reply.type == "text/csv":
        rows = list(csv.DictReader(io.StringIO(reply.text)))
        return {row["name"] for row in rows}
    fmt = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml"}.get(reply.type)
    parsed = ox.parse_query_results(reply.body, format=ox.QueryResultsFormat.from_extension(fmt or "tsv"))
    return {solution["name"].value for solution in parsed}


@pytest.mark.parametrize("accept", [*RESULT_TYPES, "text/csv;q=0.9, text/html;q=0.1", "*/*", ""])
def test_select_in_every_format_parses_back(app: SparqlApp, accept: str) -> None:
    reply = call(app, params={"query": PERSONS}, accept=accept)
    assert reply.code == 200, reply.text
    assert reply.headers["vary"] == "Accept"
    assert "曹慧泉" in parse_select(reply)


@pytest.mark.parametrize("accept", list(RESULT_TYPES))
def test_ask_in_every_format(app: SparqlApp, accept: str) -> None:
    reply = call(app, params={"query": 'ASK { ?p schema:name "曹慧泉"@zh }'}, accept=accept)
    assert reply.code == 200
    assert "true" in reply.text


@pytest.mark.parametrize("accept", [*GRAPH_TYPES, ""])
def test_construct_in_every_format_parses_back(app: SparqlApp, accept: str) -> None:
    reply = call(app, params={"query": CONSTRUCT}, accept=accept)
    assert reply.code == 200, reply.text
    fmt = {
        "text/turtle": "turtle",
        "application/n-triples": "nt",
        "application/ld+json": "json-ld",
        "application/rdf+xml": "xml",
    }[reply.type]
    graph = rdflib.Graph().parse(data=reply.body, format=fmt)
    assert len(graph) > 10
    assert rdflib.Literal("曹慧泉", lang="zh") in set(graph.objects())


def test_negotiation_follows_quality_values() -> None:
    types = list(RESULT_TYPES)
    assert negotiate(None, types) == "application/sparql-results+json"
    assert (
        negotiate("text/csv;q=0.5, application/sparql-results+xml", types) == "application/sparql-results+xml"
    )
    assert negotiate("text/*", types) == "text/xml"
    assert negotiate("*/*;q=0.1, text/tab-separated-values", types) == "text/tab-separated-values"
    assert negotiate("text/turtle", types) is None
    assert negotiate("application/json;q=0, */*", types) == "application/sparql-results+json"


# --- Read-only and no federation --------------------------------------------------------------------


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "PREFIX x: <urn:x#>\ndelete where { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/graph.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <urn:g>",
        "CREATE GRAPH <urn:g>",
        "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "# a comment\nCOPY DEFAULT TO <urn:g>",
    ],
)
def test_updates_are_refused(app: SparqlApp, update: str) -> None:
    for kwargs in (
        {"params": {"query": update}},
        {"params": {"update": update}},
        {"method": "POST", "body": update.encode(), "content_type": "application/sparql-update"},
        {
            "method": "POST",
            "body": urlencode({"update": update}).encode(),
            "content_type": "application/x-www-form-urlencoded",
        },
    ):
        reply = call(app, **kwargs)
        assert reply.code == 403, (kwargs, reply.text)
        assert "read-only" in reply.text


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { BIND(<http://127.0.0.1:9/> AS ?u) SERVICE ?u { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o . FILTER(?o < 3) SERVICE<http://127.0.0.1:9/>{ ?a ?b ?c } }",
        "SELECT * WHERE { ?s ?p '\\u0027' SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "PREFIX ex: <urn:x#>\nSELECT * WHERE { ?s ex:a.SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
        "ASK { FILTER EXISTS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    ],
)
def test_service_is_refused_before_running(query: str, app: SparqlApp) -> None:
    assert refusal(query) is not None
    reply = call(app, params={"query": query})
    assert reply.code == 400
    assert "SERVICE" in reply.text


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?x WHERE { BIND("the SERVICE <http://127.0.0.1:9/> { } word" AS ?x) }',
        "SELECT ?x WHERE { BIND('''SERVICE\n<http://127.0.0.1:9/> {}''' AS ?x) }",
        "SELECT ?service WHERE { BIND(<http://example.org/SERVICE> AS ?service) }",
        "# SERVICE <http://127.0.0.1:9/> in a comment\nASK { }",
        "PREFIX service: <http://example.org/service#>\nASK { ?s service:SERVICE ?o }",
        'SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), "INSERT DATA")) } LIMIT 1',
    ],
)
def test_the_word_service_or_insert_elsewhere_is_allowed(query: str, app: SparqlApp) -> None:
    assert refusal(query) is None
    reply = call(app, params={"query": query})
    assert reply.code == 200, reply.text


def test_a_refused_service_makes_no_outbound_request(app: SparqlApp) -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(0.3)
        port = listener.getsockname()[1]
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
        assert call(app, params={"query": query}).code == 400
        with pytest.raises(TimeoutError):
            listener.accept()


# --- Limits ---------------------------------------------------------------------------------------


class Unreadable(io.RawIOBase):
    """A request body that must not be read."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read despite its Content-Length")


def test_body_cap(engine: QueryEngine) -> None:
    small = SparqlApp(engine, max_body=1_000)
    big = ("ASK { } #" + "x" * 2_000).encode()
    reply = call(small, "POST", body=big, content_type="application/sparql-query", stream=Unreadable())
    assert reply.code == 413
    assert "1,000 bytes" in reply.text
    assert call(small, params={"query": big.decode()}).code == 413
    assert call(small, "POST", body=b"ASK { }", content_type="application/sparql-query").code == 200


def test_result_cap_is_an_error_not_a_truncation(graph_ttl: Path) -> None:
    with QueryEngine([graph_ttl], timeout=5, max_results=5) as capped:
        app = SparqlApp(capped)
        over = call(app, params={"query": PERSONS}, accept="text/csv")
        assert over.code == 413
        assert "more than 5 rows" in over.text and "LIMIT" in over.text
        exactly = call(app, params={"query": PERSONS + " LIMIT 5"})
        assert exactly.code == 200 and len(json.loads(exactly.body)["results"]["bindings"]) == 5
        assert call(app, params={"query": CONSTRUCT}).code == 413
        assert call(app, params={"query": CONSTRUCT + " LIMIT 2"}).code == 200


def test_timeout_answers_503_long_before_the_query_would_end(graph_ttl: Path) -> None:
    with QueryEngine([graph_ttl], timeout=1) as quick:
        app = SparqlApp(quick)
        started = time.monotonic()
        reply = call(app, params={"query": SLOW})
        elapsed = time.monotonic() - started
        assert reply.code == 503
        assert "1 s limit" in reply.text
        assert elapsed < 5
        # The engine is still good for the next query.
        assert call(app, params={"query": "ASK { ?s ?p ?o }"}).code == 200


def test_workers_answer_query_after_query_and_a_killed_one_is_replaced(graph_ttl: Path) -> None:
    with QueryEngine([graph_ttl], timeout=1, workers=2) as pool:
        app = SparqlApp(pool)
        started = set(pool.worker_pids())
        assert len(started) == 2
        for _ in range(6):
            assert call(app, params={"query": PERSONS}).code == 200
        assert set(pool.worker_pids()) == started  # no fork per query
        assert call(app, params={"query": SLOW}).code == 503
        assert call(app, params={"query": "ASK { ?s ?p ?o }"}).code == 200
        assert len(set(pool.worker_pids()) - started) == 1  # the killed one was replaced


def test_light_queries_are_answered_while_four_heavy_ones_run(graph_ttl: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with QueryEngine([graph_ttl], timeout=3) as engine:
        app = SparqlApp(engine)
        with ThreadPoolExecutor(max_workers=36) as clients:
            heavy = [clients.submit(call, app, params={"query": SLOW}) for _ in range(4)]
            time.sleep(0.3)  # the heavy queries hold their workers
            light = [clients.submit(call, app, params={"query": PERSONS}) for _ in range(32)]
            codes = [f.result().code for f in light]
            assert [f.result().code for f in heavy] == [503] * 4  # stopped at the timeout
        assert codes == [200] * 32


# --- Exposure -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/graph.ttl",
        "/exports/graph.ttl",
        "/../exports/graph.ttl",
        "/etc/passwd",
        "/sparql/",
        "/queries/x.rq",
        "/index.html",
        "//sparql",
    ],
)
def test_only_known_paths_are_served(app: SparqlApp, path: str) -> None:
    reply = call(app, path=path, params={"query": "ASK {}"})
    assert reply.code == 404
    assert reply.type == "text/plain"


def test_cors_is_off_by_default_and_on_with_the_flag(engine: QueryEngine) -> None:
    plain = call(SparqlApp(engine), params={"query": "ASK {}"})
    assert "access-control-allow-origin" not in plain.headers
    cors = SparqlApp(engine, cors=True)
    assert call(cors, params={"query": "ASK {}"}).headers["access-control-allow-origin"] == "*"
    preflight = call(cors, "OPTIONS")
    assert preflight.code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "Content-Type" in preflight.headers["access-control-allow-headers"]
    assert "access-control-allow-origin" not in call(SparqlApp(engine), "OPTIONS").headers


def test_loopback_server_refuses_foreign_host_names(app: SparqlApp) -> None:
    # A DNS-rebound page would arrive with its own host name.
    assert call(app, params={"query": "ASK {}"}, host="attacker.example:7878").code == 421
    for host in ("localhost:7878", "127.0.0.1", "[::1]:7878"):
        assert call(app, params={"query": "ASK {}"}, host=host).code == 200
    assert allowed_hosts_for("0.0.0.0") is None


# --- The query page -------------------------------------------------------------------------------


def test_page_is_offline_and_escapes_every_text(app: SparqlApp) -> None:
    reply = call(app, path="/")
    assert reply.code == 200 and reply.type == "text/html"
    page = reply.text
    csp = reply.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "connect-src 'self'" in csp and "script-src 'self';" in csp
    # Every script and style comes from this server: relative addresses only, nothing inline but data.
    addresses = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert sorted(addresses) == sorted(
        [
            "data:,",
            "static/yasgui.min.css",
            "static/query.css",
            "./",
            "./",
            "./",
            "static/yasgui.min.js",
            "static/query.js",
        ]
    )
    assert re.findall(r"<script(?: [^>]*)?>", page) == [
        '<script type="application/json" id="settings">',
        '<script src="static/yasgui.min.js">',
        '<script src="static/query.js">',
    ]
    # Library titles are HTML-escaped and query texts cannot close the script element.
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; co" in page
    assert "<script>alert" not in page
    assert page.count("</script>") == 3
    assert "Every person" in page


def test_static_files_are_the_package_s_own(app: SparqlApp) -> None:
    script = call(app, path="/static/yasgui.min.js")
    assert script.code == 200 and script.type == "text/javascript"
    assert "max-age" in script.headers["cache-control"]
    assert b"sourceMappingURL" not in script.body  # a browser would ask for a map that is not shipped
    assert call(app, path="/static/query.css").type == "text/css"
    assert call(app, "HEAD", path="/static/query.js").code == 200
    for path in (
        "/static/yasgui.json",
        "/static/__init__.py",
        "/static/../page.py",
        "/static/x.js",
        "/static/",
        "/static/.hidden.js",
        "/static/templates/query.html",
    ):
        assert call(app, path=path).code == 404, path


def test_page_without_a_library(engine: QueryEngine, tmp_path: Path) -> None:
    reply = call(SparqlApp(engine, queries_dir=tmp_path / "absent"), path="/")
    assert reply.code == 200
    assert "no queries/ folder" in reply.text
    assert json.loads(call(SparqlApp(engine, queries_dir=None), path="/queries.json").body) == []


def test_queries_json_lists_the_library(app: SparqlApp) -> None:
    entries = json.loads(call(app, path="/queries.json").body)
    assert [e["name"] for e in entries] == ["evil.rq", "persons.rq"]
    assert entries[1]["title"] == "Every person"
    assert entries[1]["params"] == []


def test_a_result_with_markup_is_data(app: SparqlApp) -> None:
    query = "SELECT ?name WHERE { BIND(" + json.dumps(XSS) + " AS ?name) }"
    reply = call(app, params={"query": query})
    assert names(reply) == {XSS}


# --- Stores and loading ---------------------------------------------------------------------------


def test_persistent_store_directory(graph_ttl: Path, tmp_path: Path) -> None:
    store = ox.Store(str(tmp_path / "db"))
    store.bulk_load(path=str(graph_ttl), format=ox.RdfFormat.TURTLE)
    store.flush()
    del store
    with QueryEngine([f"oxigraph:{tmp_path / 'db'}"], timeout=5) as persistent:
        app = SparqlApp(persistent)
        for _ in range(3):
            assert "曹慧泉" in names(call(app, params={"query": PERSONS}))
        assert persistent.triples > 100


def test_load_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(ServerError, match="no such file"):
        QueryEngine([tmp_path / "missing.ttl"]).start()
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(ServerError, match=r"bad\.ttl: cannot load"):
        QueryEngine([bad]).start()
    with pytest.raises(ServerError, match="cannot be combined"):
        QueryEngine([f"oxigraph:{tmp_path}", bad]).start()


# --- A live server --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def live(graph_ttl: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`newsgraph serve` on a free loopback port, with a 1 s timeout; always stopped."""
    with live_server(graph_ttl, tmp_path_factory.mktemp("live"), "--timeout", "1") as base:
        yield base


def test_a_stopped_server_leaves_no_process_behind(graph_ttl: Path, tmp_path: Path) -> None:
    psutil = pytest.importorskip("psutil")
    log = tmp_path / "stderr.txt"
    command = [sys.executable, "-m", "graph", "serve", str(graph_ttl), "--port", "0", "--workers", "4"]
    with log.open("w") as stderr:
        process = subprocess.Popen(command, cwd=ROOT, stderr=stderr)
    try:
        deadline = time.monotonic() + 60
        while "/sparql" not in log.read_text(encoding="utf-8") and time.monotonic() < deadline:
            time.sleep(0.05)
        base = re.search(r"(http://127\.0\.0\.1:\d+)/sparql", log.read_text(encoding="utf-8"))
        assert base, log.read_text(encoding="utf-8")
        for _ in range(8):  # answered by whichever HTTP process accepts
            assert wrapper(base.group(1), "ASK { ?s ?p ?o }").queryAndConvert()["boolean"] is True
        helpers = psutil.Process(process.pid).children(recursive=True)
        # the store holder, 4 workers, and an HTTP process per further core
        assert len(helpers) >= 5
    finally:
        process.terminate()
        process.wait(timeout=10)
    _, alive = psutil.wait_procs(helpers, timeout=5)
    assert alive == []


def wrapper(base: str, query: str, fmt: str = "json"):
    from SPARQLWrapper import SPARQLWrapper

    sparql = SPARQLWrapper(base + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setTimeout(30)
    return sparql


def test_live_select_ask_construct(live: str) -> None:
    result = wrapper(live, contract_query("persons.rq")).queryAndConvert()
    assert "曹慧泉" in {row["name"]["value"] for row in result["results"]["bindings"]}
    assert wrapper(live, 'ASK { ?p schema:name "曹慧泉"@zh }').queryAndConvert()["boolean"] is True
    turtle = wrapper(live, CONSTRUCT, "turtle").queryAndConvert()
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert rdflib.Literal("曹慧泉", lang="zh") in set(graph.objects())
    xml = wrapper(live, CONSTRUCT, "xml").queryAndConvert()
    assert isinstance(xml, rdflib.Graph) and len(xml) == len(graph)


def test_live_refusals(live: str) -> None:
    from SPARQLWrapper import POST
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    update = wrapper(live, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    update.setMethod(POST)
    with pytest.raises(Exception, match="403"):
        update.query()
    with pytest.raises(QueryBadFormed, match="SERVICE"):
        wrapper(live, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }").query()
    # The graph is unchanged.
    assert wrapper(live, "ASK { <urn:a> ?p ?o }").queryAndConvert()["boolean"] is False


def test_live_timeout(live: str) -> None:
    started = time.monotonic()
    with pytest.raises(Exception, match="503"):
        wrapper(live, SLOW).query()
    assert time.monotonic() - started < 5


def test_cli_reports_a_missing_graph_in_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "graph", "serve", str(tmp_path / "none.ttl"), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"newsgraph: {tmp_path / 'none.ttl'}: no such file or directory"
    ]
