"""What a build reports: its outputs, counts, problems and the time each stage took."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from graph.errors import NewsgraphError
from graph.rdf.triples import TripleIndex
from graph.rdf.vocab import SCHEMA

COUNTED_TYPES = {
    "articles": SCHEMA.NewsArticle,
    "persons": SCHEMA.Person,
    "organizations": SCHEMA.Organization,
    "places": SCHEMA.Place,
    "projects": SCHEMA.Project,
    "events": SCHEMA.Event,
}


def count_entities(subjects_of_type: Callable[[URIRef], Iterable[object]]) -> dict[str, int]:
    """How many distinct subjects each of `COUNTED_TYPES` has, whichever store holds the triples."""
    return {name: len(set(subjects_of_type(rdf_type))) for name, rdf_type in COUNTED_TYPES.items()}


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


class Timer:
    """Seconds per stage, in the order the stages ran."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self.started = self._clock = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = now - self._clock
        self._clock = now

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started


def load_graph(paths: Sequence[str | Path]) -> Graph:
    """Turtle files as one rdflib Graph; a file that does not parse is a one-line error."""
    graph = Graph()
    for path in paths:
        try:
            graph.parse(str(path), format="turtle")
        except Exception as err:
            raise NewsgraphError(f"{path}: cannot parse as Turtle: {err}") from err
    return graph
