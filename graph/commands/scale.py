"""Subcommands for archives and for moving a build beyond one machine: `newsgraph add` and `push`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:
    """Add this module's subcommands to the `newsgraph` parser."""
    push = commands.add_parser("push", help="load a build into a SPARQL Graph Store Protocol endpoint")
    push.add_argument(
        "graph", nargs="*", default=["exports/graph.ttl"], help="RDF files (default: exports/graph.ttl)"
    )
    push.add_argument(
        "--endpoint", required=True, help="the Graph Store URL, e.g. http://127.0.0.1:7878/store"
    )
    push.add_argument("--named-graph", help="the graph to add to (default: the default graph)")
    push.add_argument("--batch", type=int, default=50_000, help="triples per request (default 50,000)")
    push.set_defaults(run=run_push)

    add = commands.add_parser(
        "add",
        help="add issue files to an archive built with --store, in place",
        description="Extract the issues and update the archive's Oxigraph store and its derived facts "
        "(attested spans, merge reasons) without rebuilding. graph.ttl and graph.html are rewritten "
        "from the store only with --write-outputs.",
    )
    add.add_argument("files", nargs="+", type=Path, help="issue files to add")
    add.add_argument(
        "--store", default="oxigraph:exports/store", help="the archive's store (oxigraph:exports/store)"
    )
    add.add_argument(
        "--write-outputs", action="store_true", help="then rewrite graph.ttl and graph.html beside the store"
    )
    add.add_argument("--max-bytes", type=int, default=50_000_000, help="skip larger files (default 50 MB)")
    add.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    add.set_defaults(run=run_add)


def run_push(args: argparse.Namespace) -> int:
    from graph.push import push

    result = push([Path(p) for p in args.graph], args.endpoint, args.named_graph, args.batch)
    print(
        f"pushed {result.triples:,} triples in {result.batches} batch(es) "
        f"({result.batches - result.sent} already accepted earlier)",
        file=sys.stderr,
    )
    return 0


def run_add(args: argparse.Namespace) -> int:
    from graph.errors import NewsgraphError
    from graph.incremental import add_issues

    kind, _, directory = args.store.partition(":")
    if kind != "oxigraph" or not directory:
        raise NewsgraphError(f"--store {args.store}: expected oxigraph:DIR")
    store = Path(directory)
    result = add_issues(args.files, store, store.parent if args.write_outputs else None, args.max_bytes)
    for problem in result.problems:
        print(f"newsgraph: skipped {problem}", file=sys.stderr)
    if not args.quiet:
        print(f"newsgraph: {result.summary()}", file=sys.stderr)
        if result.added and not args.write_outputs:
            print(
                f"newsgraph: {store.parent}/graph.ttl and graph.html predate the store; "
                "--write-outputs or newsgraph build rewrites them",
                file=sys.stderr,
            )
    return 0 if not result.problems else 1
