"""Shared fixtures: the repository, the vendored copy of the shared folder, and one build of the seed."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import pytest

from graph.api import BuildResult, build

if TYPE_CHECKING:
    from graph.server import SparqlApp

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parent / "shared"
"""The contract, scorer, gold and dev set the tests use, copied from `../shared` (`test_vendored.py`
checks the copies when `../shared` is beside the checkout)."""
UPSTREAM = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    out = tmp_path_factory.mktemp("seed-build")
    return build([ROOT / "seeds"], out), out


@pytest.fixture(scope="session")
def graph_ttl(seed_build: tuple[BuildResult, Path]) -> Path:
    """The seed build's graph.ttl."""
    return seed_build[1] / "graph.ttl"


@contextlib.contextmanager
def live_server(graph: Path, log_dir: Path, *options: str) -> Iterator[str]:
    """`newsgraph serve GRAPH` on a free loopback port; yields its base address and always stops it."""
    log = log_dir / "stderr.txt"
    command = [sys.executable, "-m", "graph", "serve", str(graph), "--port", "0", *options]
    with log.open("w") as stderr:
        process = subprocess.Popen(command, cwd=ROOT, stderr=stderr)
    try:
        deadline, found = time.monotonic() + 60, None
        while found is None and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
            found = re.search(r"(http://127\.0\.0\.1:\d+)/sparql", log.read_text(encoding="utf-8"))
        if found is None:
            pytest.fail("the server did not start: " + log.read_text(encoding="utf-8"))
        yield found.group(1)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Reply:
    """A WSGI response gathered in process."""

    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.code = int(status.split()[0])
        self.headers = {name.lower(): value for name, value in headers}
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def type(self) -> str:
        return self.headers["content-type"].split(";")[0]


def call(
    app: SparqlApp,
    method: str = "GET",
    path: str = "/sparql",
    params: dict[str, str] | str = "",
    body: bytes = b"",
    content_type: str = "",
    accept: str | None = None,
    host: str = "127.0.0.1:7878",
    stream: io.RawIOBase | None = None,
) -> Reply:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": params if isinstance(params, str) else urlencode(params),
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": host,
        "wsgi.input": stream or io.BytesIO(body),
    }
    if accept is not None:
        environ["HTTP_ACCEPT"] = accept
    seen: dict[str, object] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen.update(status=status, headers=headers)

    payload = b"".join(app(environ, start_response))
    return Reply(seen["status"], seen["headers"], payload)  # type: ignore[arg-type]
