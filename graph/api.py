"""The library API: `build` chooses the build that runs (in memory, or streamed through a store for an
archive) and writes its outputs. The stages live in their own modules; this one imports them and no
stage imports it back."""

from __future__ import annotations

import functools
import gc
import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ParamSpec, TypeVar

from rdflib import Graph
from rdflib.namespace import RDF

from graph.archive import ARCHIVE_STORE, STREAM_ABOVE_BYTES, build_archive
from graph.atomic import atomic_file, remove_stale_temporaries, write_atomic
from graph.errors import NewsgraphError
from graph.extract import default_workers, extract, extract_file, run_tasks
from graph.identity import find_corrections, load_corrections
from graph.nlp.pipeline import Options
from graph.rdf.mapping import to_rdf
from graph.rdf.serialize import to_turtle
from graph.rdf.triples import TripleIndex
from graph.rdf.vocab import ID_BASE
from graph.result import BuildResult, Timer, count_entities, load_graph
from graph.sources import iter_input_files

__all__ = [
    "BuildResult",
    "atomic_file",
    "build",
    "default_workers",
    "extract",
    "extract_file",
    "load_graph",
    "render_page",
    "run_tasks",
    "write_atomic",
    "write_outputs",
]

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")

DEFAULT_INPUT = Path("seeds")
DEFAULT_OUTPUT = Path("exports")


def _without_cyclic_gc(function: Callable[P, R]) -> Callable[P, R]:
    """Run without the cyclic garbage collector: a build allocates millions of small acyclic objects,
    which the collector would walk again and again for nothing (40% of `to_rdf` on 5 MB, measured)."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        collecting = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if collecting:
                gc.enable()

    return wrapper


@_without_cyclic_gc
def build(
    inputs: Sequence[str | Path] = (DEFAULT_INPUT,),
    out: str | Path = DEFAULT_OUTPUT,
    options: Options | None = None,
    base: str = ID_BASE,
    max_bytes: int = 50_000_000,
    write_html: bool = True,
    workers: int | None = None,
    cache: bool = True,
    store: str | None = None,
    progress: bool = False,
    scheduler: str | None = None,
    stream: bool | None = None,
) -> BuildResult:
    """Build the graph of the inputs and write graph.ttl and graph.html into `out`.

    With `store="oxigraph:DIR"`, or by itself for inputs over `STREAM_ABOVE_BYTES`, the build streams
    issue by issue into a persistent Oxigraph store (OUT/store by default) and writes from it, so that
    memory does not grow with the archive; `stream` forces (True) or forbids (False) that path."""
    options = options or Options()
    store_dir = _store_directory(store) if store else None
    if not scheduler:
        files, problems = iter_input_files(inputs)
        large = sum(_size(f) for f in files) > STREAM_ABOVE_BYTES
        if store_dir is None and (stream or (stream is None and large)):
            store_dir = Path(out) / ARCHIVE_STORE
            log.info("inputs over %d MiB: building through the store %s", STREAM_ABOVE_BYTES >> 20, store_dir)
        if store_dir is not None and stream is not False:
            corrections = load_corrections(find_corrections([Path(i) for i in inputs]))
            return build_archive(
                files, problems, Path(out), store_dir, options, base, max_bytes, workers, cache, progress,
                write_html, corrections,
            )  # fmt: skip
    timer = Timer()
    cache_dir = Path(out) / ".cache" / "extract" if cache else None
    extraction, built, characters = extract(
        inputs, options, max_bytes, workers, cache_dir, progress, scheduler, Path(out) / "shards", base
    )
    timer.lap("extract")
    corrections = load_corrections(find_corrections([Path(i) for i in inputs]))
    triples = to_rdf(extraction, base, corrections)
    timer.lap("rdf")
    result = BuildResult(
        triples,
        files_built=built,
        problems=extraction.problems,
        characters=characters,
        files_cached=extraction.cached,
    )
    if built:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        result.outputs = write_outputs(triples, out, write_html, parallel=(workers or default_workers()) > 1)
        timer.lap("outputs")
        if store_dir:
            from graph.rdf.store import write_oxigraph

            result.outputs.append(write_oxigraph(triples, store_dir))
            result.store = store_dir
            timer.lap("store")
    result.triple_count = len(triples)
    result.counts = count_entities(lambda rdf_type: triples.subjects(RDF.type, rdf_type))
    result.seconds = timer.total
    result.stages = timer.stages
    return result


def _store_directory(spec: str) -> Path:
    kind, _, directory = spec.partition(":")
    if kind != "oxigraph" or not directory:
        raise NewsgraphError(f"--store {spec}: expected oxigraph:DIR")
    return Path(directory)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reported when the file is read


def write_outputs(
    triples: TripleIndex, out: Path, write_html: bool = True, parallel: bool = True
) -> list[Path]:
    """Write graph.html, and graph.ttl beside it in a forked process when there is a core to spare."""
    ttl, page = out / "graph.ttl", out / "graph.html"
    remove_stale_temporaries(out, ttl.name, page.name)  # left by a build that was killed while writing
    if not write_html:
        write_atomic(ttl, to_turtle(triples))
        return [ttl]
    if parallel and "fork" in multiprocessing.get_all_start_methods():
        # fork shares the triples with the child without pickling them
        child = multiprocessing.get_context("fork").Process(target=_write_turtle, args=(ttl, triples))
        child.start()
        write_atomic(page, render_page(triples))
        child.join()
        if child.exitcode != 0:
            raise NewsgraphError(f"{ttl}: the graph could not be written (exit status {child.exitcode})")
    else:
        write_atomic(ttl, to_turtle(triples))
        write_atomic(page, render_page(triples))
    return [ttl, page]


def _write_turtle(path: Path, triples: TripleIndex) -> None:
    try:
        write_atomic(path, to_turtle(triples))
    except Exception as err:
        print(f"newsgraph: {path}: {err}", file=sys.stderr)
        os._exit(1)


def render_page(graph: Graph | TripleIndex, title: str = "newsgraph") -> str:
    """The interactive page of a whole graph, as `newsgraph render` makes it without options."""
    from graph.render.page import render_page as page

    return page(graph, title=title)
