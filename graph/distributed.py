"""Extraction on a Dask cluster: a bag over issue files, each written by its worker as an N-Quads shard."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from graph.atomic import write_atomic

MANIFEST = "manifest.json"


def extract_on_dask(
    files: Sequence[Path], task: Callable[[Path], Any], scheduler: str, shard_dir: Path, base: str
) -> list[Any]:
    """Run `task` on every file on the cluster at `scheduler`; results come back in the files' order.

    Each worker also writes the issue's triples as `shard_dir/<issue>.nq`, one named graph per issue, so
    that a cluster's output can be loaded into a store without this process; `manifest.json` lists them."""
    import dask.bag as db
    from dask.distributed import Client

    shard_dir.mkdir(parents=True, exist_ok=True)
    with Client(scheduler) as client:
        del client  # the bag runs on the client's cluster
        bag = db.from_sequence(list(files), npartitions=max(1, min(len(files), 64)))
        done = bag.map(_extract_and_shard, task=task, shard_dir=shard_dir, base=base).compute()
    results = [result for result, _ in done]
    shards = sorted((shard for _, shard in done if shard), key=lambda s: s["source"])
    write_atomic(shard_dir / MANIFEST, json.dumps({"shards": shards}, ensure_ascii=False, indent=1) + "\n")
    return results


def _extract_and_shard(
    path: Path, task: Callable[[Path], Any], shard_dir: Path, base: str
) -> tuple[Any, dict | None]:
    from graph.model import Extraction
    from graph.rdf.mapping import to_rdf

    done = task(path)
    if done.result is None:
        return done, None
    triples = to_rdf(Extraction(articles=list(done.result.articles), places=dict(done.result.places)), base)
    issue = done.result.articles[0].article.key.rsplit("-", 1)[0]
    text = _nquads(triples, f"{base}issue-{issue}")
    name = f"{issue}.nq"
    write_atomic(shard_dir / name, text)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return done, {"source": Path(path).name, "shard": name, "quads": len(triples), "sha256": digest}


def _nquads(triples: Any, graph: str) -> str:
    import pyoxigraph as ox

    from graph.rdf.store import to_oxigraph

    name = ox.NamedNode(graph)
    quads = [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), name) for s, p, o in triples]
    lines = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines()
    return "\n".join(sorted(lines)) + "\n"
