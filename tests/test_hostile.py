"""Hostile and broken input, and builds that are killed: every file is built or reported, nothing is lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.api import build
from graph.sources import read_source

ISSUE = "市委召开常务会议\n\n湘潭日报(全媒体记者/王小明) {day}日上午,市委书记张国华主持召开市委常委会会议。\n"


def test_ten_thousand_small_files_are_all_built(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(10_000):
        (folder / f"{i:05d}.txt").write_text(
            f"会议召开\n\n本报讯(记者 王小明)12月5日,市委召开第{i}次会议。\n", "utf-8"
        )
    result = build([folder], tmp_path / "out", write_html=False)
    assert result.files_built == 10_000 and not result.problems
    assert result.counts["articles"] == 10_000  # no two files share an article IRI


def test_an_unreadable_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("text", encoding="utf-8")

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(Exception, match=r"locked\.txt: cannot read: Permission denied"):
        read_source(path)


def _archive(folder: Path, issues: int, variant: str) -> None:
    for day in range(1, issues + 1):
        path = folder / "2023" / "03" / f"2023-03-{day:02d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ISSUE.format(day=f"3月{day}") + variant * day, encoding="utf-8")


def _build(folder: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "graph", "build", str(folder), "--out", str(out), "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_a_killed_build_leaves_whole_outputs_and_the_next_build_completes(tmp_path: Path, sig: int) -> None:
    folder, out, clean = tmp_path / "archive", tmp_path / "out", tmp_path / "clean"
    _archive(folder, 20, "")
    assert _build(folder, out).wait(timeout=120) == 0
    before = {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.html")}
    _archive(folder, 20, "\n会议强调,要抓好落实。\n")  # every issue changes, so every output changes
    assert _build(folder, clean).wait(timeout=120) == 0
    after = {name: (clean / name).read_bytes() for name in ("graph.ttl", "graph.html")}
    assert before != after
    rng = random.Random(7)
    for _ in range(4):
        running = _build(folder, out)
        time.sleep(rng.uniform(0.2, 2.5))
        running.send_signal(sig)
        running.wait(timeout=60)
        for name in before:
            assert (out / name).read_bytes() in (before[name], after[name]), name  # never half a file
    assert _build(folder, out).wait(timeout=120) == 0
    for name in after:
        assert (out / name).read_bytes() == after[name]
    assert not list(out.glob(".graph.*.tmp"))


def test_the_workers_of_a_killed_build_end_with_it(tmp_path: Path) -> None:
    psutil = pytest.importorskip("psutil")
    folder = tmp_path / "archive"
    _archive(folder, 28, "\n会议强调,要抓好落实。\n" * 40)
    running = _build(folder, tmp_path / "out")
    build = psutil.Process(running.pid)
    deadline = time.monotonic() + 30
    while len(build.children()) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = build.children(recursive=True)
    if not workers:
        pytest.skip("the build finished before its workers were seen")
    running.kill()
    running.wait(timeout=10)
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive


def test_interrupt_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    _archive(folder, 28, "\n会议强调,要抓好落实。\n" * 40)  # long enough to be still running when interrupted
    running = _build(folder, tmp_path / "out")
    deadline = time.monotonic() + 30
    # interrupt the build itself, not Python's start-up: wait until extraction has begun
    while not (tmp_path / "out" / ".cache").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    running.send_signal(signal.SIGINT)
    _, err = running.communicate(timeout=60)
    if running.returncode == 0:
        pytest.skip("the build finished before the interrupt")
    assert running.returncode == 130
    assert "Traceback" not in err and "interrupted" in err
    assert os.path.isdir(tmp_path / "archive")


TRADITIONAL = (
    "市委常委會召開會議 研究部署經濟工作\n\n"
    "湘潭日報(全媒體記者/劉洋 通訊員/趙敏) 12月1日上午,市委書記張國華主持召開市委常委會會議。"
    "市委副書記、市長劉建國出席會議。\n\n"
    "會議強調,要堅持穩中求進。\n"
)


def test_traditional_text_is_read_in_simplified_and_keeps_its_characters(tmp_path: Path) -> None:
    from rdflib import Literal

    from graph.rdf.validate import validate
    from graph.rdf.vocab import NG, SCHEMA

    source = tmp_path / "2022-12-02.txt"
    source.write_text(TRADITIONAL, encoding="utf-8")
    result = build([source], tmp_path / "out", workers=1)
    graph = result.graph
    names = {str(n) for p in graph.subjects(None, SCHEMA.Person) for n in graph.objects(p, SCHEMA.name)}
    assert {"張國華", "劉建國", "劉洋", "趙敏"} <= names  # recognized through the simplified view
    assert Literal("市委書記", lang="zh") in set(graph.objects(None, NG.title))
    (article,) = graph.subjects(None, SCHEMA.NewsArticle)
    assert str(graph.value(article, SCHEMA.headline)) == "市委常委會召開會議 研究部署經濟工作"
    assert validate([tmp_path / "out" / "graph.ttl"]).conforms  # every quote is a slice of the printed text


def test_simplified_text_is_left_as_it_is() -> None:
    from graph.nlp.script import to_simplified

    seed = Path(__file__).resolve().parents[1] / "seeds" / "000_c41b79c434caad64.txt"
    assert to_simplified(read_source(seed).text) is None


def test_a_page_printed_as_one_endless_line_is_read(tmp_path: Path) -> None:
    from graph.nlp.pipeline import recognize

    line = "市委书记张国华主持召开会议,研究部署经济工作" * 15_000  # 330,000 characters, no full stop
    found = recognize(line, "湘潭")
    assert sum(1 for e in found if e.label == "PER") == 15_000
    source = tmp_path / "2022-12-01.txt"
    source.write_text("标题\n\n" + line + "\n", encoding="utf-8")
    result = build([source], tmp_path / "out", workers=1, write_html=False)
    assert result.files_built == 1 and result.counts["events"] >= 1
