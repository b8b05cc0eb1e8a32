"""The code of an earlier commit, checked out beside the working tree, for benchmarks that measure a
change against what came before it in the same run."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PRELUDE = """
import sys
# an editable install's finder would import the working tree's graph before PYTHONPATH's
sys.meta_path = [f for f in sys.meta_path if "editable" not in type(f).__module__.lower()]
import graph
assert graph.__file__.startswith(sys.argv[-1]), graph.__file__
"""
"""Starts a `python -c` script run with PYTHONPATH=TREE and TREE as its last argument: `graph` is then
the baseline's."""


@contextmanager
def baseline_checkout(rev: str) -> Iterator[Path]:
    """A worktree of `rev`, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="newsgraph-baseline-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev],
            check=True,
            capture_output=True,
        )
        try:
            yield tree
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                check=True,
                capture_output=True,
            )
