"""Finding input files, decoding them to normalized text, and reading dates from names and metadata."""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import logging
import os
import re
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

from graph.errors import SourceError
from graph.model import SourceFile

log = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".html", ".htm", ""})
SKIPPED_NAMES = frozenset({"entities.toml"})

_MIN_YEAR, _MAX_YEAR = 1900, 2100
_ALLOWED_CONTROLS = frozenset("\t\n\r\f")
_BINARY_CONTROL_RATIO = 0.05
_UTF16_SAMPLE = 8192
_METADATA_LINES = 15
_SHORT_LINE = 60


# ---------------------------------------------------------------------------
# Finding files


def _problem(path: Path | str, cause: str) -> str:
    return f"{path}: {cause}"


def _stat_problem(path: Path) -> str | None:
    """Why `path` cannot be followed, or None if it can."""
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return _problem(path, "symlink loop")
        if exc.errno == errno.ENOENT:
            return _problem(path, "broken symlink" if path.is_symlink() else "no such file or directory")
        return _problem(path, exc.strerror or str(exc))
    return None


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(root: Path, files: list[Path], problems: list[str]) -> None:
    """Collect text files under `root`, following directory symlinks but never around a cycle."""
    ancestors: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()

    def visit(directory: Path) -> None:
        st = directory.stat()
        key = (st.st_dev, st.st_ino)
        if key in ancestors:
            problems.append(_problem(directory, "symlink loop"))
            return
        if key in seen_dirs:
            return  # reached twice through different links; one copy is enough
        seen_dirs.add(key)
        ancestors.add(key)
        try:
            try:
                entries = sorted(os.scandir(directory), key=lambda e: e.name)
            except OSError as exc:
                problems.append(_problem(directory, f"cannot list: {exc.strerror or exc}"))
                return
            for entry in entries:
                if _hidden(entry.name):
                    continue
                child = directory / entry.name
                problem = _stat_problem(child)
                if problem is not None:
                    problems.append(problem)
                    continue
                if child.is_dir():
                    visit(child)
                elif (
                    child.is_file()
                    and entry.name not in SKIPPED_NAMES
                    and child.suffix.lower() in TEXT_SUFFIXES
                ):
                    files.append(child)
        finally:
            ancestors.discard(key)

    visit(root)


def iter_input_files(inputs: Sequence[str | Path]) -> tuple[list[Path], list[str]]:
    """Expand files and directories into a deterministic file list plus one-line problem strings."""
    files: list[Path] = []
    problems: list[str] = []
    for raw in inputs:
        path = Path(raw)
        problem = _stat_problem(path)
        if problem is not None:
            problems.append(problem)
            continue
        if path.is_dir():
            found: list[Path] = []
            _walk(path, found, problems)
            files.extend(sorted(found, key=lambda p: p.as_posix()))
        elif path.is_file():
            files.append(path)  # an explicit argument is taken whatever its name
        else:
            problems.append(_problem(path, "not a regular file or directory"))

    # The same file named twice (or reached through a link) is read once.
    unique: list[Path] = []
    seen: set[tuple[int, int]] = set()
    for path in files:
        st = path.stat()
        key = (st.st_dev, st.st_ino)
        if key in seen:
            log.debug("skipping duplicate input %s", path)
            continue
        seen.add(key)
        unique.append(path)
    return unique, problems


# ---------------------------------------------------------------------------
# Decoding


def _canonical_encoding(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name.lower()


# Cc characters other than tab, newline, carriage return and form feed
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL_CHARS.findall(text)) / len(text)


def _looks_textual(text: str) -> bool:
    """Mostly printable (CJK counts as printable) with few controls or replacement characters."""
    if not text:
        return False
    good = sum(1 for ch in text if ch.isprintable() or ch in _ALLOWED_CONTROLS)
    bad = text.count("\ufffd")
    return good / len(text) >= 0.95 and bad / len(text) < 0.01


def _utf16_without_bom(data: bytes) -> str | None:
    """The UTF-16 codec a NUL-byte pattern points to, e.g. ASCII and newlines in UTF-16-LE."""
    sample = data[:_UTF16_SAMPLE]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    # Some CJK code units (e.g. U+5F00) hold a zero byte too, so ask for a clear majority, not purity.
    if odd > 2 * even:
        return "utf-16-le"
    if even > 2 * odd:
        return "utf-16-be"
    return None


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """Decode bytes, returning (text, encoding name); raises SourceError for binary or undecodable."""
    boms = (
        (codecs.BOM_UTF8, "utf-8-sig", 0),
        (codecs.BOM_UTF16_LE, "utf-16-le", 2),
        (codecs.BOM_UTF16_BE, "utf-16-be", 2),
    )
    for bom, encoding, skip in boms:
        if data.startswith(bom):
            try:
                return data[skip:].decode(encoding), encoding
            except UnicodeDecodeError:
                log.debug("%s: %s BOM but bytes do not decode; trying others", path, encoding)
            break

    if b"\x00" in data:
        encoding16 = _utf16_without_bom(data)
        if encoding16 is not None and len(data) % 2 == 0:
            try:
                text = data.decode(encoding16)
            except UnicodeDecodeError:
                text = ""
            if text and _looks_textual(text):
                return text, encoding16
        raise SourceError(str(path), "binary data, not text")

    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data" and err.start >= len(data) - 3:
            # a file cut mid-character: keep what is whole, and say so
            log.warning(
                "%s: truncated in the middle of a character at byte %d; the last bytes are dropped",
                path,
                err.start,
            )
            return data[: err.start].decode("utf-8"), "utf-8"
    double_byte = []
    for encoding in ("gb18030", "big5"):
        try:
            double_byte.append((data.decode(encoding), encoding))
        except UnicodeDecodeError:
            continue
    if len(double_byte) == 1:
        return double_byte[0]
    if double_byte:
        # Big5 bytes often decode as GB18030 too, into nonsense: let the language statistics choose
        guess = _charset_guess(data, ("gb18030", "big5"))
        return guess if guess is not None else double_byte[0]

    guess = _charset_guess(data)
    if guess is not None:
        return guess
    raise SourceError(str(path), "cannot decode as UTF-8, UTF-16, GB18030 or Big5")


def _charset_guess(data: bytes, only: tuple[str, ...] | None = None) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency, but decoding can do without it
        return None
    best = (from_bytes(data, cp_isolation=list(only)) if only else from_bytes(data)).best()
    if best is None:
        return None
    text = str(best)
    if not _looks_textual(text):
        return None
    return text, _canonical_encoding(best.encoding)


_HTML_START = re.compile(r"\s*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE)
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "title",
        "blockquote",
        "pre",
        "dt",
        "dd",
        "figcaption",
        "table",
        "ul",
        "ol",
    ]
)
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "head", "nav", "iframe", "svg"})


class _TextOfPage(HTMLParser):
    """The visible text of a page, one block element a line; scripts, styles and navigation dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: str = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in _SKIPPED_TAGS:
            self._skip += 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in _SKIPPED_TAGS and self._skip:
            self._skip -= 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """A saved web page as plain text: the title on the first line, then the text of each block."""
    parser = _TextOfPage()
    parser.feed(markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    lines = [line for line in lines if line]
    title = " ".join(parser.title.split())
    # a page's <title> often repeats its first heading, with the site's name after it
    if title and not (lines and title.startswith(lines[0])):
        lines.insert(0, title)
    return "\n".join(lines)


def read_source(path: Path, max_bytes: int = 50_000_000) -> SourceFile:
    """Read and decode one input file; raise SourceError with a short reason when it is not usable text."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(str(path), f"too large: {size} bytes > limit {max_bytes}; raise --max-bytes")
        with path.open("rb") as handle:
            # Read one byte past the limit so a file that grew (or a pipe) is still caught.
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise SourceError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        reason = f"too large: more than {max_bytes} bytes > limit {max_bytes}; raise --max-bytes"
        raise SourceError(str(path), reason)
    if not data.strip():
        raise SourceError(str(path), "empty file")

    text, encoding = _decode(path, data)
    if _control_ratio(text) > _BINARY_CONTROL_RATIO:
        raise SourceError(str(path), "binary data, not text")
    if path.suffix.lower() in (".html", ".htm") or _HTML_START.match(text):
        text = html_to_text(text)
    normalized = normalize_text(text)
    if not normalized.strip():
        raise SourceError(str(path), "empty file")
    log.debug("%s: decoded as %s", path, encoding)
    return SourceFile(path=str(path), text=normalized, encoding=encoding, name_date=date_from_filename(path))


# ---------------------------------------------------------------------------
# Normalizing

_ZERO_WIDTH = {0x200B: None, 0xFEFF: None}
# Full-width ASCII U+FF01..U+FF5E sits exactly 0xFEE0 above its ASCII twin.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: ord(" ")}


def normalize_text(text: str) -> str:
    """Unify newlines and drop zero-width characters, then fold full-width ASCII one char for one char."""
    # Only these first two steps may shorten the text; the fold never changes a length.
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_ZERO_WIDTH)
    return text.translate(_FOLD)


def _fold(text: str) -> str:
    return text.translate(_FOLD)


# ---------------------------------------------------------------------------
# Dates


def _make_date(year: str, month: str, day: str) -> dt.date | None:
    y, m, d = int(year), int(month), int(day)
    if not _MIN_YEAR <= y <= _MAX_YEAR:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


_NAME_SEPARATED = re.compile(r"(?<!\d)(\d{4})[-_./](\d{1,2})[-_./](\d{1,2})(?!\d)")
_NAME_CHINESE = re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月(\d{1,2})日?")
_NAME_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
_HEX_RUN = re.compile(r"[0-9A-Fa-f]+")


def _inside_hash(text: str, start: int, end: int) -> bool:
    """True when digits at [start, end) belong to a long hex token such as a content hash."""
    for run in _HEX_RUN.finditer(text):
        if run.start() <= start and end <= run.end():
            token = run.group()
            return len(token) >= 12 and any(ch.isalpha() for ch in token)
    return False


def _date_in_name(text: str) -> dt.date | None:
    for pattern in (_NAME_SEPARATED, _NAME_CHINESE):
        for match in pattern.finditer(text):
            found = _make_date(*match.groups())
            if found is not None:
                return found
    for match in _NAME_COMPACT.finditer(text):
        if _inside_hash(text, match.start(), match.end()):
            continue
        found = _make_date(*match.groups())
        if found is not None:
            return found
    return None


def date_from_filename(path: str | Path) -> dt.date | None:
    """A date in the file name, else in the last three path components (e.g. 2022/12/07.txt), else None."""
    path = Path(path)
    found = _date_in_name(path.stem) or _date_in_name(path.name)
    if found is not None:
        return found
    parts = [*path.parent.parts[-2:], path.stem]
    return _date_in_name("/".join(parts))


_KEYS = (
    "发布时间|发布日期|发表时间|发表日期|出版日期|出版时间|刊发日期|刊发时间|更新时间|更新日期"
    "|见报日期|时间|日期|来源|稿源|Date|date|DATE"
)
# A key must be set off (colon, bracket or space) so prose that merely begins with 时间 is not metadata.
_KEY_START = re.compile(rf"^\s*[【\[(（]?\s*(?:{_KEYS})(?:\s*[】\])）]\s*[:：]?|\s*[:：]|\s+)")
_KEY_ANYWHERE = re.compile(rf"(?:{_KEYS})\s*[】\])）]?\s*[:：]")
_DATE = re.compile(r"(?<!\d)(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)\s*日?")
_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
_TIME = r"\d{1,2}\s*[:：时]\s*\d{1,2}(?:\s*[:：分]\s*\d{1,2}秒?)?分?"
_WEEKDAY = r"(?:星期|周|礼拜)[一二三四五六日天]"
_DATE_ONLY = re.compile(
    rf"^[【\[(（]?\s*(?:{_DATE.pattern})\s*(?:{_WEEKDAY})?\s*(?:{_TIME})?\s*(?:{_WEEKDAY})?\s*[】\])）]?$"
)
# 某某日报 2020年2月25日 星期二 第3版: a paper's masthead or page footer states the date
_MASTHEAD = re.compile(
    rf"^[\u4e00-\u9fff]{{2,12}}(?:日报|晚报|晨报|早报|都市报|时报|报)\s*(?:{_DATE.pattern})\s*(?:{_WEEKDAY})?"
    r"\s*(?:第?\s*[A-Z]?\d{1,3}\s*版.*)?$"
)
_DATE_THEN_TIME = re.compile(rf"(?:{_DATE.pattern})\s*(?:{_WEEKDAY})?\s*{_TIME}")
_SENTENCE_PUNCT = re.compile(r"[。，；！？,;!?]")


_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
# Tue Feb 25 08:50:37 CST 2020 (a Java Date printed as is), 25 Feb 2020, Feb 25, 2020
_ENGLISH_DATE = re.compile(
    r"(?i)\b(?:(?P<d1>\d{1,2})\s+(?P<m1>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+"
    r"|(?P<m2>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<d2>\d{1,2})\b,?\s+"
    r"(?:\d{1,2}:\d{2}(?::\d{2})?\s+(?:[A-Z]{2,5}\s+)?)?)(?P<y>(?:19|20)\d\d)\b"
)
# 25.02.2020, 25/02/2020: day first, as European sites print it
_DAY_FIRST = re.compile(r"(?<!\d)(\d{1,2})[./](\d{1,2})[./]((?:19|20)\d\d)(?!\d)")


def _first_date(line: str, allow_compact: bool) -> dt.date | None:
    for match in _DATE.finditer(line):
        found = _make_date(*match.groups())
        if found is not None:
            return found
    english = _ENGLISH_DATE.search(line)
    if english:
        month = _MONTHS[(english.group("m1") or english.group("m2")).lower()[:3]]
        day = english.group("d1") or english.group("d2")
        found = _make_date(english.group("y"), str(month), day)
        if found is not None:
            return found
    for match in _DAY_FIRST.finditer(line):
        day, month, year = match.groups()
        found = _make_date(year, month, day)
        if found is not None:
            return found
    if allow_compact:
        for match in _COMPACT.finditer(line):
            found = _make_date(*match.groups())
            if found is not None:
                return found
    return None


def date_from_metadata(text: str) -> dt.date | None:
    """A date from metadata lines near the top (发布时间:..., 日期：..., a bare date line), else None."""
    seen = 0
    for raw in text.splitlines():
        line = _fold(raw).strip()
        if not line:
            continue
        seen += 1
        if seen > _METADATA_LINES:
            break
        found: dt.date | None = None
        if _KEY_START.match(line):
            found = _first_date(line, allow_compact=True)
        elif len(line) < _SHORT_LINE:
            if _DATE_ONLY.match(line) or _KEY_ANYWHERE.search(line) or _MASTHEAD.match(line):
                found = _first_date(line, allow_compact=False)
            elif not _SENTENCE_PUNCT.search(line) and _DATE_THEN_TIME.search(line):
                # e.g. a byline "人民日报 2023-05-06 08:30": a timestamp is not how prose states a date.
                found = _first_date(line, allow_compact=False)
        if found is not None:
            return found
    return None
