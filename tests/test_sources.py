"""Tests for graph.sources: file discovery, decoding, normalization and date detection."""

from __future__ import annotations

import codecs
import datetime as dt
import os
from pathlib import Path

import pytest

from graph.errors import SourceError
from graph.sources import (
    date_from_filename,
    date_from_metadata,
    iter_input_files,
    normalize_text,
    read_source,
)

CHINESE = "本报讯 市政府召开常务会议，研究部署近期重点工作。\n会议指出，要扎实推进城市更新。\n"


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --- decoding ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (CHINESE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + CHINESE.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + CHINESE.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + CHINESE.encode("utf-16-be"), "utf-16-be"),
        (CHINESE.encode("gb18030"), "gb18030"),
        (CHINESE.encode("gbk"), "gb18030"),
        (CHINESE.encode("utf-16-le"), "utf-16-le"),
        (CHINESE.encode("utf-16-be"), "utf-16-be"),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16le-bom",
        "utf16be-bom",
        "gb18030",
        "gbk",
        "utf16le-nobom",
        "utf16be-nobom",
    ],
)
def test_read_source_round_trips_encodings(tmp_path: Path, data: bytes, encoding: str) -> None:
    source = read_source(_write(tmp_path / "2022-12-07.txt", data))
    assert source.text == normalize_text(CHINESE)
    assert source.encoding == encoding
    assert source.name_date == dt.date(2022, 12, 7)
    assert source.path == str(tmp_path / "2022-12-07.txt")


def test_read_source_normalizes_crlf_and_full_width(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.txt", "第１版\r\n会议（一）\r结束\u200b".encode())
    assert read_source(path).text == "第1版\n会议(一)\n结束"


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", codecs.BOM_UTF8 + b"  \n"])
def test_read_source_empty(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(SourceError, match="empty file") as info:
        read_source(_write(tmp_path / "e.txt", data))
    assert info.value.reason == "empty file"
    assert info.value.path == str(tmp_path / "e.txt")


def test_read_source_binary_with_nul_bytes(tmp_path: Path) -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(SourceError) as info:
        read_source(_write(tmp_path / "image.txt", data))
    assert info.value.reason == "binary data, not text"


def test_read_source_binary_by_control_characters(tmp_path: Path) -> None:
    data = bytes([1, 2, 3, 4, 5, 6, 7, 0x0E, 0x0F, 0x10]) * 20 + b"abc"
    with pytest.raises(SourceError, match="binary data, not text"):
        read_source(_write(tmp_path / "ctl.txt", data))


def test_read_source_too_large(tmp_path: Path) -> None:
    path = _write(tmp_path / "big.txt", b"x" * 101)
    with pytest.raises(SourceError) as info:
        read_source(path, max_bytes=100)
    assert info.value.reason == "too large: 101 bytes > limit 100; raise --max-bytes"
    assert read_source(path, max_bytes=101).text == "x" * 101


def test_read_source_unreadable(tmp_path: Path) -> None:
    path = _write(tmp_path / "secret.txt", b"text")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running with privileges that can read mode-000 files")
        with pytest.raises(SourceError) as info:
            read_source(path)
        assert info.value.reason.startswith("cannot read: ")
    finally:
        path.chmod(0o644)


def test_read_source_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read: No such file"):
        read_source(tmp_path / "nope.txt")


def test_read_source_undecodable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import graph.sources as sources

    # Invalid as UTF-8 and GB18030; with no fallback guess it must be reported, not mangled.
    monkeypatch.setattr(sources, "_charset_guess", lambda data: None)
    with pytest.raises(SourceError) as info:
        read_source(_write(tmp_path / "odd.txt", b"caf\xe9 \xff au lait\n"))
    assert info.value.reason == "cannot decode as UTF-8, UTF-16, GB18030 or Big5"


def test_read_source_charset_guess_fallback(tmp_path: Path) -> None:
    text = "Le café est très apprécié à Paris, où l'on flâne près de la Seine.\n" * 5
    source = read_source(_write(tmp_path / "fr.txt", text.encode("cp1252")))
    assert source.text == text
    assert source.encoding not in {"utf-8", "gb18030"}


# --- normalization ----------------------------------------------------------


def test_normalize_full_width_preserves_length() -> None:
    text = "ＡＢＣ　１２３！（测试）～：，"
    folded = normalize_text(text)
    assert folded == "ABC 123!(测试)~:,"
    assert len(folded) == len(text)


def test_normalize_full_width_range_maps_char_for_char() -> None:
    full = "".join(chr(c) for c in range(0xFF01, 0xFF5F))
    ascii_ = "".join(chr(c) for c in range(0x21, 0x7F))
    assert normalize_text(full) == ascii_


def test_normalize_newlines_and_zero_width() -> None:
    assert normalize_text("a\r\nb\rc\n") == "a\nb\nc\n"
    assert normalize_text("\ufeff甲\u200b乙") == "甲乙"


@pytest.mark.parametrize("text", ["ＡＢ\r\n\r\n　\u200b", "\r\r\n\n", "plain", "全角：１"])
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


def test_normalize_leaves_cjk_alone() -> None:
    assert normalize_text(CHINESE) == CHINESE.replace("，", ",")


# --- dates from file names --------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "2022-12-07.txt",
        "2022_12_07.txt",
        "2022.12.07.txt",
        "20221207.txt",
        "paper_20221207_p1.txt",
        "dir/paper-2022-12-07",
        "archive/2022/12/07.txt",
        "archive/2022/12/2022-12-07.txt",
        "archive/2022-12/07.txt",
        "2022年12月7日.txt",
    ],
)
def test_date_from_filename_forms(path: str) -> None:
    assert date_from_filename(path) == dt.date(2022, 12, 7)
    assert date_from_filename(Path(path)) == dt.date(2022, 12, 7)


@pytest.mark.parametrize(
    "path",
    [
        "000_c41b79c434caad64.txt",
        "seeds/000_c41b79c434caad64.txt",
        "issue.txt",
        "2022-13-07.txt",
        "2022-02-30.txt",
        "1850-01-01.txt",
        "120221207.txt",
        "202212071.txt",
        "e3b0c44298fc1c149afbf4c8996fb92420221207.txt",
    ],
)
def test_date_from_filename_negative(path: str) -> None:
    assert date_from_filename(path) is None


def test_date_from_filename_prefers_name_over_directories() -> None:
    assert date_from_filename("2021/01/02/2022-12-07.txt") == dt.date(2022, 12, 7)


# --- dates from metadata ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "标题\n发布时间:2023-05-06 10:20\n正文。",
        "标题\n发布日期：2023年5月6日\n正文。",
        "时间: 2023/05/06\n正文。",
        "日期:2023.5.6\n",
        "来源:某某日报 2023-05-06\n",
        "【发布时间】2023-05-06\n",
        "标题\n2023-05-06 08:30:00\n正文。",
        "标题\n2023年05月06日 星期六\n正文。",
        "标题\n作者：记者 发布时间：2023-05-06\n",
        "某某日报 2023-05-06 08:30\n",
        "发布时间：２０２３－０５－０６\n",
        "日期：20230506\n",
    ],
)
def test_date_from_metadata_forms(text: str) -> None:
    assert date_from_metadata(text) == dt.date(2023, 5, 6)


@pytest.mark.parametrize(
    "text",
    [
        "12月6日，市委召开常委会议，研究部署近期工作。\n",
        "标题\n2023年12月6日，市委召开常委会议。\n",
        "时间过得真快，2023年12月6日那天下着雨。\n",
        "没有日期的文章\n正文内容。\n",
        "",
        "日期：2023-02-30\n",
        "据某某日报 2023年12月6日报道，市委召开常委会议。\n",
    ],
)
def test_date_from_metadata_negative(text: str) -> None:
    assert date_from_metadata(text) is None


def test_date_from_metadata_only_reads_the_top() -> None:
    body = "".join(f"第{i}段正文\n\n" for i in range(20))
    assert date_from_metadata(body + "发布时间:2023-05-06\n") is None
    assert date_from_metadata("发布时间:2023-05-06\n" + body) == dt.date(2023, 5, 6)


# --- finding input files ----------------------------------------------------


def test_iter_input_files_walks_sorted_and_filters(tmp_path: Path) -> None:
    for name in ["b/2.txt", "b/1.md", "a.txt", "c.htm", "d.html", "e.text", "noext", "z/y/x.txt"]:
        _write(tmp_path / name, b"x")
    for name in [".hidden.txt", ".git/x.txt", "entities.toml", "b/entities.toml", "img.png", "data.json"]:
        _write(tmp_path / name, b"x")
    explicit = _write(tmp_path / "elsewhere" / "notes.json", b"x")

    files, problems = iter_input_files([tmp_path, str(explicit)])
    assert problems == []
    rel = [p.relative_to(tmp_path).as_posix() for p in files]
    assert rel == [
        "a.txt",
        "b/1.md",
        "b/2.txt",
        "c.htm",
        "d.html",
        "e.text",
        "noext",
        "z/y/x.txt",
        "elsewhere/notes.json",
    ]


def test_iter_input_files_deterministic(tmp_path: Path) -> None:
    for name in ["b.txt", "a.txt", "c/a.txt"]:
        _write(tmp_path / name, b"x")
    assert iter_input_files([tmp_path]) == iter_input_files([str(tmp_path)])


def test_iter_input_files_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    files, problems = iter_input_files([missing])
    assert files == []
    assert problems == [f"{missing}: no such file or directory"]


def test_iter_input_files_symlink_loops(tmp_path: Path) -> None:
    root = tmp_path / "root"
    _write(root / "sub" / "a.txt", b"x")
    (root / "sub" / "back").symlink_to(root, target_is_directory=True)
    (root / "self.txt").symlink_to(root / "self.txt")
    (root / "dangling.txt").symlink_to(root / "gone.txt")

    files, problems = iter_input_files([root])
    assert files == [root / "sub" / "a.txt"]
    assert sorted(problems) == sorted(
        [
            f"{root / 'dangling.txt'}: broken symlink",
            f"{root / 'self.txt'}: symlink loop",
            f"{root / 'sub' / 'back'}: symlink loop",
        ]
    )
    for problem in problems:
        assert "\n" not in problem

    looped, loop_problems = iter_input_files([root / "self.txt"])
    assert looped == []
    assert loop_problems == [f"{root / 'self.txt'}: symlink loop"]


def test_iter_input_files_dedupes(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.txt", b"x")
    (tmp_path / "link.txt").symlink_to(path)
    files, problems = iter_input_files([path, tmp_path])
    assert files == [path]
    assert problems == []


def test_big5_is_told_apart_from_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "big5.txt"
    path.write_bytes("市委書記張國華主持召開會議,研究部署經濟工作。會議強調,要堅持穩中求進。".encode("big5"))
    source = read_source(path)
    assert source.encoding == "big5"
    assert source.text.startswith("市委書記張國華")


def test_utf8_cut_mid_character_keeps_the_whole_characters(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes("市委书记主持会议。".encode()[:-2])
    source = read_source(path)
    assert source.text == "市委书记主持会议"
    assert "truncated in the middle of a character" in caplog.text


def test_html_keeps_its_text_and_drops_tags_scripts_and_styles(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<!DOCTYPE html><html><head><title>市政府召开常务会议_某市政府网</title><script>alert(1)</script>"
        "<style>p{}</style></head><body><nav>首页 &gt; 新闻</nav><h1>市政府召开常务会议</h1>"
        "<div>发布时间：2023-06-12</div><p>6月11日,市长刘建国主持会议。</p><p>副市长王立新出席&amp;讲话。</p>"
        "</body></html>",
        encoding="utf-8",
    )
    lines = read_source(path).text.split("\n")
    assert lines == [
        "市政府召开常务会议",
        "发布时间:2023-06-12",
        "6月11日,市长刘建国主持会议。",
        "副市长王立新出席&讲话。",
    ]
