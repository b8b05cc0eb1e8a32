"""The extraction stage: input files to extracted articles, in worker processes when there are several,
through the extraction cache. Bad files become problems, never exceptions."""

from __future__ import annotations

import dataclasses
import functools
import importlib
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from graph.cache import ExtractionCache
from graph.errors import SourceError
from graph.model import Extraction
from graph.nlp.divisions import DivisionTable
from graph.nlp.pipeline import Options, SourceResult, process
from graph.nlp.segment import tagger
from graph.processes import exit_with_parent
from graph.rdf.vocab import ID_BASE
from graph.sources import iter_input_files, read_source

T = TypeVar("T")


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
    """One file read and extracted, or taken from the cache when neither it nor the extractor changed."""
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


def extract(
    inputs: Sequence[str | Path],
    options: Options | None = None,
    max_bytes: int = 50_000_000,
    workers: int | None = None,
    cache_dir: Path | None = None,
    progress: bool = False,
    scheduler: str | None = None,
    shard_dir: Path | None = None,
    base: str = ID_BASE,
) -> tuple[Extraction, int, int]:
    """Read and extract every input file, in parallel when there are several. Results keep the input
    order, so the build stays deterministic. Returns the extraction, the files built and their
    characters."""
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


def progress_bar(items: Iterable[T], total: int, show: bool, desc: str = "extracting") -> Iterable[T]:
    """Files done so far, as a bar on stderr for a long build in a terminal."""
    if not show or total < 2:
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, unit="file", desc=desc, file=sys.stderr, leave=False)


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


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
        max_workers=workers, initializer=exit_with_parent, initargs=(os.getpid(),)
    ) as pool:
        pending = pool.map(task, files, chunksize=max(1, len(files) // (workers * 8)))
        _warm_up_outputs()  # while the workers extract, this process would only wait
        return list(progress_bar(pending, len(files), progress))


def _warm_up_outputs() -> None:
    """Import the page renderer before it is needed (networkx and jinja2 take a while)."""
    importlib.import_module("graph.render.page")
