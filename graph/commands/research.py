"""Subcommands for research: thin wrappers over the library."""

from __future__ import annotations

import argparse

from graph.rdf.query import (
    DEFAULT_ENGINE,
    DEFAULT_GRAPH,
    DEFAULT_STORE,
    Format,
    default_graph,
    library,
    parse_params,
    render,
    run,
)
from graph.rdf.store import Engine


def register(commands: argparse._SubParsersAction) -> None:
    """Add this module's subcommands to the `newsgraph` parser."""
    query = commands.add_parser(
        "query",
        help="run SPARQL or a library query on a built graph",
        description="Run SPARQL, a .rq file or a library query (see --list) on graph files or a store.",
    )
    query.add_argument("query", nargs="?", help="SPARQL text or a library query name, e.g. chaired-meetings")
    query.add_argument("-f", "--file", help="read the query from a .rq file")
    query.add_argument(
        "--graph",
        action="extend",
        nargs="+",
        metavar="PATH",
        help=f"RDF files (.ttl .nt .nq .trig .jsonld) or oxigraph:DIR (default: oxigraph:{DEFAULT_STORE} "
        f"if an archive build made it, else {DEFAULT_GRAPH})",
    )
    query.add_argument("--format", choices=[f.value for f in Format], help="default: table, or turtle")
    query.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="bind ?NAME, e.g. name=张国华"
    )
    query.add_argument("--engine", choices=[e.value for e in Engine], default=DEFAULT_ENGINE.value)
    query.add_argument("--list", action="store_true", help="list the library queries and their questions")
    query.set_defaults(run=run_query)


def run_query(args: argparse.Namespace) -> int:
    if args.list:
        for name, item in library().items():
            print(f"{name:28} {item.question}")
        return 0
    graphs = args.graph or [default_graph()]
    result = run(args.query, args.file, graphs, parse_params(args.param), Engine(args.engine))
    print(render(result, args.format), end="")
    return 0
