"""The package's structure: no module imports one that imports it back, and every output is written
through the one atomic writer."""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

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


NODE = shutil.which("node")
OWN_SCRIPTS = sorted(p for p in PACKAGE.rglob("*.js") if not p.name.endswith(".min.js"))
"""The pages' scripts we write (templates inlined into pages, static files served); not vendored builds."""


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed (apt-get install nodejs)")
@pytest.mark.parametrize("script", OWN_SCRIPTS, ids=lambda p: p.name)
def test_page_scripts_parse_as_strict_javascript(script: Path, tmp_path: Path) -> None:
    assert '"use strict";' in script.read_text(encoding="utf-8")[:2000]
    # the scripts run in pages as they stand; Node parses them so
    copy = tmp_path / f"{script.stem}.cjs"
    copy.write_text(script.read_text(encoding="utf-8"), encoding="utf-8")
    run = subprocess.run([NODE, "--check", str(copy)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


ESLINT = PACKAGE.parent / "node_modules" / ".bin" / "eslint"


@pytest.mark.skipif(NODE is None or not ESLINT.exists(), reason="no ESLint (npm ci installs it)")
def test_page_scripts_pass_the_linter() -> None:
    assert len(OWN_SCRIPTS) >= 2
    run = subprocess.run(
        [str(ESLINT), *map(str, OWN_SCRIPTS)], capture_output=True, text=True, cwd=PACKAGE.parent
    )
    assert run.returncode == 0, run.stdout + run.stderr
