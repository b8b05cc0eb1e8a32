"""`newsgraph push` into a real Oxigraph server on a loopback port, then the contract queries over HTTP."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SHARED
from rdflib import Graph

from graph.push import PushError, http_post, push

OXIGRAPH = shutil.which("oxigraph")
pytestmark = pytest.mark.skipif(
    OXIGRAPH is None, reason="the oxigraph server (PyPI package oxigraph) is missing"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    assert OXIGRAPH is not None
    process = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(tmp_path / "store"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def contract(name: str) -> str:
    return (SHARED / "contract" / "prefixes.rq").read_text(encoding="utf-8") + (
        SHARED / "contract" / f"{name}.rq"
    ).read_text(encoding="utf-8")


def test_pushed_build_answers_the_contract_queries(seed_build, server: str, tmp_path: Path) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    ttl = seed_build[1] / "graph.ttl"
    result = push([ttl], f"{server}/store", batch=200, journal_dir=tmp_path)
    local = Graph().parse(ttl)
    assert result.triples == len(local) and result.batches == -(-len(local) // 200)
    for name in ("persons", "titles", "events", "participation", "evidence"):
        sparql = SPARQLWrapper(f"{server}/query")
        sparql.setReturnFormat(JSON)
        sparql.setQuery(contract(name))
        remote = sparql.queryAndConvert()["results"]["bindings"]
        assert len(remote) == len(list(local.query(contract(name)))), name


def test_a_failed_push_resumes_without_sending_twice(seed_build, server: str, tmp_path: Path) -> None:
    ttl = seed_build[1] / "graph.ttl"
    calls: list[str] = []

    def flaky(url: str, body: bytes) -> int:
        calls.append(url)
        if len(calls) == 3:
            raise OSError("connection reset")
        return http_post(url, body)

    with pytest.raises(PushError, match=r"batch 3/.*rerun to resume"):
        push(
            [ttl],
            f"{server}/store",
            graph="https://w3id.org/newsgraph/id/seed",
            batch=300,
            journal_dir=tmp_path,
            send=flaky,
        )
    resumed = push(
        [ttl], f"{server}/store", graph="https://w3id.org/newsgraph/id/seed", batch=300, journal_dir=tmp_path
    )
    assert resumed.sent == resumed.batches - 2  # the two accepted batches are not sent again
    count = urllib.request.urlopen(
        f"{server}/query?query=" + urllib.request.quote("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"),
        timeout=10,
    ).read()
    assert str(len(Graph().parse(ttl))).encode() in count


def test_an_unreachable_endpoint_is_a_one_line_error(seed_build, tmp_path: Path) -> None:
    with pytest.raises(PushError, match="batch 1/1 failed"):
        push(
            [seed_build[1] / "graph.ttl"],
            f"http://127.0.0.1:{free_port()}/store",
            batch=10**6,
            journal_dir=tmp_path,
        )
