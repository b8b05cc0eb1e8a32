"""Page layout: split an issue into articles, read bylines, rejoin broken text and put back moved tails."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.nlp.lexicons import AUTHOR_ROLES, CONTRIBUTOR_ROLES, alternation, surnames

# An issue's masthead and page markers: 第01版：要闻, 衡阳日报 2023年4月10日 星期一
PAGE_FURNITURE = re.compile(
    r"^\s*第?\s*[A-Z]?\d{1,3}\s*版|星期[一二三四五六日天]|^本版(?:编辑|责编)|^(?:责任)?编辑[:：]"
)
TERMINAL = frozenset('。！？!?；;…”’"』」)）】》')
CREDIT_END = re.compile(r"(?:供图|摄|图|摄影|制图|编辑|责编|校对)$")
MAX_HEADLINE = 48
MIN_BROKEN_PARAGRAPH = 18

_ROLE = alternation(list(AUTHOR_ROLES) + list(CONTRIBUTOR_ROLES))
_ROLE_RE = re.compile(rf"({_ROLE})\s*[/:：]?\s*")
_PAPER = r"[\u4e00-\u9fff]{2,10}?(?:日报|晚报|晨报|早报|都市报|时报|商报|青年报|法治报|报)"
_AGENCY = r"新华社|中新社|人民网|新华网|央视网|中新网|央广网|光明网|中国新闻网"
_PAREN = r"[(（](?P<inner>[^()（）]{2,80})[)）]"
BYLINE_FORMS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"^(?P<paper>{_PAPER})讯?\s*{_PAREN}\s*"),
    re.compile(rf"^本报讯\s*{_PAREN}\s*"),
    # 本网讯(记者 甲), 红网时刻讯(通讯员 乙): news sites' datelines
    re.compile(rf"^(?:本网|(?P<paper>[\u4e00-\u9fff]{{1,10}}?网)[\u4e00-\u9fff]{{0,4}}?)讯\s*{_PAREN}\s*"),
    re.compile(rf"^本报[\u4e00-\u9fff\d]{{0,14}}?电\s*{_PAREN}\s*"),
    re.compile(rf"^(?P<paper>{_AGENCY})[\u4e00-\u9fff\d]{{0,16}}?电\s*{_PAREN}\s*"),
    re.compile(rf"^(?P<paper>{_AGENCY})[\u4e00-\u9fff\d]{{0,16}}?电\s*"),
)
BARE_BYLINE = re.compile(
    rf"^(?P<paper>{_PAPER})?\s*(?P<inner>(?:(?:{_ROLE})\s*[/:：]?\s*[\u4e00-\u9fff·\s、,，]{{2,30}})+)$"
)
TRAILING_BYLINE = re.compile(r"[(（](?P<inner>(?:[\u4e00-\u9fff]{2,4}[\s、,，]*){1,4})[)）]$")
METADATA_LINE = re.compile(
    r"^[【\[]?(?P<key>来源|信息来源|文章来源|稿件来源|发布时间|发布日期|时间|日期|作者|记者|通讯员|编辑|责任编辑|责编|"
    r"审核|浏览次数|点击数|阅读数|字号|供稿|发布者|发布单位|撰稿)[】\]]?\s*[:：]"
)


@dataclass
class Byline:
    authors: list[str] = field(default_factory=list)
    contributors: list[str] = field(default_factory=list)
    newspaper: str | None = None

    def __bool__(self) -> bool:
        return bool(self.authors or self.contributors or self.newspaper)


@dataclass
class RawArticle:
    """An article as laid out: headline, paragraphs and byline, before extraction."""

    headline: str
    subheadline: str | None
    paragraphs: list[str]
    byline: Byline
    metadata: dict[str, str] = field(default_factory=dict)
    dangling: bool = False

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)


def split_names(chunk: str) -> list[str]:
    """Names in a byline chunk: separated by spaces or 、, or run together (王芳李明)."""
    names: list[str] = []
    for part in re.split(r"[\s、,，/]+", chunk):
        part = part.strip("·")
        if not part:
            continue
        if len(part) <= 3 or not re.fullmatch(r"[\u4e00-\u9fff]+", part):
            names.append(part)
            continue
        names.extend(_split_run(part))
    return [n for n in names if 2 <= len(n) <= 5]


def _split_run(run: str) -> list[str]:
    """Split names written without separators, preferring cuts that start each name with a surname."""
    family = surnames()
    for sizes in ((2, 2), (3, 3), (2, 3), (3, 2), (3, 3, 3), (2, 2, 2)):
        if sum(sizes) != len(run):
            continue
        parts, pos = [], 0
        for size in sizes:
            parts.append(run[pos : pos + size])
            pos += size
        if all(p[0] in family or p[:2] in family for p in parts):
            return parts
    return [run]


def parse_byline_inner(inner: str) -> Byline:
    """Roles and names inside a byline, e.g. 全媒体记者/甲 通讯员/乙 丙."""
    byline = Byline()
    pieces = _ROLE_RE.split(inner)
    # split() with one group gives [before, role, names, role, names, ...]
    if len(pieces) == 1:
        byline.authors.extend(split_names(inner))
        return byline
    for role, names in zip(pieces[1::2], pieces[2::2], strict=True):
        target = byline.contributors if role in CONTRIBUTOR_ROLES else byline.authors
        target.extend(n for n in split_names(names) if n not in target)
    return byline


def match_byline(line: str) -> tuple[Byline, str] | None:
    """A byline at the start of a paragraph, and the text after it."""
    for form in BYLINE_FORMS:
        m = form.match(line)
        if m:
            inner = m.groupdict().get("inner") or ""
            byline = parse_byline_inner(inner) if inner else Byline()
            if inner and not (byline.authors or byline.contributors):
                continue
            if not _ROLE_RE.search(inner) and form is BYLINE_FORMS[0]:
                continue  # 某某报(…) without a role word is prose, not a byline
            byline.newspaper = m.groupdict().get("paper")
            return byline, line[m.end() :]
    m = BARE_BYLINE.match(line)
    if m:
        byline = parse_byline_inner(m.group("inner"))
        byline.newspaper = m.group("paper")
        if byline.authors or byline.contributors:
            return byline, ""
    return None


def is_complete(paragraph: str) -> bool:
    return not paragraph or paragraph[-1] in TERMINAL


def is_headline(line: str) -> bool:
    if PAGE_FURNITURE.search(line):
        return False
    if len(line) > MAX_HEADLINE or line[-1] in "。！？!?；;…:：，," or "。" in line:
        return False
    return not CREDIT_END.search(line)


def is_broken(paragraph: str) -> bool:
    """A paragraph the layout cut mid-sentence: long, and ending without sentence punctuation."""
    return (
        len(paragraph) >= MIN_BROKEN_PARAGRAPH
        and not is_complete(paragraph)
        and not CREDIT_END.search(paragraph)
        and paragraph[-1] not in ":："
    )


def split_articles(text: str) -> list[RawArticle]:
    """All articles of one file: a web article with metadata lines, or a newspaper issue."""
    lines = [ln.strip() for ln in text.split("\n")]
    lines = [ln for ln in lines if ln]
    if not lines:
        return []
    web = _web_article(lines)
    if web is not None:
        return [web]
    return _issue_articles(lines)


def _web_article(lines: list[str]) -> RawArticle | None:
    while lines and BREADCRUMB.search(lines[0]):
        lines = lines[1:]
    while len(lines) > 2 and (METADATA_LINE.match(lines[-1]) or BOILERPLATE.search(lines[-1])):
        lines = lines[:-1]
    head = lines[:12]
    meta_idx = [i for i, ln in enumerate(head) if METADATA_LINE.match(ln) or _inline_metadata(ln)]
    if not meta_idx or meta_idx[0] == 0:
        return None
    # metadata sits together under the title; a later 时间: line is the body's
    meta_idx = [i for i in meta_idx if i <= meta_idx[0] + 3]
    title_idx = 0
    metadata: dict[str, str] = {}
    for i in meta_idx:
        metadata.update(_inline_metadata(lines[i]) or {})
    body_start = meta_idx[-1] + 1
    headline = lines[title_idx]
    subheadline = " ".join(lines[title_idx + 1 : meta_idx[0]]) or None
    paragraphs = _join_broken(lines[body_start:])
    byline = Byline(newspaper=metadata.get("来源"))
    for key in ("作者", "记者", "撰稿"):
        byline.authors.extend(split_names(metadata.get(key, "")))
    byline.contributors.extend(split_names(metadata.get("通讯员", "")))
    if paragraphs:
        found = match_byline(paragraphs[0])
        if found:
            inner, rest = found
            byline.authors.extend(n for n in inner.authors if n not in byline.authors)
            byline.contributors.extend(n for n in inner.contributors if n not in byline.contributors)
            byline.newspaper = byline.newspaper or inner.newspaper
            paragraphs[0] = rest
            paragraphs = [p for p in paragraphs if p]
    _trailing_byline(paragraphs, byline)
    return RawArticle(headline, subheadline, paragraphs, byline, metadata)


# Site navigation before a web article's title, and page furniture after its text.
BREADCRUMB = re.compile(r"^(?:当前位置|您的位置|您现在的位置|首页)|[>»›](?:\s*[\u4e00-\u9fff]+\s*[>»›])")
BOILERPLATE = re.compile(
    r"^[【\[]?(?:打印|关闭|关闭窗口|打印本页|返回顶部|分享到|扫一扫|相关链接|上一篇|下一篇|字号|【字体)|"
    r"(?:【打印】|【关闭】|\[打印\]|\[关闭\])$"
)


_META_PAIR = re.compile(
    r"(来源|信息来源|文章来源|稿件来源|发布时间|发布日期|时间|日期|作者|记者|通讯员|编辑|责任编辑|责编|撰稿)"
    r"\s*[:：]\s*(.*?)(?=\s+(?:来源|信息来源|文章来源|稿件来源|发布时间|发布日期|时间|日期|作者|记者|通讯员|"
    r"编辑|责任编辑|责编|浏览次数|点击数|字号|撰稿)\s*[:：]|$|\s{2,}|\s*[|｜])"
)


def _inline_metadata(line: str) -> dict[str, str] | None:
    if len(line) > 120:
        return None
    pairs = {
        k.replace("信息", "").replace("文章", "").replace("稿件", ""): v.strip()
        for k, v in _META_PAIR.findall(line.strip("【】[]"))
    }
    if not pairs or (not METADATA_LINE.match(line.strip()) and len(pairs) < 2):
        return None
    return pairs


def _trailing_byline(paragraphs: list[str], byline: Byline) -> None:
    """A closing (甲 乙) names the reporters when nothing else did."""
    if not paragraphs or byline.authors:
        return
    m = TRAILING_BYLINE.search(paragraphs[-1])
    if not m:
        return
    inner = m.group("inner")
    found = parse_byline_inner(inner)
    names = found.authors + found.contributors
    family = surnames()
    if names and all(n[0] in family or n[:2] in family for n in names):
        byline.authors.extend(found.authors)
        byline.contributors.extend(found.contributors)
        paragraphs[-1] = paragraphs[-1][: m.start()].rstrip()
        if not paragraphs[-1]:
            paragraphs.pop()


def _issue_articles(lines: list[str]) -> list[RawArticle]:
    bylines = [match_byline(ln) for ln in lines]
    starts: list[tuple[int, int]] = []  # (headline index, byline index)
    i = 0
    while i < len(lines):
        if is_headline(lines[i]) and bylines[i] is None:
            for j in range(i + 1, min(i + 4, len(lines))):
                if bylines[j] is not None:
                    starts.append((i, j))
                    i = j
                    break
                if not is_headline(lines[j]):
                    break
        i += 1
    if not starts:
        starts = _starts_without_bylines(lines)
    if not starts:
        paragraphs = _join_broken(lines[1:])
        return [RawArticle(lines[0], None, paragraphs, Byline())]
    articles: list[RawArticle] = []
    for n, (head, by) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        found = bylines[by]
        byline, rest = found if found else (Byline(), lines[by])
        body_lines = ([rest] if rest.strip() else []) + lines[by + 1 : end]
        subhead = " ".join(lines[head + 1 : by]) or None
        if not found:
            body_lines = lines[by:end]
            subhead = None
        paragraphs = _join_broken(body_lines)
        _trailing_byline(paragraphs, byline)
        dangling = bool(paragraphs) and is_broken(paragraphs[-1]) and end < len(lines)
        articles.append(RawArticle(lines[head], subhead, paragraphs, byline, dangling=dangling))
    _restore_moved_tails(articles)
    return articles


def _starts_without_bylines(lines: list[str]) -> list[tuple[int, int]]:
    """Without bylines, a headline-like line after a finished paragraph starts an article."""
    starts = []
    for i, line in enumerate(lines):
        if not is_headline(line) or i + 1 >= len(lines) or is_headline(lines[i + 1]):
            continue
        if i == 0 or (is_complete(lines[i - 1]) and not is_headline(lines[i - 1])):
            starts.append((i, i + 1))
    return starts if len(starts) > 1 else []


def _join_broken(lines: list[str]) -> list[str]:
    """Rejoin paragraphs the layout broke mid-sentence or mid-word."""
    paragraphs: list[str] = []
    for line in lines:
        if paragraphs and is_broken(paragraphs[-1]) and not is_credit_line(line):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
    return paragraphs


def is_credit_line(line: str) -> bool:
    """A photo or editing credit (通讯员供图) never continues the paragraph before it."""
    return bool(CREDIT_END.search(line)) and len(line) < 12


def _bigrams(text: str) -> set[str]:
    chars = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def _share(text: str, other: str) -> float:
    grams = _bigrams(text)
    return len(grams & _bigrams(other)) / len(grams) if grams else 0.0


def _restore_moved_tails(articles: list[RawArticle]) -> None:
    """Move an article's tail, printed after a later article, back to the article it finishes."""
    for a_index, article in enumerate(articles):
        if not article.dangling:
            continue
        for later in articles[a_index + 1 : a_index + 3]:
            moved = _find_tail(article, later)
            if moved is not None:
                tail = later.paragraphs[moved:]
                del later.paragraphs[moved:]
                article.paragraphs[-1] += tail[0]
                article.paragraphs.extend(tail[1:])
                article.dangling = False
                break


def _find_tail(article: RawArticle, later: RawArticle) -> int | None:
    for k in range(1, len(later.paragraphs)):
        if not is_complete(later.paragraphs[k - 1]):
            continue
        candidate = later.paragraphs[k]
        to_article = _share(candidate, article.body)
        to_later = _share(candidate, "\n".join(later.paragraphs[:k]) + later.headline)
        if to_article >= 0.12 and to_article > 1.5 * to_later:
            return k
    return None
