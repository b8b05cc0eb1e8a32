"""One command, one table: a synthetic archive built, queried and rendered, each beside its baseline."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate

MIB = 1 << 20


class MemorySampler:
    """Resident memory of this process and of its children (the extraction workers), sampled while a
    build runs: the peak of the sum is what the machine must hold at once."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.samples: list[tuple[float, float, float]] = []  # (perf_counter, this process, with children)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(self.interval):
            own = me.memory_info().rss
            total = own
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):  # a worker may exit between listing and reading
                    total += child.memory_info().rss
            self.samples.append((time.perf_counter(), own / MIB, total / MIB))

    def peak(self, start: float = float("-inf"), end: float = float("inf")) -> tuple[float, float]:
        """Peak of this process and of the sum with its children between `start` and `end`."""
        window = [(own, total) for t, own, total in self.samples if start <= t <= end] or [(0.0, 0.0)]
        return max(own for own, _ in window), max(total for _, total in window)

    def by_stage(self, started: float, stages: dict[str, float]) -> str:
        parts = []
        for stage, seconds in stages.items():
            own, total = self.peak(started, started + seconds)
            if not own:
                parts.append(f"{stage} -")  # shorter than one sampling interval
            else:
                parts.append(f"{stage} {own:,.0f}" + (f" ({total:,.0f})" if total > own + 1 else ""))
            started += seconds
        return ", ".join(parts)


def posseg_seconds(texts: list[str]) -> float:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    list(tokenizer.cut("市委书记主持召开会议。"))
    started = time.perf_counter()
    for text in texts:
        list(tokenizer.cut(text))
    return time.perf_counter() - started


def latencies(store: object, runs: int) -> dict[str, tuple[float, float]]:
    """Each library query's p50 and p95 in ms on an open store, with its example parameters."""
    from graph.rdf.query import bind, library

    figures = {}
    for name, query in sorted(library().items()):
        bindings = bind(query, {p.name: p.example for p in query.params.values()})
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            store.query(query.text, bindings)  # type: ignore[attr-defined]
            times.append((time.perf_counter() - started) * 1000)
            if times[-1] > 30_000:
                break  # one slow run is enough to report
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        figures[name] = (statistics.median(times), p95)
    return figures


def measured_build(archive: Path, out: Path) -> dict:
    """Build in a fresh process, as `newsgraph build` runs: this one holds the corpus and would count it."""
    command = [sys.executable, str(Path(__file__).resolve()), "--build-only", str(archive), str(out)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the build failed: {done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def build_only(archive: Path, out: Path) -> None:
    """The child of measured_build: build, and print what the table needs as one JSON line."""
    from graph.api import build

    with MemorySampler() as memory:
        started = time.perf_counter()
        result = build([archive], out, cache=False)
    figures = {
        "seconds": result.seconds,
        "stages": result.stages,
        "triples": result.triple_count,
        "outputs": [str(p) for p in result.outputs],
        "store": str(result.store) if result.store else None,
        "own": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "together": memory.peak()[1],
        "by_stage": memory.by_stage(started, result.stages),
    }
    print(json.dumps(figures))


def timed(action: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def add_seconds(issue: Path, store: Path, write_outputs: bool) -> float:
    """Wall time of `newsgraph add` in a fresh process, start-up included, as a user would run it."""
    command = [sys.executable, "-m", "graph", "add", str(issue), "--store", f"oxigraph:{store}", "-q"]
    if write_outputs:
        command.append("--write-outputs")
    seconds, done = timed(lambda: subprocess.run(command, capture_output=True, text=True))
    if done.returncode != 0:  # type: ignore[attr-defined]
        raise SystemExit(f"newsgraph add failed: {done.stderr}")  # type: ignore[attr-defined]
    return seconds


def run(issues: int, workdir: Path, runs: int, rdflib_limit: int, sample: int) -> None:
    from graph.api import load_graph
    from graph.rdf.store import Engine, open_store
    from graph.render.page import PageOptions, render_page
    from graph.render.store_view import render_store_page

    paths = generate(issues + 2, workdir / "archive", seed=0, cities=3)
    held = workdir / "new"
    held.mkdir(exist_ok=True)
    new_issues = [Path(shutil.move(p, held / p.name)) for p in paths[-2:]]  # the two newest days
    out = workdir / "out"
    built = measured_build(workdir / "archive", out)
    seconds, triples = built["seconds"], built["triples"]
    built_store = Path(built["store"]) if built["store"] else None
    workers_note = f"{built['together']:,.0f} with its workers (each ≤ {built['worker']:,.0f})"
    texts = [p.read_text(encoding="utf-8") for p in paths[:-2]]
    chars = sum(map(len, texts))
    sampled = texts[::sample]
    baseline = posseg_seconds(sampled) * chars / max(1, sum(map(len, sampled)))
    basis = "" if sample == 1 else f" (every {sample}th issue, scaled)"
    sizes = {Path(p).name: du_mib(Path(p)) for p in built["outputs"]}
    print(f"{'measure':<{WIDTH}}  {'newsgraph':<44}  baseline")
    print("-" * (WIDTH + 64))
    for row in [
        ("issues / characters", f"{issues:,} / {chars:,}", ""),
        ("build (s)", f"{seconds:.1f}", f"jieba.posseg alone {baseline:.1f}{basis}"),
        ("build characters/s", f"{chars / seconds:,.0f}", f"jieba.posseg {chars / baseline:,.0f}"),
        ("build issues/s", f"{issues / seconds:.1f}", f"× posseg {baseline / seconds:.2f}"),
        ("build stages (s)", ", ".join(f"{k} {v:.1f}" for k, v in built["stages"].items()), ""),
        ("peak RSS (MiB)", f"{built['own']:,.0f} build process", workers_note),
        ("peak RSS by stage (MiB)", built["by_stage"], "(with workers)"),
        ("triples", f"{triples:,}", ""),
        ("outputs (MiB)", ", ".join(f"{k} {v:.1f}" for k, v in sizes.items()), ""),
    ]:
        show(*row)
    ttl = out / "graph.ttl"
    spec = f"oxigraph:{built_store}" if built_store else str(ttl)
    load_s, store = timed(lambda: open_store([spec], Engine.OXIGRAPH))
    ox = latencies(store, runs)
    rdf: dict[str, tuple[float, float]] = {}
    rdf_note = f"rdflib not run above {rdflib_limit:,} triples"
    if triples <= rdflib_limit:
        rdf_load, rdf_store = timed(lambda: open_store([ttl], Engine.RDFLIB))
        rdf = latencies(rdf_store, runs)
        rdf_note = f"rdflib load graph.ttl {rdf_load:.2f}"
    show("open store (s)", f"oxigraph {load_s:.2f} ({spec.split(':')[0]})", rdf_note)
    for name, (p50, p95) in ox.items():
        other = f"rdflib {rdf[name][0]:.1f} / {rdf[name][1]:.1f}" if name in rdf else ""
        show(f"query {name} p50/p95 (ms)", f"oxigraph {p50:.1f} / {p95:.1f}", other)
    focus = _busiest_person(store)
    options = PageOptions(focus=focus, hops=1)
    if built_store:
        focus_s, page = timed(lambda: render_store_page(store.store, options))  # type: ignore[attr-defined]
    else:
        focus_s, page = timed(lambda: render_page(load_graph([ttl]), options=options))
    whole = ""
    if triples <= rdflib_limit:
        whole_s, _ = timed(lambda: render_page(load_graph([ttl]), options=options))
        whole = f"from the whole graph in memory {whole_s:.2f}"
    show("render focus view (s)", f"{focus_s:.2f} ({len(page) / MIB:.1f} MiB, {focus})", whole)
    store.close()
    if built_store:
        first = add_seconds(new_issues[0], built_store, write_outputs=False)
        show("add one issue (s)", f"{first:.2f} (store)", f"full build {seconds:.1f}")
        second = add_seconds(new_issues[1], built_store, write_outputs=True)
        show("add one issue + rewrite outputs (s)", f"{second:.2f}")


WIDTH = 46


def show(measure: str, value: str, baseline: str = "") -> None:
    """One row of the table, printed as soon as it is measured: a long run shows what it has so far."""
    print(f"{measure:<{WIDTH}}  {value:<44}  {baseline}", flush=True)


def du_mib(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / MIB


def _busiest_person(store: object) -> str:
    """The name of whoever attended the most events: the focus a reporter would most likely ask for."""
    rows = store.query(  # type: ignore[attr-defined]
        "PREFIX schema: <https://schema.org/> SELECT ?name (COUNT(?e) AS ?n) "
        "WHERE { ?e schema:attendee ?p . ?p schema:name ?name } "
        "GROUP BY ?name ORDER BY DESC(?n) ?name LIMIT 1"
    ).rows
    return str(rows[0][0]) if rows else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--issues", type=int, default=365, help="synthetic issues (default 365)")
    parser.add_argument("--runs", type=int, default=5, help="runs per query (default 5)")
    parser.add_argument(
        "--rdflib-limit",
        type=int,
        default=300_000,
        help="query rdflib only up to this many triples (300,000)",
    )
    parser.add_argument(
        "--posseg-sample",
        type=int,
        help="time jieba.posseg on every Nth issue and scale (default: all up to 500 issues, else 10)",
    )
    parser.add_argument("--workdir", type=Path, help="keep the archive and outputs here")
    parser.add_argument("--build-only", nargs=2, type=Path, help=argparse.SUPPRESS)  # measured_build's child
    args = parser.parse_args(argv)
    if args.build_only:
        build_only(*args.build_only)
        return 0
    sample = args.posseg_sample or (1 if args.issues <= 500 else 10)
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        run(args.issues, args.workdir, args.runs, args.rdflib_limit, sample)
    else:
        with tempfile.TemporaryDirectory(prefix="newsgraph-run-") as tmp:
            run(args.issues, Path(tmp), args.runs, args.rdflib_limit, sample)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
