"""Push a build into any SPARQL 1.1 Graph Store Protocol endpoint, in batches that a rerun resumes."""

from __future__ import annotations

import hashlib
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.errors import NewsgraphError

log = logging.getLogger(__name__)

FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
N_TRIPLES = "application/n-triples"

Sender = Callable[[str, bytes], int]  # (url, body) -> HTTP status


class PushError(NewsgraphError):
    """A push that stopped; rerunning it resumes after the last batch the endpoint accepted."""


@dataclass(frozen=True)
class PushResult:
    triples: int
    batches: int
    sent: int  # batches sent by this run; the others were already accepted by an earlier run


def _lines(paths: Sequence[Path]) -> list[bytes]:
    """The graphs' triples as sorted N-Triples lines: the same build always gives the same batches."""
    store = ox.Store()
    for path in paths:
        fmt = FORMATS.get(path.suffix.lower(), ox.RdfFormat.TURTLE)
        try:
            store.bulk_load(path=str(path), format=fmt)
        except (OSError, SyntaxError, ValueError) as err:
            raise PushError(f"{path}: cannot read: {err}") from err
    dump = store.dump(format=ox.RdfFormat.N_QUADS, from_graph=ox.DefaultGraph())
    return sorted(line for line in dump.splitlines() if line.strip())


def _target(endpoint: str, graph: str | None) -> str:
    query = urllib.parse.urlencode({"graph": graph}) if graph else "default"
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def http_post(url: str, body: bytes) -> int:
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": N_TRIPLES})
    with urllib.request.urlopen(request, timeout=120) as response:
        return int(response.status)


def push(
    paths: Sequence[Path],
    endpoint: str,
    graph: str | None = None,
    batch: int = 50_000,
    journal_dir: Path | None = None,
    send: Sender = http_post,
) -> PushResult:
    """POST the triples to `endpoint` (the Graph Store Protocol URL, e.g. Oxigraph's /store) in batches.

    POST adds to a graph, and a store holds each triple once, so a resent batch duplicates nothing; a
    journal beside the graph remembers the batches already accepted, so a rerun continues where a failed
    one stopped instead of sending everything again."""
    lines = _lines([Path(p) for p in paths])
    batches = [lines[i : i + batch] for i in range(0, len(lines), batch)] or [[]]
    digest = hashlib.sha256(b"\n".join(lines)).hexdigest()
    journal = (journal_dir or Path(paths[0]).parent) / (
        ".push-" + hashlib.sha256(f"{endpoint}\x1f{graph}".encode()).hexdigest()[:12] + ".json"
    )
    done = _accepted(journal, digest)
    url = _target(endpoint, graph)
    sent = 0
    for index, chunk in enumerate(batches):
        if index < done:
            continue
        try:
            status = send(url, b"\n".join(chunk) + b"\n")
        except (urllib.error.URLError, OSError) as err:
            raise PushError(
                f"{endpoint}: batch {index + 1}/{len(batches)} failed: {err}; rerun to resume"
            ) from err
        if not 200 <= status < 300:
            raise PushError(
                f"{endpoint}: batch {index + 1}/{len(batches)} answered HTTP {status}; rerun to resume"
            )
        sent += 1
        journal.write_text(json.dumps({"digest": digest, "accepted": index + 1}), encoding="utf-8")
    journal.unlink(missing_ok=True)  # delivered whole: a later push sends everything again (harmlessly)
    log.info("pushed %d triples in %d batches to %s", len(lines), len(batches), url)
    return PushResult(len(lines), len(batches), sent)


def _accepted(journal: Path, digest: str) -> int:
    """Batches an earlier push of the same data already delivered (0 if the data changed)."""
    try:
        state = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    return int(state.get("accepted", 0)) if state.get("digest") == digest else 0
