"""Time to a stable first render of the network page in headless Chromium, for synthetic graphs of 3 sizes."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, XSD

from graph.rdf.triples import TripleIndex
from graph.rdf.vocab import NG, OA, ORG, SCHEMA
from graph.render.browser import CHROMIUM, LAUNCH_ARGS
from graph.render.html import LAYOUT_THRESHOLD, render_html
from graph.render.view import build_view

log = logging.getLogger("bench.render")

ID = Namespace("https://w3id.org/newsgraph/id/")
# Shares of each type in a year of synthetic news built by bench/throughput.py (3738 articles,
# 1880 events, 1225 projects, 792 persons, 118 places, 44 organizations).
SHARES = (
    ("article", 0.48),
    ("event", 0.24),
    ("project", 0.16),
    ("person", 0.10),
    ("place", 0.015),
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "建国华明伟芳军平红志强丽敏静海燕涛斌慧泉庭恺长春文洁正雪梅晓东亮新民光辉"
TITLES = (
    "市委书记",
    "市长",
    "副市长",
    "市委副书记",
    "主任",
    "局长",
    "副局长",
    "区委书记",
    "区长",
    "党组书记",
)
EVENTS = ("常务会议", "专题会议", "调研", "座谈会", "推进会", "开工仪式", "宣讲报告会", "工作会议")


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def synthesize(nodes: int, seed: int = 0) -> TripleIndex:
    """An RDF graph of about `nodes` entities shaped like a newsgraph build: articles that mention
    entities and carry evidence, events with chairs and attendees, memberships with titles."""
    rnd = random.Random(seed)
    g = TripleIndex()
    counts = {kind: max(1, int(nodes * share)) for kind, share in SHARES}
    counts["organization"] = max(1, nodes - sum(counts.values()))
    start = dt.date(2022, 1, 1)
    persons = [ID[f"person-{i}"] for i in range(counts["person"])]
    orgs = [ID[f"org-{i}"] for i in range(counts["organization"])]
    places = [ID[f"place-{i}"] for i in range(counts["place"])]
    projects = [ID[f"project-{i}"] for i in range(counts["project"])]
    events = [ID[f"event-{i}"] for i in range(counts["event"])]
    articles = [ID[f"article-{i}"] for i in range(counts["article"])]
    names: dict[URIRef, str] = {}
    for i, p in enumerate(persons):
        names[p] = (
            SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)] + GIVEN[(i * 13 + 5) % len(GIVEN)]
        )
        g.add((p, RDF.type, SCHEMA.Person))
        g.add((p, SCHEMA.name, _zh(names[p])))
    for kind, items, rdf_type in (
        ("机构", orgs, SCHEMA.Organization),
        ("地点", places, SCHEMA.Place),
        ("项目", projects, SCHEMA.Project),
    ):
        for i, item in enumerate(items):
            names[item] = f"株洲{kind}{i}"
            g.add((item, RDF.type, rdf_type))
            g.add((item, SCHEMA.name, _zh(names[item])))
    for i, place in enumerate(places[1:], 1):
        g.add((place, SCHEMA.containedInPlace, places[rnd.randrange(i)]))
    for i, project in enumerate(projects):
        g.add((project, SCHEMA.location, places[i % len(places)]))

    def evidence(article: URIRef, quote: str, key: str) -> URIRef:
        ev = ID[f"evidence-{key}"]
        g.add((ev, RDF.type, NG.Evidence))
        g.add((ev, OA.hasSource, article))
        g.add((ev, OA.exact, Literal(quote)))
        g.add((ev, OA.start, Literal(0)))
        g.add((ev, OA.end, Literal(len(quote))))
        return ev

    for i, a in enumerate(articles):
        day = start + dt.timedelta(days=i * 365 // len(articles))
        g.add((a, RDF.type, SCHEMA.NewsArticle))
        g.add(
            (
                a,
                SCHEMA.headline,
                _zh(f"{names[persons[i % len(persons)]]}出席{EVENTS[i % len(EVENTS)]} 第{i}期"),
            )
        )
        g.add((a, SCHEMA.datePublished, Literal(day.isoformat(), datatype=XSD.date)))
        g.add((a, SCHEMA.author, persons[rnd.randrange(len(persons))]))
        for target in [*rnd.sample(persons, min(3, len(persons))), rnd.choice(orgs), rnd.choice(places)]:
            g.add((a, SCHEMA.mentions, target))
        g.add((a, SCHEMA.mentions, projects[i % len(projects)]))
    for i, e in enumerate(events):
        article = articles[i * len(articles) // len(events)]
        day = start + dt.timedelta(days=i * 365 // len(events))
        chair = persons[rnd.randrange(len(persons))]
        name = f"{names[orgs[i % len(orgs)]]}{EVENTS[i % len(EVENTS)]}"
        g.add((e, RDF.type, SCHEMA.Event))
        g.add((e, RDF.type, NG.Meeting))
        g.add((e, SCHEMA.name, _zh(name)))
        g.add((e, SCHEMA.startDate, Literal(day.isoformat(), datatype=XSD.date)))
        g.add((e, NG.chair, chair))
        g.add((e, SCHEMA.attendee, chair))
        for who in rnd.sample(persons, min(4, len(persons))):
            g.add((e, SCHEMA.attendee, who))
        g.add((e, SCHEMA.location, places[i % len(places)]))
        g.add((e, PROV.wasDerivedFrom, article))
        g.add((e, NG.evidence, evidence(article, f"{names[chair]}主持召开{name}", f"e{i}")))
        g.add((article, SCHEMA.mentions, e))
    for i, p in enumerate(persons):
        for j in range(1 + i % 2):
            m = ID[f"membership-{i}-{j}"]
            org, title = orgs[(i + j * 3) % len(orgs)], TITLES[(i + j) % len(TITLES)]
            article = articles[(i * 5 + j) % len(articles)]
            g.add((m, RDF.type, ORG.Membership))
            g.add((m, ORG.member, p))
            g.add((m, ORG.organization, org))
            g.add((m, NG.title, _zh(title)))
            g.add((m, PROV.wasDerivedFrom, article))
            g.add((m, NG.evidence, evidence(article, f"{title}{names[p]}", f"m{i}-{j}")))
    return g


@dataclass
class Row:
    """One page measured."""

    nodes: int
    edges: int
    megabytes: float
    view_s: float
    html_s: float
    physics: bool
    first_draw_ms: float
    stable_ms: float
    blocked: int


def measure(page_path: Path, timeout_s: float) -> tuple[float, float, int]:
    """Navigation start to first draw and to the stable first render (the page's `stableAt`: the
    draw after stabilization, or the first draw when physics is off), with every non-file request
    blocked and counted."""
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []

    def block(route) -> None:  # type: ignore[no-untyped-def]
        blocked.append(route.request.url)
        route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=list(LAUNCH_ARGS))
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route(lambda url: not url.startswith("file:"), block)
            page.goto(page_path.as_uri(), wait_until="load", timeout=timeout_s * 1000)
            page.wait_for_function(
                "window.newsgraph && window.newsgraph.stableAt !== null", timeout=timeout_s * 1000
            )
            first, stable = page.evaluate("[window.newsgraph.firstDrawAt, window.newsgraph.stableAt]")
        finally:
            browser.close()
    return float(first), float(stable), len(blocked)


def run(sizes: list[int], repeat: int, timeout_s: float) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="newsgraph-render-") as tmp:
        for size in sizes:
            triples = synthesize(size)
            clock = time.perf_counter()
            view = build_view(triples)
            view_s = time.perf_counter() - clock
            clock = time.perf_counter()
            page = render_html(view, title=f"bench {size}")
            html_s = time.perf_counter() - clock
            path = Path(tmp) / f"page-{size}.html"
            path.write_text(page, encoding="utf-8")
            best: tuple[float, float, int] | None = None
            for _ in range(repeat):
                got = measure(path, timeout_s)
                best = got if best is None or got[1] < best[1] else best
            assert best is not None
            rows.append(
                Row(
                    nodes=len(view.nodes),
                    edges=len(view.edges),
                    megabytes=len(page.encode("utf-8")) / (1 << 20),
                    view_s=view_s,
                    html_s=html_s,
                    physics=len(view.nodes) <= LAYOUT_THRESHOLD,
                    first_draw_ms=best[0],
                    stable_ms=best[1],
                    blocked=best[2],
                )
            )
            log.info("%d nodes: stable after %.0f ms", len(view.nodes), best[1])
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| nodes | edges | page MiB | build_view s | render_html s | layout | first draw ms | stable ms "
        "| blocked requests |",
        "|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for r in rows:
        layout = "physics, frozen when stable" if r.physics else "precomputed, physics off"
        lines.append(
            f"| {r.nodes:,} | {r.edges:,} | {r.megabytes:.1f} | {r.view_s:.2f} | {r.html_s:.2f} | {layout} "
            f"| {r.first_draw_ms:,.0f} | {r.stable_ms:,.0f} | {r.blocked} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="500,2000,10000", help="node counts (default: 500,2000,10000)")
    parser.add_argument("--repeat", type=int, default=2, help="page loads per size; the best counts")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for one page")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    rows = run([int(s) for s in args.sizes.split(",")], args.repeat, args.timeout)
    sys.stdout.write(table(rows) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
