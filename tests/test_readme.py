"""The README's promises: two set-up commands, every command documented, and its examples run."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

from graph.cli import parser

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 3)
    return README[start : end if end > 0 else None]


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def test_every_command_is_in_the_readme() -> None:
    commands = parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    missing = [name for name in commands if f"newsgraph {name}" not in README]
    assert not missing


def test_two_set_up_commands_install_and_run() -> None:
    setup = blocks(section("Set up on a fresh machine"), "sh")
    assert [b.strip() for b in setup] == [
        "pip install . && newsgraph build",
        "pip install -e '.[test]' && ruff check graph tests bench && pytest -q",
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert setup[1].strip() in ci


@pytest.fixture
def workdir(seed_build, tmp_path: Path) -> Iterator[Path]:
    _, out = seed_build
    (tmp_path / "exports").mkdir()
    shutil.copy(out / "graph.ttl", tmp_path / "exports" / "graph.ttl")
    yield tmp_path


def test_researchers_examples_run(workdir: Path) -> None:
    lines = [ln for b in blocks(section("For researchers"), "sh") for ln in b.splitlines() if ln.strip()]
    assert len(lines) >= 8
    for line in lines:
        argv = shlex.split(line)
        assert argv[0] == "newsgraph"
        done = subprocess.run(
            [sys.executable, "-m", "graph", *argv[1:]],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, (line, done.stderr)
        assert done.stdout.strip() or list(workdir.glob("exports/*")), line
    assert (workdir / "exports" / "graph.trig").exists()
    assert (workdir / "exports" / "csv" / "memberships.csv").exists()


def test_researchers_python_example_runs_against_a_live_server(workdir: Path) -> None:
    (code,) = blocks(section("For researchers"), "python")
    server = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--port", "0"],
        cwd=workdir,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        port = None
        for _ in range(50):
            line = server.stderr.readline()
            found = re.search(r"127\.0\.0\.1:(\d+)", line)
            if found:
                port = found.group(1)
                break
        assert port, "the server did not say where it listens"
        code = code.replace("127.0.0.1:7878", f"127.0.0.1:{port}")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert "曹慧泉" in out.stdout and "胡长春" in out.stdout
    finally:
        server.terminate()
        server.wait(timeout=10)
