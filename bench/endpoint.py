"""The SPARQL endpoint under load: `newsgraph serve` beside `oxigraph serve-read-only` on the same data,
and beside the endpoint of `--baseline-rev` (which forked a process per query).

Each server is started on a free loopback port. 32 clients then send light queries (`LIGHT`, rotating)
as fast as they get answers, each over a new connection, and the latency of every answer is recorded:
first alone, then while 4 clients keep a heavy query running (newsgraph servers only: oxigraph has no
query timeout, so a heavy query there would run for hours). Reported: answers per second, p50 and p95
latency, and how many light queries were refused (any status but 200).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from baseline import PRELUDE, ROOT, baseline_checkout

BASELINE_REV = "c3374f9"
"""The last commit whose endpoint forked one process per query."""

PREFIXES = """PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
"""
LIGHT = [
    PREFIXES + "SELECT DISTINCT ?person ?name WHERE { ?person a schema:Person ; schema:name ?name }",
    PREFIXES + "SELECT ?m ?title WHERE { ?m a org:Membership ; ng:title ?title } LIMIT 50",
    PREFIXES + "SELECT ?a ?h WHERE { ?a a schema:NewsArticle ; schema:headline ?h }",
    PREFIXES + "ASK { ?e a schema:Event }",
    PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?a schema:mentions ?x }",
]
# About 1,100 triples to the fourth power: hours of work for any engine, stopped at the timeout.
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"

SERVE_BASELINE = (
    PRELUDE
    + """
from graph.cli import main
sys.exit(main(["serve", sys.argv[1], "--port", sys.argv[2], "--timeout", sys.argv[3]]))
"""
)


@dataclass
class Load:
    server: str
    scenario: str
    answers: int
    seconds: float
    latencies: list[float]
    refused: int

    def row(self) -> str:
        ordered = sorted(self.latencies) or [0.0]
        p50 = statistics.median(ordered) * 1000
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000
        rate = self.answers / self.seconds if self.seconds else 0.0
        return (
            f"| {self.server} | {self.scenario} | {self.answers:,} | {rate:,.0f} | {p50:,.1f} | {p95:,.1f} "
            f"| {self.refused} |"
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ask(url: str, query: str, timeout: float = 120.0) -> int:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        url, data=data, headers={"Accept": "application/sparql-results+json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            reply.read()
            return int(reply.status)
    except urllib.error.HTTPError as err:
        return int(err.code)
    except OSError:
        return 0


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 120.0) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if process.poll() is not None:
            raise RuntimeError(f"the server at {url} exited with {process.returncode}")
        if ask(url, "ASK {}", timeout=2) == 200:
            return
        time.sleep(0.2)
    raise RuntimeError(f"the server at {url} did not answer within {seconds:.0f} s")


@contextmanager
def running(command: list[str], url: str, **popen: object) -> Iterator[str]:
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, **popen
    )  # type: ignore[call-overload]
    try:
        wait_until_up(url, process)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def load(url: str, server: str, scenario: str, clients: int, per_client: int, heavy: int) -> Load:
    latencies: list[float] = []
    refused = 0
    lock = threading.Lock()
    stop_heavy = threading.Event()

    def light_client(index: int) -> None:
        nonlocal refused
        for n in range(per_client):
            started = time.perf_counter()
            status = ask(url, LIGHT[(index + n) % len(LIGHT)])
            took = time.perf_counter() - started
            with lock:
                latencies.append(took)
                refused += status != 200

    def heavy_client() -> None:
        while not stop_heavy.is_set():
            ask(url, HEAVY)

    heavies = [threading.Thread(target=heavy_client, daemon=True) for _ in range(heavy)]
    for thread in heavies:
        thread.start()
    if heavy:
        time.sleep(1.0)  # the heavy queries hold their workers
    lights = [threading.Thread(target=light_client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in lights:
        thread.start()
    for thread in lights:
        thread.join()
    seconds = time.perf_counter() - started
    stop_heavy.set()
    return Load(server, scenario, len(latencies), seconds, latencies, refused)


def measure(graph: Path, rev: str, clients: int, per_client: int, timeout: float) -> list[Load]:
    rows: list[Load] = []
    newsgraph = shutil.which("newsgraph") or str(Path(sys.executable).with_name("newsgraph"))
    with tempfile.TemporaryDirectory(prefix="newsgraph-endpoint-") as tmp:
        store = Path(tmp) / "oxigraph"
        subprocess.run(
            ["oxigraph", "load", "--location", str(store), "--file", str(graph)],
            check=True,
            capture_output=True,
        )
        port = free_port()
        url = f"http://127.0.0.1:{port}/query"
        command = ["oxigraph", "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}"]
        with running(command, url):
            rows.append(load(url, "oxigraph serve-read-only", "light only", clients, per_client, 0))
        port = free_port()
        url = f"http://127.0.0.1:{port}/sparql"
        command = [newsgraph, "serve", str(graph), "--port", str(port), "--timeout", str(timeout)]
        with running(command, url):
            rows.append(load(url, "newsgraph serve", "light only", clients, per_client, 0))
            rows.append(load(url, "newsgraph serve", "light, 4 heavy running", clients, per_client, 4))
        with baseline_checkout(rev) as tree:
            port = free_port()
            url = f"http://127.0.0.1:{port}/sparql"
            command = [sys.executable, "-c", SERVE_BASELINE, str(graph), str(port), str(timeout), str(tree)]
            env = {"PYTHONPATH": str(tree), "PATH": os.environ.get("PATH", "")}
            with running(command, url, cwd=tree, env=env):
                server = f"newsgraph serve at {rev} (before)"
                rows.append(load(url, server, "light only", clients, per_client, 0))
                rows.append(load(url, server, "light, 4 heavy running", clients, per_client, 4))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--graph", type=Path, default=ROOT / "exports" / "graph.ttl", help="the data served")
    parser.add_argument("--clients", type=int, default=32, help="concurrent light clients (default 32)")
    parser.add_argument("--queries", type=int, default=25, help="light queries per client (default 25)")
    parser.add_argument("--timeout", type=float, default=10.0, help="the newsgraph servers' --timeout")
    parser.add_argument("--baseline-rev", default=BASELINE_REV, help=f"endpoint to compare ({BASELINE_REV})")
    args = parser.parse_args(argv)
    rows = measure(args.graph.resolve(), args.baseline_rev, args.clients, args.queries, args.timeout)
    print("| server | scenario | light answers | per s | p50 ms | p95 ms | refused |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for row in rows:
        print(row.row())
    return 0


if __name__ == "__main__":
    sys.exit(main())
