"""Builds of archives too large to hold in memory.

Every issue is extracted into the cache first, keeping only what identity needs across the archive
(head posts and places). The issues are then mapped one at a time and streamed into an Oxigraph store
on disk, which removes the triples that several issues state. The outputs are written from the store:
sorted Turtle through an N-Triples dump, and a page of the archive's most mentioned entities.
"""

from __future__ import annotations

import functools
import gc
import heapq
import logging
import os
import pickle
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
from rdflib.namespace import RDF

from graph.atomic import atomic_file, write_atomic
from graph.cache import ExtractionCache
from graph.errors import NewsgraphError
from graph.extract import extract_file, progress_bar, run_tasks
from graph.identity import Corrections, HeadPost, HeadPosts, head_posts
from graph.memory import release_memory
from graph.model import ArticleFacts, Place
from graph.nlp.pipeline import Options
from graph.rdf.mapping import StreamMapper
from graph.rdf.serialize import ntriples_to_turtle
from graph.rdf.triples import TripleIndex
from graph.result import BuildResult, Timer, count_entities

log = logging.getLogger(__name__)

STREAM_ABOVE_BYTES = 12 << 20
"""Inputs larger than this build through a store on disk: 365 issues (16 MiB) peaked at 1.5 GiB in
memory, 1,000 issues at 5 GiB."""

LOAD_ROUND = 200_000

ARCHIVE_STORE = "store"
"""The store's directory under the output folder when the build chooses the streaming path itself."""


@dataclass(frozen=True)
class IssueSummary:
    """What the first pass keeps of one extracted file; the facts themselves stay in the cache."""

    path: str
    key: str | None
    characters: int
    problem: str | None
    cached: bool
    heads: tuple[HeadPost, ...] = ()
    places: dict[str, Place] = field(default_factory=dict)


@dataclass
class ArchiveState:
    """What adding an issue to a streamed archive needs from the build that made it, kept inside the
    store's directory so that the two are swapped in together: the mapper's identity, span and mention
    bookkeeping, head posts and sources."""

    mapper: StreamMapper
    heads: HeadPosts
    sources: dict[str, str | None]  # file name -> cache key
    cache_dir: Path | None
    options: Options  # an added issue is read as the archive's issues were
    landing: str | None = None  # an IRI the add in progress inserts: after a kill, whether it landed

    FILE: ClassVar[str] = "newsgraph-state.pickle"
    PENDING: ClassVar[str] = "newsgraph-state.pending"

    def save(self, store_dir: Path, pending: bool = False) -> None:
        """Write the state; `pending` for an add whose store update has not landed yet."""
        with atomic_file(store_dir / (self.PENDING if pending else self.FILE)) as handle:
            pickle.dump(self, handle, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def commit(cls, store_dir: Path) -> None:
        """The store update landed: the pending state is the state."""
        os.replace(store_dir / cls.PENDING, store_dir / cls.FILE)

    @classmethod
    def recover(cls, store_dir: Path, store: ox.Store) -> None:
        """Finish or forget an add that was killed between saving its state and committing it."""
        pending = store_dir / cls.PENDING
        if not pending.exists():
            return
        landing = cls._read(pending).landing
        if landing and next(store.quads_for_pattern(ox.NamedNode(landing), None, None), None):
            cls.commit(store_dir)
        else:
            pending.unlink()

    @classmethod
    def require(cls, store_dir: Path) -> None:
        if not (store_dir / cls.FILE).exists():
            raise NewsgraphError(
                f"{store_dir / cls.FILE}: no archive state; build the archive with --store "
                f"oxigraph:{store_dir} first"
            )

    @classmethod
    def load(cls, store_dir: Path) -> ArchiveState:
        cls.require(store_dir)
        return cls._read(store_dir / cls.FILE)

    @classmethod
    def _read(cls, path: Path) -> ArchiveState:
        try:
            with path.open("rb") as handle:
                state = pickle.load(handle)
        except Exception as err:
            raise NewsgraphError(f"{path}: unreadable archive state ({err}); build it again") from err
        if not isinstance(state, cls):
            raise NewsgraphError(f"{path}: not an archive state; build the archive again")
        return state


def summarize(path: Path, options: Options, max_bytes: int, cache_dir: Path) -> IssueSummary:
    """Extract one file into the cache and keep its summary."""

    done = extract_file(path, options, max_bytes, cache_dir)
    if done.result is None:
        return IssueSummary(str(path), None, 0, done.problem, done.cached)
    heads = tuple(dict.fromkeys(post for facts in done.result.articles for post in head_posts(facts)))
    return IssueSummary(str(path), done.key, done.characters, None, done.cached, heads, done.result.places)


def issue_articles(
    summaries: Iterable[IssueSummary], options: Options, max_bytes: int, cache_dir: Path
) -> Iterator[list[ArticleFacts]]:
    """Each built file's articles, from the cache (or extracted again if its entry is gone)."""

    cache = ExtractionCache(cache_dir)
    for summary in summaries:
        hit = cache.get(summary.key) if summary.key else None
        done = (
            getattr(hit, "result", None) or extract_file(Path(summary.path), options, max_bytes, None).result
        )
        yield done.articles if done else []


def new_mapper(
    summaries: Sequence[IssueSummary], heads: HeadPosts, base: str, corrections: Corrections | None
) -> StreamMapper:
    places: dict[str, Place] = {}
    for summary in summaries:
        for name, place in summary.places.items():
            places.setdefault(name, place)
    return StreamMapper(heads, places, base, corrections)


def stream_triples(mapper: StreamMapper, articles: Iterable[list[ArticleFacts]]) -> Iterator[TripleIndex]:
    """Map issue after issue; the last chunk holds what only the whole archive knows."""
    for issue in articles:
        yield mapper.issue(issue)
    mapper.finish()
    yield mapper.take()


def fill_store(store: ox.Store, chunks: Iterable[TripleIndex]) -> None:
    """Load in rounds of about `LOAD_ROUND` triples, each streamed to the loader as it is mapped: one
    bulk load of a whole archive holds more and more of it in memory (1.3 GiB at 1,000 issues)."""
    from graph.rdf.store import Chunks, turtle_lines

    pending = iter(chunks)
    while (first := next(pending, None)) is not None:
        store.bulk_load(Chunks(turtle_lines(_load_round(first, pending))), format=ox.RdfFormat.TURTLE)
        release_memory()


def _load_round(first: TripleIndex, pending: Iterator[TripleIndex]) -> Iterator[TripleIndex]:
    yield first
    size = len(first)
    while size < LOAD_ROUND and (chunk := next(pending, None)) is not None:
        yield chunk
        size += len(chunk)


def write_turtle_from_store(store: ox.Store, path: Path, namespaces: list[tuple[str, str]]) -> None:
    """The store's default graph as the same sorted Turtle the in-memory build writes."""
    scratch = Path(tempfile.mkdtemp(dir=path.parent, prefix=".dump.", suffix=".tmp"))
    try:
        dump = scratch / "graph.nt"
        store.dump(str(dump), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        release_memory()
        with atomic_file(path) as handle:
            ntriples_to_turtle(dump, handle, namespaces, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def build_archive(
    files: Sequence[Path],
    problems: Sequence[str],
    out: Path,
    store_dir: Path,
    options: Options,
    base: str,
    max_bytes: int,
    workers: int | None,
    cache: bool,
    show_progress: bool,
    write_html: bool,
    corrections: Corrections | None,
) -> BuildResult:
    """Build `files` through an Oxigraph store in `store_dir`, holding one issue's facts at a time."""
    timer = Timer()
    out.mkdir(parents=True, exist_ok=True)
    for stale in [*out.glob(".dump.*.tmp"), *out.glob(".stream.*.tmp")]:
        shutil.rmtree(stale, ignore_errors=True)  # left by a build that was killed
    cache_dir = out / ".cache" / "extract"
    if not cache:
        cache_dir = Path(tempfile.mkdtemp(dir=out, prefix=".stream.", suffix=".tmp"))
    try:
        task = functools.partial(summarize, options=options, max_bytes=max_bytes, cache_dir=cache_dir)
        summaries = run_tasks(task, files, workers, show_progress, options)
        built = [s for s in summaries if s.problem is None]
        result = BuildResult(
            None,
            files_built=len(built),
            files_cached=sum(s.cached for s in built),
            problems=[*problems, *(s.problem for s in summaries if s.problem)],
            characters=sum(s.characters for s in built),
        )
        timer.lap("extract")
        if not built:
            return result
        heads = HeadPosts(post for summary in built for post in summary.heads)
        mapper = new_mapper(built, heads, base, corrections)
        # only where each issue is cached from here on: every issue's places add up over a decade
        sources = [IssueSummary(s.path, s.key, s.characters, None, s.cached) for s in built]
        del summaries, built
        mentioned = _stream_into_store(
            mapper, heads, sources, store_dir, options, max_bytes, cache_dir if cache else None, cache_dir,
            show_progress,
        )  # fmt: skip
        namespaces = mapper.g.namespaces
        del mapper, heads  # the outputs need neither: free them before writing
        gc.collect()
        release_memory()
        timer.lap("rdf+store")
    finally:
        if not cache:
            shutil.rmtree(cache_dir, ignore_errors=True)
    store = ox.Store.read_only(str(store_dir))
    ttl = out / "graph.ttl"
    write_turtle_from_store(store, ttl, namespaces)
    result.outputs = [ttl]
    timer.lap("turtle")
    if write_html:
        page = out / "graph.html"
        write_archive_page(store, page, mentioned)
        result.outputs.append(page)
        timer.lap("page")
    result.outputs.append(store_dir)
    result.triple_count = len(store)
    typed = ox.NamedNode(str(RDF.type))
    result.counts = count_entities(
        lambda rdf_type: (
            q.subject for q in store.quads_for_pattern(None, typed, ox.NamedNode(rdf_type), ox.DefaultGraph())
        )
    )
    result.store = store_dir
    result.seconds = timer.total
    result.stages = timer.stages
    return result


def _stream_into_store(
    mapper: StreamMapper,
    heads: HeadPosts,
    sources: list[IssueSummary],
    store_dir: Path,
    options: Options,
    max_bytes: int,
    kept_cache: Path | None,
    cache_dir: Path,
    show_progress: bool,
) -> Counter[str]:
    """Map the issues into a new store with the state `add` needs, and say how often each entity is
    mentioned."""
    from graph.rdf.store import replace_directory

    shown = progress_bar(sources, len(sources), show_progress, "mapping")
    articles = issue_articles(shown, options, max_bytes, cache_dir)
    names = {Path(s.path).name: s.key for s in sources}
    replace_directory(
        store_dir,
        lambda store: fill_store(store, stream_triples(mapper, articles)),
        ArchiveState(mapper, heads, names, kept_cache, options).save,
    )
    return mapper.mentioned


OVERVIEW_ENTITIES = 1000
"""Entities on an archive's default page: its most mentioned ones (10,000 nodes render in about 5 s)."""


def write_archive_page(store: ox.Store, page: Path, mentioned: Counter[str]) -> None:
    """The archive's light default page: its most mentioned entities; a focus view shows the rest."""
    from graph.render.store_view import render_overview

    ranked = heapq.nsmallest(OVERVIEW_ENTITIES, mentioned.items(), key=lambda item: (-item[1], item[0]))
    entities = [iri for iri, _ in ranked]
    title = f"newsgraph: {len(mentioned):,} entities, the {len(entities):,} most mentioned in detail"
    write_atomic(page, render_overview(store, entities, title, mentioned))
