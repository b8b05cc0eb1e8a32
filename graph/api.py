"""The library API: build, with every file read and written here and nowhere else."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from graph.errors import NewsgraphError, SourceError
from graph.model import Extraction
from graph.nlp.pipeline import Options, process
from graph.rdf.mapping import to_rdf
from graph.rdf.serialize import to_turtle
from graph.rdf.vocab import ID_BASE, SCHEMA
from graph.sources import iter_input_files, read_source

log = logging.getLogger(__name__)

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

    graph: Graph
    outputs: list[Path] = field(default_factory=list)
    files_built: int = 0
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    characters: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        parts = ", ".join(f"{n} {k}" for k, n in self.counts.items())
        skipped = f"; {len(self.problems)} skipped" if self.problems else ""
        return (
            f"built {self.files_built} file(s), {self.characters:,} characters in {self.seconds:.2f} s: "
            f"{parts}, {len(self.graph)} triples{skipped}"
        )


def extract(
    inputs: Sequence[str | Path] = (DEFAULT_INPUT,),
    options: Options | None = None,
    max_bytes: int = 50_000_000,
) -> tuple[Extraction, int, int]:
    """Read and extract every input file; bad files become problems, never exceptions."""
    options = options or Options()
    files, problems = iter_input_files(inputs)
    extraction = Extraction(problems=list(problems))
    built = characters = 0
    for path in files:
        try:
            source = read_source(path, max_bytes=max_bytes)
        except SourceError as err:
            extraction.problems.append(str(err))
            continue
        result = process(source, options)
        if not result.articles:
            extraction.problems.append(f"{path}: no article text found")
            continue
        extraction.articles.extend(result.articles)
        for name, place in result.places.items():
            extraction.places.setdefault(name, place)
        built += 1
        characters += len(source.text)
    return extraction, built, characters


def build(
    inputs: Sequence[str | Path] = (DEFAULT_INPUT,),
    out: str | Path = DEFAULT_OUTPUT,
    options: Options | None = None,
    base: str = ID_BASE,
    max_bytes: int = 50_000_000,
    write_html: bool = True,
) -> BuildResult:
    """Build the graph of the inputs and write graph.ttl and graph.html into `out`."""
    started = time.perf_counter()
    extraction, built, characters = extract(inputs, options, max_bytes)
    graph = to_rdf(extraction, base)
    result = BuildResult(graph, files_built=built, problems=extraction.problems, characters=characters)
    if built:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        write_atomic(out / "graph.ttl", to_turtle(graph))
        result.outputs.append(out / "graph.ttl")
        if write_html:
            write_atomic(out / "graph.html", render_page(graph))
            result.outputs.append(out / "graph.html")
    result.counts = {k: len(set(graph.subjects(RDF.type, t))) for k, t in COUNTED_TYPES.items()}
    result.seconds = time.perf_counter() - started
    return result


def render_page(graph: Graph, title: str = "newsgraph") -> str:
    from graph.render.html import render_html
    from graph.render.view import build_view

    return render_html(build_view(graph), title=title)


def load_graph(paths: Sequence[str | Path]) -> Graph:
    graph = Graph()
    for path in paths:
        try:
            graph.parse(str(path), format="turtle")
        except Exception as err:
            raise NewsgraphError(f"{path}: cannot parse as Turtle: {err}") from err
    return graph


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same directory, so readers never see half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def type_counts(graph: Graph) -> Counter[str]:
    return Counter({k: len(set(graph.subjects(RDF.type, t))) for k, t in COUNTED_TYPES.items()})
