"""The `newsgraph` command line: a thin layer over graph.api."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from graph import __version__
from graph.errors import NewsgraphError
from graph.nlp.dates import parse_date
from graph.nlp.pipeline import Options
from graph.nlp.segment import Backend
from graph.rdf.vocab import ID_BASE

log = logging.getLogger("newsgraph")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

# Each module adds its subcommands with `register(commands)`; each command is a thin call into the library.
COMMAND_MODULES: tuple[str, ...] = (
    "graph.commands.validation",  # validate, export
    "graph.commands.research",  # query
    "graph.commands.serving",  # serve
    "graph.commands.reporting",  # render
    "graph.commands.careers",  # person
    "graph.commands.scale",  # push
)


def _date(value: str):
    parsed = parse_date(value)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (use YYYY-MM-DD)")
    return parsed


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="newsgraph", description="Chinese local newspapers to a knowledge graph."
    )
    top.add_argument("--version", action="version", version=f"newsgraph {__version__}")
    commands = top.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build graph.ttl and graph.html from newspaper issues")
    build.add_argument(
        "inputs", nargs="*", default=["seeds"], help="issue files or directories (default: seeds/)"
    )
    build.add_argument("--out", default="exports", help="output directory (default: exports/)")
    build.add_argument("--date", type=_date, help="publication date of every input, YYYY-MM-DD")
    build.add_argument("--newspaper", help="newspaper name when the text does not give it")
    build.add_argument("--city", help="home city that 市/我市 refer to, e.g. 株洲市")
    build.add_argument("--base", default=ID_BASE, help=f"base IRI of minted resources (default: {ID_BASE})")
    build.add_argument("--max-bytes", type=int, default=50_000_000, help="skip input files larger than this")
    build.add_argument("--segmenter", choices=[b.value for b in Backend], default=Backend.RJIEBA.value)
    build.add_argument("--workers", type=int, help="extraction processes (default: all cores)")
    build.add_argument(
        "--store",
        metavar="oxigraph:DIR",
        help="build through this persistent Oxigraph store (inputs over 12 MiB use OUT/store by themselves)",
    )
    build.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="extract on a Dask cluster; issues also go to OUT/shards/*.nq",
    )
    build.add_argument("--no-cache", action="store_true", help="extract every file again (ignore OUT/.cache)")
    build.add_argument("--strict", action="store_true", help="exit non-zero if any input file was skipped")
    build.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    build.set_defaults(run=run_build)
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(commands)
    return top


def run_build(args: argparse.Namespace) -> int:
    from graph.api import build

    options = Options(
        date=args.date, newspaper=args.newspaper, city=args.city, backend=Backend(args.segmenter)
    )
    result = build(
        args.inputs,
        Path(args.out),
        options,
        base=args.base,
        max_bytes=args.max_bytes,
        workers=args.workers,
        cache=not args.no_cache,
        store=args.store,
        progress=not args.quiet and sys.stderr.isatty(),
        scheduler=args.scheduler,
    )
    for problem in result.problems:
        print(f"newsgraph: skipped {problem}", file=sys.stderr)
    if not args.quiet:
        print(result.summary(), file=sys.stderr)
        for path in result.outputs:
            print(f"  wrote {path}", file=sys.stderr)
    if result.files_built == 0:
        print("newsgraph: nothing could be built", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_FAILED if args.strict and result.problems else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="newsgraph: %(message)s")
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except NewsgraphError as err:
        print(f"newsgraph: {err}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("newsgraph: interrupted; previous outputs are intact", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
