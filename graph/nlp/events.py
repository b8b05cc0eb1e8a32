"""Events: meetings, inspections, ceremonies, signings, interviews, broadcasts and school reopenings,
with their dates, places, organizers and the roles people take in them.

An event is found from the words that report it happening (主持召开, 举行, 赴…调研, 签订…协议, 接受…专访).
Events an article only refers to (传达…会议精神, 在…会议上的讲话) are not events of the article. People
take roles from the verbs that follow them (主持, 讲话, 出席, 率队), in the sentences an event governs.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from graph.model import Event, Participation, Role, Span
from graph.nlp.dates import DateMention
from graph.nlp.lexicons import (
    ATTENDEE_VERBS,
    CHAIR_VERBS,
    EVENT_NOUNS,
    LEADER_VERBS,
    SCHOOL_VERBS,
    SPEAKER_VERBS,
    VISIT_VERBS,
    alternation,
)

ROLE_REACH = 240
SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_NOUN = alternation(EVENT_NOUNS)
# a meeting's name may end with a bare 会 (某某碰头会, 县委常委(扩大)会), but 协会, 社会, 常委会 name bodies
MEETING_END = re.compile(rf"(?:{_NOUN}|(?<![协学工商社机体领省都误约理后将也才还就不能要可并又再仍已])会)$")
NOT_MEETING = re.compile(
    r"(?:常委会|委员会|联合会|研究会|促进会|基金会|理事会|董事会|监事会|学会|协会|商会|工会|社会|机会|人大常委会)$"
)
# words that end a meeting's name when read from its verb onwards: what the meeting did next
NAME_STOP = re.compile(
    r"传达|听取|审议|研究|部署|学习贯彻|强调|要求|指出|通报|总结|围绕|期间|宣布|表决|专题研究"
)
HOLD = re.compile(
    r"(?P<verb>主持召开|组织召开|召集召开|主持召开了|召开|举行|举办|主持|出席|参加|列席)(?:了)?"
)
HELD_AT_VERB = re.compile(
    r"(?:在(?P<venue>[^，,。；;\n]{2,20}?))?(?:隆重|正式|胜利|顺利)?(?:举行|召开|开幕|闭幕|举办)"
)
DECIDES_VERB = re.compile(r"审议|研究|听取|通过|部署|决定|表决|选举")
MENTION = re.compile(
    r"在(?P<name>[^，,。；;！？\n]{2,40}?)(?:上|期间)(?=[,，])|(?:(?<=[，,。\n])|^)(?P<bare>[^，,。；;！？\n在]{4,40}?)(?:期间|上)[,，]",
    re.MULTILINE,
)
CLAUSE_START = re.compile(r"[，,。；;！？\n][^，,。；;！？\n]*$")
_VISIT = alternation(VISIT_VERBS)
VISIT = re.compile(
    rf"(?:率队|带队|带领[^，,。；;\n]{{0,12}}?|一行)?(?:来到|来|到|赴|深入|前往|走进|在)"
    rf"(?P<target>[^，,。；;\n]{{1,20}}?)[,，]?(?:就[^。；;！？\n]{{2,50}}?)?(?:开展|进行|实地)?(?:了)?(?:专题)?"
    rf"(?P<verb>{_VISIT})(?P<object>[^，,。；;！？\n]{{0,14}}?)(?=时|并|[，,。；;！？\n]|$)"
)
# 甲调研某经开区, 乙等领导考察某村: the verb first, right after who goes
VISIT_DIRECT = re.compile(
    rf"(?P<verb>{_VISIT})(?:了)?(?P<target>[^，,。；;！？\n时]{{2,20}}?)(?=[，,。；;！？\n]|$|时)"
)
# 对某县某广场开展消防安全检查
CHECK = re.compile(
    r"对(?P<target>[^，,。；;\n]{2,40}?)(?:开展|进行)(?:了)?(?P<what>[^，,。；;\n]{0,12}?(?:检查|督查|巡查|督导|暗访|核查))"
)
SIGN = re.compile(r"(?:签订|签署)(?:了)?(?P<what>[^，,。；;！？\n]{0,20}?(?:协议|合同|备忘录|协议书|意向书))")
INTERVIEW = re.compile(r"接受(?:了)?(?P<who>[^，,。；;！？\n]{0,30}?)(?P<kind>专访|采访|访谈)")
VIEW = re.compile(
    r"(?:集体|集中|组织)?(?:收听收看|收看|观看|收听)(?:了)?(?P<name>[^，,。；;！？\n]{2,30}?)(?=[，,。；;！？\n]|$)"
)
# 会见/会谈: those who meet, on both sides of the verb, are its attendees
MEET = re.compile(r"(?P<verb>会见|会谈|接见)(?:了)?(?P<name>[^，,。；;！？\n]{2,60}?)(?=[，,。；;！？\n]|$)")
# 会见由甲带队的某某代表团: who leads the guests is said in a clause the event's name leaves out
LED_BY = re.compile(r"^由[^，,。]{1,40}?(?:带队|率领|率队|带领|率)的")
SCHOOL = re.compile(
    rf"(?P<who>初中|小学|中学|高中|幼儿园|中小学|初三|高三|学生)[^，,。；;\n]{{0,12}}?(?P<verb>{alternation(SCHOOL_VERBS)})"
)
BARE_NAMES = frozenset({"会议", "会", "大会", "全体会议", "专题会议", "常务会议", "扩大会议"})
# the body a meeting is named after when only its subject names it: 市委常委会, 县政府, 区委
SUBJECT_BODY = re.compile(
    r"[\u4e00-\u9fff]{0,12}?(?:常委会|党组|党委|政府|人大|政协|委员会|主席团|委|局|办|厅|部|院|中心组|领导小组)$"
)
UNDATED_OPENERS = ("近日", "日前", "近期", "目前", "此前", "今年以来", "近年来", "前不久", "不久前")
# an event the article refers to rather than reports: 传达…会议精神, 在…会议上的讲话, 调研时的讲话
REFERENCE_AFTER = re.compile(
    r"^(?:的|时的|上的|中的)?(?:重要)?(?:讲话|指示|批示|部署|要求)?(?:精神|要求|部署)"
)
REFERENCE_BEFORE = re.compile(r"(?:传达|学习|贯彻|落实|领会|宣传)[^，,。；;]{0,30}$")
STATEMENT = re.compile(r"强调|指出|表示|要求|提出")
AT_EVENT = re.compile(
    r"在[^，,。；;]{0,30}?(?:会|式|仪式|典礼|论坛)上|会上|讲话中|讲话时|致辞中|签约时|签约仪式上"
)

ROLE_VERBS: tuple[tuple[Role, re.Pattern[str]], ...] = (
    (Role.CHAIR, re.compile(rf"(?:{alternation(CHAIR_VERBS)})(?!词)")),
    (
        Role.SPEAKER,
        re.compile(
            rf"(?:{alternation(SPEAKER_VERBS)})(?!精神|稿|要求|人)|作[^，,。；;]{{0,12}}?(?:报告|讲话|宣讲|发言)(?!精神)"
        ),
    ),
    # 率队, 带队, 一行; 率调研组 (leads a delegation named after its task)
    (Role.LEADER, re.compile(rf"(?:{alternation(LEADER_VERBS)})|率[^，,。；;]{{0,8}}?[组团队]")),
    (Role.ATTENDEE, re.compile(alternation(ATTENDEE_VERBS))),
)


@dataclass(frozen=True)
class PersonAt:
    name: str
    start: int
    end: int


@dataclass(frozen=True)
class PlaceAt:
    name: str
    start: int
    end: int
    level: str | None


@dataclass
class _Draft:
    kind: str
    name: str
    start: int  # trigger position
    end: int
    sentence: tuple[int, int]
    place: str | None = None
    organizer: str | None = None
    subject_role: Role | None = None  # the role of those named before the trigger in its clause
    both_sides: bool = False  # 会见: those named after the verb take part too


def sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    starts = [s for s, _ in spans]
    at = bisect.bisect_right(starts, pos) - 1
    return spans[at] if at >= 0 else (spans[0] if spans else (0, 0))


def _clean_name(name: str) -> str:
    name = name.rsplit("\n", 1)[-1]
    name = re.sub(r"^(?:了|一场|一次|今年|本年度|全市|全省|全区|全县|这次|此次|本次)", "", name)
    name = re.sub(r"^(?:(?:19|20)\d\d年)?(?:\d{1,2}月)?\d{1,2}日(?:上午|下午|晚上|晚)?", "", name)
    return name.strip(' “”"')


def find_events(
    headline: str,
    body: str,
    dates: list[DateMention],
    persons: list[PersonAt],
    places: list[PlaceAt],
    orgs: list[tuple[int, int, str]],
) -> list[Event]:
    """Events stated in an article, each with its date, place, organizer and participants."""
    spans = sentences(body)
    drafts: list[_Draft] = []
    drafts += _meetings(body, spans, orgs)
    drafts += _held_or_deciding(body, spans)
    drafts += _mentions(body, spans)
    drafts += _visits(headline, body, spans, places, persons, orgs)
    drafts += _others(headline, body, spans)
    drafts = [d for d in drafts if not _is_reference(body, d) and not re.match(r"为期|的", d.name)]
    drafts = _named_after_headline(headline, drafts)
    drafts += _headline_events(headline, body, drafts, spans)
    dated = {id(d): _event_date(body, d, dates) for d in drafts}
    drafts = _dedupe(drafts, dated)
    events = []
    for index, draft in enumerate(drafts):
        scope_end = _scope_end(drafts, index, body)
        date = dated[id(draft)]
        place = draft.place or _place_for(draft, places, headline)
        organizer = draft.organizer or _organizer(draft, orgs)
        participants = _participants(body, draft, scope_end, persons, spans)
        s, e = _evidence_bounds(body, draft)
        events.append(
            Event(
                name=draft.name,
                evidence=Span(s, e, body[s:e]),
                date=date.date if date else None,
                part_of_day=date.part_of_day if date else None,
                place=place,
                month_day=date.month_day if date and not date.date else None,
                organizer=organizer,
                participants=participants,
                kind=draft.kind,
            )
        )
    return events


# --- triggers -----------------------------------------------------------------------------------------


def _meetings(body: str, spans: list[tuple[int, int]], orgs: list[tuple[int, int, str]]) -> list[_Draft]:
    """主持召开/召开/举行 + a meeting's name; 市委常委会召开会议 names the meeting after its subject."""
    drafts = []
    for m in HOLD.finditer(body):
        if body.startswith("的", m.end()):
            continue  # 在…召开的会议: a clause about a meeting, not a report of one
        name = _meeting_name(body, m.end())
        if name is None:
            continue
        _, end, text = name
        verb = m.group("verb")
        # 出席签约仪式 names an event; 参加收看活动 only refers back to one
        if verb in ("出席", "参加", "列席") and (len(text) < 4 or text.endswith("活动")):
            continue
        clean = _clean_name(text)
        if clean.startswith("的"):
            continue
        organizer = None
        if clean in BARE_NAMES or re.fullmatch(
            r"第?[一二三四五六七八九十\d]+次[\u4e00-\u9fff]{0,3}会议", clean
        ):
            subject = _subject_body(body, m.start(), orgs)
            if subject is not None:
                organizer = subject[2]
                surface = body[subject[0] : subject[1]]
                clean = surface + clean if not clean.startswith(surface) else clean
        role = (
            Role.CHAIR
            if verb.startswith("主持")
            else Role.ATTENDEE
            if verb in ("出席", "参加", "列席")
            else None
        )
        drafts.append(
            _Draft(
                "meeting",
                clean,
                m.start(),
                end,
                _sentence_of(spans, m.start()),
                organizer=organizer,
                subject_role=role,
            )
        )
    return drafts


def _meeting_name(body: str, at: int) -> tuple[int, int, str] | None:
    """The name of the meeting that starts at `at`: to the last meeting noun before what it did next."""
    clause = re.match(r"[^，,。；;！？!?\n]{1,48}", body[at:])
    if clause is None:
        return None
    text = clause.group()
    stop = NAME_STOP.search(text, 2)
    if stop:
        text = text[: stop.start()]
    for cut in range(len(text), 1, -1):
        candidate = text[:cut]
        if MEETING_END.search(candidate) and not NOT_MEETING.search(candidate):
            return at, at + cut, candidate
        if candidate.endswith("常委会") and body.startswith("会议", at + cut) is False and cut == len(text):
            return at, at + cut, candidate  # 召开常委会: the meeting of the standing committee
    return None


def _subject_body(body: str, verb_at: int, orgs: list[tuple[int, int, str]]) -> tuple[int, int, str] | None:
    """The body named just before a verb, in its clause (市委常委会 of 市委常委会召开会议)."""
    before = [
        o
        for o in orgs
        if o[1] <= verb_at and verb_at - o[1] <= 2 and not SENTENCE_END.search(body, o[1], verb_at)
    ]
    if before:
        return before[-1]
    start = _clause_start(body, verb_at)
    phrase = _after_boundary(body[start:verb_at])
    subject = SUBJECT_BODY.search(phrase)
    if subject is None:
        return None
    at = verb_at - len(phrase) + subject.start()
    return at, verb_at - (len(phrase) - subject.end()), subject.group()


def _held_or_deciding(body: str, spans: list[tuple[int, int]]) -> list[_Draft]:
    """A meeting named before 在…举行, or before what it decided. Found from the verb backwards: a lazy
    name pattern tried at every character is slow."""
    drafts = []
    for pattern, with_venue in ((HELD_AT_VERB, True), (DECIDES_VERB, False)):
        for m in pattern.finditer(body):
            if with_venue and _meeting_name(body, m.end()) is not None:
                continue  # 博览会举行…签约活动: what is held is named after the verb
            start = _clause_start(body, m.start(), reach=80)
            before = _after_boundary(body[start : m.start()])
            if len(before) > 40 and "的" in before:
                # 由甲、乙联合举办的…篮球赛开幕式在…举行: the name follows the clause that describes it
                cut = before.rindex("的") + 1
                start += len(body[start : m.start()]) - len(before) + cut
                before = before[cut:]
            if not 2 <= len(before) <= 40 or not MEETING_END.search(before) or NOT_MEETING.search(before):
                continue
            name = _clean_name(before)
            venue = m.group("venue") if with_venue else None
            drafts.append(_Draft("meeting", name, start, m.end(), _sentence_of(spans, m.start()), venue))
    return drafts


def _mentions(body: str, spans: list[tuple[int, int]]) -> list[_Draft]:
    """在省人大会议期间, …会议上: an event the article's people were at."""
    drafts = []
    for m in MENTION.finditer(body):
        group = "name" if m.group("name") else "bare"
        name = _clean_name(_after_boundary(m.group(group)))
        name = re.sub(r"^.*?(?:参加|出席)", "", name)
        if len(name) >= 4 and MEETING_END.search(name) and not NOT_MEETING.search(name):
            drafts.append(
                _Draft("meeting", name, m.start(group), m.end(group), _sentence_of(spans, m.start()))
            )
    return drafts


def _visits(
    headline: str,
    body: str,
    spans: list[tuple[int, int]],
    places: list[PlaceAt],
    persons: list[PersonAt],
    orgs: list[tuple[int, int, str]],
) -> list[_Draft]:
    """赴/到/在 + a place or a body + 调研 (考察, 视察, 慰问…): an inspection, led by whoever goes. Someone
    named must go (a person, a body, a delegation), or the place gone to must be one the text names."""
    drafts = []
    for m in VISIT.finditer(body):
        sentence = _sentence_of(spans, m.start())
        named_place = any(m.start("target") <= p.start < m.end("target") for p in places) or any(
            m.start("target") <= o[0] < m.end("target") for o in orgs
        )
        goer = (
            any(sentence[0] <= p.start < m.start() for p in persons)
            or any(sentence[0] <= o[0] < m.start() for o in orgs)
            or re.search(r"[组团队]|一行", body[sentence[0] : m.start()])
        )
        if not (named_place or goer):
            continue
        target = re.sub(r"^(?:了|我市|本市)(?=.)", "", m.group("target"))
        if re.match(r"(?:时|中|期间)的", body[m.end() : m.end() + 4]) or not target:
            continue
        place = next((p for p in places if p.start >= m.start("target") and p.end <= m.end("target")), None)
        verb = m.group("verb")
        name = target + verb + m.group("object")
        if verb in headline and (target in headline or (place and place.name in headline)):
            name = _headline_event(headline, verb) or name
        drafts.append(
            _Draft(
                "inspection",
                name,
                m.start(),
                m.end(),
                _sentence_of(spans, m.start()),
                place.name if place else None,
                subject_role=Role.LEADER,
            )
        )
    ends = {p.end: p for p in persons}
    for m in VISIT_DIRECT.finditer(body):
        lead = re.search(r"(?:等(?:领导|人|同志)?|一行)?$", body[max(0, m.start() - 6) : m.start()])
        person = ends.get(m.start() - (len(lead.group()) if lead else 0))
        if person is None or re.match(r"(?:组|团|队|工作|情况)", m.group("target")):
            continue
        place = next((p for p in places if p.start >= m.start("target") and p.end <= m.end("target")), None)
        drafts.append(
            _Draft(
                "inspection",
                person.name + m.group(),
                person.start,
                m.end(),
                _sentence_of(spans, m.start()),
                place.name if place else None,
                subject_role=Role.LEADER,
            )
        )
    for m in CHECK.finditer(body):
        target = m.group("target").rsplit("的", 1)[-1]
        drafts.append(
            _Draft(
                "inspection",
                target + m.group("what"),
                m.start(),
                m.end(),
                _sentence_of(spans, m.start()),
                target if len(target) <= 16 else None,
            )
        )
    return drafts


def _headline_event(headline: str, verb: str) -> str | None:
    """What the headline calls the event: 甲在某区调研经济发展情况 (up to a colon or 时强调)."""
    text = re.split(r"[:：]|时强调|时指出|时要求", headline)[0].strip()
    return text if verb in text and len(text) <= 40 else None


def _others(headline: str, body: str, spans: list[tuple[int, int]]) -> list[_Draft]:
    drafts = []
    for m in SIGN.finditer(body):
        start = _clause_start(body, m.start())
        subject = _after_boundary(body[start : m.start()])
        name = _clean_name(subject + "签订" + m.group("what"))
        drafts.append(_Draft("ceremony", name, start, m.end(), _sentence_of(spans, m.start())))
    for m in INTERVIEW.finditer(body):
        name = "接受" + m.group("who") + m.group("kind")
        if m.group("kind") in headline:
            name = _headline_event(headline, m.group("kind")) or name
        name = re.sub(r"[(（]图[)）]$", "", name)
        drafts.append(
            _Draft(
                "interview",
                name,
                m.start(),
                m.end(),
                _sentence_of(spans, m.start()),
                subject_role=Role.SPEAKER,
            )
        )
    for m in MEET.finditer(body):
        name = _clean_name(LED_BY.sub("", m.group("name")))
        if len(name) >= 2 and not name.startswith(("时", "后")):
            drafts.append(
                _Draft(
                    "meeting",
                    m.group("verb") + name,
                    m.start(),
                    m.end(),
                    _sentence_of(spans, m.start()),
                    subject_role=Role.ATTENDEE,
                    both_sides=True,
                )
            )
    for m in VIEW.finditer(body):
        name = _clean_name(m.group("name"))
        if len(name) >= 4:
            drafts.append(
                _Draft(
                    "broadcast",
                    "收看" + name,
                    m.start(),
                    m.end(),
                    _sentence_of(spans, m.start()),
                    subject_role=Role.ATTENDEE,
                )
            )
    for m in SCHOOL.finditer(body):
        name = headline if any(v in headline for v in SCHOOL_VERBS) else m.group("who") + m.group("verb")
        drafts.append(
            _Draft("school", name, m.end() - len(m.group("verb")), m.end(), _sentence_of(spans, m.start()))
        )
        break
    return drafts


def _is_reference(body: str, draft: _Draft) -> bool:
    """传达…会议精神, 在…会议上的讲话, 学习贯彻…全会精神: an event the article only refers to."""
    if REFERENCE_AFTER.match(body, draft.end) or REFERENCE_AFTER.match(body[draft.end : draft.end + 12]):
        return True
    if draft.kind == "meeting" and REFERENCE_BEFORE.search(body[draft.sentence[0] : draft.start]):
        after = body[draft.end : draft.end + 16]
        return bool(re.search(r"精神|上的|部署|要求", after))
    return False


def _clause_start(body: str, end: int, reach: int = 41) -> int:
    """Start of the clause that ends at `end`, looking back at most `reach` characters."""
    window_start = max(0, end - reach)
    m = CLAUSE_START.search(body, window_start, end)
    return m.start() + 1 if m else window_start


def _after_boundary(name: str) -> str:
    """Drop what a clause carries before a meeting's name (a date, 近日, 当日)."""
    name = re.sub(r"^.*?(?:\d+月\d+日(?:上午|下午|晚上|晚)?|近日|日前|当日|当天|昨日|今日|今天)", "", name)
    # …会议5日上午在人民大会堂开幕: the day after the name is not part of it
    return re.sub(r"(?:于)?(?:\d{1,2}月)?\d{1,2}日(?:上午|下午|晚上|晚)?$", "", name)


def _named_after_headline(headline: str, drafts: list[_Draft]) -> list[_Draft]:
    """大会于14日下午召开: a meeting the body calls by a bare noun is the one its headline names; with no
    other meeting in the article, a bare 会议 is still the article's meeting."""
    named = None
    for m in HOLD.finditer(headline):
        found = _meeting_name(headline, m.end())
        if found is not None and _clean_name(found[2]) not in BARE_NAMES:
            named = _clean_name(found[2])
            break
    has_named = any(d.kind == "meeting" and d.name not in BARE_NAMES for d in drafts)
    for d in drafts:
        if d.name in BARE_NAMES:
            if named is not None:
                d.name = named
            elif not has_named and d.kind == "meeting":
                d.name = "会议" if d.name == "会" else d.name
                d.kind = "meeting-bare"
    return drafts


def _headline_events(
    headline: str, body: str, drafts: list[_Draft], spans: list[tuple[int, int]]
) -> list[_Draft]:
    """县八届人大常委会召开第20次会议: a meeting or a visit the headline reports and the body does not
    name again is the article's event, dated by the article's lead."""
    if not headline or not body:
        return []
    found = _meetings(headline, [(0, len(headline))], [])
    found += [d for d in _held_or_deciding(headline, [(0, len(headline))]) if d.name not in BARE_NAMES]
    lead = spans[0] if spans else (0, 0)
    extra = []
    for d in found:
        if d.name in BARE_NAMES or any(_similar(d.name, k.name) for k in drafts):
            continue
        extra.append(_Draft(d.kind, d.name, lead[0], lead[0], lead, organizer=d.organizer))
        break
    return extra


def _dedupe(drafts: list[_Draft], dated: dict[int, DateMention | None]) -> list[_Draft]:
    kept: list[_Draft] = []
    for d in sorted(drafts, key=lambda d: (d.start, -len(d.name))):
        bare = d.kind == "meeting-bare"
        if bare:
            d.kind = "meeting"
        elif len(d.name) < 2 or re.fullmatch(r"(?:会议|大会|活动|会|检查|调研)", d.name):
            continue
        twin = next(
            (k for k in kept if _similar(k.name, d.name) or (k.sentence == d.sentence and k.kind == d.kind)),
            None,
        )
        if twin is None:
            kept.append(d)
            continue
        if dated.get(id(twin)) is None and dated.get(id(d)) is not None:
            dated[id(twin)] = dated[id(d)]
        if twin.place is None and d.place:
            twin.place = d.place
        if twin.organizer is None and d.organizer:
            twin.organizer = d.organizer
        if twin.subject_role is None and d.subject_role is not None:
            twin.subject_role = d.subject_role
    return kept


def _similar(a: str, b: str) -> bool:
    return a in b or b in a


def _scope_end(drafts: list[_Draft], index: int, body: str) -> int:
    """An event governs the sentences up to the next event's, or its own sentence if the next shares it."""
    draft = drafts[index]
    later = [d for d in drafts[index + 1 :] if d.sentence[0] > draft.sentence[0]]
    return later[0].sentence[0] if later else len(body)


def _event_date(body: str, draft: _Draft, dates: list[DateMention]) -> DateMention | None:
    s, _ = draft.sentence
    in_sentence = [d for d in dates if s <= d.start < draft.end and not d.month_only and d.known]
    if in_sentence:
        return in_sentence[-1]
    clause = body[s : draft.start]
    if clause.lstrip().startswith(UNDATED_OPENERS):
        return None
    paragraph_start = body.rfind("\n", 0, s) + 1
    earlier = [d for d in dates if paragraph_start <= d.start < s and not d.month_only and d.known]
    if earlier:
        return earlier[-1]
    # a dated lead governs its article's first events (3月2日下午,…。会议指出…)
    first = [d for d in dates if d.start < s and not d.month_only and d.known]
    return first[0] if first and first[0].start < 40 and draft.kind != "meeting" else None


def _place_for(draft: _Draft, places: list[PlaceAt], headline: str) -> str | None:
    s, e = draft.sentence
    local = [p for p in places if s <= p.start < e and p.level in ("county", "zone", "township", "venue")]
    if local:
        return local[0].name
    if draft.kind == "school":
        named = [p for p in places if p.level == "county" and p.name[:2] in headline]
        if named:
            return named[0].name
    return None


def _organizer(draft: _Draft, orgs: list[tuple[int, int, str]]) -> str | None:
    if draft.kind != "meeting":
        return None
    s, _ = draft.sentence
    before = [o for o in orgs if s <= o[0] and o[1] <= draft.start and draft.start - o[1] <= 3]
    return before[-1][2] if before else None


# --- participants -------------------------------------------------------------------------------------


def _participants(
    body: str, draft: _Draft, scope_end: int, persons: list[PersonAt], spans: list[tuple[int, int]]
) -> tuple[Participation, ...]:
    roles: dict[tuple[str, Role], None] = {}
    for s, e in spans:
        if e <= draft.sentence[0] or s >= scope_end:
            continue
        in_sentence = [p for p in persons if s <= p.start < e and not _only_mentioned(body, p, s)]
        if not in_sentence:
            continue
        clause_roles = _roles_in(body, s, e, in_sentence)
        for person, role in clause_roles:
            roles.setdefault((person, role), None)
        if (s, e) == draft.sentence and draft.subject_role is not None:
            named = {p for p, _ in clause_roles}
            for p in in_sentence:
                before = p.end <= draft.start and _same_clause(body, p.end, draft.start)
                if (before or draft.both_sides) and p.name not in named:
                    roles.setdefault((p.name, draft.subject_role), None)
                    if draft.subject_role is Role.LEADER:
                        roles.setdefault((p.name, Role.ATTENDEE), None)
        for p in in_sentence:
            # 甲在会上强调: a statement made at the event is a speech
            after = body[p.end : min(e, p.end + 30)]
            if AT_EVENT.match(after) and STATEMENT.search(after):
                roles.setdefault((p.name, Role.SPEAKER), None)
    chairs = {name for name, role in roles if role is Role.CHAIR}
    # a chair who also speaks is the chair: the speech is part of chairing
    return tuple(
        Participation(name, role) for name, role in roles if not (role is Role.SPEAKER and name in chairs)
    )


def _same_clause(body: str, start: int, end: int) -> bool:
    return end - start <= 40 and not re.search(r"[。；;！？\n]", body[start:end])


def _only_mentioned(body: str, person: PersonAt, sentence_start: int) -> bool:
    """学习甲总书记重要讲话精神, 受县委书记乙委托: a person the sentence names without their taking part."""
    after = body[person.end : person.end + 48]
    clause_after = re.split(r"[，,。；;！？\n]", after, maxsplit=1)[0]
    if "委托" in clause_after[:8]:
        return True
    clause_start = max(body.rfind(c, sentence_start, person.start) for c in "，,。；;\n") + 1
    before = body[max(sentence_start, clause_start, person.start - 30) : person.start]
    studied = re.search(r"学习|传达|贯彻|落实|领会|按照|根据|遵照|宣讲", before)
    if studied and re.search(r"讲话|指示|批示|论述|思想|精神|部署|要求|文章", clause_after):
        return True
    return bool(
        re.match(
            r"[\u4e00-\u9fff]{0,4}(?:同志)?(?:的|在[^，,。；]{0,36}?(?:上|时|中)的)(?:重要)?(?:讲话|指示|批示)",
            after,
        )
    )


def _roles_in(body: str, s: int, e: int, persons: list[PersonAt]) -> list[tuple[str, Role]]:
    """Each person's role in a sentence: the role verb that follows them before the next clause ends."""
    found = []
    ends = [p.end for p in persons]
    for index, person in enumerate(persons):
        following = persons[index + 1].start if index + 1 < len(persons) else e
        # a role verb follows its subject within a list's length: looking further is wasted (and
        # quadratic on a page printed as one endless line)
        window = min(e, person.end + ROLE_REACH)
        hits = [
            (m.start(), role)
            for role, pattern in ROLE_VERBS
            if (m := pattern.search(body, person.end, window))
        ]
        if not hits:
            continue
        at, role = min(hits, key=lambda h: h[0])
        # a verb governs the names listed before it (甲、乙参加), not those of a later clause,
        # and it follows its subject closely (not 学习总书记重要讲话精神)
        between = body[person.end : at]
        nearest = ends[bisect.bisect_right(ends, at) - 1] if bisect.bisect_right(ends, at) else person.end
        if (following < at and re.search(r"[。；;]", between)) or at - nearest > 40:
            continue
        if re.search(r"[的]$", between) or (
            role is Role.SPEAKER and re.search(r"重要$|的[^，,。]{0,6}$", between)
        ):
            continue
        if role is Role.LEADER and re.search(r"会见|接见|会谈|欢迎", between):
            continue  # 甲会见某某代表团一行: the guests' leader, not the host
        found.append((person.name, role))
        if role is Role.LEADER:
            found.append((person.name, Role.ATTENDEE))
        # 出席并致辞: a second verb joined by 并 adds its role
        joined = re.match(r"[^，,。；;]{0,4}?并", body[at : at + 12])
        if joined:
            rest = at + joined.end()
            for other, pattern in ROLE_VERBS:
                if other is not role and pattern.match(body, rest):
                    found.append((person.name, other))
    return found


def _evidence_bounds(body: str, draft: _Draft) -> tuple[int, int]:
    s, e = draft.sentence
    start = min(draft.start, s)
    end = max(draft.end, min(e, draft.end))
    text = body[start:end]
    while text and text[-1] in "。；;\n":
        end -= 1
        text = text[:-1]
    return start, end
