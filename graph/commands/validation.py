"""Subcommands for validation and export: thin wrappers over graph.rdf.validate and graph.rdf.export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph.errors import NewsgraphError
from graph.rdf.export import DEFAULT_INPUT, FORMATS, export
from graph.rdf.validate import validate

# pySHACL's exit codes: conforms, does not conform, could not validate.
EXIT_CONFORMS, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2


def register(commands: argparse._SubParsersAction) -> None:
    """Add this module's subcommands to the `newsgraph` parser."""
    check = commands.add_parser(
        "validate",
        help="check graphs against the newsgraph SHACL shapes (exit 0 conforms, 1 violations, 2 error)",
    )
    check.add_argument("graphs", nargs="*", metavar="GRAPH", help=f"RDF files (default: {DEFAULT_INPUT})")
    check.add_argument(
        "--shapes", type=Path, help="SHACL shapes file (default: the shipped ontology/shapes.ttl)"
    )
    check.set_defaults(run=run_validate)

    out = commands.add_parser("export", help="export graphs as RDF, GraphML/GEXF for Gephi, or CSV tables")
    out.add_argument("graphs", nargs="*", metavar="GRAPH", help=f"RDF files (default: {DEFAULT_INPUT})")
    out.add_argument("--format", "-f", choices=FORMATS, required=True, help="output format")
    out.add_argument(
        "-o", "--out", type=Path, help="output file, or directory for csv (default: exports/graph.FORMAT)"
    )
    out.set_defaults(run=run_export)


def run_validate(args: argparse.Namespace) -> int:
    try:
        report = validate(args.graphs or [DEFAULT_INPUT], shapes=args.shapes)
    except NewsgraphError as err:
        print(f"newsgraph: {' '.join(str(err).split())}", file=sys.stderr)
        return EXIT_ERROR
    for line in report.lines():
        print(line)
    verdict = "conforms" if report.conforms else f"does not conform: {len(report.violations)} result(s)"
    print(f"newsgraph: {report.triples} triples {verdict} ({report.seconds:.2f} s)", file=sys.stderr)
    return EXIT_CONFORMS if report.conforms else EXIT_VIOLATIONS


def run_export(args: argparse.Namespace) -> int:
    result = export(args.graphs or [DEFAULT_INPUT], args.format, args.out)
    print(f"newsgraph: wrote {result.triples} triples as {result.format} to {result.out}", file=sys.stderr)
    return 0
