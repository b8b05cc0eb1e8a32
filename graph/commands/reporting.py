"""Subcommands for reporting: thin wrappers over the library."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_GRAPH = Path("exports/graph.ttl")


def _types(value: str) -> tuple[str, ...]:
    from graph.render.view import NODE_TYPES

    names = tuple(sorted({v.strip().lower() for v in value.split(",") if v.strip()}))
    unknown = [n for n in names if n not in NODE_TYPES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown type(s) {', '.join(unknown)}; use {','.join(NODE_TYPES)}")
    return names


def _day(value: str) -> str:
    from graph.nlp.dates import parse_date

    parsed = parse_date(value)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (use YYYY-MM-DD)")
    return parsed.isoformat()


def register(commands: argparse._SubParsersAction) -> None:
    """Add this module's subcommands to the `newsgraph` parser."""
    render = commands.add_parser(
        "render",
        help="write the offline network page of a graph (optionally a filtered or focused part of it)",
        description="Write one self-contained HTML page of a Turtle graph. The page needs no network.",
    )
    render.add_argument(
        "graph",
        nargs="*",
        help=f"Turtle file(s), or one oxigraph:DIR read from the focus outwards (default: {DEFAULT_GRAPH})",
    )
    render.add_argument(
        "-o", "--out", help="page to write (default: graph.html next to the first graph, or <focus>.html)"
    )
    render.add_argument("--title", default="newsgraph", help="page title (default: newsgraph)")
    render.add_argument("--focus", help="show this node (name, part of it, or pinyin) and its neighbours")
    render.add_argument("--hops", type=int, default=2, help="with --focus: links to follow (default: 2)")
    render.add_argument("--types", type=_types, help="comma-separated node types to keep, e.g. person,event")
    render.add_argument("--since", type=_day, help="keep events and articles from this day on (YYYY-MM-DD)")
    render.add_argument("--until", type=_day, help="keep events and articles up to this day (YYYY-MM-DD)")
    render.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    render.set_defaults(run=run_render)


def default_out(graph: Path, focus: str | None) -> Path:
    """graph.html beside the graph; a focused page is named after its focus so it does not replace it."""
    if focus:
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in focus.strip())
        return graph.with_name(f"{safe or 'focus'}.html")
    return graph.with_name("graph.html")


def run_render(args: argparse.Namespace) -> int:
    from graph.atomic import write_atomic
    from graph.rdf.query import default_graph
    from graph.rdf.store import OXIGRAPH_PREFIX, open_oxigraph
    from graph.render.page import PageOptions, render_page
    from graph.render.store_view import render_store_page
    from graph.result import load_graph

    options = PageOptions(
        focus=args.focus or "",
        hops=args.hops,
        types=args.types or (),
        since=args.since or "",
        until=args.until or "",
    )
    graphs = args.graph or [default_graph() if args.focus else str(DEFAULT_GRAPH)]
    paths = [Path(p) for p in graphs]
    store = graphs[0].removeprefix(OXIGRAPH_PREFIX) if graphs[0].startswith(OXIGRAPH_PREFIX) else ""
    if store:
        # the store's folder stands for the graph: the page goes beside it
        out = Path(args.out) if args.out else default_out(Path(store.rstrip("/")), args.focus)
        page = render_store_page(open_oxigraph(Path(store)).store, options, title=args.title)
    else:
        out = Path(args.out) if args.out else default_out(paths[0], args.focus)
        page = render_page(load_graph(paths), title=args.title, options=options)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, page)
    if not args.quiet:
        print(f"wrote {out} ({len(page.encode('utf-8')):,} bytes)", file=sys.stderr)
    return 0
