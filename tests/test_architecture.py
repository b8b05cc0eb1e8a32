"""The package's structure: no module imports one that imports it back, and every output is written
through the one atomic writer."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "graph"


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def import_graph() -> nx.DiGraph:
    """Module → module it imports, at the top or inside a function."""
    known = modules()
    graph = nx.DiGraph()
    for name, path in known.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            graph.add_edges_from((name, t) for t in targets if t in known and t != name)
    return graph


def test_the_import_graph_has_no_cycle() -> None:
    graph = import_graph()
    assert graph.has_edge("graph.api", "graph.archive")  # the scan sees imports
    assert list(nx.simple_cycles(graph)) == []


def test_only_the_atomic_writer_replaces_files() -> None:
    writers = {
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "os.replace(" in path.read_text(encoding="utf-8") or "mkstemp(" in path.read_text(encoding="utf-8")
    }
    assert writers <= {"atomic.py", "archive.py"}, writers
