"""Archive builds that stream issue by issue into an Oxigraph store, and the pages read from it."""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

import graph.api
from graph import archive
from graph.api import BuildResult, build
from graph.identity import HeadPosts
from graph.rdf.mapping import StreamMapper
from graph.rdf.serialize import ntriples_to_turtle, to_turtle
from graph.rdf.store import Chunks
from graph.rdf.triples import TripleIndex
from graph.rdf.vocab import SCHEMA
from graph.render.page import PageOptions, find_nodes, render_page
from graph.render.store_view import find_in_store, render_store_page
from graph.render.view import build_view

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = Path(__file__).parent / "fixtures" / "archive"


@pytest.fixture(scope="module")
def streamed(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    out = tmp_path_factory.mktemp("streamed")
    return build([ROOT / "seeds"], out, store=f"oxigraph:{out / 'store'}", workers=1), out


def page_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="ng-data">(.*?)</script>', page, re.S)
    assert match, "the page embeds its data"
    return json.loads(match.group(1))


def test_streamed_seed_build_writes_the_committed_turtle(streamed: tuple[BuildResult, Path]) -> None:
    result, out = streamed
    assert result.triples is None and result.store == out / "store"
    assert (out / "graph.ttl").read_bytes() == (ROOT / "exports" / "graph.ttl").read_bytes()
    assert result.triple_count == len(Graph().parse(out / "graph.ttl")) > 1000
    assert result.counts["persons"] == 35 and result.counts["events"] == 9


def test_streamed_archive_keeps_identity_across_issues(tmp_path: Path) -> None:
    """Namesakes, merges, corrections and attested spans need the whole archive: both paths agree."""
    memory = build([ARCHIVE], tmp_path / "memory", workers=1, stream=False)
    streamed = build([ARCHIVE], tmp_path / "streamed", workers=1, stream=True)
    assert memory.store is None and streamed.store == tmp_path / "streamed" / "store"
    ttl = (tmp_path / "streamed" / "graph.ttl").read_text(encoding="utf-8")
    assert ttl == (tmp_path / "memory" / "graph.ttl").read_text(encoding="utf-8")
    assert "ng:mergedBecause" in ttl and "ng:firstAttested" in ttl


def test_large_inputs_stream_by_themselves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graph.api, "STREAM_ABOVE_BYTES", 100)
    (tmp_path / ".dump.killed.tmp").mkdir()  # as a killed build leaves it
    result = build([ARCHIVE], tmp_path, workers=1, cache=False)
    assert not (tmp_path / ".dump.killed.tmp").exists()
    assert result.store == tmp_path / "store" and (tmp_path / "store").is_dir()
    assert not list(tmp_path.glob(".stream.*")), "the temporary cache is removed"
    assert ox.Store.read_only(str(tmp_path / "store")).__len__() == result.triple_count


def test_a_bad_file_is_skipped_in_a_streamed_build(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "2024-01-02.txt").write_text(
        "本报讯（记者 张明）1月2日，市委书记王建华主持召开市委常委会会议。\n", encoding="utf-8"
    )
    (source / "empty.txt").write_bytes(b"")
    result = build([source], tmp_path / "out", stream=True, workers=1)
    assert result.files_built == 1 and len(result.problems) == 1 and "empty" in result.problems[0]


@pytest.mark.parametrize(
    "literal",
    [
        Literal('引号"反斜杠\\换行\n回车\r制表\t', lang="zh"),
        Literal("分隔\u2028符\x01控制"),
        Literal(42),
        Literal("2024-01-02", datatype=XSD.date),
        Literal("x", datatype=URIRef("http://example.org/custom#type")),
    ],
)
def test_turtle_through_an_ntriples_dump_matches_to_turtle(literal: Literal, tmp_path: Path) -> None:
    index = TripleIndex([("schema", "https://schema.org/"), ("xsd", str(XSD))])
    index.add((URIRef("https://schema.org/b"), URIRef("https://schema.org/name"), literal))
    index.add(
        (URIRef("https://schema.org/a"), URIRef("http://example.org/p"), URIRef("https://schema.org/b"))
    )
    store = ox.Store()
    store.bulk_load(to_turtle(index).encode("utf-8"), format=ox.RdfFormat.TURTLE)
    dump = tmp_path / "dump.nt"
    store.dump(str(dump), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    written = io.BytesIO()
    ntriples_to_turtle(dump, written, index.namespaces, tmp_path)
    assert written.getvalue().decode("utf-8") == to_turtle(index)


def test_both_turtle_writers_order_subjects_that_prefix_one_another_alike(tmp_path: Path) -> None:
    index = TripleIndex([("id", "https://example.org/id/")])
    for name in ("a", "a-2", "a/b", "a2", "b"):
        index.add((URIRef(f"https://example.org/id/{name}"), RDF.type, URIRef("https://example.org/T")))
    store = ox.Store()
    store.bulk_load(to_turtle(index).encode("utf-8"), format=ox.RdfFormat.TURTLE)
    dump = tmp_path / "dump.nt"
    store.dump(str(dump), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    written = io.BytesIO()
    ntriples_to_turtle(dump, written, index.namespaces, tmp_path, run_lines=2)
    assert written.getvalue().decode("utf-8") == to_turtle(index)
    # N-Triples byte order, in which `>` sorts after `-`, `/` and digits
    heads = [line for line in to_turtle(index).splitlines() if line.startswith(("id:", "<"))]
    assert heads == ["id:a-2", "<https://example.org/id/a/b>", "id:a2", "id:a", "id:b"]


def test_chunks_read_any_size() -> None:
    parts = [b"abc", b"", b"defgh", b"i"]
    for size in (1, 2, 4, 100):
        stream, pieces = Chunks(iter(parts)), []
        while piece := stream.read(size):
            assert len(piece) <= size
            pieces.append(piece)
        assert b"".join(pieces) == b"abcdefghi"
    assert Chunks(iter(parts)).read() == b"abcdefghi"


def test_focus_page_from_the_store_equals_the_whole_graph_page(streamed: tuple[BuildResult, Path]) -> None:
    result, out = streamed
    store = ox.Store.read_only(str(out / "store"))
    whole = result.graph
    for focus, hops in (("曹慧泉", 1), ("曹慧泉", 2), ("天元区", 1)):
        options = PageOptions(focus=focus, hops=hops)
        from_store = page_data(render_store_page(store, options))
        from_graph = page_data(render_page(whole, options=options))
        assert from_store == from_graph, (focus, hops)


def test_store_search_finds_names_aliases_and_parts(streamed: tuple[BuildResult, Path]) -> None:
    store = ox.Store.read_only(str(streamed[1] / "store"))
    assert len(find_in_store(store, "曹慧泉")) == 1
    assert find_in_store(store, "慧泉") == find_in_store(store, "曹慧泉")
    assert find_in_store(store, "没有这个人") == []
    assert find_in_store(store, "cao huiquan") == find_in_store(store, "曹慧泉")


@pytest.mark.parametrize("name", ["曹慧泉", "慧泉", "caohuiquan", "chq", "市委", "株洲", "追悼大会"])
def test_the_store_and_the_whole_graph_find_the_same_nodes(
    streamed: tuple[BuildResult, Path], name: str
) -> None:
    store = ox.Store.read_only(str(streamed[1] / "store"))
    view = build_view(Graph().parse(streamed[1] / "graph.ttl"))
    found = find_in_store(store, name)
    assert found and found == [n.id for n in find_nodes(view, name)]


def test_archive_page_shows_the_most_mentioned_entities(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive, "OVERVIEW_ENTITIES", 5)
    build([ARCHIVE], tmp_path, workers=1, stream=True)
    build([ARCHIVE], tmp_path / "again", workers=1, stream=True)
    assert (tmp_path / "again" / "graph.html").read_bytes() == (tmp_path / "graph.html").read_bytes()
    graph = Graph().parse(tmp_path / "graph.ttl")
    counts = Counter(
        str(entity)
        for predicate in (SCHEMA.mentions, SCHEMA.attendee)
        for entity in graph.objects(None, predicate)
        if (entity, RDF.type, SCHEMA.Event) not in graph
    )
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    page = (tmp_path / "graph.html").read_text(encoding="utf-8")
    data = page_data(page)
    panels = data["panels"]
    # the most mentioned have their panels; every person, organization and place can be found
    assert {iri for iri, _ in ranked[:5]} <= {p["iri"] for p in panels.values()}
    named = {str(s) for t in (SCHEMA.Person, SCHEMA.Organization) for s in graph.subjects(RDF.type, t)}
    assert named <= {panels[e["id"]]["iri"] for e in data["entities"]}
    assert "the 5 most mentioned in detail" in page


def test_cli_renders_a_focus_from_the_store(
    streamed: tuple[BuildResult, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from graph.cli import main

    store = streamed[1] / "store"
    page = tmp_path / "cao.html"
    args = ["render", f"oxigraph:{store}", "--focus", "曹慧泉", "--hops", "1", "-o", str(page), "-q"]
    assert main(args) == 0
    data = page_data(page.read_text(encoding="utf-8"))
    assert data["panels"][data["select"]]["label"] == "曹慧泉"
    assert main(["render", f"oxigraph:{store}", "-o", str(tmp_path / "all.html")]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--focus" in err[0]


@pytest.mark.parametrize("run_lines", [1, 7, 1000])
def test_turtle_merge_sort_joins_subjects_split_across_runs(
    streamed: tuple[BuildResult, Path], tmp_path: Path, run_lines: int
) -> None:
    store = ox.Store.read_only(str(streamed[1] / "store"))
    dump = tmp_path / "dump.nt"
    store.dump(str(dump), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    written = io.BytesIO()
    namespaces = StreamMapper(HeadPosts(), {}).g.namespaces  # the prefixes a build binds
    ntriples_to_turtle(dump, written, namespaces, tmp_path, run_lines=run_lines)
    assert written.getvalue() == (ROOT / "exports" / "graph.ttl").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dump.nt"], "scratch files are removed"
