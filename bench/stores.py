"""rdflib against pyoxigraph on a synthetic newsgraph-shaped graph: load, Turtle, memory, library queries."""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import queue as queue_module
import random
import resource
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.errors import QueryError  # noqa: E402
from graph.rdf.query import bind, library  # noqa: E402
from graph.rdf.store import OxigraphStore, RdflibStore  # noqa: E402

log = logging.getLogger("bench.stores")

ID = "https://w3id.org/newsgraph/id/"
S = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
NG = "https://w3id.org/newsgraph/ontology#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD = "http://www.w3.org/2001/XMLSchema#"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
GIVEN = "慧泉庭恺长春光跃方红为民琼武宁英杰卫安小忠恢清正明伟勇中华文洁芳泽吉瑛荣凯逸峰"
TITLES = [
    "市委书记", "市委副书记", "市长", "副市长", "市委常委",
    "区委书记", "区长", "局长", "副局长", "主任",
]  # fmt: skip
EVENT_TYPES = ["Meeting", "Inspection", "Ceremony", "Broadcast"]
# names the library queries' examples use, so each query has something to find
FIXED_PERSONS = ["曹慧泉", "王庭恺", "胡长春", "陈恢清", "叶昆红"]


def _iri(kind: str, n: int) -> str:
    return f"<{ID}{kind}-{n}>"


def _lit(text: str) -> str:
    return f'"{text}"@zh'


def _date(day: int) -> str:
    year, rest = 2015 + day // 365, day % 365
    return f'"{year}-{1 + rest // 31 % 12:02d}-{1 + rest % 28:02d}"^^<{XSD}date>'


def triples(target: int, seed: int = 7) -> Iterator[str]:
    """N-Triples lines in the build's shape, about `target` of them, the same for the same arguments."""
    rng = random.Random(seed)
    persons = max(200, target // 500)
    orgs, places, projects = max(50, target // 5000), max(100, target // 2000), max(50, target // 4000)
    made = persons - len(FIXED_PERSONS)
    names = FIXED_PERSONS + [rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=2)) for _ in range(made)]
    for i, name in enumerate(names):
        yield f"{_iri('person', i)} {RDF_TYPE} <{S}Person> ."
        yield f"{_iri('person', i)} <{S}name> {_lit(name)} ."
    # places: a province, cities, districts under them, streets under those
    for i in range(places):
        yield f"{_iri('place', i)} {RDF_TYPE} <{S}Place> ."
        name = "株洲市" if i == 1 else f"地方{i}"
        yield f"{_iri('place', i)} <{S}name> {_lit(name)} ."
        if i:
            parent = 0 if i < 10 else (i % 10 if i < 100 else 10 + i % 90)
            yield f"{_iri('place', i)} <{S}containedInPlace> {_iri('place', parent)} ."
    for i in range(orgs):
        yield f"{_iri('org', i)} {RDF_TYPE} <{S}Organization> ."
        yield f"{_iri('org', i)} <{S}name> {_lit('中共株洲市委' if i == 0 else f'机构{i}')} ."
        if i and i % 3 == 0:
            yield f"{_iri('org', i)} <{ORG}subOrganizationOf> {_iri('org', i // 3 - (i // 3) % 3)} ."
    for i in range(projects):
        yield f"{_iri('project', i)} {RDF_TYPE} <{S}Project> ."
        yield f"{_iri('project', i)} <{S}name> {_lit(f'项目{i}')} ."
        yield f"{_iri('project', i)} <{S}location> {_iri('place', rng.randrange(places))} ."
    emitted = 2 * persons + 3 * places + 2 * orgs + 3 * projects
    article = 0
    while emitted < target:
        a, day = _iri("article", article), article // 40
        author = 4 if article % 7 == 0 else rng.randrange(persons)
        mentioned = rng.sample(range(persons), 6)
        lines = [
            f"{a} {RDF_TYPE} <{S}NewsArticle> .",
            f"{a} <{S}headline> {_lit(f'标题{article}')} .",
            f"{a} <{S}datePublished> {_date(day)} .",
            f"{a} <{S}author> {_iri('person', author)} .",
            f"{a} <{S}articleBody> {_lit(f'正文{article}，市委书记曹慧泉主持召开会议。')} .",
            f"{a} <{S}isPartOf> <{ID}newspaper-0> .",
            f'{a} <{NG}sourceFile> "issue-{day}.txt" .',
        ]
        lines += [f"{a} <{S}mentions> {_iri('person', p)} ." for p in mentioned]
        e = _iri("event", article)
        lines += [
            f"{e} {RDF_TYPE} <{S}Event> .",
            f"{e} {RDF_TYPE} <{NG}{EVENT_TYPES[article % 4]}> .",
            f"{e} <{S}name> {_lit(f'会议{article}')} .",
            f"{e} <{S}startDate> {_date(day)} .",
            f"{e} <{S}location> {_iri('place', rng.randrange(places))} .",
            f"{e} <{PROV}wasDerivedFrom> {a} .",
            f"{e} <{NG}chair> {_iri('person', mentioned[0])} .",
        ]
        lines += [f"{e} <{S}attendee> {_iri('person', p)} ." for p in mentioned[:4]]
        for k, p in enumerate(mentioned[:2]):
            m, ev = _iri("membership", 2 * article + k), _iri("evidence", 2 * article + k)
            title = TITLES[(p + article // 500) % len(TITLES)]  # titles change over time, as posts do
            lines += [
                f"{m} {RDF_TYPE} <{ORG}Membership> .",
                f"{m} <{ORG}member> {_iri('person', p)} .",
                f"{m} <{ORG}organization> {_iri('org', p % orgs)} .",
                f"{m} <{NG}title> {_lit(title)} .",
                f"{m} <{PROV}wasDerivedFrom> {a} .",
                f"{m} <{NG}evidence> {ev} .",
                f"{ev} {RDF_TYPE} <{NG}Evidence> .",
                f"{ev} <{OA}exact> {_lit(title)} .",
                f'{ev} <{OA}start> "{k * 10}"^^<{XSD}integer> .',
                f'{ev} <{OA}end> "{k * 10 + 4}"^^<{XSD}integer> .',
                f"{ev} <{OA}hasSource> {a} .",
            ]
        yield from lines
        emitted += len(lines)
        article += 1


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _alarm(signum: int, frame: object) -> None:
    raise TimeoutError


def _measure(
    engine: str, path: str, runs: int, budget: float, timeout: int, queue: multiprocessing.Queue
) -> None:
    """Run in a fresh child process, so each engine's memory is its own."""
    signal.signal(signal.SIGALRM, _alarm)
    before = _rss_mb()
    started = time.perf_counter()
    if engine == "rdflib":
        graph = Graph(bind_namespaces="none")
        graph.parse(path, format="nt")
        store = RdflibStore(graph)
    else:
        oxs = ox.Store()
        oxs.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES)
        store = OxigraphStore(oxs)
    load = time.perf_counter() - started
    rss = _rss_mb() - before
    started = time.perf_counter()
    if engine == "rdflib":
        size = len(graph.serialize(format="turtle"))
    else:
        size = len(oxs.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph()))
    turtle = time.perf_counter() - started
    queue.put(("load", engine, load, rss, turtle, size, len(store)))
    for name, query in library().items():
        bindings = bind(query, {p.name: p.example for p in query.params.values() if p.example})
        times: list[float] = []
        rows: int | None = None
        for _ in range(runs):
            t = time.perf_counter()
            signal.alarm(timeout)  # rdflib evaluates in Python, so the alarm interrupts it
            try:
                rows = len(store.query(query.text, bindings).rows)
            except (TimeoutError, QueryError) as err:
                if not isinstance(err, TimeoutError) and not isinstance(err.__cause__, TimeoutError):
                    raise
                break
            finally:
                signal.alarm(0)
            times.append(time.perf_counter() - t)
            if sum(times) > budget:  # slow queries get fewer runs, so the whole bench ends
                break
        queue.put(("query", engine, name, statistics.median(times) if times else None, len(times), rows))
    queue.put(("done", engine))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="runs per query; the median is reported")
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per query before fewer runs")
    parser.add_argument("--timeout", type=int, default=120, help="seconds before a query is given up")
    parser.add_argument("--engines", nargs="+", default=["rdflib", "oxigraph"])
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.nt"
        t = time.perf_counter()
        with path.open("w", encoding="utf-8") as out:
            count = sum(out.write(line + "\n") > 0 for line in triples(args.triples))
        log.info("generated %d triples in %.1f s", count, time.perf_counter() - t)
        results: dict[str, dict] = {}
        context = multiprocessing.get_context("spawn")
        for engine in args.engines:
            queue: multiprocessing.Queue = context.Queue()
            work = (engine, str(path), args.runs, args.budget, args.timeout, queue)
            child = context.Process(target=_measure, args=work)
            child.start()
            got: dict = {"queries": {}}
            while True:
                try:
                    item = queue.get(timeout=5)
                except queue_module.Empty:
                    if child.is_alive():
                        continue
                    raise SystemExit(f"the {engine} run died (exit status {child.exitcode})") from None
                if item[0] == "done":
                    break
                if item[0] == "load":
                    got.update(load=item[2], rss=item[3], turtle=item[4], size=item[5], triples=item[6])
                    log.info("%s: loaded in %.1f s, Turtle in %.1f s", engine, item[2], item[4])
                else:
                    got["queries"][item[2]] = (item[3], item[4], item[5])
                    log.info("%s: %s %s s", engine, item[2], item[3])
            child.join()
            results[engine] = got
    print(report(results, count))
    return 0


def report(results: dict[str, dict], count: int) -> str:
    r, o = results.get("rdflib"), results.get("oxigraph")
    lines = [f"{count:,} triples; rdflib {__import__('rdflib').__version__}, pyoxigraph {ox.__version__}", ""]
    head = f"{'measure':44} {'rdflib':>10} {'oxigraph':>10} {'ratio':>8}  rows"
    lines += [head, "-" * len(head)]

    def row(label: str, a: float | None, b: float | None, unit: str, rows: str = "") -> None:
        ratio = f"{a / b:7.1f}x" if a and b else "       -"
        fa = f"{a:9.3f}{unit}" if a is not None else f"{'-':>10}"
        fb = f"{b:9.3f}{unit}" if b is not None else f"{'-':>10}"
        lines.append(f"{label:44} {fa} {fb} {ratio}  {rows}".rstrip())

    row("load N-Triples (s)", r and r["load"], o and o["load"], " ")
    row("serialize Turtle (s)", r and r["turtle"], o and o["turtle"], " ")
    row("RSS after load (MB)", r and r["rss"], o and o["rss"], " ")
    names = sorted(set((r or {}).get("queries", {})) | set((o or {}).get("queries", {})))
    timeouts = False
    for name in names:
        a = r["queries"].get(name) if r else None
        b = o["queries"].get(name) if o else None
        counts = [x[2] for x in (a, b) if x and x[2] is not None]
        rows = " vs ".join(str(c) for c in dict.fromkeys(counts))
        runs = "/".join(str(x[1]) for x in (a, b) if x)
        label = f"{name} (s, p50 of {runs})"
        if any(x and x[0] is None for x in (a, b)):
            timeouts = True
            label = f"{name} (s, p50 of {runs}) *"
        row(label, a and a[0], b and b[0], " ", rows)
    if timeouts:
        lines += ["", "* did not finish within the timeout on one engine (shown as -)"]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
