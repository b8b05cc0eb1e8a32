"""Events: meetings, inspections, ceremonies, broadcasts and school reopenings, with dates and roles."""

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
# (someone) 主持召开/召开/举行 + a meeting name
HOLD = re.compile(
    rf"(?P<verb>主持召开|组织召开|召开|举行|举办|主持|出席|参加|列席)(?:了)?"
    rf"(?P<name>[^，,。；;！？\n]{{1,30}}?(?:{_NOUN}))"
)
# a meeting name + 在 venue + 举行 / a meeting name opening a clause and deciding something
HELD_AT_VERB = re.compile(r"(?:在(?P<venue>[^，,。；;\n]{2,20}?))?(?:隆重|正式|胜利)?(?:举行|召开|开幕|举办)")
DECIDES_VERB = re.compile(r"审议|研究|听取|通过|部署|决定")
NOUN_AT_END = re.compile(rf"(?:{_NOUN})$")
CLAUSE_START = re.compile(r"[，,。；;！？\n][^，,。；;！？\n]*$")
VISIT = re.compile(
    rf"(?:率队|带队|一行)?(?:来|到|赴|深入|前往|走进|在)(?P<place>[^，,。；;\n]{{2,14}}?)[,，]?(?:开展|进行)?(?P<verb>{alternation(VISIT_VERBS)})"
)
VIEW = re.compile(
    r"(?:集体|集中|组织)?(?:收听收看|收看|观看|收听)(?:了)?(?P<name>[^，,。；;！？\n]{2,30}?)(?=[，,。；;！？\n]|$)"
)
# 会见/会谈: those who meet, on both sides of the verb, are its attendees
MEET = re.compile(r"(?P<verb>会见|会谈|接见)(?:了)?(?P<name>[^，,。；;！？\n]{2,30}?)(?=[，,。；;！？\n]|$)")
SCHOOL = re.compile(
    rf"(?P<who>初中|小学|中学|高中|幼儿园|中小学|初三|高三|学生)[^，,。；;\n]{{0,12}}?(?P<verb>{alternation(SCHOOL_VERBS)})"
)
UNDATED_OPENERS = ("近日", "日前", "近期", "目前", "此前", "今年以来", "近年来")

ROLE_VERBS: tuple[tuple[Role, re.Pattern[str]], ...] = (
    (Role.CHAIR, re.compile(alternation(CHAIR_VERBS))),
    (
        Role.SPEAKER,
        re.compile(
            rf"(?:{alternation(SPEAKER_VERBS)})(?!精神|稿|要求)|作[^，,。；;]{{0,12}}?(?:报告|讲话|宣讲)(?!精神)"
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


def sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= pos < e:
            return s, e
    return spans[-1] if spans else (0, 0)


def _clean_name(name: str) -> str:
    name = name.rsplit("\n", 1)[-1]
    name = re.sub(r"^(?:了|一场|一次|全市|全省|全区|全县)", "", name)
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
    for m in HOLD.finditer(body):
        name = _clean_name(m.group("name"))
        # 出席签约仪式 names an event; 参加收看活动 only refers back to one
        if m.group("verb") in ("出席", "参加", "列席") and (len(name) < 4 or name.endswith("活动")):
            continue
        drafts.append(_Draft("meeting", name, m.start(), m.end(), _sentence_of(spans, m.start())))
    # a meeting named just before 在…举行, or before what it decided, is found from the verb backwards:
    # a lazy name pattern tried at every character is slow
    for pattern, with_venue in ((HELD_AT_VERB, True), (DECIDES_VERB, False)):
        for m in pattern.finditer(body):
            start = _clause_start(body, m.start())
            before = body[start : m.start()]
            if not 2 <= len(before) <= 40 or not NOUN_AT_END.search(_after_boundary(before)):
                continue
            name = _clean_name(_after_boundary(before))
            venue = m.group("venue") if with_venue else None
            sentence = _sentence_of(spans, m.start())
            drafts.append(_Draft("meeting", name, start, m.end(), sentence, venue))
    for m in VISIT.finditer(body):
        place = next((p for p in places if p.start >= m.start("place") and p.end <= m.end("place")), None)
        if place is None:
            continue
        verb = m.group("verb")
        name = headline if verb in headline else place.name + verb
        drafts.append(
            _Draft("inspection", name, m.start(), m.end(), _sentence_of(spans, m.start()), place.name)
        )
    for m in MEET.finditer(body):
        name = _clean_name(m.group("name"))
        if len(name) >= 2:
            drafts.append(
                _Draft("meeting", m.group("verb") + name, m.start(), m.end(), _sentence_of(spans, m.start()))
            )
    for m in VIEW.finditer(body):
        name = _clean_name(m.group("name"))
        if len(name) >= 4:
            drafts.append(
                _Draft("broadcast", "收看" + name, m.start(), m.end(), _sentence_of(spans, m.start()))
            )
    for m in SCHOOL.finditer(body):
        name = headline if any(v in headline for v in SCHOOL_VERBS) else m.group("who") + m.group("verb")
        drafts.append(
            _Draft("school", name, m.end() - len(m.group("verb")), m.end(), _sentence_of(spans, m.start()))
        )
        break
    drafts = _dedupe(drafts)
    events = []
    for index, draft in enumerate(drafts):
        scope_end = drafts[index + 1].sentence[0] if index + 1 < len(drafts) else len(body)
        if index + 1 < len(drafts) and drafts[index + 1].sentence == draft.sentence:
            scope_end = draft.sentence[1]
        date = _event_date(body, draft, dates, spans)
        place = draft.place or _place_for(draft, places, headline)
        organizer = _organizer(draft, orgs, body)
        participants = _participants(body, draft, scope_end, persons, spans)
        s, e = _evidence_bounds(body, draft, dates)
        events.append(
            Event(
                name=draft.name,
                evidence=Span(s, e, body[s:e]),
                date=date.date if date else None,
                part_of_day=date.part_of_day if date else None,
                place=place,
                organizer=organizer,
                participants=participants,
                kind=draft.kind,
            )
        )
    return events


def _clause_start(body: str, end: int) -> int:
    """Start of the clause that ends at `end`, looking back at most 31 characters."""
    window_start = max(0, end - 31)
    m = CLAUSE_START.search(body, window_start, end)
    return m.start() + 1 if m else window_start


def _after_boundary(name: str) -> str:
    """Drop what a clause carries before a meeting's name (a date, 近日, 当日)."""
    name = re.sub(r"^.*?(?:\d+月\d+日(?:上午|下午|晚上|晚)?|近日|日前|当日|当天|昨日|今日)", "", name)
    # …会议5日上午在人民大会堂开幕: the day after the name is not part of it
    return re.sub(r"(?:\d{1,2}月)?\d{1,2}日(?:上午|下午|晚上|晚)?$", "", name)


def _dedupe(drafts: list[_Draft]) -> list[_Draft]:
    kept: list[_Draft] = []
    for d in sorted(drafts, key=lambda d: (d.start, -len(d.name))):
        if len(d.name) < 2 or re.fullmatch(r"(?:会议|大会|活动|会)", d.name):
            continue
        twin = next(
            (k for k in kept if _similar(k.name, d.name) or (k.sentence == d.sentence and k.kind == d.kind)),
            None,
        )
        if twin is None:
            kept.append(d)
        elif twin.place is None and d.place:
            twin.place = d.place
    return kept


def _similar(a: str, b: str) -> bool:
    return a in b or b in a


def _event_date(
    body: str, draft: _Draft, dates: list[DateMention], spans: list[tuple[int, int]]
) -> DateMention | None:
    s, _ = draft.sentence
    in_sentence = [d for d in dates if s <= d.start < draft.end and not d.month_only]
    if in_sentence:
        return in_sentence[-1]
    clause = body[s : draft.start]
    if clause.lstrip().startswith(UNDATED_OPENERS):
        return None
    paragraph_start = body.rfind("\n", 0, s) + 1
    earlier = [d for d in dates if paragraph_start <= d.start < s and not d.month_only and d.date]
    return earlier[-1] if earlier else None


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


def _organizer(draft: _Draft, orgs: list[tuple[int, int, str]], body: str) -> str | None:
    if draft.kind != "meeting":
        return None
    s, _ = draft.sentence
    before = [o for o in orgs if s <= o[0] and o[1] <= draft.start and draft.start - o[1] <= 3]
    return before[-1][2] if before else None


def _participants(
    body: str, draft: _Draft, scope_end: int, persons: list[PersonAt], spans: list[tuple[int, int]]
) -> tuple[Participation, ...]:
    roles: dict[tuple[str, Role], None] = {}
    for s, e in spans:
        if e <= draft.sentence[0] or s >= scope_end:
            continue
        in_sentence = [p for p in persons if s <= p.start < e]
        if not in_sentence:
            continue
        clause_verbs = _roles_in(body, s, e, in_sentence)
        for person, role in clause_verbs:
            roles.setdefault((person, role), None)
        if (s, e) == draft.sentence and not clause_verbs:
            trigger = body[draft.start : draft.end]
            trigger_role = _trigger_role(trigger, draft.kind)
            if trigger_role is not None:
                both_sides = trigger.startswith(("会见", "会谈", "接见"))
                for p in in_sentence:
                    if p.end <= draft.start or both_sides:
                        roles.setdefault((p.name, trigger_role), None)
    result = []
    for name, role in roles:
        result.append(Participation(name, role))
    return tuple(result)


def _trigger_role(trigger: str, kind: str) -> Role | None:
    if trigger.startswith("主持"):
        return Role.CHAIR
    if trigger.startswith(("出席", "参加", "列席", "会见", "会谈", "接见")):
        return Role.ATTENDEE
    if kind in ("broadcast", "inspection"):
        return Role.ATTENDEE
    return None


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


def _evidence_bounds(body: str, draft: _Draft, dates: list[DateMention]) -> tuple[int, int]:
    s, e = draft.sentence
    start = min(draft.start, s)
    end = max(draft.end, min(e, draft.end))
    text = body[start:end]
    while text and text[-1] in "。；;\n":
        end -= 1
        text = text[:-1]
    return start, end
