"""Subcommands for serving: thin wrappers over the library."""

from __future__ import annotations

import argparse
import sys

DEFAULT_GRAPH = "exports/graph.ttl"


def _positive(kind: type[int] | type[float]):
    def parse(value: str) -> int | float:
        try:
            number = kind(value)
        except ValueError:
            number = 0
        if number <= 0:
            raise argparse.ArgumentTypeError(f"not a positive number: {value!r}")
        return number

    return parse


def register(commands: argparse._SubParsersAction) -> None:
    """Add this module's subcommands to the `newsgraph` parser."""
    serve = commands.add_parser(
        "serve",
        help="serve the graph over a read-only SPARQL endpoint",
        description="Serve RDF files (or a persistent store) at /sparql (SPARQL 1.1 Protocol, read-only), "
        "with a query page at /.",
    )
    serve.add_argument(
        "graphs",
        nargs="*",
        metavar="GRAPH",
        help=f"RDF files to load in memory, or oxigraph:DIR, a persistent store (default: {DEFAULT_GRAPH}, "
        "or exports/store if an archive build made it)",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, loopback)")
    serve.add_argument("--port", type=int, default=7878, help="port (default: 7878; 0 picks a free one)")
    serve.add_argument(
        "--timeout", type=_positive(float), default=10.0, help="seconds a query may run (default: 10)"
    )
    serve.add_argument(
        "--max-results",
        type=_positive(int),
        default=10_000,
        help="most rows or triples a query may return; more is an error (default: 10000)",
    )
    serve.add_argument(
        "--workers",
        type=_positive(int),
        default=None,
        help="query processes started beside the store (default: 8, or twice the cores if more); a "
        "query waits for a free one",
    )
    serve.add_argument("--cors", action="store_true", help="let any web origin read results (CORS: *)")
    serve.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from graph.rdf.query import default_graph
    from graph.server import ServeOptions, serve

    options = ServeOptions(
        graphs=tuple(args.graphs or [default_graph()]),
        host=args.host,
        port=args.port,
        timeout=args.timeout,
        max_results=args.max_results,
        cors=args.cors,
        workers=args.workers,
    )
    try:
        serve(options, announce=lambda line: print(f"newsgraph: {line}", file=sys.stderr, flush=True))
    except KeyboardInterrupt:
        print("newsgraph: stopped", file=sys.stderr)
    return 0
