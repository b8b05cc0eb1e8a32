"""Build throughput of graph.api.build against bare jieba.posseg and rjieba over a synthetic archive."""

from __future__ import annotations

import argparse
import logging
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate

MIB = 1 << 20
BYTES_PER_ISSUE = 47_000  # a first guess; generation grows until the target is reached
WARMUP = "市委书记主持召开会议,研究部署全市重点工作。"


@dataclass
class Row:
    """One measured pass."""

    name: str
    seconds: float
    characters: int
    issues: int
    rss_mib: float

    @property
    def rate(self) -> float:
        return self.characters / self.seconds if self.seconds else 0.0


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_corpus(directory: Path, megabytes: float, seed: int) -> list[Path]:
    """Generate issues into `directory` until they hold at least `megabytes` MiB of UTF-8."""
    target = int(megabytes * MIB)
    issues = max(1, -(-target // BYTES_PER_ISSUE))
    while True:
        paths = generate(issues, directory, seed=seed, cities=3)
        size = sum(p.stat().st_size for p in paths)
        if size >= target:
            return paths
        issues = issues + max(1, -(-(target - size) // BYTES_PER_ISSUE))


def timed(name: str, texts: list[str], tag: Callable[[str], object], repeat: int = 1) -> Row:
    """Best of `repeat` runs of `tag` over every text, after a warm-up call so that dictionary
    loading is not timed."""
    tag(WARMUP)
    seconds = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for text in texts:
            tag(text)
        seconds = min(seconds, time.perf_counter() - started)
    return Row(name, seconds, sum(map(len, texts)), len(texts), peak_rss_mib())


def measure_build(
    paths: list[Path], root: Path, out: Path, workers: int | None, repeat: int
) -> tuple[Row, int, dict[str, int], dict[str, int]]:
    """Best of `repeat` timed graph.api.build runs over `root`, after a warm-up build of one issue."""
    from graph.api import build

    with tempfile.TemporaryDirectory(prefix="newsgraph-warm-") as scratch:
        build([paths[0]], Path(scratch), workers=workers)
    best = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = build([root], out, workers=workers, cache=False)
        seconds = time.perf_counter() - started
        if best is None or seconds < best[0]:
            best = (seconds, result)
    assert best is not None
    seconds, result = best
    if result.problems:
        first = result.problems[0]
        print(f"build reported {len(result.problems)} problem(s), first: {first}", file=sys.stderr)
    sizes = {p.name: p.stat().st_size for p in result.outputs}
    label = "graph.api.build" + (f" (--workers {workers})" if workers else " (all cores)")
    row = Row(label, seconds, result.characters, result.files_built, peak_rss_mib())
    stages = ", ".join(f"{name} {secs:.2f} s" for name, secs in result.stages.items())
    print(f"{label} stages: {stages}")
    return row, len(result.triples), result.counts, sizes


def jieba_posseg() -> Callable[[str], object]:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    return lambda text: list(tokenizer.cut(text))


def rjieba_tag() -> Callable[[str], object]:
    import rjieba

    return rjieba.Jieba().tag


def table(rows: list[Row], baseline: Row) -> str:
    """The result table: one line per pass, with its speed relative to bare jieba.posseg."""
    lines = [
        "| pass | seconds | characters | chars/s | issues/s | × jieba.posseg | peak RSS MiB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row.name} | {row.seconds:.2f} | {row.characters:,} | {row.rate:,.0f} | "
            f"{row.issues / row.seconds:.1f} | {row.rate / baseline.rate:.2f} | {row.rss_mib:.0f} |"
        )
    return "\n".join(lines)


def run(megabytes: float, workdir: Path, seed: int, repeat: int) -> int:
    corpus_dir, out_dir = workdir / "corpus", workdir / "out"
    started = time.perf_counter()
    paths = make_corpus(corpus_dir, megabytes, seed)
    size = sum(p.stat().st_size for p in paths)
    print(
        f"corpus: {len(paths)} issues, {size / MIB:.2f} MiB UTF-8 "
        f"(generated in {time.perf_counter() - started:.1f} s, seed {seed})"
    )
    texts = [p.read_text(encoding="utf-8") for p in paths]

    build_row, triples, counts, sizes = measure_build(paths, corpus_dir, out_dir, None, repeat)
    serial_row, *_ = measure_build(paths, corpus_dir, out_dir, 1, repeat)
    posseg_row = timed("jieba.posseg (baseline)", texts, jieba_posseg(), repeat)
    rjieba_row = timed("rjieba.Jieba().tag", texts, rjieba_tag(), repeat)

    print(f"build: {triples:,} triples; " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    print("outputs: " + ", ".join(f"{name} {n / MIB:.2f} MiB" for name, n in sizes.items()))
    print()
    print(table([build_row, serial_row, posseg_row, rjieba_row], posseg_row))
    print()
    ratio = build_row.rate / posseg_row.rate
    print(f"pipeline / jieba.posseg = {ratio:.2f}× (target ≥ 2×: {'met' if ratio >= 2 else 'NOT met'})")
    print(f"each figure is the best of {repeat} run(s); peak RSS is cumulative over the run, measured")
    print("after each pass in the order shown")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=5.0, help="MiB of UTF-8 text to generate (default 5)")
    parser.add_argument("--workdir", type=Path, help="keep corpus and outputs here instead of a temp dir")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--repeat", type=int, default=2, help="runs per pass; the best counts (default 2)")
    args = parser.parse_args(argv)
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        return run(args.mb, args.workdir, args.seed, args.repeat)
    with tempfile.TemporaryDirectory(prefix="newsgraph-bench-") as tmp:
        return run(args.mb, Path(tmp), args.seed, args.repeat)


if __name__ == "__main__":
    raise SystemExit(main())
