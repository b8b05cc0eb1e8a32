"""Subcommands for careers across issues: `newsgraph person NAME`."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:
    """Add this module's subcommands to the `newsgraph` parser."""
    person = commands.add_parser(
        "person", help="a person's posts, attested spans, events, changes and conflicts"
    )
    person.add_argument("name", help="the person's name, e.g. 张国华")
    person.add_argument("--graph", nargs="+", default=["exports/graph.ttl"], help="Turtle files of a build")
    person.set_defaults(run=run_person)


def run_person(args: argparse.Namespace) -> int:
    from graph.careers import careers, format_career
    from graph.result import load_graph

    graph = load_graph([Path(p) for p in args.graph])
    print("\n\n".join(format_career(c) for c in careers(graph, args.name)))
    return 0
