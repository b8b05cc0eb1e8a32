"""Subcommands for moving a build beyond one machine: `newsgraph push`."""

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


def run_push(args: argparse.Namespace) -> int:
    from graph.push import push

    result = push([Path(p) for p in args.graph], args.endpoint, args.named_graph, args.batch)
    print(
        f"pushed {result.triples:,} triples in {result.batches} batch(es) "
        f"({result.batches - result.sent} already accepted earlier)",
        file=sys.stderr,
    )
    return 0
