"""Page layout: split a file into articles, read bylines and credits, rejoin broken text, and put back
tails printed after another article.

A file is read as lines of a few kinds (headline-like, paragraph, caption, byline, metadata, page
furniture, tag line). An article starts at a run of headline lines after a finished paragraph; how sure
that start is depends on what follows it: a dateline or byline (本报讯, 新华社…电), a digest marker (■), a
tag line, or a dated first sentence. Text before the first start is an article without a headline.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from enum import Enum

from graph.nlp.lexicons import AUTHOR_ROLES, CONTRIBUTOR_ROLES, all_surnames, alternation, surname_rank
from graph.nlp.segment import tokenize

# --- line kinds ---------------------------------------------------------------------------------------

# An issue's masthead and page markers: 第01版：要闻, 衡阳日报 2023年4月10日 星期一
PAGE_FURNITURE = re.compile(
    r"^\s*第?\s*[A-Z]?\d{1,3}\s*版|星期[一二三四五六日天]|^本版(?:编辑|责编)|^(?:责任)?编辑[:：]|"
    r"^(?:图片|图)[:：]?$|^[(（]?附图片\s*\d+\s*张[)）]?$|^(?:上一篇|下一篇|返回|回到顶部|打印本页|关闭窗口)|"
    r"第\s*[A-Z]?\d{1,3}\s*版\s*[:：]|^\d{1,5}\s*期\s*/|^\d{1,2}[:：]\d{2}$|"
    r"^\d{1,2}月$|^\d{1,2}-\d{1,2}\s+\d{1,2}[:：]\d{2}$"
)
# a link, or markup a page left behind
WEB_JUNK = re.compile(r"^(?:https?://|www\.)|\.s?html?\b|-->|<!--|\.(?:jpg|png|gif)\b")
# 沈阳日报 2010年03月23日: a paper's masthead with its date
MASTHEAD = re.compile(
    r"^[\u4e00-\u9fff]{2,10}(?:日报|晚报|晨报|早报|都市报|时报|报)\s*(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?"
    r"(?:\s*(?:星期|周)[一二三四五六日天])?\s*$"
)
_CN_NUM = "〇零一二三四五六七八九十"
# A date standing alone on a line (a dateline of a digest item, the page's date)
DATE_LINE = re.compile(
    rf"^[(（\[【]?\s*(?:(?:19|20)\d\d\s*[-/.年]\s*)?\d{{1,2}}\s*[-/.月]\s*\d{{1,2}}\s*日?"
    rf"(?:\s*(?:星期|周)[一二三四五六日天])?(?:\s*\d{{1,2}}[:：]\d{{2}}(?:[:：]\d{{2}})?)?\s*[)）\]】]?$|"
    rf"^(?:[一二]?[{_CN_NUM}]{{3}}[{_CN_NUM}]年)?[{_CN_NUM}]{{1,2}}月[{_CN_NUM}]{{1,3}}日$"
)
# A search result's tag line: [某某日报] 2023-02-09 要闻 A01版 甲 乙
TAG_LINE = re.compile(
    r"^[\[【](?P<paper>[^\]】]{2,16})[\]】]\s*(?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2}日?"
    r"(?P<rest>(?:\s+\S+)*)\s*$"
)
TERMINAL = frozenset('。！？!?；;…”’"』」)）】》')
# a headline's own tag: …专访(图), …(附图片1张), …(组图)
HEADLINE_TAG = re.compile(r"[(（](?:附|组)?图(?:片\s*\d+\s*张)?[)）]$")
# a caption's credit: (新华社发), (新华社记者甲摄), (资料图片)
CAPTION_CREDIT = re.compile(
    r"[(（](?:新华社|中新社|本报|人民网|新华网|资料)[^()（）]{0,16}(?:发|摄|供图|图片|照片)[)）]$"
)
CREDIT_END = re.compile(r"(?:供图|摄|图|摄影|制图|编辑|责编|校对)[)）]?$")
CAPTION_START = re.compile(r"^(?:[▲△▼◀▶]|图为|图[:：]|上图|下图|左图|右图|图片[:：]|[(（]图[)）])")
DIGEST_MARK = re.compile(r"^[■□●◆◇★☆▉▇•·]\s*")
# In-body section heads that never start an article: 会议指出, 一、…, (二)…
SECTION_HEAD = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,4}(?:指出|要求|强调|认为|提出|明确|表示|决定|建议|介绍|透露)[:：]?$|"
    r"[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．](?!\d)|"
    r"第[一二三四五六七八九十]{1,3}(?:[,，、:：\s]|$|部分))"
)
MAX_HEADLINE = 48
MAX_KICKER = 4
MIN_BROKEN_PARAGRAPH = 18

# A first sentence that dates or places what it reports: what a digest item opens with
LEAD = re.compile(
    r"^(?:(?:19|20)\d\d年)?(?:\d{1,2}月)?\d{1,2}[日号](?:[至到—\-~]\d{1,2}日)?|"
    r"^[昨今前明当](?:天|日|晚|晨)|^近日|^日前|^近期|^连日来|^本周|^上周|^今年以来|^近年来|^记者从|^记者近日|"
    r"^(?:[一二三四五六七八九十]{1,2}月)?[一二三四五六七八九十]{1,3}日"
)


class Kind(str, Enum):
    HEAD = "head"  # headline-like: short, unfinished
    SECTION = "section"  # an in-body head (会议指出, 一、…)
    PARA = "para"
    CAPTION = "caption"
    BYLINE = "byline"  # a byline standing alone (株洲日报全媒体记者/甲, 文/乙, a bare name under a headline)
    META = "meta"  # 来源:…, 发布时间:…, 编辑:…
    FURNITURE = "furniture"  # page markers, the page's date, navigation
    TAG = "tag"  # a search result's tag line, which closes the item before it


# --- bylines ------------------------------------------------------------------------------------------

_ROLE = alternation(list(AUTHOR_ROLES) + list(CONTRIBUTOR_ROLES))
_ROLE_RE = re.compile(rf"({_ROLE})\s*[/:：]?\s*")
_PAPER = r"[\u4e00-\u9fff]{2,10}?(?:日报|晚报|晨报|早报|都市报|时报|商报|青年报|法治报|导报|快报|周报|报)"
_AGENCY = r"新华社|中新社|人民网|新华网|央视网|中新网|央广网|光明网|中国新闻网|中央电视台|中央人民广播电台"
_PAREN = r"[(（](?P<inner>[^()（）]{2,80})[)）]"
# a dateline's place and date: 北京1月15日, 兰州一月十八日, 掌上长沙3月6日
_WHERE_WHEN = (
    rf"(?P<where>[\u4e00-\u9fff]{{0,8}}?)\s*(?:(?P<month>\d{{1,2}})月(?P<day>\d{{1,2}})日"
    rf"|(?P<cn_month>[{_CN_NUM}]{{1,2}})月(?P<cn_day>[{_CN_NUM}]{{1,3}})日)?"
)
# 记者甲报道：, 见习记者甲、通讯员乙报道：, 某某电台记者甲、本报记者乙报道：
_REPORTED = (
    rf"(?P<reported>(?:[\u4e00-\u9fff]{{0,12}}?(?:{_ROLE})\s*[/:：]?\s*[\u4e00-\u9fff·\s、，,]{{2,40}}?)+)"
    r"报道[:：]"
)
_DATELINE_HEAD = (
    rf"(?:本报|本网|(?P<paper>{_PAPER})|据?(?P<agency>{_AGENCY})|(?P<site>[\u4e00-\u9fff]{{1,10}}?网)"
    rf"|[\u4e00-\u9fff]{{1,6}}站\s*据(?P<via>{_PAPER}))"
)
BYLINE_FORMS: tuple[re.Pattern[str], ...] = (
    # 株洲日报(全媒体记者/甲), 某某报(…) with a role word inside
    re.compile(rf"^(?P<paper>{_PAPER})\s*{_PAREN}\s*"),
    # 本报讯(记者 甲), 某某晚报某某客户端3月6日讯(全媒体记者 甲 乙), 新华社北京3月5日电(记者 甲),
    # 本报北京1月15日电 记者甲报道：, 本报9月6日讯 (no names), 某县站 据某某日报讯
    re.compile(rf"^{_DATELINE_HEAD}{_WHERE_WHEN}\s*(?:讯|电)\s*(?:{_PAREN}|{_REPORTED})?\s*"),
)
# 【全媒体记者 甲 通讯员 乙】, 海南日报记者 甲 特约记者 乙 5月20日,…, 石榴云/新疆日报记者甲报道:
BRACKET_BYLINE = re.compile(r"^[【\[](?P<inner>[^【】\[\]]{2,60})[】\]]\s*")
LEAD_BYLINE = re.compile(
    rf"^(?:[\u4e00-\u9fff]{{1,8}}/)?(?P<paper>{_PAPER})?(?P<inner>(?:(?:{_ROLE})\s*[/:：]?\s*"
    rf"[\u4e00-\u9fff·]{{2,4}}(?:\s+[\u4e00-\u9fff·]{{2,4}})*\s+)+)(?=\S)"
)
REPORTED_LEAD = re.compile(rf"^(?:[\u4e00-\u9fff]{{1,8}}/)?(?P<paper>{_PAPER})?{_REPORTED}\s*")
BARE_BYLINE = re.compile(
    rf"^[■□●◆]?\s*(?P<paper>{_PAPER})?\s*(?P<inner>(?:(?:{_ROLE})\s*[/:：]?\s*[\u4e00-\u9fff·\s、,，]{{2,30}})+)$"
)
# 文/甲, 文｜甲 乙, 本报评论员 甲: an author line
AUTHOR_LINE = re.compile(
    r"^(?:文|作者|撰文|执笔|本报评论员|特约评论员)\s*[/｜|:：]\s*(?P<inner>[\u4e00-\u9fff·\s、,，]{2,20})$"
)
TRAILING_BYLINE = re.compile(r"[(（](?P<inner>[\u4e00-\u9fff][\u4e00-\u9fff\s、,，]{1,18})[)）]$")
# …消防安全。■通讯员 甲 / (记者 乙 通讯员 丙)
TRAILING_ROLE_BYLINE = re.compile(
    rf"(?:[■□●◆]\s*|[(（])(?P<inner>(?:(?:{_ROLE})\s*[/:：]?\s*[\u4e00-\u9fff·\s、,，]{{2,24}}?)+)[)）]?$"
)
# Photo credits: 记者 甲 摄, (甲/摄), 本报记者甲摄, 某某晚报全媒体记者 甲 摄, (新华社记者甲摄)
_CREDIT_NAMES = r"(?P<names>[\u4e00-\u9fff·]{2,4}(?:[\s、]+[\u4e00-\u9fff·]{2,4}){0,3})"
PHOTO_CREDIT = re.compile(
    rf"(?:{_ROLE})\s*[/:：]?\s*{_CREDIT_NAMES}\s*/?\s*摄(?:影)?|"
    rf"[(（]\s*{_CREDIT_NAMES.replace('names', 'bare')}\s*/\s*摄\s*[)）]|"
    rf"(?:摄影|图)\s*[/:：]\s*{_CREDIT_NAMES.replace('names', 'shot')}(?=$|[\s)）])"
)
METADATA_KEYS = (
    "来源|信息来源|文章来源|稿件来源|新闻来源|消息来源|内容来源|发布时间|发布日期|发表时间|更新时间|内容更新时间|时间|日期|"
    "作者|记者|通讯员|编辑|责任编辑|责编|审核|审核人|审稿|校对|浏览次数|浏览量|浏览|点击数|点击量|点击|阅读数|阅读量|阅读|"
    "访问量|访问次数|字号|供稿|发布者|发布人|发布单位|发布机构|撰稿|文|摄影|摄像|来源单位|录入|录入人"
)
METADATA_LINE = re.compile(rf"^[【\[]?(?P<key>{METADATA_KEYS})[】\]]?\s*[:：]")
_META_PAIR = re.compile(
    rf"({METADATA_KEYS})\s*[:：]\s*(.*?)(?=\s*(?:{METADATA_KEYS})\s*[:：]|$|\s{{2,}}|\s*[|｜])"
)
# a timestamp line with no key: 2022-03-23 11:18:04 编辑: 甲
_TIMESTAMP_START = re.compile(
    r"^(?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*(?:\d{1,2}[:：]\d{2}(?::\d{2})?)?"
)
AUTHOR_KEYS = ("作者", "记者", "撰稿", "文")
CONTRIBUTOR_KEYS = ("通讯员",)
EDITOR_KEYS = ("编辑", "责任编辑", "责编", "审核", "审核人", "审稿", "校对")
PHOTOGRAPHER_KEYS = ("摄影", "摄像")
# Site navigation before a web article's title, and page furniture after its text.
BREADCRUMB = re.compile(r"^(?:当前位置|您的位置|您现在的位置|首页)|[>»›](?:\s*[\u4e00-\u9fff]+\s*[>»›])")
BOILERPLATE = re.compile(
    r"^[【\[]?(?:打印|关闭|关闭窗口|打印本页|返回顶部|分享到|扫一扫|相关链接|上一篇|下一篇|字号|【字体)|"
    r"(?:【打印】|【关闭】|\[打印\]|\[关闭\])$"
)


@dataclass
class Byline:
    authors: list[str] = field(default_factory=list)
    contributors: list[str] = field(default_factory=list)
    newspaper: str | None = None
    photographers: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    dateline: tuple[int, int] | None = None  # the month and day a dateline gives (本报北京3月5日电)
    dateline_place: str | None = None  # where a dateline reports from (北京 of 本报北京3月5日电)

    def __bool__(self) -> bool:
        return bool(self.authors or self.contributors or self.newspaper)

    def merge(self, other: Byline) -> None:
        for mine, theirs in (
            (self.authors, other.authors),
            (self.contributors, other.contributors),
            (self.photographers, other.photographers),
            (self.editors, other.editors),
        ):
            mine.extend(n for n in theirs if n not in mine)
        self.newspaper = self.newspaper or other.newspaper
        self.dateline = self.dateline or other.dateline
        self.dateline_place = self.dateline_place or other.dateline_place


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


# --- names in bylines ----------------------------------------------------------------------------------


def _is_name(part: str) -> bool:
    if not 2 <= len(part) <= 12 or not re.fullmatch(r"[\u4e00-\u9fff·]+", part):
        return False
    if "·" in part:
        return True
    if NOT_A_NAME.search(part):
        return False
    family = all_surnames()
    if part[:2] in family:
        return len(part) <= 4
    return part[0] in family and len(part) <= 3


# what ends a source's or a body's name, never a person's: 兰州日报, 县融媒体中心
NOT_A_NAME = re.compile(r"(?:报|社|台|网|中心|办|局|委|厅|组|部|处|站|院|所|队|室|馆|县|市|区|省|镇|乡|村)$")


def split_names(chunk: str, known: tuple[str, ...] = ()) -> list[str]:
    """Names in a byline chunk: separated by spaces or 、, or run together (王芳李明); a two-character
    name set out with a space between its characters (张 武) is one name."""
    names: list[str] = []
    chunk = re.sub(
        r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff])\s([\u4e00-\u9fff])(?![\u4e00-\u9fff])", r"\1\2", chunk
    )
    for part in re.split(r"[\s、,，/]+", chunk):
        part = part.strip("·")
        if not part:
            continue
        if len(part) <= 3 or "·" in part or not re.fullmatch(r"[\u4e00-\u9fff]+", part):
            names.append(part)
            continue
        names.extend(_split_run(part, known))
    return [n for n in names if 2 <= len(n) <= 8 and re.fullmatch(r"[\u4e00-\u9fff·]+", n)]


def _split_run(run: str, known: tuple[str, ...] = ()) -> list[str]:
    """Split names written without separators (王建国李明华陈芳): known names first, then the cut whose
    parts each start with a surname, preferring common surnames and three-character names."""
    for name in sorted(known, key=len, reverse=True):
        if run.startswith(name) and len(run) > len(name):
            return [name, *_split_run(run[len(name) :], known)]
    if run in known:
        return [run]
    family = all_surnames()
    best: dict[int, tuple[float, list[str]]] = {len(run): (0.0, [])}
    for start in range(len(run) - 1, -1, -1):
        options = []
        for size in (3, 2, 4):
            end = start + size
            if end not in best:
                continue
            part = run[start:end]
            head = part[:2] if size >= 3 and part[:2] in family else part[0]
            if head not in family or (size == 4 and len(head) == 1):
                continue
            cost = 1.0 + min(surname_rank(head), 400) / 400 + (0.3 if size == 2 else 0.0)
            options.append((cost + best[end][0], [part, *best[end][1]]))
        if options:
            best[start] = min(options, key=lambda o: o[0])
    return best[0][1] if 0 in best and len(run) <= 16 else [run]


def parse_byline_inner(inner: str, known: tuple[str, ...] = ()) -> Byline:
    """Roles and names inside a byline, e.g. 全媒体记者/甲 通讯员/乙 丙, 某某晚报融媒体记者/甲."""
    byline = Byline()
    inner = re.sub(rf"{_PAPER}(?=\s*(?:{_ROLE}))", "", inner)  # the paper's name before a role
    pieces = _ROLE_RE.split(inner)
    # split() with one group gives [before, role, names, role, names, ...]
    if len(pieces) == 1:
        byline.authors.extend(n for n in split_names(inner, known) if _is_name(n))
        return byline
    for role, names in zip(pieces[1::2], pieces[2::2], strict=True):
        target = byline.contributors if role in CONTRIBUTOR_ROLES else byline.authors
        names = re.sub(r"(?:报道|摄)$", "", names.strip())
        # 中央人民广播电台记者甲、新华社记者乙: the next reporter's affiliation is not a name
        names = (
            re.sub(r"[、,，][\u4e00-\u9fff]{2,12}$", "", names)
            if names.endswith(("社", "台", "网"))
            else names
        )
        target.extend(n for n in split_names(names, known) if _is_name(n) and n not in target)
    return byline


def match_byline(line: str, known: tuple[str, ...] = ()) -> tuple[Byline, str] | None:
    """A byline or dateline at the start of a paragraph, and the text after it."""
    for form in BYLINE_FORMS:
        m = form.match(line)
        if not m:
            continue
        groups = m.groupdict()
        inner = groups.get("inner") or groups.get("reported") or ""
        byline = parse_byline_inner(inner, known) if inner else Byline()
        if inner and not (byline.authors or byline.contributors):
            if groups.get("inner") and form is BYLINE_FORMS[0]:
                continue
            if groups.get("inner"):
                # 新华社北京3月5日电(二〇二三年三月五日): a dateline whose parentheses hold no names
                byline = Byline()
        if form is BYLINE_FORMS[0] and not _ROLE_RE.search(inner):
            continue  # 某某报(…) without a role word is prose, not a byline
        byline.newspaper = groups.get("paper") or groups.get("via") or groups.get("agency") or _site(groups)
        byline.dateline = _dateline(groups)
        byline.dateline_place = groups.get("where") or None
        return byline, line[m.end() :]
    m = BARE_BYLINE.match(line)
    if m and not re.search(r"摄\s*$", line):
        byline = parse_byline_inner(m.group("inner"), known)
        byline.newspaper = m.group("paper")
        if byline.authors or byline.contributors:
            return byline, ""
    for form in (BRACKET_BYLINE, REPORTED_LEAD, LEAD_BYLINE):
        m = form.match(line)
        if not m:
            continue
        groups = m.groupdict()
        inner = groups.get("inner") or groups.get("reported") or ""
        if not _ROLE_RE.search(inner) or (form is LEAD_BYLINE and not LEAD.match(line[m.end() :])):
            continue
        byline = parse_byline_inner(inner, known)
        if byline.authors or byline.contributors:
            byline.newspaper = groups.get("paper")
            return byline, line[m.end() :]
    m = AUTHOR_LINE.match(line)
    if m:
        names = [n for n in split_names(m.group("inner"), known) if _is_name(n)]
        if names:
            return Byline(authors=names), ""
    return None


def _dateline(groups: dict[str, str | None]) -> tuple[int, int] | None:
    from graph.nlp.dates import cn_number

    if groups.get("month") and groups.get("day"):
        month, day = int(groups["month"] or 0), int(groups["day"] or 0)
    elif groups.get("cn_month") and groups.get("cn_day"):
        month, day = cn_number(groups["cn_month"] or ""), cn_number(groups["cn_day"] or "")
    else:
        return None
    return (month, day) if 1 <= month <= 12 and 1 <= day <= 31 else None


def _site(groups: dict[str, str | None]) -> str | None:
    site = groups.get("site")
    return site or None


def photo_credits(text: str) -> list[str]:
    """Photographers credited in a text: 记者 甲 摄, (甲/摄), 摄影/乙."""
    found: list[str] = []
    for m in PHOTO_CREDIT.finditer(text):
        chunk = m.group("names") or m.group("bare") or m.group("shot") or ""
        for name in split_names(chunk):
            if _is_name(name) and name not in found:
                found.append(name)
    return found


# --- line classification ------------------------------------------------------------------------------


def is_complete(paragraph: str) -> bool:
    return not paragraph or paragraph[-1] in TERMINAL


def is_headline(line: str) -> bool:
    if PAGE_FURNITURE.search(line) or DATE_LINE.match(line):
        return False
    line = DIGEST_MARK.sub("", line)
    if not line or len(line) > MAX_HEADLINE or line[-1] in "。！？!?；;…:：，,、" or "。" in line:
        return False
    if line[0] in "(（" and line[-1] in ")）":
        return False  # an editor's note: (本文为…结束篇)
    if HEADLINE_TAG.search(line):
        return True
    if re.match(r"^(?:(?:19|20)\d\d年)?\d{1,2}月\d{1,2}日[^,，]{0,8}[,，]", line):
        return False  # a dated lead cut short is a paragraph
    return not CREDIT_END.search(line)


def is_broken(paragraph: str) -> bool:
    """A paragraph the layout cut mid-sentence: long, and ending without sentence punctuation."""
    return (
        len(paragraph) >= MIN_BROKEN_PARAGRAPH
        and not is_complete(paragraph)
        and not CREDIT_END.search(paragraph)
        and paragraph[-1] not in ":："
    )


def is_credit_line(line: str) -> bool:
    """A photo or editing credit (通讯员供图) never continues the paragraph before it."""
    return bool(CREDIT_END.search(line)) and len(line) < 12


def _metadata(line: str) -> dict[str, str] | None:
    """Key-value pairs of a metadata line (来源：甲 发布时间：…), or None for prose."""
    if len(line) > 160:
        return None
    stripped = line.strip("【】[] ")
    timestamp = _TIMESTAMP_START.match(stripped)
    rest = stripped[timestamp.end() :] if timestamp and timestamp.end() > 0 else stripped
    pairs = {re.sub(r"^(?:信息|文章|稿件|新闻)", "", k): v.strip(" |｜") for k, v in _META_PAIR.findall(rest)}
    if timestamp and timestamp.end() > 0 and (pairs or not rest.strip()):
        pairs.setdefault("时间", timestamp.group())
        return pairs
    if not pairs:
        return None
    if not METADATA_LINE.match(stripped) and len(pairs) < 2:
        return None
    if any(c in v for v in pairs.values() for c in "。"):
        return None
    return pairs


def _unspaced(line: str) -> str:
    """通 讯 员 王成虎: a role word set out with spaces is the role word."""
    return re.sub(r"(?<=[通记])\s+(?=[讯者])|(?<=讯)\s+(?=员)|(?<=[摄编])\s+(?=[影辑])", "", line)


def classify(line: str) -> Kind:
    if TAG_LINE.match(line):
        return Kind.TAG
    if MASTHEAD.match(line) or WEB_JUNK.search(line):
        return Kind.FURNITURE
    line = _unspaced(line)
    if BREADCRUMB.search(line) or BOILERPLATE.search(line):
        return Kind.FURNITURE
    if (PAGE_FURNITURE.search(line) and len(line) < 40) or DATE_LINE.match(line):
        return Kind.FURNITURE
    if (METADATA_LINE.match(line) or _TIMESTAMP_START.match(line)) and _metadata(line) is not None:
        return Kind.META
    if (BARE_BYLINE.match(line) or AUTHOR_LINE.match(line)) and match_byline(line):
        return Kind.BYLINE
    if CAPTION_START.match(line):
        return Kind.CAPTION
    if is_headline(line):
        bare = DIGEST_MARK.sub("", line)
        if SECTION_HEAD.match(bare) and not DIGEST_MARK.match(line):
            return Kind.SECTION
        return Kind.HEAD
    if len(line) < 160 and (
        CAPTION_CREDIT.search(line)
        or (re.search(r"(?:摄|供图|摄影)\s*[)）]?$", line) and photo_credits(line))
    ):
        return Kind.CAPTION
    if (
        DIGEST_MARK.match(line)
        and BARE_BYLINE.match(DIGEST_MARK.sub("", line) + "") is None
        and re.search(r"记者组|记者站|通讯组$", line)
    ):
        return Kind.BYLINE
    return Kind.PARA


# --- splitting ----------------------------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    kind: Kind
    gap: int = 0  # blank lines before it


@dataclass
class _Start:
    head: int  # first line of the headline run
    body: int  # first line after it
    strength: int  # 3: marked or anchored; 2: a dated lead follows; 1: any paragraph follows


def split_articles(text: str) -> list[RawArticle]:
    """All articles of one file: a web article with metadata lines, a newspaper page, or a digest."""
    lines = _read_lines(text)
    if not lines:
        return []
    starts = _starts(lines)
    articles: list[RawArticle] = []
    bounds = _article_bounds(lines, starts)
    known = _tag_names(lines)
    for head, body, end in bounds:
        article = _article(lines, head, body, end, known)
        if article is not None:
            articles.append(article)
    _restore_moved_tails(articles)
    # a column's title standing before its first item is no article
    kept = [a for a in articles if a.paragraphs and (a.headline or len(a.body) >= 20 or a.byline)]
    return kept or articles[:1]


def _read_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    gap = 0
    for raw in text.split("\n"):
        line = _unspaced(raw.strip())
        if not line:
            gap += 1
            continue
        lines.append(_Line(line, classify(line), gap))
        gap = 0
    # navigation before the title, boilerplate after the text
    while lines and lines[0].kind is Kind.FURNITURE and BREADCRUMB.search(lines[0].text):
        lines.pop(0)
    while len(lines) > 2 and (BOILERPLATE.search(lines[-1].text) or lines[-1].kind is Kind.META):
        if lines[-1].kind is Kind.META and not _is_trailing_metadata(lines[-1].text):
            break
        lines.pop()
    return lines


def _is_trailing_metadata(line: str) -> bool:
    pairs = _metadata(line) or {}
    return bool(pairs) and all(
        k in EDITOR_KEYS or k in ("来源", "作者", "供稿", "浏览次数", "点击数") for k in pairs
    )


def _breaks(lines: list[_Line]) -> set[int]:
    """Lines after a wider gap than paragraphs get: where a page separates its articles."""
    gaps = [ln.gap for ln in lines[1:]]
    single = sum(1 for g in gaps if g == 1)
    wide = [i for i, ln in enumerate(lines) if i > 0 and ln.gap >= 2]
    if wide and single >= len(wide):
        return set(wide)
    return set()


def _starts(lines: list[_Line]) -> list[_Start]:
    breaks = _breaks(lines)
    anchors = [_is_anchor(ln) for ln in lines]
    found: list[_Start] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.kind is not Kind.HEAD or not (_after_finished(lines, i) or _anchored_run(lines, anchors, i)):
            i += 1
            continue
        end = i + 1
        while (
            end < len(lines)
            and lines[end].kind is Kind.HEAD
            and not DIGEST_MARK.match(lines[end].text)
            and end not in breaks
            and end - i < 4
        ):
            end += 1
        body = end
        while body < len(lines) and lines[body].kind in (Kind.FURNITURE, Kind.META):
            body += 1
        if body > end and any(lines[k].kind is Kind.META for k in range(end, body)):
            # a web page's title, its metadata, then the article's own heads: all heads of one article
            while body < len(lines) and lines[body].kind in (Kind.HEAD, Kind.FURNITURE) and body - end < 8:
                body += 1
        if body >= len(lines) or lines[body].kind in (Kind.TAG, Kind.SECTION):
            i = end
            continue
        if body < len(lines) and lines[body].kind is Kind.HEAD and DIGEST_MARK.match(lines[body].text):
            i = body  # a column title over marked items is no article
            continue
        top = all(ln.kind in (Kind.FURNITURE, Kind.META) for ln in lines[:i])
        strength = 1 if (top or lines[i - 1].kind in (Kind.PARA, Kind.CAPTION, Kind.META, Kind.TAG)) else 0
        after = body
        while after < len(lines) and after - body < 4 and lines[after].kind in (Kind.CAPTION, Kind.HEAD):
            after += 1
        if (
            DIGEST_MARK.match(line.text)
            or i in breaks
            or (after < len(lines) and anchors[after])
            or any(
                lines[k].kind is Kind.FURNITURE and DATE_LINE.match(lines[k].text) for k in range(end, body)
            )
        ):
            strength = 3
        elif lines[body].kind is Kind.PARA and LEAD.match(lines[body].text) and len(_bare(line.text)) >= 5:
            strength = 2
        found.append(_Start(i, body, strength))
        i = body
    return _chosen(found, lines)


def _anchored_run(lines: list[_Line], anchors: list[bool], i: int) -> bool:
    """A headline run followed by a byline starts an article even after a paragraph a tail was cut from."""
    k = i
    while k < len(lines) and k - i < 5 and lines[k].kind in (Kind.HEAD, Kind.CAPTION):
        k += 1
    return k > i and k < len(lines) and anchors[k]


def _bare(text: str) -> str:
    return DIGEST_MARK.sub("", text)


def _is_anchor(line: _Line) -> bool:
    if line.kind is Kind.BYLINE:
        return True
    if line.kind is not Kind.PARA:
        return False
    found = match_byline(line.text)
    return found is not None


def _after_finished(lines: list[_Line], i: int) -> bool:
    """A headline follows the start of the file, a finished paragraph, or what is not text."""
    if i == 0:
        return True
    before = lines[i - 1]
    if before.kind in (Kind.FURNITURE, Kind.META, Kind.TAG, Kind.CAPTION, Kind.BYLINE):
        return True
    if before.kind is Kind.PARA:
        return is_complete(before.text) or before.text.endswith("...") or _has_trailing_byline(before.text)
    return before.kind is Kind.SECTION


def _has_trailing_byline(text: str) -> bool:
    return bool(TRAILING_ROLE_BYLINE.search(text) or TRAILING_BYLINE.search(text))


def _chosen(found: list[_Start], lines: list[_Line]) -> list[_Start]:
    """Which starts split: anchored ones always; dated leads where they are how the page is made;
    any headline where nothing else structures a file of several items."""
    found = [s for s in found if s.strength > 0]
    strong = sum(1 for s in found if s.strength == 3)
    dated = sum(1 for s in found if s.strength == 2)
    if strong:
        keep = 2 if dated >= 2 * strong else 3
        chosen = [s for s in found if s.strength >= keep]
        first = chosen[0].head if chosen else len(lines)
        # before the first anchored article, dated items still split
        chosen = [s for s in found if s.head < first and s.strength == 2] + chosen
        return sorted(chosen, key=lambda s: s.head)
    first = next((k for k, ln in enumerate(lines) if ln.kind not in (Kind.FURNITURE, Kind.META)), 0)
    if dated:
        return [s for s in found if s.strength >= 2 or s.head == first]
    web = any(ln.kind is Kind.META for ln in lines[:6])
    if len(found) > 1 and not web:
        return found
    return [s for s in found if s.head == first]


def _article_bounds(lines: list[_Line], starts: list[_Start]) -> list[tuple[int | None, int, int]]:
    """(headline line or None, first body line, end) for each article, in order; tag lines close items."""
    bounds: list[tuple[int | None, int, int]] = []
    cuts = sorted({s.head for s in starts})
    body_of = {s.head: s.body for s in starts}
    tags = [i for i, ln in enumerate(lines) if ln.kind is Kind.TAG]
    points = sorted(set(cuts) | {t + 1 for t in tags if t + 1 < len(lines)})
    if not points or points[0] != 0:
        points = [0, *points]
    for n, point in enumerate(points):
        end = points[n + 1] if n + 1 < len(points) else len(lines)
        if point in body_of:
            bounds.append((point, body_of[point], end))
        else:
            bounds.append((None, point, end))
    return bounds


def _tag_names(lines: list[_Line]) -> tuple[str, ...]:
    names: list[str] = []
    for ln in lines:
        names.extend(_names_in_tag(ln.text))
    return tuple(dict.fromkeys(names))


def _names_in_tag(line: str) -> list[str]:
    """The names a tag line ends with, after its page marker: [报] 2023-02-09 要闻 A01版 甲 乙."""
    m = TAG_LINE.match(line)
    if not m:
        return []
    words = m.group("rest").split()
    page = next((k for k, w in enumerate(words) if re.fullmatch(r"[A-Z]?\d{1,3}版", w)), None)
    return [w for w in words[page + 1 :] if _is_name(w)] if page is not None else []


def _article(
    lines: list[_Line], head: int | None, body: int, end: int, known: tuple[str, ...]
) -> RawArticle | None:
    headline, subheadline = "", None
    byline = Byline()
    metadata: dict[str, str] = {}
    if head is not None:
        meta_at = next((k for k in range(head, body) if lines[k].kind is Kind.META), body)
        run = [_bare(ln.text) for ln in lines[head:meta_at] if ln.kind is Kind.HEAD]
        print_heads = [_bare(ln.text) for ln in lines[meta_at:body] if ln.kind is Kind.HEAD]
        headline, subheadline, author = _headline_of(run)
        if print_heads:
            # a web page's title, then the print article's own heads: those are its subheadline
            printed, printed_sub, printed_author = _headline_of(print_heads)
            subheadline = " ".join(x for x in (subheadline, printed, printed_sub) if x) or None
            author = author or printed_author
        if author:
            byline.authors.append(author)
        for ln in lines[head:body]:
            if ln.kind is Kind.META:
                metadata.update(_metadata(ln.text) or {})
    paragraphs: list[str] = []
    taken_byline = False
    for ln in lines[body:end]:
        if ln.kind is Kind.META:
            metadata.update(_metadata(ln.text) or {})
            continue
        if ln.kind is Kind.TAG:
            if not (byline.authors or byline.contributors):
                byline.authors.extend(_names_in_tag(ln.text))
            continue
        if ln.kind is Kind.FURNITURE:
            if METADATA_LINE.match(ln.text):  # 编辑:甲 审核:乙 at the article's foot names its editors
                found = _metadata(ln.text) or {}
                metadata.update({k: v for k, v in found.items() if k in EDITOR_KEYS and k not in metadata})
            continue
        text = ln.text
        if ln.kind is Kind.BYLINE and not paragraphs:
            found = match_byline(text, known)
            if found is not None:
                byline.merge(found[0])  # bylines stacked under a headline: ■通讯员 甲 / 记者 乙
                taken_byline = True
                continue
        if not taken_byline and ln.kind in (Kind.PARA, Kind.BYLINE) and len(paragraphs) <= 3:
            found = match_byline(text, known)
            if found is not None:
                inner, rest = found
                if inner.authors or inner.contributors:
                    byline.authors.clear()  # a byline overrides names read from a tag line
                byline.merge(inner)
                taken_byline = True
                if not rest.strip():
                    continue
                text = rest.strip()
        paragraphs.append(text)
    paragraphs = _join_broken(paragraphs)
    _apply_metadata(metadata, byline)
    if not taken_byline:
        _inline_byline(paragraphs, byline, known)
    _trailing_byline(paragraphs, byline)
    for p in paragraphs:
        for name in photo_credits(p):
            if name not in byline.photographers:
                byline.photographers.append(name)
    if not paragraphs and not headline:
        return None
    dangling = bool(paragraphs) and is_broken(paragraphs[-1]) and end < len(lines)
    return RawArticle(headline, subheadline, paragraphs, byline, metadata, dangling=dangling)


def _headline_of(run: list[str]) -> tuple[str, str | None, str | None]:
    """The headline of a run of headline lines, its subheadline, and an author named on a line of its
    own under it (a commentary's author). A kicker (a county's name) or a section title before the
    headline is dropped; a date a digest prints after it is not part of it."""
    run = [re.sub(r"\s*\d{1,2}月\d{1,2}日$", "", ln) for ln in run]
    run = [ln for ln in run if ln]
    if not run:
        return "", None, None
    author = None
    if len(run) > 1 and _is_name(run[-1]) and len(run[-1]) <= 4 and len(run[0]) > MAX_KICKER:
        author = run.pop()
    kickers = [k for k, ln in enumerate(run) if len(ln) <= MAX_KICKER]
    if kickers and len(run) > 1 and kickers[-1] + 1 < len(run):
        run = run[kickers[-1] + 1 :]
    headline = run[0]
    subheadline = " ".join(run[1:]) or None
    return headline, subheadline, author


def _inline_byline(paragraphs: list[str], byline: Byline, known: tuple[str, ...]) -> None:
    """A dateline later in the first paragraph, after captions run into it (…摄本报讯(记者甲)…)."""
    if not paragraphs:
        return
    m = re.search(rf"(?:本报|{_PAPER})[\u4e00-\u9fff\d]{{0,10}}?讯\s*{_PAREN}", paragraphs[0][:400])
    if m and m.start() > 0:
        found = parse_byline_inner(m.group("inner"), known)
        if found.authors or found.contributors:
            byline.authors.clear()
            byline.merge(found)


def _trailing_byline(paragraphs: list[str], byline: Byline) -> None:
    """A closing (甲 乙) or ■通讯员 乙 names the reporters when nothing else did."""
    if not paragraphs or byline.authors or byline.contributors:
        return
    last = len(paragraphs) - 1
    while last > 0 and len(paragraphs) - last < 3 and re.search(r"[:：]$|链接|附件", paragraphs[last]):
        last -= 1  # 两个报告链接: after the article's last paragraph
    if last != len(paragraphs) - 1:
        tail = paragraphs[last + 1 :]
        del paragraphs[last + 1 :]
        _trailing_byline(paragraphs, byline)
        paragraphs.extend(tail)
        return
    m = TRAILING_ROLE_BYLINE.search(paragraphs[-1])
    if m:
        found = parse_byline_inner(m.group("inner"))
        if found.authors or found.contributors:
            byline.merge(found)
            _cut_last(paragraphs, m.start())
            return
    m = TRAILING_BYLINE.search(paragraphs[-1])
    if not m:
        return
    found = parse_byline_inner(m.group("inner"))
    names = found.authors + found.contributors
    if names and all(_is_name(n) for n in names):
        byline.merge(found)
        _cut_last(paragraphs, m.start())


def _cut_last(paragraphs: list[str], at: int) -> None:
    paragraphs[-1] = paragraphs[-1][:at].rstrip()
    if not paragraphs[-1]:
        paragraphs.pop()


def _apply_metadata(meta: dict[str, str], byline: Byline) -> None:
    """A web page's metadata names its source and its people: 作者, 通讯员, 编辑, 审核."""
    paper = meta.get("来源")
    if paper and not byline.newspaper:
        byline.newspaper = paper
    for keys, target in (
        (AUTHOR_KEYS, byline.authors),
        (CONTRIBUTOR_KEYS, byline.contributors),
        (EDITOR_KEYS, byline.editors),
        (PHOTOGRAPHER_KEYS, byline.photographers),
    ):
        for key in keys:
            for name in split_names(meta.get(key, "")):
                if _is_name(name) and name not in target:
                    target.append(name)


# a paragraph that ends on one of these, or a line that starts with one, continues a sentence
OPEN_END = frozenset("，,、：:的和与及或在对把被从向为以将")
OPEN_START = frozenset("，,、。；;的了着过地得")


# a day and part of day alone on a line, as a live blog sets it: 3月1日上午
LONE_DAY = re.compile(r"^(?:(?:19|20)\d\d年)?\d{1,2}月\d{1,2}日(?:上午|下午|晚上|早上|中午|晚)$")


def _wrap_width(lines: list[str]) -> int | None:
    """The width a text was hard-wrapped at: two or more unfinished lines of about the same length."""
    lengths = sorted(len(ln) for ln in lines if len(ln) >= MIN_BROKEN_PARAGRAPH and not is_complete(ln))
    return next((b for a, b in itertools.pairwise(lengths) if b - a <= 1), None)


def _continues(paragraph: str, line: str, width: int | None) -> bool:
    """Whether `line` carries on the unfinished `paragraph`: the text is hard-wrapped, the paragraph is
    running text, the cut falls inside a phrase, or the segmenter reads a word across it. A live blog's
    short entries (甲致辞, 乙主持仪式) end cleanly and stay apart."""
    if width is not None and len(paragraph) >= width - 2:
        return True
    if paragraph[-1] in OPEN_END or line[:1] in OPEN_START:
        return True
    if len(paragraph) >= 2 * MIN_BROKEN_PARAGRAPH or re.search(r"[，,。；;]", paragraph):
        return True  # running text, not a short entry: cut at the line's end (督查…等重点 / 工作。)
    left = paragraph[-4:]
    return any(t.start < len(left) < t.end for t in tokenize(left + line[:4]))


def _join_broken(lines: list[str]) -> list[str]:
    """Rejoin paragraphs the layout broke mid-sentence or mid-word; a headline-like line, a caption or a
    byline is never glued on."""
    paragraphs: list[str] = []
    width = _wrap_width(lines)
    for line in lines:
        if paragraphs and LONE_DAY.match(paragraphs[-1]) and not match_byline(line):
            paragraphs[-1] += line  # 3月1日上午 on a line of its own opens the sentence below it
        elif (
            paragraphs
            and is_broken(paragraphs[-1])
            and _continues(paragraphs[-1], line, width)
            and _is_prose(paragraphs[-1])
            and not is_credit_line(line)
            and classify(line) not in (Kind.CAPTION, Kind.BYLINE, Kind.META, Kind.TAG)
            and not match_byline(line)
        ):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
    return paragraphs


def _is_prose(paragraph: str) -> bool:
    """Running text, not a line of headings or names set apart by spaces (甲讲话 乙出席)."""
    return bool(re.search(r"[，,。；;、]", paragraph)) and not re.search(
        r"[\u4e00-\u9fff]\s{1,3}[\u4e00-\u9fff]", paragraph[-12:]
    )


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
