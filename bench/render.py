"""The network page at archive scale: the page `newsgraph build` writes for the seed and for synthetic
archives of 60, 365 and 3,650 issues, beside the page the same graph got before the reporters' network
(the renderer at `--baseline-rev`), both opened in headless Chromium.

For each page: its size, the time to its first stable render, the nodes drawn, the share of drawn
labels that overlap another (vis-network's own label boxes), and whether searching a person who is not
drawn opens that person's panel and neighbourhood.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from baseline import PRELUDE, baseline_checkout
from corpus import generate

from graph.api import build
from graph.render.browser import CHROMIUM, LAUNCH_ARGS

log = logging.getLogger("bench.render")

ROOT = Path(__file__).resolve().parents[1]
BASELINE_REV = "611a3ae"
"""The last commit before the reporters' network: its renderer drew every node of the graph."""

READY = "window.newsgraph && window.newsgraph.stableAt !== null"

# Label boxes as vis-network drew them; counts the labels that overlap another.
OVERLAP_JS = """() => {
  const net = newsgraph.network, boxes = [];
  Object.values(net.body.nodes).forEach((n) => {
    if (!n.options.label || !n.labelModule || !n.labelModule.size) { return; }
    const s = n.labelModule.size;
    if (!s.width) { return; }
    boxes.push([s.left, s.top, s.left + s.width, s.top + s.height]);
  });
  const hit = boxes.filter((a, i) => boxes.some((b, j) => j !== i &&
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]));
  return [hit.length, boxes.length];
}"""

# A person of the graph whom the default view does not draw (new page) or that the page lacks (old).
UNDRAWN_JS = """() => {
  const d = newsgraph.data;
  if (!d || !d.entities) { return null; }
  const names = {};
  d.entities.forEach((e) => { names[e.label] = (names[e.label] || 0) + 1; });
  const e = d.entities.find((x) => x.type === 'person' && x.x === null && names[x.label] === 1);
  return e ? e.label : null;
}"""


@dataclass
class Row:
    """One page opened."""

    graph: str
    page: str
    megabytes: float
    stable_ms: float
    drawn: int
    labels: int
    overlapping: int
    search: str


def open_page(
    path: Path, person: str | None, timeout_s: float
) -> tuple[float, int, int, int, str, str | None]:
    """Stable render time, nodes drawn, labels and overlaps, the search result for `person` and the
    person a new page leaves undrawn."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=list(LAUNCH_ARGS))
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
            page.goto(path.as_uri(), wait_until="load", timeout=timeout_s * 1000)
            page.wait_for_function(READY, timeout=timeout_s * 1000)
            stable = float(page.evaluate("newsgraph.stableAt"))
            drawn = int(page.evaluate("newsgraph.network.body.nodeIndices.length"))
            overlapping, labels = page.evaluate(OVERLAP_JS)
            undrawn = page.evaluate(UNDRAWN_JS)
            who = person or undrawn
            found = "–"
            if who:
                page.fill("#ng-search", who)
                clock = time.perf_counter()
                page.press("#ng-search", "Enter")
                heading = page.inner_text("#ng-panel h2") if page.query_selector("#ng-panel h2") else ""
                took = (time.perf_counter() - clock) * 1000
                found = f"panel in {took:,.0f} ms" if heading == who else "not found"
        finally:
            browser.close()
    return stable, drawn, int(labels), int(overlapping), found, undrawn


# Runs in the baseline's tree: the page its renderer wrote for the same graph (in memory, or from the
# archive's store for builds that went through one).
BASELINE_PAGE = (
    PRELUDE
    + """
from collections import Counter
from pathlib import Path
out, page = Path(sys.argv[1]), Path(sys.argv[2])
if (out / "store").is_dir():
    import pyoxigraph as ox
    from graph.archive import write_archive_page
    store = ox.Store.read_only(str(out / "store"))
    rows = store.query(
        "SELECT ?o (COUNT(?a) AS ?n) WHERE { ?a <https://schema.org/mentions> ?o } GROUP BY ?o"
    )
    write_archive_page(store, page, Counter({r["o"].value: int(r["n"].value) for r in rows}))
else:
    from rdflib import Graph
    from graph.render.page import render_page
    g = Graph()
    g.parse(out / "graph.ttl")
    page.write_text(render_page(g), encoding="utf-8")
"""
)


def built(name: str, inputs: list[Path], out: Path) -> Path:
    """The build's output folder, built once and kept in the work folder."""
    if not (out / "graph.html").exists():
        clock = time.perf_counter()
        build(inputs, out)
        log.info("%s: built in %.1f s", name, time.perf_counter() - clock)
    return out


def run(issues: list[int], work: Path, rev: str, timeout_s: float) -> list[Row]:
    graphs: list[tuple[str, Path]] = [("seed", built("seed", [ROOT / "seeds"], work / "seed" / "out"))]
    for n in issues:
        corpus = work / f"issues-{n}" / "in"
        if not corpus.exists():
            generate(n, corpus)
        graphs.append((f"{n:,} issues", built(f"{n} issues", [corpus], work / f"issues-{n}" / "out")))
    rows = []
    with baseline_checkout(rev) as tree:
        for name, out in graphs:
            old = out.parent / f"baseline-{rev}.html"
            if not old.exists():
                env = {"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"}
                subprocess.run(
                    [sys.executable, "-c", BASELINE_PAGE, str(out), str(old), str(tree)],
                    check=True,
                    env=env,
                    cwd=tree,
                )
            new = out / "graph.html"
            stable, drawn, labels, overlapping, found, undrawn = open_page(new, None, timeout_s)
            pages = [("now", new, stable, drawn, labels, overlapping, found)]
            pages.insert(0, ("before", old, *open_page(old, undrawn, timeout_s)[:5]))
            for label, path, stable, drawn, labels, overlapping, found in pages:
                rows.append(
                    Row(
                        name,
                        label,
                        path.stat().st_size / (1 << 20),
                        stable,
                        drawn,
                        labels,
                        overlapping,
                        found,
                    )
                )
                log.info("%s %s: stable after %.0f ms, %d drawn", name, label, stable, drawn)
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| graph | page | MiB | stable render ms | nodes drawn | labels drawn | overlapping "
        "| undrawn person searched |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        share = f"{r.overlapping:,} ({r.overlapping / r.labels:.1%})" if r.labels else "0"
        lines.append(
            f"| {r.graph} | {r.page} | {r.megabytes:.1f} | {r.stable_ms:,.0f} | {r.drawn:,} | {r.labels:,} "
            f"| {share} | {r.search} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--issues", default="60,365,3650", help="synthetic archive sizes (default 60,365,3650)"
    )
    parser.add_argument("--work", type=Path, help="keep corpora, builds and pages here (reused when present)")
    parser.add_argument(
        "--baseline-rev", default=BASELINE_REV, help=f"renderer to compare (default {BASELINE_REV})"
    )
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for one page")
    parser.add_argument("--json", action="store_true", help="rows as JSON instead of a table")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    sizes = [int(s) for s in args.issues.split(",") if s]
    if args.work:
        rows = run(sizes, args.work, args.baseline_rev, args.timeout)
    else:
        with tempfile.TemporaryDirectory(prefix="newsgraph-render-") as tmp:
            rows = run(sizes, Path(tmp), args.baseline_rev, args.timeout)
    text = json.dumps([r.__dict__ for r in rows], ensure_ascii=False, indent=1) if args.json else table(rows)
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
