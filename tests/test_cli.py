"""The command line: bad files are reported and skipped, exit codes, atomic outputs, python -m graph."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from graph.cli import main

ARTICLE = "市政府召开常务会议\n\n湘潭日报(全媒体记者/王小明) 12月1日,市长刘建国主持召开市政府常务会议。\n"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "graph", *args], capture_output=True, text=True)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2022-12-01.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "gbk.txt").write_bytes(ARTICLE.replace("12月1日", "12月2日").encode("gbk"))
    return folder


def test_bad_files_are_reported_in_one_line_each_and_the_rest_is_built(inputs: Path, tmp_path: Path) -> None:
    result = run("build", str(inputs), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert any("empty.txt: empty file" in line for line in lines)
    assert any("binary.txt: binary data" in line for line in lines)
    assert "Traceback" not in result.stderr
    assert "built 2 file(s)" in result.stderr
    assert (tmp_path / "out" / "graph.ttl").exists()


def test_strict_fails_when_anything_was_skipped(inputs: Path, tmp_path: Path) -> None:
    assert run("build", str(inputs), "--out", str(tmp_path / "out"), "--strict").returncode == 1


def test_nothing_built_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("build", str(tmp_path / "empty.txt"), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "nothing could be built" in result.stderr
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_date_newspaper_and_city_options(tmp_path: Path) -> None:
    source = tmp_path / "article.txt"
    source.write_text("会议召开\n\n本报讯(记者 王小明)昨日,市委召开会议。\n", encoding="utf-8")
    code = main(
        [
            "build",
            str(source),
            "--out",
            str(tmp_path / "out"),
            "--date",
            "2023-03-02",
            "--newspaper",
            "湘潭日报",
            "--city",
            "湘潭市",
            "-q",
        ]
    )
    assert code == 0
    text = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert '"2023-03-02"^^xsd:date' in text
    assert '"中共湘潭市委"@zh' in text
    assert '"湘潭日报"@zh' in text


def test_bad_date_option_is_a_usage_error(tmp_path: Path) -> None:
    result = run("build", "--date", "yesterday", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "not a date" in result.stderr


def test_outputs_are_replaced_atomically(tmp_path: Path) -> None:
    source = tmp_path / "2022-12-01.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "-q"]) == 0
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["graph.html", "graph.ttl"]


def test_summary_counts_each_type(tmp_path: Path) -> None:
    source = tmp_path / "2022-12-01.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    result = run("build", str(source), "--out", str(tmp_path / "out"))
    assert "1 articles" in result.stderr and "persons" in result.stderr and "events" in result.stderr


def test_parallel_extraction_gives_the_same_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for day in range(1, 5):
        text = ARTICLE.replace("12月1日", f"12月{day}日").replace(
            "王小明", ["王小明", "李红", "赵敏", "刘洋"][day - 1]
        )
        (folder / f"2022-12-0{day}.txt").write_text(text, encoding="utf-8")
    assert main(["build", str(folder), "--out", str(tmp_path / "one"), "--workers", "1", "-q"]) == 0
    assert main(["build", str(folder), "--out", str(tmp_path / "two"), "--workers", "2", "-q"]) == 0
    for name in ("graph.ttl", "graph.html"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_unchanged_issues_come_from_the_cache_and_give_the_same_graph(tmp_path: Path) -> None:
    folder = tmp_path / "archive" / "2022" / "12"
    folder.mkdir(parents=True)
    for day in (1, 2):
        (folder / f"2022-12-0{day}.txt").write_text(
            ARTICLE.replace("12月1日", f"12月{day}日"), encoding="utf-8"
        )
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "archive"), "--out", str(out), "-q"]) == 0
    (folder / "2022-12-03.txt").write_text(ARTICLE.replace("12月1日", "12月3日"), encoding="utf-8")
    result = run("build", str(tmp_path / "archive"), "--out", str(out))
    assert "2 unchanged file(s) from the cache" in result.stderr
    full = tmp_path / "full"
    assert main(["build", str(tmp_path / "archive"), "--out", str(full), "--no-cache", "-q"]) == 0
    assert (out / "graph.ttl").read_bytes() == (full / "graph.ttl").read_bytes()


def test_upgrading_a_library_that_shapes_extraction_invalidates_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph import cache
    from graph.api import build

    source = tmp_path / "in" / "2022-12-01.txt"
    source.parent.mkdir()
    source.write_text(ARTICLE, encoding="utf-8")
    assert build([source.parent], tmp_path / "out", workers=1).files_cached == 0
    assert build([source.parent], tmp_path / "out", workers=1).files_cached == 1
    installed = cache.metadata.version
    monkeypatch.setattr(
        cache.metadata, "version", lambda name: "99.0" if name == "jieba" else installed(name)
    )
    cache.code_fingerprint.cache_clear()
    try:
        assert build([source.parent], tmp_path / "out", workers=1).files_cached == 0
    finally:
        cache.code_fingerprint.cache_clear()


def test_build_writes_an_oxigraph_store_that_queries_answer(tmp_path: Path) -> None:
    source = tmp_path / "2022-12-01.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    store = tmp_path / "store"
    assert (
        main(["build", str(source), "--out", str(tmp_path / "out"), "--store", f"oxigraph:{store}", "-q"])
        == 0
    )
    result = run("query", "chaired-meetings", "--graph", f"oxigraph:{store}", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert "刘建国" in result.stdout and "市政府常务会议" in result.stdout


def test_a_store_spec_other_than_oxigraph_is_a_one_line_error(tmp_path: Path) -> None:
    source = tmp_path / "2022-12-01.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    result = run("build", str(source), "--out", str(tmp_path / "out"), "--store", "sqlite:x")
    assert (
        result.returncode == 1
        and "expected oxigraph:DIR" in result.stderr
        and "Traceback" not in result.stderr
    )


def test_a_full_disk_is_a_one_line_error_and_keeps_the_previous_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno
    import os

    source = tmp_path / "2022-12-01.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--workers", "1", "-q"]) == 0
    before = (out / "graph.ttl").read_bytes()

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    source.write_text(ARTICLE.replace("12月1日", "12月2日"), encoding="utf-8")
    assert main(["build", str(source), "--out", str(out), "--workers", "1", "-q"]) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "previous file is intact" in err and "Traceback" not in err
    assert (out / "graph.ttl").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_progress_bar_goes_to_stderr_only_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from graph.api import build

    folder = tmp_path / "in"
    folder.mkdir()
    for day in (1, 2, 3):
        (folder / f"2022-12-0{day}.txt").write_text(ARTICLE, encoding="utf-8")
    build([folder], tmp_path / "quiet", workers=1)
    assert "extracting" not in capsys.readouterr().err
    build([folder], tmp_path / "shown", workers=1, progress=True)
    assert "extracting" in capsys.readouterr().err
