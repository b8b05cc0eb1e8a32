"""Extraction on Dask distributed (a LocalCluster): the same graph as on one machine, plus N-Quads shards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Dataset

from graph.api import build

distributed = pytest.importorskip("dask.distributed", reason="dask[distributed] is not installed")

ISSUE = (
    "市委召开常务会议\n\n湘潭日报(全媒体记者/王小明) 3月{day}日上午,市委书记张国华主持召开市委常委会会议。\n"
)


def test_a_cluster_build_equals_a_local_build_and_writes_shards(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    for day in (1, 2, 3):
        (folder / f"2023-03-0{day}.txt").write_text(ISSUE.format(day=day), encoding="utf-8")
    local = build([folder], tmp_path / "local", workers=1, cache=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        remote = build([folder], tmp_path / "cluster", cache=False, scheduler=cluster.scheduler_address)
    assert remote.files_built == 3
    assert (tmp_path / "cluster" / "graph.ttl").read_bytes() == (
        tmp_path / "local" / "graph.ttl"
    ).read_bytes()
    manifest = json.loads((tmp_path / "cluster" / "shards" / "manifest.json").read_text(encoding="utf-8"))
    assert [s["source"] for s in manifest["shards"]] == ["2023-03-01.txt", "2023-03-02.txt", "2023-03-03.txt"]
    graphs = set()
    for shard in manifest["shards"]:
        dataset = Dataset().parse(tmp_path / "cluster" / "shards" / shard["shard"], format="nquads")
        names = {str(g.identifier) for g in dataset.graphs() if len(g)}
        assert len(names) == 1 and sum(len(g) for g in dataset.graphs()) == shard["quads"]
        graphs |= names
    assert len(graphs) == 3  # one named graph per issue
    assert len(local.triples) > 0
