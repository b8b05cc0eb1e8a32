"""Incremental rebuild: one changed issue in a large archive, against a full rebuild, in one run."""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate


def timed_build(archive: Path, out: Path, cache: bool) -> tuple[float, str]:
    from graph.api import build

    started = time.perf_counter()
    result = build([archive], out, cache=cache)
    return time.perf_counter() - started, result.summary()


def run(issues: int, workdir: Path) -> None:
    archive, out, full = workdir / "archive", workdir / "out", workdir / "full"
    paths = generate(issues, archive, seed=0, cities=3)
    print(f"archive: {len(paths)} issues, {sum(p.stat().st_size for p in paths) / (1 << 20):.1f} MiB")
    first, _ = timed_build(archive, out, cache=True)
    print(f"first build (fills the cache): {first:.1f} s")
    # change one issue: a correction printed in it
    changed = paths[len(paths) // 2]
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n更正\n\n本报讯(记者 王林)本报昨日报道有误,特此更正。\n",
        encoding="utf-8",
    )
    incremental, summary = timed_build(archive, out, cache=True)
    rebuilt, full_summary = timed_build(archive, full, cache=False)
    same = (out / "graph.ttl").read_bytes() == (full / "graph.ttl").read_bytes()
    print(f"incremental rebuild after changing {changed.name}: {incremental:.1f} s  [{summary}]")
    print(f"full rebuild without the cache, same run:         {rebuilt:.1f} s  [{full_summary}]")
    print(f"speed-up {rebuilt / incremental:.2f}x; graphs byte-identical: {same}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--issues", type=int, default=1000, help="archive size (default 1000)")
    parser.add_argument("--workdir", type=Path, help="keep the archive and outputs here")
    args = parser.parse_args(argv)
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        run(args.issues, args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="newsgraph-incremental-") as tmp:
            run(args.issues, Path(tmp))
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
