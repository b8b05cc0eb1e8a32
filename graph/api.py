"""The library API: build, with every file read and written here and nowhere else."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import importlib
import logging
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, ParamSpec, TypeVar

from rdflib import Graph
from rdflib.namespace import RDF

from graph.archive import ARCHIVE_STORE, STREAM_ABOVE_BYTES, Timer, build_archive
from graph.cache import ExtractionCache
from graph.errors import NewsgraphError, SourceError
from graph.identity import find_corrections, load_corrections
from graph.model import Extraction
from graph.nlp.divisions import DivisionTable
from graph.nlp.pipeline import Options, SourceResult, process
from graph.nlp.segment import tagger
from graph.rdf.mapping import to_rdf
from graph.rdf.serialize import to_turtle
from graph.rdf.triples import TripleIndex
from graph.rdf.vocab import ID_BASE, SCHEMA
from graph.sources import iter_input_files, read_source

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

DEFAULT_INPUT = Path("seeds")
DEFAULT_OUTPUT = Path("exports")
COUNTED_TYPES = {
    "articles": SCHEMA.NewsArticle,
    "persons": SCHEMA.Person,
    "organizations": SCHEMA.Organization,
    "places": SCHEMA.Place,
    "projects": SCHEMA.Project,
    "events": SCHEMA.Event,
}


@dataclass
class BuildResult:
    """What a build made, what it skipped, and how long it took."""

    triples: TripleIndex | None  # None when the build streamed into a store
    outputs: list[Path] = field(default_factory=list)
    files_built: int = 0
    files_cached: int = 0
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    characters: int = 0
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    triple_count: int = 0
    store: Path | None = None  # the Oxigraph store an archive build streamed into

    @functools.cached_property
    def graph(self) -> Graph:
        """The build as an rdflib Graph, made on first use (from graph.ttl after a streamed build)."""
        if self.triples is None:
            return load_graph([p for p in self.outputs if p.suffix == ".ttl"])
        return self.triples.to_graph()

    def summary(self) -> str:
        parts = ", ".join(f"{n} {k}" for k, n in self.counts.items())
        skipped = f"; {len(self.problems)} skipped" if self.problems else ""
        skipped += f"; {self.files_cached} unchanged file(s) from the cache" if self.files_cached else ""
        stages = ", ".join(f"{name} {secs:.2f}" for name, secs in self.stages.items())
        return (
            f"built {self.files_built} file(s), {self.characters:,} characters in {self.seconds:.2f} s "
            f"({stages}): {parts}, {self.triple_count} triples{skipped}"
        )


@dataclass(frozen=True)
class FileResult:
    """One input file's extraction, or the problem that kept it out."""

    path: str
    result: SourceResult | None
    characters: int
    problem: str | None
    cached: bool = False
    key: str | None = None  # its cache entry


def extract_file(path: Path, options: Options, max_bytes: int, cache_dir: Path | None) -> FileResult:
    cache = ExtractionCache(cache_dir) if cache_dir else None
    key = None
    if cache is not None:
        try:
            key = cache.key(path, path.read_bytes(), options) if path.stat().st_size <= max_bytes else None
        except OSError:
            key = None  # read_source reports it
        hit = cache.get(key) if key else None
        if isinstance(hit, FileResult):
            return dataclasses.replace(hit, path=str(path), cached=True)
    try:
        source = read_source(path, max_bytes=max_bytes)
    except SourceError as err:
        return FileResult(str(path), None, 0, str(err))
    result = process(source, options)
    if not result.articles:
        return FileResult(str(path), None, 0, f"{path}: no article text found")
    done = FileResult(str(path), result, len(source.text), None, key=key)
    if cache is not None and key:
        cache.put(key, done)
    return done


def progress_bar(items: Iterable[T], total: int, show: bool, desc: str = "extracting") -> Iterable[T]:
    """Files done so far, as a bar on stderr for a long build in a terminal."""
    if not show or total < 2:
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, unit="file", desc=desc, file=sys.stderr, leave=False)


def _warm_up_outputs() -> None:
    """Import the page renderer before it is needed (pyvis, networkx and jinja2 take a while)."""
    importlib.import_module("graph.render.page")


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def extract(
    inputs: Sequence[str | Path] = (DEFAULT_INPUT,),
    options: Options | None = None,
    max_bytes: int = 50_000_000,
    workers: int | None = None,
    cache_dir: Path | None = None,
    progress: bool = False,
    scheduler: str | None = None,
    shard_dir: Path | None = None,
    base: str = ID_BASE,
) -> tuple[Extraction, int, int]:
    """Read and extract every input file, in parallel when there are several; bad files become
    problems, never exceptions. Results keep the input order, so the build stays deterministic."""
    options = options or Options()
    files, problems = iter_input_files(inputs)
    extraction = Extraction(problems=list(problems))
    task = functools.partial(extract_file, options=options, max_bytes=max_bytes, cache_dir=cache_dir)
    if scheduler:
        from graph.distributed import extract_on_dask

        results = extract_on_dask(files, task, scheduler, shard_dir or Path("shards"), base)
    else:
        results = run_tasks(task, files, workers, progress, options)
    built = characters = 0
    for done in results:
        if done.result is None:
            extraction.problems.append(done.problem or f"{done.path}: not built")
            continue
        extraction.cached += done.cached
        extraction.articles.extend(done.result.articles)
        for name, place in done.result.places.items():
            extraction.places.setdefault(name, place)
        built += 1
        characters += done.characters
    return extraction, built, characters


def run_tasks(
    task: Callable[[Path], T], files: Sequence[Path], workers: int | None, progress: bool, options: Options
) -> list[T]:
    """`task` over every file, in worker processes when there are several; results in the files' order."""
    workers = min(workers or default_workers(), len(files))
    if workers <= 1:
        return list(progress_bar(map(task, files), len(files), progress))
    # load the division table and the segmenter once, so that forked workers share them
    DivisionTable.load()
    tagger(options.backend)
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_exit_with_parent, initargs=(os.getpid(),)
    ) as pool:
        pending = pool.map(task, files, chunksize=max(1, len(files) // (workers * 8)))
        _warm_up_outputs()  # while the workers extract, this process would only wait
        return list(progress_bar(pending, len(files), progress))


def _exit_with_parent(parent: int) -> None:
    """A worker ends when its build is killed: otherwise it would wait on the task queue forever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


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
    result.counts = {k: len(set(triples.subjects(RDF.type, t))) for k, t in COUNTED_TYPES.items()}
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
    for stale in [*out.glob(".graph.ttl.*.tmp"), *out.glob(".graph.html.*.tmp")]:
        stale.unlink(missing_ok=True)  # left by a build that was killed while writing
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


def load_graph(paths: Sequence[str | Path]) -> Graph:
    graph = Graph()
    for path in paths:
        try:
            graph.parse(str(path), format="turtle")
        except Exception as err:
            raise NewsgraphError(f"{path}: cannot parse as Turtle: {err}") from err
    return graph


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same directory, so readers never see half a file; a full
    disk or a read-only folder is a one-line error and leaves the previous file as it was."""
    with atomic_file(path) as handle:
        handle.write(text.encode("utf-8"))


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary handle whose bytes replace `path` only when the block ends without an error."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise NewsgraphError(f"{path}: cannot write: {err.strerror or err}") from err
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise NewsgraphError(
            f"{path}: cannot write: {err.strerror or err}; the previous file is intact"
        ) from err
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
