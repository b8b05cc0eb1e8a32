"""Recognizers: persons, titles, organizations, places and projects in an article's text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.nlp.divisions import WorldPlace, world_places
from graph.nlp.lexicons import (
    BARE_BODIES,
    CENTRAL_BODIES,
    DEPARTMENTS,
    LIST_TITLES,
    NAME_ENDERS,
    NOT_NAME_ENDINGS,
    ORG_SUFFIXES,
    POSITIONS,
    SELF_SCOPED_POSITIONS,
    VISIT_VERBS,
    all_surnames,
    alternation,
    surnames,
)
from graph.nlp.resolve import ZONE_FORMS, Locale, Prefixes
from graph.nlp.segment import Token
from graph.nlp.tagger import Tagged

CJK = re.compile(r"[\u4e00-\u9fff]")
POSITION_RE = re.compile(alternation(POSITIONS))
POSITION_END_RE = re.compile(f"(?:{alternation(POSITIONS)})$")
WEAK_POSITIONS = frozenset({"领导", "代表", "成员", "委员", "负责人", "理事", "常委", "教授", "研究员"})
ENDER_RE = re.compile(alternation(NAME_ENDERS))
VERB_ENDERS = frozenset(NAME_ENDERS) - {"的", "和", "与", "及", "、", "，", "。", "(", "（", "家", "等"}
SHORT_NAME_HINT = frozenset("等和与及的是在说作来到赴对向为将率")
# Characters and words a noun phrase never crosses when read leftwards.
STOP_CHARS = frozenset(
    "，,。；;：:！!？?、“”\"‘’'《》()（）[]【】 \n\t"
    "的在是了和与及对把将由从向为等被给让于以或而并也都还又就才只"
)
STOP_WORDS = re.compile(
    r"(?:会见|看望|慰问|邀请|感谢|陪同|听取|要求|希望|主持|出席|参加|包括|以及|其中|还有|分别|当选|担任|任命|兼任|"
    r"受|赴|经(?![开济信贸管营委发纬])|发现|表决|审议|同意|会同|按照|根据|密切|围绕|时任|考进|深入|走进|"
    r"来自|作为|获悉|了解|通过|建成|开展|举行|召开|率队|带队|前往|来到|走进|"
    r"加快|推进|打造|聚焦|发布|启动|公示|成立|设立|荣获|获得|位于|年产|具备|实现|完成|进入|今年|目前|近日|日前|"
    r"抓好|抓实|做好|落实|确保|要|全力|大力|着力|争取|力争|支持|引进|签约|包括|其中|推动|促进|带动|引导)"
)
ORG_SUFFIX_RE = re.compile(f"(?:{alternation(ORG_SUFFIXES)})")
ORG_END_RE = re.compile(f"(?:{alternation(ORG_SUFFIXES)})$")
STRONG_ORG_SUFFIX = re.compile(
    r"(?:有限责任公司|股份有限公司|有限公司|集团|公司|银行|医院|大学|学院|中学|小学|学校|幼儿园|协会|学会|商会|联盟|"
    r"研究院|研究所|基金会|报社|电视台|出版社|委员会|主席团|党支部|党总支|日报|晚报|晨报|早报|都市报|卫视|"
    r"广播电台|融媒体中心|酒店|宾馆|饭店|超市|合作社|事务所|中心组|领导小组|指挥部|消防大队|救援支队|厂|电站|核电站|"
    r"水电站|电厂|军区|军分区)$"
)
# A name never ends with these, though they end with an organization word: 部署, 全局, 干部
NOT_ORG_END = re.compile(
    r"(?:部署|全局|大局|格局|布局|结局|当局|局部|干部|内部|外部|全部|局面|基层|办法|举办|创办|开办|主办|承办|协办|"
    r"查处|到处|益处|好处|难处|之处|住处|各处|处处|场所|厕所|处所|所所|站站|车站|网站|驿站|一站|首站|停车站)$"
)
# What an organization's name never holds: an event or an act (会议, 学习), a person's role (负责同志)
NOT_IN_ORG = re.compile(r"会议|学习会|暨|负责同志|负责人|同志|活动|工作会|行政中心|市民中心|[，,。；;、“”\"]")
LEGAL_FORM = re.compile(r"(?:股份有限公司|有限责任公司|有限公司)")
# 某某日报社机关党委 belongs to 某某日报社: a body inside a firm's, a paper's or a school's name
FIRM_PARENT = re.compile(
    r"^[\u4e00-\u9fff]{2,20}?(?:日报社|报社|有限公司|有限责任公司|集团|大学|学院|医院|电视台|出版社)(?=[\u4e00-\u9fff]{2})"
)
# 十五届十四次常委会: a session of a body is a meeting, not the body
SESSION = re.compile(r"(?:[一二三四五六七八九十]{1,3}|\d{1,3})次(?:全体|常委|常务|会议|全会|主任|主席)")
# 第十三届, 十一届, 108次: a body's name is followed by its term or a session number
ORDINAL_START = re.compile(r"第|[一二三四五六七八九十]{1,3}[届次]|\d{1,3}[届次]")
LEADS = (
    "中共",
    "共青团",
    "团市委",
    "团省委",
    "团县委",
    "团区委",
    "党的",
    "中央",
    "国务院",
    "全国",
    "国家",
    "政协",
    "中国",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
)
LEVEL_CHARS = "省市区县州镇乡村旗盟"
GENERIC_ORGS = frozenset(
    {
        "部门",
        "单位",
        "政府",
        "企业",
        "公司",
        "学校",
        "协会",
        "中心",
        "机构",
        "全市",
        "全省",
        "党支部",
        "党委",
        "党组",
        "支部",
        "机关",
        "集团",
        "大集团",
        "总公司",
        "厂",
        "工厂",
    }
)
SCHOOL_ABBR = re.compile(r"(?:市|区|县)(?:[一二三四五六七八九十]{1,3}|第[一二三四五六七八九十]{1,3})中")


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    text: str
    level: str = ""  # the level a coordinated body takes from the list it is in (市 of 市人大、政府)


def name_at(text: str, p: int, rare: bool = False) -> tuple[str, bool] | None:
    """The person's name starting at p, and whether both its ends are certain; `rare` admits the rare
    surnames that are also words, where a title before the name vouches for it."""
    family = all_surnames() if rare else surnames()
    if text[p : p + 2] in family:
        s = 2
    elif text[p : p + 1] in family:
        s = 1
    else:
        return None
    ends = []
    for k in (s + 1, s + 2):
        chunk = text[p + s : p + k]
        if len(chunk) != k - s or not all(CJK.match(c) for c in chunk):
            break
        after = text[p + k : p + k + 4]
        if not after or not CJK.match(after[0]) or ENDER_RE.match(after):
            ends.append(k)
        if any(c in '，,。、；;：:！？!?“”"()（）\n ' for c in chunk):
            break
    if not ends:
        return None
    # two possible ends (李芳作宣讲): a verb-like character after the shorter name decides
    k = ends[0] if len(ends) == 1 or text[p + ends[0]] in SHORT_NAME_HINT else ends[-1]
    name = text[p : p + k]
    if name[-1] in NOT_NAME_ENDINGS or name[1:] in POSITIONS:
        return None
    return name, len(ends) == 1


def phrase_start(
    text: str, end: int, head: int, limit: int = 30, protected: frozenset[int] = frozenset()
) -> int:
    """Where a noun phrase ending at `end` begins: back to punctuation or a function word, and after the
    last verb that precedes its head word (which starts at `head`)."""
    start = end
    # a function character inside a name (华为, 和平区) does not end the phrase
    while start > 0 and (text[start - 1] not in STOP_CHARS or start - 1 in protected) and end - start < limit:
        start -= 1
    last = None
    for m in STOP_WORDS.finditer(text, start, head):
        last = m
    return last.end() if last else start


def title_before(
    text: str, end: int, leads: Prefixes, protected: frozenset[int] = frozenset()
) -> tuple[int, str] | None:
    """The title that ends at `end` (just before a name): (start, title), or None."""
    m = POSITION_END_RE.search(text[max(0, end - 12) : end])
    if m is None:
        return None
    head = end - (len(m.group()))
    start = phrase_start(text, end, head, 40, protected)
    if text[max(0, start - 2) : start] == "党的":
        start -= 2
    run = text[start:end]
    date = re.match(r"^\d+月\d+日(?:上午|下午|晚上|晚)?", run)
    if date:
        start += date.end()
        run = run[date.end() :]
    title_start = _title_start(run, leads)
    if title_start is None:
        return None
    title = run[title_start:]
    if title in WEAK_POSITIONS or len(title) < 2:
        return None
    return start + title_start, title


def _title_start(run: str, leads: Prefixes) -> int | None:
    position = POSITION_END_RE.search(run)
    if position is None:
        return None
    # 教育局长, 宣传部长: the body's last character is the post's first (局 of 局长)
    body_end = position.start() + (1 if run[position.start()] in "局部厅处科所站院社校馆行" else 0)
    for i in range(0, position.start() + 1):
        rest = run[i:]
        if rest.startswith(LEADS) or (rest[:1] in LEVEL_CHARS and i == 0):
            return i
        if leads.match(rest):
            return i
        if i == 0 and (TOWNSHIP_BODY.match(rest) or ZONE_BODY.search(run, 0, position.start())):
            return 0  # 某某镇党委书记, 某某经济开发区党工委书记: a township or zone the tables do not know
        if i == 0 and (
            ORG_SUFFIX_RE.search(run[: position.start()])
            or (body_end > position.start() and ORG_SUFFIX_RE.search(run[:body_end]) and body_end >= 3)
        ):
            return 0
    if position.group() not in WEAK_POSITIONS:
        return position.start()
    party = re.search(r"党的[一二三四五六七八九十]+大代表$", run)
    return party.start() if party else None


def speaker_label(text: str, name_start: int) -> int | None:
    """Where a title that stands alone at the start of a line ends, when only spaces part it from the
    name that follows (an interview's speaker label, 政协委员 甲：), else None."""
    line_start = text.rfind("\n", 0, name_start) + 1
    before = text[line_start:name_start]
    title = before.rstrip(" \u3000")
    if title == before or not title or not POSITION_END_RE.search(title) or not CJK.match(title[0]):
        return None
    return line_start + len(title)


def title_chain(
    text: str, name_start: int, leads: Prefixes, protected: frozenset[int] = frozenset()
) -> list[tuple[int, int, str]]:
    """All titles stated before a name: 市委副书记、市委政法委书记王建华 gives both, nearest last."""
    chain: list[tuple[int, int, str]] = []
    end = name_start
    while True:
        found = title_before(text, end, leads, protected)
        if found is None:
            break
        start, title = found
        chain.append((start, end, title))
        if start > 0 and text[start - 1] == "、":
            end = start - 1
            continue
        if start > 0 and text[start - 1] in ",，":
            # a comma joins titles only when what precedes it is itself a whole title (党的二十大代表,)
            prev = title_before(text, start - 1, leads, protected)
            if (
                prev
                and (prev[0] == 0 or text[prev[0] - 1] in "。；;\n，,、")
                and not _ends_with_name(text, start - 1)
            ):
                end = start - 1
                continue
        break
    chain.reverse()
    return chain


def _ends_with_name(text: str, end: int) -> bool:
    for k in (2, 3):
        if end - k >= 0 and name_at(text, end - k) and name_at(text, end - k)[0] == text[end - k : end]:
            return True
    return False


def implied_titles(chain: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Bare posts after a titled one take its organization: 省妇联党组书记、主席 → 省妇联主席."""
    result = []
    previous_org = ""
    for start, end, title in chain:
        position = POSITION_END_RE.search(title)
        org = title[: position.start()] if position else ""
        if not org and previous_org and not SELF_SCOPED_POSITIONS.match(title) and title in POSITIONS:
            result.append((start, end, previous_org + title))
            continue
        if org:
            previous_org = re.sub(r"(?:党组|党委|党工委)$", "", org) or org
        result.append((start, end, title))
    return result


def title_organization(title: str) -> str | None:
    """The body a title belongs to: 市委政法委书记 → 市委政法委; 副市长 → 市政府."""
    position = POSITION_END_RE.search(title)
    if position is None:
        return None
    org = title[: position.start()]
    org = re.sub(r"(?:党组|党委)$", "", org) if not org.endswith(("党工委",)) else org
    if not org:
        m = SELF_SCOPED_POSITIONS.match(title)
        if m:
            level = re.sub(r"^(?:常务)?[副代]?", "", title)[0]
            return level + "政府" if level in "省市区县州" else None
        return None
    if org in ("市", "省", "区", "县") or LIST_TITLES.search(title):
        return None
    if re.search(r"[一二三四五六七八九十]+大$", org) or org.startswith("党的"):
        return None
    if not ORG_END_RE.search(org) or STOP_WORDS.search(org):
        return None
    return org


ORG_FOLLOWERS = re.compile(
    r"(?:驻|这一|这个|这些|这项|评论员|编辑部|社论|调研|考察|视察|检查|督导|督查|慰问|看望|走访|监督|同意|批准|全会|任务|组成人员|全体|成员|小记者|记者|专访|采访|"
    r"报道|提交|关于|《|印发|出台|制定|开展|组织|领导|指导|牵头|部署|审议|研究|听取|接待|发言|汇报|"
    r"获悉|组织|召开|举行|联合|发布|印发|下发|相关|负责|主办|承办|协办|党组|党委|系统|要求|指出|表示|近日|日前|今年|"
    r"邀请|特意|积极|坚持|高度|认真|通过|会同|牵头|派出|专门|常务|常委会|会议|工作|校门|门口|门前|大门|老师|教师|"
    r"学生|师生|干部|职工|员工|党员|工作人员|共|已|均|将|把|对|和|与|及|在|的|为|是|等|、)"
)


# 中心任务, 中心工作: 中心 as "central", not a body's word
CENTRAL_NOUNS = ("任务", "工作", "环节", "思想", "地位", "作用", "城区")


def _org_ends_at(text: str, end: int) -> bool:
    """An organization word ends a name only where a new word begins (not 部 of 部门, 局 of 局面)."""
    if text.endswith("中心", 0, end) and text.startswith(CENTRAL_NOUNS, end):
        return False  # 中心任务: no body
    if text.startswith("中心", end) and text.startswith(CENTRAL_NOUNS, end + 2):
        return True  # 围绕市政府中心工作: the body ends before it
    if end >= len(text) or text[end] in STOP_CHARS or not CJK.match(text[end]):
        return True
    if text.endswith(("有限公司", "有限责任公司", "集团"), 0, end):
        return True  # a firm's legal form ends its name whatever follows
    if ORDINAL_START.match(text, end):
        return True
    if text.startswith("代", end) and POSITION_RE.match(text, end + 1):
        return True  # 县法院代院长: an acting head
    return bool(POSITION_RE.match(text, end) or ORG_FOLLOWERS.match(text, end) or ENDER_RE.match(text, end))


KNOWN_BODIES = re.compile(alternation(list(CENTRAL_BODIES) + list(DEPARTMENTS)))
# what may stand before a body known by name: a boundary, a list, a level (县教育局 is found as a whole)
BODY_BEFORE = frozenset('，,。；;：:、和与及同“"（(《 \n')


def find_orgs(
    text: str,
    locale: Locale,
    leads: Prefixes,
    protected: frozenset[int] = frozenset(),
    tokens: list[Token] | None = None,
) -> list[Found]:
    """Organizations: a run ending with an organization word, read leftwards to a phrase boundary;
    and central bodies and local departments known by name (国务院, 外交部, 教育局)."""
    found: list[Found] = []
    verbs = {t.start: t.end for t in tokens or [] if t.tag in ("v", "p", "d", "vd")}
    # 日本政府执意…: a name also ends where the segmenter starts a verb or an adverb
    verb_starts = frozenset(verbs) | {t.start for t in tokens or [] if t.tag in ("ad", "c")}
    for m in KNOWN_BODIES.finditer(text):
        start = m.start()
        if text[start - 1 : start] in LEVEL_CHARS and (start == 1 or text[start - 2] in BODY_BEFORE):
            start -= 1  # 县安委会, 市网信办: a known body with its level
        before = text[start - 1] if start else "\n"
        if (before in BODY_BEFORE or start in verbs.values()) and _org_ends_at(text, m.end()):
            found.append(Found(start, m.end(), text[start : m.end()]))
    for m in ORG_SUFFIX_RE.finditer(text):
        end = m.end()
        # extend over chained units (市委宣传部, 省政府第一督查组), unless the longer name does not end
        nxt = ORG_SUFFIX_RE.match(text, end)
        if nxt and _org_ends_at(text, nxt.end()) and not NOT_ORG_END.search(text, 0, nxt.end()):
            continue
        if not (_org_ends_at(text, end) or end in verb_starts) or NOT_ORG_END.search(text, 0, end):
            continue
        start = phrase_start(text, end, m.start(), protected=protected)
        while re.search(r"[(（]集团[)）]$", text[:start]) or text[max(0, start - 4) : start] in (
            "(集团)",
            "（集团）",
        ):
            start = phrase_start(text, start - 4, start - 4, protected=protected)  # 某某(集团)有限责任公司
        if start in verbs and verbs[start] < end and text[start - 1 : start] not in ("“", '"', "《"):
            # 欢迎某国某某集团, 表示公司: a verb before a name is not part of it
            rest = verbs[start]
            if _org_start(text[rest:end], leads) is not None:
                start = rest
            elif text[rest:end] in GENERIC_ORGS:
                continue
        if text[start - 1 : start] not in ("“", '"', "《", "「"):  # a name in quotes is read as it stands
            start = _after_last_verb(text, start, m.start(), tokens or [], leads, end)
            if start < 0:
                continue
        start = _after_quantity(text, start, m.start())
        legal = LEGAL_FORM.search(text, start, m.start())
        if legal is not None:
            start = legal.end()  # a firm's legal form ends its name: 某某有限公司某某酒店 is two bodies
        at = _org_start(text[start:end], leads)
        if at is None:
            continue
        offset, surface = at
        if POSITION_END_RE.search(surface) or NOT_IN_ORG.search(surface) or SESSION.search(surface):
            continue
        # 县政府党组书记: the party group belongs to the title; the body is 县政府. A town's party
        # committee (某某镇党委书记) is the body itself.
        if (
            surface.endswith(("党组", "党委"))
            and POSITION_RE.match(text, start + offset + len(surface))
            and surface[-3:-2] not in "镇乡村街区县市旗"
        ):
            surface = surface[:-2]
            if len(surface) < 2 or surface in GENERIC_ORGS:
                continue
        if not _names_something(text, start + offset, start + offset + len(surface), m.group(), tokens):
            continue
        found.append(Found(start + offset, start + offset + len(surface), surface))
    for m in SCHOOL_ABBR.finditer(text):
        after = text[m.end() : m.end() + 1]
        if not after or after in STOP_CHARS or after in "校门前":
            found.append(Found(m.start(), m.end(), m.group()))
    # a body a list names after a level (政协 of 市人大、政府、政协党组) is that level's, over a plain reading
    coordinated = _coordinated(text, found)
    plain = [f for f in found if not any(c.start < f.end and f.start < c.end for c in coordinated)]
    return [f for f in _longest(plain + coordinated) if not inside_document_title(text, f)]


def inside_document_title(text: str, found: Found) -> bool:
    """《某某党支部工作条例》 names a document, not a body; 《某某日报》 is the paper itself."""
    for title in BOOK_TITLE.finditer(text, max(0, found.start - 60), min(len(text), found.end + 60)):
        if title.start() < found.start and found.end < title.end():
            return (title.start() + 1, title.end() - 1) != (found.start, found.end)
    return False


PROPER_TAGS = frozenset({"nr", "nrfg", "nrt", "ns", "nt", "nz", "j", "x", "eng", "nx"})
# 17家电视台, 三家远洋公司, 首钢四大集团: a count before a word for a body
QUANTITY = re.compile(r"(?:\d+|[一二三四五六七八九十百千几多两]+)(?:家|个|所|大|座)")


def _after_last_verb(
    text: str, start: int, suffix: int, tokens: list[Token], leads: Prefixes, end: int
) -> int:
    """甲接见某某总公司, 资金注入某某商场: a name starts after the last verb of its phrase, where
    what follows the verb is a name of its own."""
    if LEGAL_FORM.match(text, suffix) and leads.match(text, start):
        return start  # 某地振兴某某有限公司: a firm's trade name after its place may read as a verb
    for t in reversed(tokens):
        if t.start < start or t.end > suffix:
            continue
        if t.tag in ("v", "vd", "vn", "p", "c", "d", "r", "rz", "ul") and t.end <= suffix:
            if t.end == suffix and LEGAL_FORM.match(text, suffix):
                continue  # 某某发电有限公司: a firm's trade ends its name before the legal form
            rest = text[t.end : end]
            if rest[:1] in "和与及的":
                return start
            if _org_start(rest, leads) is not None:
                return t.end
            # a verb followed by no name of its own: the phrase names no body (a noun-like verb, 建设 of
            # 城乡建设局, may be part of the name)
            return start if t.tag == "vn" else -1
    return start


def _after_quantity(text: str, start: int, suffix: int) -> int:
    last = None
    for q in QUANTITY.finditer(text, start, suffix):
        last = q
    return last.end() if last else start


# words that describe a kind of firm or body, not one firm: 上市公司, 商业集团, 大型商场
GENERIC_DESCRIPTORS = frozenset(
    [
        "上市",
        "商业",
        "连锁",
        "大型",
        "中型",
        "小型",
        "中小",
        "民营",
        "国有",
        "外资",
        "合资",
        "私营",
        "龙头",
        "骨干",
        "核心",
        "重点",
        "知名",
        "大",
        "小",
        "新",
        "老",
        "各",
        "总",
        "子",
        "母",
        "分",
        "相关",
        "有关",
        "该",
        "本",
        "其",
        "此",
        "物流",
        "科技",
        "建筑",
        "房地产",
        "投资",
        "金融",
        "保险",
        "证券",
        "网络",
        "互联网",
        "电商",
        "零售",
        "仓储",
        "百货",
        "贸易",
        "医药",
        "企业",
        "集团",
        "公司",
        "工业",
        "农业",
        "商贸",
        "实业",
        "发展",
        "控股",
        "服务",
        "一批",
        "多家",
        "部分",
        "全国",
        "地方",
        "省级",
        "市级",
        "县级",
        "中央",
        "大中型",
        "远洋",
        "运输",
    ]
)


def _names_something(text: str, start: int, end: int, suffix: str, tokens: list[Token] | None) -> bool:
    """上市公司, 商业集团: a word for a kind of body after words that only describe it is no name."""
    if not tokens or not STRONG_ORG_SUFFIX.search(text[start:end]):
        return True
    words = [t.word for t in tokens if start <= t.start and t.end <= end - len(suffix)]
    return not words or not all(w in GENERIC_DESCRIPTORS for w in words)


BARE_BODY_RE = re.compile(f"(?:{alternation(BARE_BODIES)})(?:党组|党委)?")


def _coordinated(text: str, found: list[Found]) -> list[Found]:
    """市人大、政府、政协: bodies listed after a level-led one share its level (市政府, 市政协)."""
    more = []
    for f in found:
        level = f.text[:1]
        if level not in "省市县区州" or not BARE_BODY_RE.fullmatch(f.text[1:]):
            continue
        end = f.end
        while end < len(text) and text[end] in "、和及":
            m = BARE_BODY_RE.match(text, end + 1)
            if m is None or (
                m.end() < len(text) and CJK.match(text[m.end()]) and not _org_ends_at(text, m.end())
            ):
                break
            surface = m.group()
            if surface.endswith(("党组", "党委")) and not POSITION_RE.match(text, m.end()):
                surface = surface[:-2]
            more.append(Found(m.start(), m.start() + len(surface), surface, level))
            end = m.end()
    return more


# 某某镇党委, 某某乡人民政府: a township's own bodies, the township named even where the tables do not
# know it (a list's 各乡镇党委 names none)
TOWNSHIP_BODY = re.compile(
    r"(?![各全本该每乡镇])[\u4e00-\u9fff]{2,4}(?:镇|乡|街道)(?:党委|党工委|人民政府|政府|人大|纪委)"
)


# 某某经济开发区党工委, 某某高新区管委会: a zone's own bodies
ZONE_BODY = re.compile(
    r"^[\u4e00-\u9fff]{2,6}(?:经济技术开发区|经济开发区|高新技术产业开发区|高新区|经开区|开发区|工业园区)"
    r"(?:党工委|管委会|管理委员会)?$"
)


def _org_start(run: str, leads: Prefixes) -> tuple[int, str] | None:
    """Where an organization's name starts in a run, and the name."""
    for i in range(len(run) - 1):
        rest = run[i:]
        if len(rest) < 3 and not (rest[0] in "省市县区州" and rest[1:] in ("委", "政府", "人大", "政协")):
            return None
        if rest.startswith(LEADS) or leads.match(rest):
            return _trimmed(i, rest)
        if i == 0 and (TOWNSHIP_BODY.match(rest) or ZONE_BODY.match(rest)):
            return _trimmed(i, rest)
        if rest.startswith("自治区") and len(rest) > 4:
            return _trimmed(i, rest)
        if i == 0 and _country_at(rest):
            return _trimmed(i, rest)  # 某国政府, 某国贸易促进协会
        if rest[0] in "省市区县州旗盟" and (i == 0 or run[i - 1] in "，,"):
            return _trimmed(i, rest) if _has_body(rest[1:]) else None
        if i == 0 and STRONG_ORG_SUFFIX.search(rest) and len(rest) >= 4 and not rest[0].isdigit():
            return _trimmed(i, rest)  # (11月10日中共中央…: a date is read past, to the name's lead)
    return None


def _trimmed(offset: int, surface: str) -> tuple[int, str] | None:
    trimmed = _trim_org(surface)
    return (offset, trimmed) if trimmed else None


def _has_body(body: str) -> bool:
    """市委, 市妇联, 市民政局 name a body; 区中小学 does not (one character before a generic word)."""
    suffix = ORG_SUFFIX_RE.search(body)
    if suffix is None:
        return False
    return suffix.start() == 0 or suffix.start() >= 2


def _trim_org(surface: str) -> str | None:
    surface = re.sub(r"(?:系统|全体)$", "", surface)
    surface = re.sub(r"^(?:原|前)(?=[\u4e00-\u9fff]{3})", "", surface)  # 原株洲县委: the body, not its past
    if surface in GENERIC_ORGS or len(surface) < 2:
        return None
    if surface[:1] in "市区县省" and surface[1:] in ("场", "民", "内", "外", "级", "直", "区"):
        return None
    return surface


def _longest(found: list[Found]) -> list[Found]:
    chosen: list[Found] = []
    for f in sorted(found, key=lambda f: (-(f.end - f.start), f.start)):
        if all(f.end <= c.start or f.start >= c.end for c in chosen):
            chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)


VENUE_RE = re.compile(
    r"(?:人民大会堂|大会堂|礼堂|会议室|会议中心|报告厅|会堂|广场|体育馆|体育中心|展览馆|博物馆|纪念馆|会展中心|大剧院|"
    r"行政中心|市民中心|政务服务中心|剧场|商场|商城|大厦)"
)
COMMUNITY_RE = re.compile(r"([\u4e00-\u9fff]{2,4})(社区|街道)")
GENERIC_COMMUNITY = re.compile(
    r"^(?:城乡|基层|农村|城市|各|全区|所在|居民|小区|该|本|辖区|有关|示范|和谐|文明|智慧|美丽|周边)"
)
NATURAL_RE = re.compile(r"[\u4e00-\u9fff]{2,4}山脉")
ZONE_RE = re.compile(f"({alternation(list(ZONE_FORMS))})")


def find_venues(text: str) -> list[Found]:
    found = []
    for m in VENUE_RE.finditer(text):
        start = m.start()
        while start > 0 and text[start - 1] not in STOP_CHARS and m.end() - start < 12:
            start -= 1
        # a named venue (市委礼堂), or one famous enough to stand alone (人民大会堂, 市民中心)
        if m.start() - start >= 1 or len(m.group()) >= 5 or m.group() in ("市民中心", "行政中心"):
            found.append(Found(start, m.end(), text[start : m.end()]))
    return found


def find_zones(text: str, locale: Locale) -> list[tuple[Found, str | None]]:
    """Development zones: 株洲经开区 (after a place name) or a bare 经开区 of the home city."""
    found = []
    for m in ZONE_RE.finditer(text):
        prefix = None
        for length in range(min(6, m.start()), 1, -1):
            if text[m.start() - length : m.start()] in locale.prefixes:
                prefix = (length, text[m.start() - length : m.start()])
                break
        if prefix is not None:
            start = m.start() - prefix[0]
            found.append((Found(start, m.end(), text[start : m.end()]), text[start : m.start()]))
        elif m.group() in ("经开区", "高新区"):
            found.append((Found(m.start(), m.end(), m.group()), None))
    return found


SETTLEMENT_RE = re.compile(
    r"(?:街道|社区|镇|乡|村|嘎查|苏木)(?!委|民委|两委|级|组|干部|支部|党|里|庄|民|落|寨|史|官|头|口|长|书记|主任)"
)
SETTLEMENT_LEVEL = {"街道": "township", "镇": "township", "乡": "township", "苏木": "township"}
GENERIC_SETTLEMENT = re.compile(
    r"^(?:城乡|基层|农村|城市|各|全|所在|居民|小区|该|本|辖区|有关|示范|和谐|文明|智慧|美丽|周边|乡|村|镇|城|每|邻|附近|部分|"
    r"新农|老|大|小|一个|多个|两个|三个|几个|这|那|其|贫困|特色|重点|试点|先进|中心|集|古|名|强|重|家|故|返|下|进|驻|"
    r"[一二三四五六七八九十百千\d]+)"
)
# what ends the name of a landmark, a street or a venue the trained tagger finds
LANDMARK_END = re.compile(
    r"(?:山|峰|岭|江|河|湖|海|湾|岛|港|峡|泉|溪|洲|滩|口岸|路|街|大道|巷|广场|公园|园|苑|小区|花园|大厦|馆|剧院|剧场|"
    r"宾馆|酒店|机场|车站|码头|大桥|寨|屯|庄|坝|塘|片区|新区|开发区|园区|商城|市场|景区|中心|地区)$"
)
NATURAL_END = re.compile(r"^[\u4e00-\u9fff](?:江|河|湖|海|山)$")


def find_settlements(text: str, tokens: list[Token]) -> list[tuple[Found, str]]:
    """Towns (镇, 乡, 街道), villages (村, 嘎查) and communities (社区) named by their suffix: a name of
    two to four characters that the segmenter reads as words of their own (某塔/村), not a longer word
    (乡村) or a verb before a common noun (开展/社区)."""
    starts = {t.start: t for t in tokens}
    ends = {t.end for t in tokens}
    function = {t.start for t in tokens if t.tag[:1] in ("v", "d", "p", "m", "q", "r", "c", "u")}
    found = []
    for m in SETTLEMENT_RE.finditer(text):
        township = m.group() in SETTLEMENT_LEVEL
        named = (_listed_township(text, m.start(), m.end()) if township else None) or _visited_settlement(
            text, m.start(), m.end()
        )
        if named is not None:
            level = SETTLEMENT_LEVEL.get(m.group(), "community")
            found.append((Found(named, m.end(), text[named : m.end()]), level))
            continue
        if m.end() not in ends:
            continue
        own_word = m.start() in starts and starts[m.start()].end == m.end()
        best = None
        for size in (4, 3, 2):
            start = m.start() - size
            if start < 0:
                continue
            stem = text[start : m.start()]
            if any(c in STOP_CHARS or not CJK.match(c) for c in stem) or GENERIC_SETTLEMENT.match(stem):
                continue
            if stem[-1] in "村镇乡区县市":
                continue
            # the suffix is a word of its own (某塔/村), or the whole name is one place word (彭家村)
            whole = start in starts and starts[start].end == m.end() and starts[start].tag == "ns"
            if (
                (own_word or whole)
                and start in starts
                and not any(k in function for k in range(start, m.start()))
            ):
                best = start
                break
        if best is None:
            continue
        level = SETTLEMENT_LEVEL.get(m.group(), "community")
        found.append((Found(best, m.end(), text[best : m.end()]), level))
    return found


# 深入某某镇调研, 来到某某村走访: a settlement between going there and what was done there
GOING_TO = ("深入", "来到", "走进", "前往", "赴", "到")
DONE_THERE = re.compile(alternation(list(VISIT_VERBS)))


def _visited_settlement(text: str, suffix: int, end: int) -> int | None:
    if not DONE_THERE.match(text, end):
        return None
    for size in (4, 3, 2):
        start = suffix - size
        stem = text[max(0, start) : suffix]
        if start < 0 or not all(CJK.match(c) for c in stem) or GENERIC_SETTLEMENT.match(stem):
            continue
        if text.endswith(GOING_TO, 0, start) and stem[-1] not in "村镇乡区县市":
            return start
    return None


# one-character verbs and prepositions that may open a list of places (到某某乡、某某乡)
LIST_OPENERS = "到在赴至于从向对由和与及同把将经去来"


def _listed_township(text: str, suffix: int, end: int) -> int | None:
    """某乡、某某镇、某某镇: a township that is a whole item of a list, whatever the segmenter made of
    its name, where the segmenter did not read it as a word (a list's items are named, not described)."""
    start = suffix
    while start > 0 and CJK.match(text[start - 1]) and suffix - start < 4:
        start -= 1
    if suffix - start == 3 and text[start] in LIST_OPENERS:
        start += 1  # 到某某乡、某某乡: the verb before a list is not its first name
    before, after = text[start - 1 : start], text[end : end + 1]
    stem = text[start:suffix]
    if not 2 <= len(stem) <= 3 or GENERIC_SETTLEMENT.match(stem) or stem[-1] in "村镇乡区县市":
        return None
    ends_item = after in ("、", "，", ",", "。", "等", "；")
    sibling = before == "、" and text.endswith(("镇", "乡", "街道"), 0, start - 1)
    first = bool(before) and (before in "、，,：:" or before in LIST_OPENERS)
    if (before == "、" and (ends_item or sibling)) or (first and after == "、"):
        return start
    return None


WORLD_RE: re.Pattern[str] | None = None


def find_world_places(text: str) -> list[tuple[int, int, WorldPlace]]:
    """Continents, countries and main cities abroad, longest first."""
    global WORLD_RE
    places = world_places()
    if WORLD_RE is None:
        WORLD_RE = re.compile(alternation(list(places))) if places else re.compile(r"(?!x)x")
    titles = [(m.start(), m.end()) for m in BOOK_TITLE.finditer(text)]
    return [
        (m.start(), m.end(), places[m.group()])
        for m in WORLD_RE.finditer(text)
        if not any(s <= m.start() < e for s, e in titles) and not text.startswith("成立", m.end())
    ]


# 《中华人民共和国统计法》: a title names a document, not the places in it
BOOK_TITLE = re.compile(r"《[^《》\n]{1,60}》")


def find_natural(text: str, tokens: list[Token]) -> list[Found]:
    found = []
    for m in NATURAL_RE.finditer(text):
        start = phrase_start(text, m.end(), m.end() - 2, m.end() - m.start())
        found.append(Found(start, m.end(), text[start : m.end()]))
    for tok in tokens:
        if tok.tag == "ns" and 2 <= len(tok.word) <= 3 and tok.word[-1] in "江河湖":
            if re.match(r"(?:北|南|东|西|中)?(?:路|街|大道)", text[tok.end : tok.end + 3]):
                continue  # 黄河北路: a road named after a river
            found.append(Found(tok.start, tok.end, tok.word))
    return found


PROJECT_RE = re.compile(r"项目")
GENERIC_PROJECT = re.compile(
    r"(?:重点|参赛|建设|重大|产业|招商|签约|投资|民生|示范|试点|合作|该|这个|这些|多个|一批|在建|新建|续建|各类|相关|"
    r"服务|志愿服务|公益|扶贫|科研|工程|改造|攻坚|融资|储备|优质|好|大|小)$"
)


# What a project is named for when it is not called 项目: 产业基地, 新工厂, 地铁一号线, 一级路
WORKS = re.compile(
    r"(?:产业基地|生产基地|基地|产业园|工业园|物流园|科技园|园区|工程|水库|大桥|特大桥|高速公路|快速路|一级路|二级路|国道|"
    r"铁路|高铁|生产线|新工厂|工厂|综合体|地铁[一二三四五六七八九十\d]+号线|[一二三四五六七八九十\d]+号线|电站|电厂|机场|港口|码头)$"
)
# verbs whose object is a project under way: 建设, 开工, 考察
BUILDING = re.compile(
    r"建设|开工|动工|投产|竣工|推进|实施|签约|落户|考察|察看|参观|调研|巡查|观摩|走进|来到|建成|启动|开建"
)
QUOTED_ENTRY = re.compile(r"(?:参赛|获奖|入选|申报|参评|竞赛|比赛)$")
LEVEL_LEAD = re.compile(
    r"^[\u4e00-\u9fff]{2,4}?(?:省|市|县|区|镇|乡|街道|经开区|高新区|开发区)(?=[\u4e00-\u9fff]{3})"
)


def find_projects(text: str, tokens: list[Token] | None = None) -> list[tuple[Found, tuple[str, ...]]]:
    """Named projects: 某某产业园项目; the items of a list closed by 等N个项目; works named for what they
    are (某某产业基地, 地铁一号线) where something is being built or visited; names in quotes after
    参赛项目. A name starts at a word, after the verb that governs it (加大, 促成)."""
    starts, verbs = _word_starts(tokens)
    found = []
    for m in PROJECT_RE.finditer(text):
        phrase = phrase_start(text, m.start(), m.start(), 16)
        start = _word_start(text, phrase, m.start(), starts, verbs)
        stem = text[start : m.start()]
        # 加大金廊项目: after the verb is trimmed, a name of two characters is enough
        shortest = 2 if start > phrase and phrase in verbs else 3
        if (
            len(stem) < shortest
            or GENERIC_PROJECT.search(stem)
            or stem.startswith(("第", "各", "该", "本", "此", "这", "那", "每", "多"))
            or re.search(
                r"项目|开工|签约|集中|投产|竣工|察看|查看|考察|调研|检查|视察|实地|推进|观摩|分包|谋划", stem
            )
            or re.search(r"\d+个$|等$", stem)
        ):
            quoted = re.match(r"[“\"]([^”\"]{2,20})[”\"]", text[m.end() :])
            if quoted and QUOTED_ENTRY.search(stem) and not re.search(r"(?:会|活动|机制)$", quoted.group(1)):
                s = m.end() + 1
                found.append((Found(s, s + len(quoted.group(1)), quoted.group(1)), ()))
            continue
        s = m.end() - len(stem) - 2
        found.append((Found(s, m.end(), stem + "项目"), _project_aliases(stem)))
    found += _listed_projects(text)
    found += _works(text, starts, verbs)
    return _longest_projects(found)


def _word_starts(tokens: list[Token] | None) -> tuple[frozenset[int], frozenset[int]]:
    if not tokens:
        return frozenset(), frozenset()
    return frozenset(t.start for t in tokens), frozenset(
        t.start for t in tokens if t.tag in ("v", "vd", "d", "p")
    )


def _word_start(text: str, start: int, end: int, starts: frozenset[int], verbs: frozenset[int]) -> int:
    """Move a name's start to a word's start (了解车联网 holds no 解车联网), past a leading verb
    (加大金廊)."""
    if not starts:
        return start
    while start < end and start not in starts:
        start += 1
    while start in verbs and start < end:
        nxt = next((k for k in range(start + 1, end + 1) if k in starts or k == end), end)
        if end - nxt < 2:
            break
        start = nxt
    return start


def _project_aliases(stem: str) -> tuple[str, ...]:
    """精武镇正威新材料项目 is also 正威新材料项目: a project's name without the place it is in."""
    aliases = [stem]
    lead = LEVEL_LEAD.match(stem)
    if lead:
        aliases += [stem[lead.end() :] + "项目", stem[lead.end() :]]
    return tuple(aliases)


def _listed_projects(text: str) -> list[tuple[Found, tuple[str, ...]]]:
    """巡查了甲、乙、丙等18个项目: each item of the list is a project."""
    found = []
    for m in re.finditer(r"等(?:\d+|[一二三四五六七八九十]+)[个项]?(?:重点|重大|在建|新建)?项目", text):
        clause_start = max(text.rfind(c, 0, m.start()) for c in "，,。；;！？\n：:") + 1
        clause = text[clause_start : m.start()]
        head = re.search(r"(?:巡查|查看|察看|考察|观摩|调研|视察|走访|参观|检查|督导|包括|有)(?:了)?", clause)
        if head:
            clause_start += head.end()
            clause = clause[head.end() :]
        if "、" not in clause:
            continue
        at = clause_start
        for item in clause.split("、"):
            if 3 <= len(item) <= 16 and CJK.match(item[:1]):
                found.append((Found(at, at + len(item), item), ()))
            at += len(item) + 1
    return found


def _works(text: str, starts: frozenset[int], verbs: frozenset[int]) -> list[tuple[Found, tuple[str, ...]]]:
    found = []
    for m in re.finditer(r"[^，,。；;！？\n、]{3,24}", text):
        phrase = m.group()
        end = m.start() + len(phrase.rstrip())
        works = WORKS.search(text, m.start(), end)
        if works is None:
            continue
        clause_start = max(text.rfind(c, 0, m.start()) for c in "，,。；;！？\n") + 1
        if not BUILDING.search(text, clause_start, works.start() + 1):
            continue
        start = phrase_start(text, works.end(), works.start(), 24)
        last_verb = None
        for v in BUILDING.finditer(text, start, works.start()):
            last_verb = v
        if last_verb:
            start = last_verb.end()
        start = _word_start(text, start, works.start(), starts, verbs)
        name = text[start : works.end()]
        if len(name) - len(works.group()) < 2 or re.match(r"[的了在对和与及等]", name) or _generic_work(name):
            continue
        found.append((Found(start, works.end(), name), _project_aliases(name)))
    return found


def _generic_work(name: str) -> bool:
    return bool(
        re.match(
            r"(?:重点|重大|民生|基础设施|水利|交通|示范|各类|一批|多个|该|这|此|全市|全县|全区|本)", name
        )
        or re.search(r"(?:建设|改造|提升|治理|保护)工程$|产业园区$|工业园区$", name)
    )


def _longest_projects(found: list[tuple[Found, tuple[str, ...]]]) -> list[tuple[Found, tuple[str, ...]]]:
    chosen: list[tuple[Found, tuple[str, ...]]] = []
    for f, aliases in sorted(found, key=lambda x: (-(x[0].end - x[0].start), x[0].start)):
        if all(f.end <= c.start or f.start >= c.end for c, _ in chosen):
            chosen.append((f, aliases))
    return sorted(chosen, key=lambda x: x[0].start)


# 选举甲为县长, 任命乙为…局长, 丙当选为…主任, 由丁担任…: a post stated by what was decided
APPOINTING = re.compile(r"(?:选举|推选|任命|提名|聘任|聘请|补选|增选|决定任命|决定|推荐|选出|选)(?:了)?$")
AS_POST = re.compile(
    r"(?:等?(?:\d+|[一二三四五六七八九十两]+)(?:名|位|人)(?:同志)?|等(?:同志|人)?)?"  # 甲、乙3名同志当选为
    r"(?P<verb>当选(?:为)?|补选为|增选为|任命为|担任|出任|任|为|兼任)(?P<post>[^，,。；;！？\n]{2,40})"
)


def predicate_titles(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """Posts a sentence states for the name at [start, end) by appointing or electing it to them."""
    m = AS_POST.match(text, end)
    if m is None:
        return []
    verb = m.group("verb")
    sentence_start = max(text.rfind(c, 0, start) for c in "。；;！？\n") + 1
    before = text[sentence_start:start]
    clause_before = re.split(r"[，,]", before)[-1]
    if verb == "为" and not (
        APPOINTING.search(clause_before) or re.search(r"(?:选举|任命|聘任|推选|补选)[^。；]{2,}为", before)
    ):
        return []  # 甲为…: only where an election or appointment governs the sentence
    if verb == "任" and clause_before.strip() and not clause_before.endswith(("由", "决定由")):
        return []
    found = []
    for part in re.split(r"[、和及]", m.group("post")):
        post = POSITION_END_RE.search(part)
        if post is None:
            continue
        title = part[: post.end()]
        title = re.sub(r"^(?:第[一二三四五六七八九十]+届)", "", title)
        if len(title) >= 2 and title not in WEAK_POSITIONS and not STOP_WORDS.search(title):
            found.append((title, m.start("post") + m.group("post").find(part) + post.end()))
    return found


LIST_CLOSED_BY_TITLE = re.compile(r"等(?:(?:省|市|区|县|州|旗|镇|乡)(?:领导|委领导|级领导|领导同志))")


def names_listed_before_title(text: str) -> list[str]:
    """甲、乙、丙等市领导出席: every item of such a list is a person's name, those a tagger misses (a
    given name that is also a word) too. Only bare names count: the list ends at an item that is not a
    surname and one or two characters, so a list of titled names is left to the title rules."""
    known = all_surnames()
    found: list[str] = []
    for m in LIST_CLOSED_BY_TITLE.finditer(text):
        items, end = [], m.start()
        while True:
            start = end
            while start > 0 and CJK.match(text[start - 1]) and end - start < 5:
                start -= 1
            item = text[start:end]
            bare = (item[:1] in known and 2 <= len(item) <= 3) or (item[:2] in known and len(item) == 4)
            if not bare or (start > 0 and CJK.match(text[start - 1])):
                break
            items.append(item)
            if text[start - 1 : start] != "、":
                break
            end = start - 1
        if len(items) >= 3:
            found.extend(items)
    return found


def list_titles_after(
    text: str, persons: list[tuple[int, int, str]]
) -> list[tuple[int, int, str, list[str]]]:
    """甲、乙、丙等市领导出席: a list of names closed by 等 and a shared title."""
    found = []
    run: list[tuple[int, int, str]] = []
    for s, e, name in persons:
        if run and text[run[-1][1] : s] in ("、", "，", ","):
            run.append((s, e, name))
        else:
            run = [(s, e, name)]
        m = LIST_CLOSED_BY_TITLE.match(text, e, e + 8)
        if m and len(run) >= 2:
            title = m.group()[1:].removesuffix("同志")
            found.append((run[0][0], e + m.end(), title, [n for _, _, n in run]))
    return found


# words of two or more characters that end a body's name (a transliterated name may hold 部 or 所)
BODY_WORD_RE = re.compile(alternation([s for s in ORG_SUFFIXES if len(s) > 1]))
DOTTED = re.compile(r"[\u4e00-\u9fff]{1,10}(?:·[\u4e00-\u9fff]{1,12})+")


def dotted_names(text: str, tagged: list[Tagged]) -> list[str]:
    """买买提·艾力, 扎西·次仁·多吉: a name joined by middle dots, read whole, where the
    tagger finds a person in it or a name's ending follows it (a title before it, a verb after)."""
    found = []
    for m in DOTTED.finditer(text):
        start, end = m.span()
        # the last part runs into what follows (艾力陪同): the name ends where a verb begins
        last = text.rfind("·", start, end) + 1
        for k in range(last + 1, end):
            if ENDER_RE.match(text, k):
                end = k
                break
        inside = [t for t in tagged if start <= t.start < end or start < t.end <= end]
        name = text[start:end]
        # a title may run into the first part (主任买买提·艾力): the name starts after it
        first = name.split("·")[0]
        positions = list(POSITION_RE.finditer(first))
        if positions:
            name = name[positions[-1].end() :]
        if not inside and not ENDER_RE.match(text, end):
            continue
        if len(name) >= 3 and "·" in name and not name.endswith(("奖", "杯", "号", "式")):
            if any(POSITION_RE.search(part) or BODY_WORD_RE.search(part) for part in name.split("·")[1:]):
                continue  # 某某晚报·某某日报总经理: two bodies and a title, not a name
            found.append(name)
    return found


def _country_at(text: str) -> bool:
    """Whether a country's name begins the text (日本政府)."""
    places = world_places()
    return any(text[:n] in places and places[text[:n]].level == "country" for n in (2, 3, 4) if len(text) > n)
