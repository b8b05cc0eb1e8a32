"""One command, one table: a synthetic archive built, queried and rendered, each beside its baseline."""

from __future__ import annotations

import argparse
import logging
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate

from graph.rdf.triples import TripleIndex

MIB = 1 << 20


def rss_mib() -> float:
    """Peak resident set size of this process and of its finished children (extraction workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


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


def latencies(engine: str, ttl: Path, runs: int) -> tuple[float, dict[str, tuple[float, float]]]:
    """Load time, and each library query's p50 and p95 in ms, on one engine."""
    from graph.rdf.query import bind, library
    from graph.rdf.store import Engine, open_store

    started = time.perf_counter()
    store = open_store([ttl], Engine(engine))
    load = time.perf_counter() - started
    figures = {}
    for name, query in sorted(library().items()):
        bindings = bind(query, {p.name: p.example for p in query.params.values()})
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            store.query(query.text, bindings)
            times.append((time.perf_counter() - started) * 1000)
            if times[-1] > 30_000:
                break  # one slow run is enough to report
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        figures[name] = (statistics.median(times), p95)
    return load, figures


def run(issues: int, workdir: Path, runs: int, rdflib_limit: int) -> None:
    from graph.api import build
    from graph.render.page import PageOptions, render_page

    paths = generate(issues, workdir / "archive", seed=0, cities=3)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    chars = sum(map(len, texts))
    started = time.perf_counter()
    result = build([workdir / "archive"], workdir / "out", cache=False)
    seconds = time.perf_counter() - started
    peak = rss_mib()
    baseline = posseg_seconds(texts)
    ttl = workdir / "out" / "graph.ttl"
    sizes = {p.name: p.stat().st_size / MIB for p in result.outputs}
    rows = [
        ("issues / characters", f"{issues:,} / {chars:,}", ""),
        ("build (s)", f"{seconds:.1f}", f"jieba.posseg alone {baseline:.1f}"),
        ("build characters/s", f"{chars / seconds:,.0f}", f"jieba.posseg {chars / baseline:,.0f}"),
        ("build issues/s", f"{issues / seconds:.1f}", f"× posseg {baseline / seconds:.2f}"),
        ("build stages (s)", ", ".join(f"{k} {v:.1f}" for k, v in result.stages.items()), ""),
        ("peak RSS (MiB)", f"{peak:,.0f}", ""),
        ("triples", f"{len(result.triples):,}", ""),
        ("outputs (MiB)", ", ".join(f"{k} {v:.1f}" for k, v in sizes.items()), ""),
    ]
    ox_load, ox = latencies("oxigraph", ttl, runs)
    rows.append(("load graph.ttl (s)", f"oxigraph {ox_load:.2f}", ""))
    rdf: dict[str, tuple[float, float]] = {}
    if len(result.triples) <= rdflib_limit:
        rdf_load, rdf = latencies("rdflib", ttl, runs)
        rows[-1] = ("load graph.ttl (s)", f"oxigraph {ox_load:.2f}", f"rdflib {rdf_load:.2f}")
    for name, (p50, p95) in ox.items():
        other = f"rdflib {rdf[name][0]:.1f} / {rdf[name][1]:.1f}" if name in rdf else "rdflib not run"
        rows.append((f"query {name} p50/p95 (ms)", f"oxigraph {p50:.1f} / {p95:.1f}", other))
    focus = _busiest_person(result.triples)
    started = time.perf_counter()
    page = render_page(result.triples, options=PageOptions(focus=focus, hops=1))
    focus_s = time.perf_counter() - started
    rows.append(("render focus view (s)", f"{focus_s:.2f} ({len(page) / MIB:.1f} MiB, {focus})", ""))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'newsgraph':<40}  baseline")
    print("-" * (width + 60))
    for measure, value, base in rows:
        print(f"{measure:<{width}}  {value:<40}  {base}")


def _busiest_person(triples: TripleIndex) -> str:
    """The name of whoever attended the most events: the focus a reporter would most likely ask for."""
    from collections import Counter

    from graph.rdf.vocab import SCHEMA

    counts = Counter(
        str(triples.value(person, SCHEMA.name)) for _, person in triples.subject_objects(SCHEMA.attendee)
    )
    return counts.most_common(1)[0][0] if counts else ""


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
    parser.add_argument("--workdir", type=Path, help="keep the archive and outputs here")
    args = parser.parse_args(argv)
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        run(args.issues, args.workdir, args.runs, args.rdflib_limit)
    else:
        with tempfile.TemporaryDirectory(prefix="newsgraph-run-") as tmp:
            run(args.issues, Path(tmp), args.runs, args.rdflib_limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
