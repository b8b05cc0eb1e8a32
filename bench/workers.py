"""All cores against one on the same synthetic archive, alternated: the streamed build's extraction
stage, or with `--whole` the whole in-memory build (graph.ttl and graph.html), whose outputs must be
byte-identical."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate

from graph.api import build, default_workers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--issues", type=int, default=365, help="synthetic issues (default 365)")
    parser.add_argument("--repeat", type=int, default=2, help="builds per setting (default 2)")
    parser.add_argument("--whole", action="store_true", help="time the whole in-memory build")
    args = parser.parse_args(argv)
    cores = default_workers()
    with tempfile.TemporaryDirectory(prefix="newsgraph-workers-") as tmp:
        archive = Path(tmp) / "archive"
        generate(args.issues, archive, seed=0, cities=3)
        best: dict[int, float] = {}
        for _ in range(args.repeat):
            for workers in (cores, 1):
                out = Path(tmp) / f"out-{workers}"
                result = build(
                    [archive], out, cache=False, workers=workers, write_html=args.whole, stream=not args.whole
                )
                seconds = result.seconds if args.whole else result.stages["extract"]
                best[workers] = min(seconds, best.get(workers, seconds))
                stages = ", ".join(f"{k} {v:.2f}" for k, v in result.stages.items())
                print(f"workers {workers}: {seconds:.2f} s ({stages})", flush=True)
        what = "whole-build" if args.whole else "extraction"
        print(f"{what} speed-up on {cores} cores: {best[1] / best[cores]:.2f}x (best of {args.repeat} each)")
        if args.whole:
            same = all(
                (Path(tmp) / f"out-{cores}" / name).read_bytes() == (Path(tmp) / "out-1" / name).read_bytes()
                for name in ("graph.ttl", "graph.html")
            )
            print("outputs byte-identical:", same)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
