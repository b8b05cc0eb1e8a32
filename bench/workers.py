"""Extraction on all cores against one: the same streamed build of a synthetic archive, alternated."""

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
    args = parser.parse_args(argv)
    cores = default_workers()
    with tempfile.TemporaryDirectory(prefix="newsgraph-workers-") as tmp:
        archive = Path(tmp) / "archive"
        generate(args.issues, archive, seed=0, cities=3)
        best: dict[int, float] = {}
        for _ in range(args.repeat):
            for workers in (cores, 1):
                out = Path(tmp) / f"out-{workers}"
                result = build([archive], out, cache=False, workers=workers, write_html=False, stream=True)
                seconds = result.stages["extract"]
                best[workers] = min(seconds, best.get(workers, seconds))
                print(f"workers {workers}: extract {seconds:.2f} s", flush=True)
    print(f"extraction speed-up on {cores} cores: {best[1] / best[cores]:.2f}x (best of {args.repeat} each)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
