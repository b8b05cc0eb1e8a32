"""The NLP pipeline: one source file in, its articles with their mentions and facts out."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from graph.model import (
    Article,
    ArticleFacts,
    EntityKind,
    Event,
    Membership,
    Mention,
    Place,
    SourceFile,
    Span,
)
from graph.nlp import recognize as rec
from graph.nlp.dates import find_dates, infer_publication_date, year_for
from graph.nlp.divisions import Division, DivisionTable, world_places
from graph.nlp.events import PersonAt, PlaceAt, find_events
from graph.nlp.layout import RawArticle, split_articles
from graph.nlp.lexicons import NOT_NAME_ENDINGS, POSITIONS, all_surnames, alternation, surnames
from graph.nlp.recognize import find_world_places
from graph.nlp.resolve import ZONE_FORMS, Locale, city_from_newspaper, home_from_path
from graph.nlp.script import Restorer, to_simplified
from graph.nlp.segment import Backend, Token, tokenize
from graph.nlp.tagger import ModelView
from graph.sources import date_from_metadata

CONJUNCTIONS = frozenset("和与及向从对为将把于以同")
# Characters of the standard transcription of foreign names (普里马科夫, 维克托)
TRANSCRIPTION = frozenset(
    "阿埃艾安昂奥巴拜班邦保贝本比彼宾波伯博布查达戴丹道德登迪蒂丁顿多厄恩法范菲费芬丰弗福夫盖甘冈戈格根古哈海汉豪"
    "赫亨胡华霍基吉加贾杰捷金卡凯坎康科克肯库夸奎拉莱兰朗劳勒雷里利连列林琳卢鲁伦罗洛马迈麦曼梅蒙米明莫姆穆纳奈"
    "南内尼涅宁纽努诺帕佩彭皮珀普奇齐恰乔切萨塞桑瑟森沙尚舍什施斯松苏索塔泰坦汤特滕提图托瓦万威韦维温沃乌西希谢辛"
    "休雅亚扬耶伊因英尤约扎泽詹兹佐"
)
POSITION_SUFFIX = re.compile(f"(?:{alternation([p for p in POSITIONS if len(p) >= 2])})$")
# Function characters that never stand in a given name, though their neighbours look like one (沙村还)
NOT_IN_GIVEN_NAMES = frozenset(
    "还也都就又才在是的了着过所而且但并或若吗呢吧啊么这那哪其该每各某等被把让给向从对与及和"
)
NAME_AND_PLACE_TAGS = frozenset({"nr", "nrfg", "ns", "nt", "nz", "nrt", "j"})
# 罗霄山脉, 宋家桥街: a character that makes a name-like token part of a place or a body
PLACE_CONTINUATION = frozenset("脉山峰岭路街区县市镇乡村江河湖港湾岛桥园厂站院校馆楼府部局委办会队组社司省")
# 今年56岁的张三, 市民李四, 志愿者王五: an age or a walk of life introduces a citizen's name
PERSON_INTRO_RE = re.compile(
    r"(?:\d{1,3}|[一二三四五六七八九十]{1,3})岁的(?=[\u4e00-\u9fff]{2,3})|(?:市民|村民|居民|志愿者|老党员|党员|"
    r"老师|教师|医生|护士|民警|辅警|网格员|企业家|店主|退役军人|快递员|外卖员|环卫工人)"
    r"(?=[\u4e00-\u9fff]{3}(?:[，,。、）)]|说|表示|介绍|告诉))"
)
SENTENCE_START_RE = re.compile(r"(?:^|(?<=[。！？!?；;\n”\"：:]))[\u4e00-\u9fff]")
HOME_WORDS = re.compile(r"(?:我|本)(?:市|县|区|旗)(?![\u4e00-\u9fff]{0,1}(?:委|政府|人大|政协|长))")
# 数字中国, 美丽某省, 平安某市: a campaign's name, which holds a place's without speaking of it
SLOGAN_BEFORE = re.compile(r"(?:数字|美丽|健康|平安|法治|智慧|幸福|书香|清廉|生态|创新|诚信|文明)$")
# 福州路, 人民大道: a place's name that begins a road's
ROAD_AFTER = re.compile(r"(?:路|街|大道|大街|巷|胡同|道(?![路]))")
STRONG_SUFFIX_POSITIONS = ("总书记", "书记", "主席", "市长", "省长", "县长", "区长", "总理", "部长")


# a word the segmenter tags so may still be a name (兴安, 江涛); any other word may not, unless the tagger
# calls it one: 陆续, 一同, 单位 after a title
NAME_LIKE_TAGS = ("nr", "ns", "nz", "nt", "x", "eng", "j")


@dataclass(frozen=True)
class Options:
    """What the command line may fix instead of the text: date, newspaper, home city."""

    date: dt.date | None = None
    newspaper: str | None = None
    city: str | None = None
    backend: Backend = Backend.RJIEBA


@dataclass(frozen=True)
class OrgAt:
    start: int
    end: int
    name: str
    aliases: tuple[str, ...]
    parent: str | None = None


# 市委 of 市委宣传部, 省政府 of 省政府督查组: the body a unit belongs to
PARENT_BODY = re.compile(r"^[省市县区](?:委|政府|人大常委会|政协)")


@dataclass
class SourceResult:
    articles: list[ArticleFacts]
    places: dict[str, Place]


def process(source: SourceFile, options: Options | None = None) -> SourceResult:
    """Extract every article of one source file."""
    options = options or Options()
    simplified = to_simplified(source.text)
    raws = split_articles(simplified or source.text)
    original = Restorer(source.text, simplified) if simplified else None
    table = DivisionTable.load()
    newspaper = options.newspaper or next((r.byline.newspaper for r in raws if r.byline.newspaper), None)
    newspaper = _clean_paper(newspaper)
    city = _home_city(table, options, newspaper, source.path)
    locale = Locale.for_city(table, city.key if city else "")
    published, rule = _publication_date(source, raws, options)
    # the file's name and text, not its path: the same issue gets the same IRIs wherever it is built, and
    # two cities' 2023-03-01.txt do not collide; 10 hex digits keep 10,000 files apart
    stem = hashlib.sha1(f"{Path(source.path).name}\0{source.text}".encode()).hexdigest()[:10]
    articles = []
    for index, raw in enumerate(raws, start=1):
        date, date_rule = published, rule
        if date is None and raw.metadata:
            date = date_from_metadata("\n".join(f"{k}:{v}" for k, v in raw.metadata.items()))
            date_rule = "metadata" if date else None
        key = f"{date.isoformat() if date else 'undated'}-{stem}-{index:02d}"
        dateline = _dateline_date(raw.byline.dateline, date)
        article = Article(
            key=key,
            headline=raw.headline,
            body=raw.body,
            subheadline=raw.subheadline,
            date=date,
            date_rule=date_rule,
            dateline=dateline,
            dateline_day=raw.byline.dateline,
            dateline_place=raw.byline.dateline_place,
            newspaper=newspaper,
            city=city.name if city else None,
            authors=tuple(raw.byline.authors),
            contributors=tuple(raw.byline.contributors),
            photographers=tuple(raw.byline.photographers),
            editors=tuple(raw.byline.editors),
            source_path=Path(source.path).name,
        )
        if original is not None:
            # names, headlines and evidence keep the characters the paper printed
            article = dataclasses.replace(
                article,
                headline=original(raw.headline),
                body="\n".join(original(p) for p in raw.paragraphs),
                subheadline=original(raw.subheadline) if raw.subheadline else None,
                authors=tuple(original(n) for n in raw.byline.authors),
                contributors=tuple(original(n) for n in raw.byline.contributors),
                photographers=tuple(original(n) for n in raw.byline.photographers),
                editors=tuple(original(n) for n in raw.byline.editors),
                simplified=raw.body,
            )
        articles.append(article)
    extractor = _Extractor(locale, options.backend)
    if city is not None:
        extractor._register_division(city)
    known = extractor.person_names(articles)
    facts = [extractor.extract(article, known) for article in articles]
    if original is not None:
        facts = [_with_original_names(f) for f in facts]
    return SourceResult(facts, _skip_unnamed_townships(extractor.places, facts))


def _dateline_date(dateline: tuple[int, int] | None, published: dt.date | None) -> dt.date | None:
    """The day a dateline gives, in the year of the publication date (the day before New Year's Day
    of an issue printed on 1 January is in the year before)."""
    if dateline is None or published is None:
        return None
    month, day = dateline
    try:
        return dt.date(year_for(month, published), month, day)
    except ValueError:
        return None


def _with_original_names(facts: ArticleFacts) -> ArticleFacts:
    """Persons' names and titles as printed (traditional), where the recognizers read simplified ones."""
    article = facts.article
    names = {m.name: m.span.text for m in facts.mentions if m.kind is EntityKind.PERSON and not m.in_headline}

    def title(ms: Membership) -> str:
        at = (article.text or "").find(ms.title, ms.evidence.start, ms.evidence.end)
        return article.body[at : at + len(ms.title)] if at >= 0 else ms.title

    mentions = tuple(
        dataclasses.replace(m, name=names.get(m.name, m.name)) if m.kind is EntityKind.PERSON else m
        for m in facts.mentions
    )
    memberships = tuple(
        dataclasses.replace(ms, person=names.get(ms.person, ms.person), title=title(ms))
        for ms in facts.memberships
    )

    def event_name(e: Event) -> str:
        at = article.text.find(e.name, e.evidence.start)
        return article.body[at : at + len(e.name)] if at >= 0 else e.name

    events = tuple(
        dataclasses.replace(
            e,
            name=event_name(e),
            evidence=article.span(e.evidence.start, e.evidence.end),
            participants=tuple(
                dataclasses.replace(p, person=names.get(p.person, p.person)) for p in e.participants
            ),
        )
        for e in facts.events
    )
    return dataclasses.replace(facts, mentions=mentions, memberships=memberships, events=events)


def _abbreviates(short: str, long: str) -> bool:
    """短 is an abbreviation of 长: same first and last characters, the rest in order, and shorter."""
    if len(short) >= len(long) or short[0] != long[0] or short[-2:] != long[-2:]:
        return False
    chars = iter(long)
    return all(c in chars for c in short)


def _skip_unnamed_townships(places: dict[str, Place], facts: list[ArticleFacts]) -> dict[str, Place]:
    """A community's street or town that no article names is left out; the community hangs from its county."""
    named = {m.name for f in facts for m in f.mentions if m.kind is EntityKind.PLACE}
    named |= {e.place for f in facts for e in f.events if e.place}
    kept = {}
    for name, place in places.items():
        if place.level == "township" and name not in named:
            continue
        parent = places.get(place.parent) if place.parent else None
        while parent is not None and parent.level == "township" and parent.name not in named:
            parent = places.get(parent.parent) if parent.parent else None
        if place.parent and parent is not None and parent.name != place.parent:
            place = Place(place.name, place.level, place.code, parent.name, place.aliases)
        kept[name] = place
    return kept


def _clean_paper(name: str | None) -> str | None:
    if not name:
        return None
    name = re.sub(r"[\s(（].*$", "", name.strip())
    return name or None


def _home_city(
    table: DivisionTable, options: Options, newspaper: str | None, path: str = ""
) -> Division | None:
    """Where the issue speaks from: --city, else the newspaper's city, else a place the file's path names."""
    if options.city:
        return table.city(options.city) or next(iter(table.find(options.city)), None)
    return city_from_newspaper(table, newspaper) or (home_from_path(table, path) if path else None)


def _publication_date(
    source: SourceFile, raws: list[RawArticle], options: Options
) -> tuple[dt.date | None, str | None]:
    if options.date:
        return options.date, "option"
    if source.name_date:
        return source.name_date, "filename"
    meta = date_from_metadata(source.text)
    if meta:
        return meta, "metadata"
    inferred = infer_publication_date([(r.headline, r.body) for r in raws])
    return (inferred, "inferred") if inferred else (None, None)


class _Extractor:
    """Recognizers bound to one issue's locale; collects the places it resolves."""

    def __init__(self, locale: Locale, backend: Backend) -> None:
        self.locale = locale
        self.backend = backend
        self.places: dict[str, Place] = {}
        self.leads = locale.prefixes
        self._token_cache: dict[str, list[Token]] = {}
        self._protected_cache: dict[str, frozenset[int]] = {}
        self._model_cache: dict[str, ModelView] = {}
        self._bounds_cache: dict[str, frozenset[int]] = {}
        self._all_token_cache: dict[str, list[Token]] = {}
        self._token_starts: dict[str, dict[int, Token]] = {}
        self._orgs_cache: dict[str, list[rec.Found]] = {}
        self._project_cache: dict[str, list[tuple[rec.Found, tuple[str, ...]]]] = {}
        self._county: str | None = None

    # --- persons -------------------------------------------------------------------------------------
    def person_names(self, articles: list[Article]) -> set[str]:
        """Names recognized anywhere in the issue, so that every later mention is found.

        The trained tagger proposes names where it has read the text; a rule's guess that rests on the
        segmenter alone (a name-like token, a sentence start) stands only where the tagger did not read,
        or agrees. Names a title, a byline or an introduction (市民, 56岁的) vouches for always stand."""
        sure: Counter[str] = Counter()
        unsure: Counter[str] = Counter()
        candidates = {a.text: self._candidates(a.text) for a in articles}
        # the tagger reads where a rule guesses a name from the segmenter alone, so that it can decide
        self._read_with_model(
            [a.text for a in articles],
            {
                text: [c[0] for c in found if not c[3] or self._common_word_at(text, c[0], c[1])]
                for text, found in candidates.items()
            },
        )
        for article in articles:
            for name in article.authors + article.contributors + article.photographers + article.editors:
                sure[name] += 1
            view = self._model_view(article.text)
            for name in view.persons:
                sure[name] += 1
            for name in rec.dotted_names(article.text, view.labelled("PER")):
                sure[name] += 1
            for start, name, certain, anchored in candidates[article.text]:
                if (
                    view.read(start, start + len(name))
                    and not view.person_at(start)
                    and (not anchored or self._common_word_at(article.text, start, name))
                ):
                    continue  # 政协委员陆续报到: after a title, an adverb the tagger does not call a name
                (sure if certain else unsure)[name] += 1
        names = set(sure)
        for name in unsure:
            if not any(
                other != name and (other.startswith(name) or name.startswith(other)) for other in sure
            ):
                names.add(name)
        # 李芳作 beside 李芳: the longer one swallowed a verb
        return {n for n in names if not (len(n) == 3 and n[:2] in names and n[2] in rec.SHORT_NAME_HINT)}

    def _read_with_model(self, texts: list[str], guesses: dict[str, list[int]] | None = None) -> None:
        """Run the tagger over every text not read yet, in one pass."""
        todo = list(dict.fromkeys(t for t in texts if t not in self._model_cache))
        hints = [
            [t.start for t in self._tokens(text) if t.tag in ("nr", "nrfg", "nrt")]
            + (guesses or {}).get(text, [])
            for text in todo
        ]
        for text, view in zip(todo, ModelView.of_many(todo, self._is_model_person, hints), strict=True):
            self._model_cache[text] = view

    def _model_view(self, text: str) -> ModelView:
        view = self._model_cache.get(text)
        if view is None:
            hints = [t.start for t in self._tokens(text) if t.tag in ("nr", "nrfg", "nrt")]
            view = self._model_cache[text] = ModelView.of(text, self._is_model_person, hints)
        return view

    def _is_model_person(self, name: str) -> bool:
        """A name the tagger labels PER that can be one: a surname first (or a minority name with ·),
        and not a place of the gazetteer."""
        if "·" in name:
            return False  # a name with a middle dot is read whole by rec.dotted_names
        if not 2 <= len(name) <= 5 or not all(rec.CJK.match(c) for c in name) or name[-1] in NOT_NAME_ENDINGS:
            return False
        family = all_surnames()
        if not (name[0] in family or name[:2] in family):
            # 维克托, 斯特兰德: a foreign name written in the characters used to transcribe names
            return 3 <= len(name) <= 5 and all(c in TRANSCRIPTION for c in name)
        if len(name) > 4:
            return False
        return name not in self.locale.gazetteer and not POSITION_SUFFIX.search(name)

    def _candidates(self, text: str) -> list[tuple[int, str, bool, bool]]:
        """(start, name, both ends certain, vouched for by a title or an introduction)."""
        found: list[tuple[int, str, bool, bool]] = []

        def add(at: int, got: tuple[str, bool] | None, anchored: bool) -> None:
            if got is not None:
                found.append((at, got[0], got[1], anchored))

        for m in rec.POSITION_RE.finditer(text):
            if text[m.end() : m.end() + 1] in CONJUNCTIONS:
                continue  # 市领导和老同志: 和 joins, it is not the surname 和
            got = rec.name_at(text, m.end(), rare=True)
            if got is None or rec.title_before(text, m.end(), self.leads) is None:
                continue
            add(m.end(), got, True)
            found.extend((s, n, c, True) for s, n, c in self._list_after(text, m.end() + len(got[0])))
        for intro in PERSON_INTRO_RE.finditer(text):
            got = rec.name_at(text, intro.end())
            if got and got[1]:
                add(intro.end(), got, True)
        for start in SENTENCE_START_RE.finditer(text):
            i = start.start()
            got = rec.name_at(text, i)
            if got and got[1] and self._verb_follows(text, i + len(got[0])):
                add(i, got, False)
                found.extend((s, n, c, False) for s, n, c in self._list_after(text, i + len(got[0])))
        # 安红新 of 韶山市安红新材料产业园项目 is a firm's name, not a person's
        inside_names = {
            i
            for f in [
                *(p for p, _ in self._find_projects(text)),
                *self._orgs_in(text),
            ]
            for i in range(f.start, f.end)
        }
        for tok in self._tokens(text):
            if tok.start in inside_names:
                continue
            if (
                tok.tag in ("nr", "nrfg")
                and len(tok.word) == 3
                and self._plausible(tok.word)
                and text[tok.end : tok.end + 1] not in PLACE_CONTINUATION
                and tok.word[-1] not in rec.SHORT_NAME_HINT  # 陈明率(调研组): the name is 陈明
            ):
                found.append((tok.start, tok.word, True, False))
                found.extend((s, n, c, False) for s, n, c in self._list_after(text, tok.end))
                found.extend((s, n, c, False) for s, n, c in self._list_before(text, tok.start))
            elif (
                tok.tag == "nr"
                and len(tok.word) == 2
                and self._plausible(tok.word)
                and self._verb_follows(text, tok.end)
                and (
                    tok.start == 0
                    or not rec.CJK.match(text[tok.start - 1])
                    or text[tok.start - 1] in "的和与及"
                )
            ):
                found.append(
                    (tok.start, tok.word, False, False)
                )  # 王芳说: a two-character name before a speech verb
        # a name that is also a place's (兴安) stands where a title precedes it and a verb follows
        return [
            c
            for c in found
            if self._plausible(c[1])
            or (
                c[3]
                and self._plausible(c[1], place_names=True)
                and (
                    self._verb_follows(text, c[0] + len(c[1]))
                    or text[c[0] + len(c[1]) : c[0] + len(c[1]) + 1] in "，,、。；;"
                )
            )
        ]

    def _tokens(self, text: str) -> list[Token]:
        """Name and place tokens of a text, segmented once per issue."""
        tokens = self._token_cache.get(text)
        if tokens is None:
            tokens = self._token_cache[text] = [
                t for t in self._all_tokens(text) if t.tag in NAME_AND_PLACE_TAGS
            ]
        return tokens

    def _orgs_in(self, text: str) -> list[rec.Found]:
        found = self._orgs_cache.get(text)
        if found is None:
            found = self._orgs_cache[text] = rec.find_orgs(
                text, self.locale, self.leads, self._protected(text), self._all_tokens(text)
            )
        return found

    def _find_projects(self, text: str) -> list[tuple[rec.Found, tuple[str, ...]]]:
        found = self._project_cache.get(text)
        if found is None:
            found = self._project_cache[text] = rec.find_projects(text, self._all_tokens(text))
        return found

    def _common_word_at(self, text: str, start: int, name: str) -> bool:
        """Whether the segmenter reads two-character `name` at `start` as one common word, not a name or
        a place (a longer run it tags so is a guess of its own, not a dictionary word)."""
        if len(name) != 2:
            return False
        starts = self._token_starts.get(text)
        if starts is None:
            starts = self._token_starts[text] = {t.start: t for t in self._all_tokens(text)}
        token = starts.get(start)
        return token is not None and token.word == name and not token.tag.startswith(NAME_LIKE_TAGS)

    def _all_tokens(self, text: str) -> list[Token]:
        """Every token of a text with its tag, segmented once per issue."""
        tokens = self._all_token_cache.get(text)
        if tokens is None:
            tokens = self._all_token_cache[text] = tokenize(text, self.backend)
        return tokens

    def _boundaries(self, text: str) -> frozenset[int]:
        """Where the segmenter puts word boundaries in a text."""
        found = self._bounds_cache.get(text)
        if found is None:
            found = self._bounds_cache[text] = frozenset(
                b for t in self._all_tokens(text) for b in (t.start, t.end)
            )
        return found

    @staticmethod
    def _stands_alone(text: str, start: int, end: int, bounds: frozenset[int]) -> bool:
        """A place name the text uses as a word: not inside another (黄河北路 holds no 河北, 新兴城市 no
        兴城), and not the first part of a road's name (福州路)."""
        if ROAD_AFTER.match(text, end) and end - start <= 3:
            return False
        if _quality_or_slogan(text, start, end):
            return False
        if start in bounds and end in bounds:
            return True
        # a full name with its level (株洲市, 荷塘区) stands even where the segmenter reads on
        return start in bounds and end - start >= 3 and text[end - 1] in "省市县区州旗盟镇乡"

    def _protected(self, text: str) -> frozenset[int]:
        """Positions inside name-like tokens, where a function character (华为's 为) is part of a name."""
        found = self._protected_cache.get(text)
        if found is None:
            found = self._protected_cache[text] = frozenset(
                i for t in self._tokens(text) if len(t.word) >= 2 for i in range(t.start, t.end)
            )
        return found

    def _plausible(self, name: str, place_names: bool = False) -> bool:
        family = all_surnames() if place_names else surnames()
        if not (name[0] in family or name[:2] in family) or name[-1] in NOT_NAME_ENDINGS:
            return False
        given = name[2:] if name[:2] in family else name[1:]
        if any(c in NOT_IN_GIVEN_NAMES for c in given) and not (
            place_names and len(given) == 2 and len(tokenize(given, self.backend)) == 1
        ):
            return False  # 在, 向 end a name; a title before 向东 or 和平, words of their own, vouches for it
        # a title before the name and a verb after it outweigh the dictionary (兴安 the place, 摆立阳 unknown)
        if not place_names and _common_word(name, self.backend):
            return False
        if name in self.locale.gazetteer and not place_names:
            return False
        return not (POSITION_SUFFIX.search(name) or rec.POSITION_RE.match(name, 1))

    def _list_after(self, text: str, end: int) -> list[tuple[int, str, bool]]:
        found = []
        while end < len(text) and text[end] == "、":
            got = rec.name_at(text, end + 1)
            if got is None:
                break
            found.append((end + 1, *got))
            end = end + 1 + len(got[0])
        return found

    def _list_before(self, text: str, start: int) -> list[tuple[int, str, bool]]:
        if start < 3 or text[start - 1] != "、":
            return []
        for k in (3, 2):
            s = start - 1 - k
            if s >= 0 and (s == 0 or text[s - 1] in "的，,。、和与及"):
                got = rec.name_at(text, s)
                if got and got[0] == text[s : start - 1]:
                    return [(s, *got)]
        return []

    @staticmethod
    def _verb_follows(text: str, end: int) -> bool:
        return any(text.startswith(v, end) for v in rec.VERB_ENDERS)

    # --- one article -------------------------------------------------------------------------------------
    def extract(self, article: Article, known: set[str]) -> ArticleFacts:
        body = article.text
        persons = self._person_mentions(body, known)
        mentions: list[Mention] = [Mention(EntityKind.PERSON, article.span(s, e), n) for s, e, n in persons]
        person_spans = [(s, e) for s, e, _ in persons]
        places = self._places(body, person_spans)
        counties = Counter(p.name for p in places if p.level == "county")
        # 县委 and 区委 in an article about one county are that county's
        self._county = counties.most_common(1)[0][0] if counties else None
        memberships = self._memberships(body, persons, article)
        orgs = self._organizations(body, memberships, person_spans)
        mentions += [
            Mention(
                EntityKind.ORGANIZATION,
                article.span(o.start, o.end),
                o.name,
                o.parent,
                location=self.locale.jurisdiction(body[o.start : o.end]),
                aliases=o.aliases,
            )
            for o in orgs
        ]
        mentions += self._headline_mentions(article.headline, known, mentions)
        mentions += [
            Mention(EntityKind.PLACE, article.span(p.start, p.end), p.name, level=p.level) for p in places
        ]
        mentions += self._dateline_mentions(article, mentions)
        mentions += self._projects(article, places)
        dates = find_dates(
            body,
            article.dateline or article.date,
            article.dateline_day,
            dateline=article.dateline_day is not None,
        )
        events = find_events(
            article.headline,
            body,
            dates,
            [PersonAt(n, s, e) for s, e, n in persons],
            places,
            [(o.start, o.end, o.name) for o in orgs],
        )
        return ArticleFacts(article, tuple(mentions), tuple(memberships), tuple(events))

    def _person_mentions(self, body: str, known: set[str]) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        taken = [False] * len(body)
        view = self._model_cache.get(body)
        tagged = {(t.start, t.end) for t in view.labelled("PER")} if view else set()
        for name in sorted(known, key=lambda n: (-len(n), n)):
            for m in re.finditer(re.escape(name), body):
                if any(taken[m.start() : m.end()]):
                    continue
                if len(name) == 2 and self._runs_on(body, m.end()) and m.span() not in tagged:
                    continue  # a two-character name inside a longer one, unless the tagger read it there
                found.append((m.start(), m.end(), name))
                for i in range(m.start(), m.end()):
                    taken[i] = True
        return sorted(found)

    @staticmethod
    def _runs_on(body: str, end: int) -> bool:
        after = body[end : end + 1]
        if not after or not rec.CJK.match(after) or rec.ENDER_RE.match(body, end):
            return False
        return not rec.POSITION_RE.match(body, end)

    def _memberships(
        self, body: str, persons: list[tuple[int, int, str]], article: Article
    ) -> list[Membership]:
        result: dict[tuple[str, str], Membership] = {}

        def add(name: str, title: str, start: int, end: int) -> None:
            key = (name, title)
            if key not in result:
                surface = rec.title_organization(title)
                org = self._org_names(surface)[0] if surface else None
                position = rec.POSITION_END_RE.search(title)
                result[key] = Membership(
                    name,
                    title,
                    article.span(start, end),
                    org,
                    surface,
                    position.group() if position else None,
                )

        previous_list_title: tuple[int, str] | None = None
        previous_end = -1
        for s, e, name in persons:
            chain = rec.implied_titles(rec.title_chain(body, s, self.leads, self._protected(body)))
            if not chain and body[e : e + 1] in (":", "："):
                # 政协委员 甲：… , an interview's speaker label: the title stands apart from the name
                label = rec.speaker_label(body, s)
                if label is not None:
                    chain = rec.title_chain(body, label, self.leads, self._protected(body))
                    chain = rec.implied_titles(chain)
            for start, _, title in chain:
                add(name, title, start, e)
            if chain:
                # 副市长甲、乙 and 市领导甲、乙、丙: the title before a list names every bare name in it
                previous_list_title = (chain[-1][0], chain[-1][2])
            elif not chain and previous_list_title and body[previous_end:s] == "、":
                add(name, previous_list_title[1], previous_list_title[0], e)
            else:
                previous_list_title = None
            previous_end = e
            for position in STRONG_SUFFIX_POSITIONS:
                if body.startswith(position, e) and position == "总书记":
                    add(name, position, s, e + len(position))  # 甲总书记关于…: unambiguous wherever it stands
                    break
                if body.startswith(position, e) and not rec.CJK.match(
                    body[e + len(position) : e + len(position) + 1] or "x"
                ):
                    add(name, position, s, e + len(position))
                    break
                if body.startswith(position, e) and rec.ENDER_RE.match(body, e + len(position)):
                    add(name, position, s, e + len(position))
                    break
            for title, end in rec.predicate_titles(body, s, e):
                add(name, title, s, end)
        for start, end, title, names in rec.list_titles_after(body, persons):
            for name in names:
                add(name, title, start, end)
        return list(result.values())

    def _org_names(self, surface: str) -> tuple[str, tuple[str, ...]]:
        """Official name and aliases of a body; 县委/区委 are those of the article's county."""
        if surface[:1] in "县区" and self._county and not surface.startswith(("区域", "县域")):
            name, aliases = self.locale.org_names(self._county + surface[1:])
            return name, tuple(dict.fromkeys((surface, *aliases)))
        return self.locale.org_names(surface)

    def _organizations(
        self, body: str, memberships: list[Membership], person_spans: list[tuple[int, int]]
    ) -> list[OrgAt]:
        projects = [f for f, _ in self._find_projects(body)]
        surfaces = [
            (f.start, f.end, f.level + f.text)
            for f in self._orgs_in(body)
            if not any(s < f.end and f.start < e for s, e in person_spans)
            and not any(p.start <= f.start and f.end <= p.end for p in projects)
        ]
        for m in memberships:
            if m.organization_surface:
                at = m.evidence.start + m.evidence.text.find(m.organization_surface)
                if at >= m.evidence.start and not any(s <= at < e for s, e, _ in surfaces):
                    surfaces.append((at, at + len(m.organization_surface), m.organization_surface))
        orgs: dict[tuple[int, int], OrgAt] = {}
        for start, end, surface in surfaces:
            parent = PARENT_BODY.match(surface) or rec.FIRM_PARENT.match(surface)
            parent_name = None
            if parent and parent.end() < len(surface) and end - start == len(surface):
                parent_name, parent_aliases = self._org_names(parent.group())
                key = (start, start + parent.end())
                orgs.setdefault(key, OrgAt(*key, parent_name, parent_aliases))
            name, aliases = self._org_names(surface)
            if surface != body[start:end]:
                aliases = tuple(dict.fromkeys((*aliases, body[start:end])))
            orgs[(start, end)] = OrgAt(start, end, name, aliases, parent_name)
        return sorted(orgs.values(), key=lambda o: (o.start, o.end))

    def _headline_mentions(
        self, headline: str, known: set[str], body_mentions: list[Mention]
    ) -> list[Mention]:
        """Entities a headline names that the body does not (the body's own mentions carry evidence).

        A headline shortens names: 省政府第一督查组 for the body's 省政府2022年…督查组第一督查组 is the
        same body, and becomes its alias."""
        found: list[Mention] = []
        seen = {m.name for m in body_mentions}
        body_orgs = [m for m in body_mentions if m.kind is EntityKind.ORGANIZATION]

        def add(kind: EntityKind, start: int, end: int, name: str, **extra: object) -> None:
            if name not in seen:
                seen.add(name)
                found.append(
                    Mention(kind, Span(start, end, headline[start:end]), name, in_headline=True, **extra)
                )

        for name in sorted(known):
            at = headline.find(name)
            if at >= 0:
                add(EntityKind.PERSON, at, at + len(name), name)
        for f in rec.find_orgs(headline, self.locale, self.leads, tokens=self._all_tokens(headline)):
            name, aliases = self._org_names(f.text)
            longer = next((m for m in body_orgs if _abbreviates(f.text, m.span.text)), None)
            if longer is not None:
                found.append(
                    Mention(
                        EntityKind.ORGANIZATION,
                        Span(f.start, f.end, f.text),
                        longer.name,
                        aliases=(*longer.aliases, f.text),
                        in_headline=True,
                    )
                )
                continue
            add(EntityKind.ORGANIZATION, f.start, f.end, name, aliases=aliases)
        for p in self._places(headline, []):
            add(EntityKind.PLACE, p.start, p.end, p.name, level=p.level)
        return found

    def _places(self, body: str, person_spans: list[tuple[int, int]]) -> list[PlaceAt]:
        masked = list(body)
        for s, e in person_spans:
            masked[s:e] = ["\0"] * (e - s)
        text = "".join(masked)
        places: list[PlaceAt] = []
        zones = rec.find_zones(text, self.locale)
        zone_spans = [(f.start, f.end) for f, _ in zones]
        # 我市, 本县, 我区: the home city or county
        for m in HOME_WORDS.finditer(text):
            home = self.locale.home_place(m.group())
            if home is not None:
                place = self._register_division(home)
                places.append(PlaceAt(place.name, m.start(), m.end(), home.level))
        bounds = self._boundaries(body)
        for s, e, div in self.locale.find_places(text):
            if any(zs <= s < ze for zs, ze in zone_spans):
                continue
            if not self._stands_alone(text, s, e, bounds):
                continue
            place = self._register_division(div)
            surface = text[s:e]
            if surface not in (div.name, div.short) and surface not in place.aliases:
                # a former name (株洲县) names today's division (渌口区)
                place = self.places[div.name] = dataclasses.replace(place, aliases=(*place.aliases, surface))
            places.append(PlaceAt(place.name, s, e, div.level))
        for f, prefix in zones:
            place = self._register_zone(f.text, prefix)
            if place:
                places.append(PlaceAt(place.name, f.start, f.end, "zone"))
        for f in rec.find_venues(text):
            parent = None
            if f.text.startswith("市") and self.locale.city:
                parent = self.locale.city.name
            else:
                inner = self.locale.find_places(f.text)
                if inner and inner[0][0] == 0:
                    parent = self._register_division(inner[0][2]).name
            self.places.setdefault(f.text, Place(f.text, "venue", parent=parent))
            places.append(PlaceAt(f.text, f.start, f.end, "venue"))
        places.sort(key=lambda p: p.start)
        places += self._settlements(body, text, places, bounds)
        places += self._world(body, text, places, bounds)
        places += self._tagged_places(body, text, places, bounds)
        unmasked = [t for t in self._tokens(body) if "\0" not in text[t.start : t.end]]
        for f in rec.find_natural(text, unmasked):
            if any(p.start < f.end and f.start < p.end for p in places):
                continue
            self.places.setdefault(f.text, Place(f.text, "natural"))
            places.append(PlaceAt(f.text, f.start, f.end, "natural"))
        # a community named with its village (红旗村社区) is one place
        return sorted(self._merge_village_communities(body, places), key=lambda p: p.start)

    def _dateline_mentions(self, article: Article, mentions: list[Mention]) -> list[Mention]:
        """北京 of 本报北京3月5日电: the place a dateline reports from."""
        where = article.dateline_place
        if not where:
            return []
        found = [p for p in self._places(where, []) if p.start == 0 and p.end == len(where)]
        if not found or any(m.name == found[0].name for m in mentions if m.kind is EntityKind.PLACE):
            return []
        return [
            Mention(
                EntityKind.PLACE,
                Span(0, len(where), where),
                found[0].name,
                level=found[0].level,
                in_byline=True,
            )
        ]

    def _world(self, body: str, text: str, taken: list[PlaceAt], bounds: frozenset[int]) -> list[PlaceAt]:
        """Continents, countries and their main cities (日本, 法国巴黎), where the text uses them as words."""
        found = []
        ns_words = [t for t in self._all_tokens(body) if t.tag == "ns"]
        for s, e, place in find_world_places(text):
            if any(p.start < e and s < p.end for p in taken):
                continue
            # 法国巴黎 is one word to the segmenter, and two places
            within_place_word = any(t.start <= s and e <= t.end for t in ns_words)
            if _quality_or_slogan(text, s, e) or not (
                within_place_word or self._stands_alone(text, s, e, bounds)
            ):
                continue
            if place.name not in self.places:
                # a city abroad is in its country; a country is not drawn inside its continent
                parent = place.parent if place.level == "city" else None
                self.places[place.name] = Place(place.name, place.level, parent=parent, aliases=place.aliases)
                if parent and parent in world_places() and parent not in self.places:
                    up = world_places()[parent]
                    self.places[parent] = Place(up.name, up.level, aliases=up.aliases)
            found.append(PlaceAt(place.name, s, e, place.level))
        return found

    def _settlements(
        self, body: str, text: str, taken: list[PlaceAt], bounds: frozenset[int]
    ) -> list[PlaceAt]:
        """Towns, villages and communities named by their suffix (某某镇, 某某村, 某某社区), where the
        division table does not know them."""
        found = []
        for f, level in rec.find_settlements(text, self._all_tokens(body)):
            if any(p.start < f.end and f.start < p.end for p in taken):
                continue
            if _common_word(f.text, self.backend):
                continue
            parent = next(
                (
                    p.name
                    for p in reversed(taken)
                    if p.end <= f.start
                    and f.start - p.end <= 12
                    and p.level in ("county", "township", "prefecture")
                ),
                None,
            )
            self.places.setdefault(f.text, Place(f.text, level, parent=parent))
            found.append(PlaceAt(f.text, f.start, f.end, level))
        return found

    def _tagged_places(
        self, body: str, text: str, taken: list[PlaceAt], bounds: frozenset[int]
    ) -> list[PlaceAt]:
        """Places the trained tagger finds that name a kind of place (某某园, 某某港, 某某街), in the
        texts it has read (a headline is not)."""
        found = []
        view = self._model_cache.get(body)
        if view is None:
            return found
        for t in view.labelled("LOC"):
            name = text[t.start : t.end]
            if "\0" in name or any(p.start < t.end and t.start < p.end for p in taken + found):
                continue
            if t.start not in bounds or t.end not in bounds or not rec.LANDMARK_END.search(name):
                continue
            if len(name) < 3 and not rec.NATURAL_END.search(name):
                continue
            self.places.setdefault(name, Place(name, "venue"))
            found.append(PlaceAt(name, t.start, t.end, "venue"))
        return found

    def _merge_village_communities(self, body: str, places: list[PlaceAt]) -> list[PlaceAt]:
        result = []
        for p in places:
            if body.startswith("社区", p.end) and p.level == "community" and p.name.endswith("村"):
                full = p.name + "社区"
                base = self.places[p.name]
                self.places[full] = Place(full, "community", base.code, base.parent, (p.name,))
                result.append(PlaceAt(full, p.start, p.end + 2, "community"))
            else:
                result.append(p)
        return result

    def _register_division(self, div: Division) -> Place:
        for d in [div, *self.locale.ancestors(div)]:
            if d.name not in self.places:
                self.places[d.name] = self.locale.division_place(d)
        return self.places[div.name]

    def _register_zone(self, surface: str, prefix: str | None) -> Place | None:
        """株洲经开区: a zone of the place that prefixes it, also known by its full form and its bare
        kind (经开区), which later mentions use."""
        if prefix is None:
            known = [p for p in self.places.values() if p.level == "zone" and surface in p.aliases]
            return known[0] if known else None
        kind = next((short for short in ZONE_FORMS if surface.endswith(short)), None)
        if kind is None:
            return None
        full = surface[: -len(kind)] + ZONE_FORMS[kind]
        div = self.locale.gazetteer.get(prefix)
        if div is not None:
            self._register_division(div)
        aliases = tuple(a for a in dict.fromkeys([full, kind]) if a != surface)
        self.places.setdefault(
            surface, Place(surface, "zone", parent=div.name if div else prefix, aliases=aliases)
        )
        return self.places[surface]

    def _projects(self, article: Article, places: list[PlaceAt]) -> list[Mention]:
        mentions = []
        body = article.text
        district_counts = Counter(p.name for p in places if p.level in ("county", "zone"))
        main = district_counts.most_common(1)[0][0] if district_counts else None
        for f, aliases in self._find_projects(body):
            sentence_start = max(body.rfind(c, 0, f.start) for c in "。！？\n") + 1
            sentence_end = min(
                (i for i in (body.find(c, f.end) for c in "。！？\n") if i >= 0), default=len(body)
            )
            local = [
                p
                for p in places
                if sentence_start <= p.start < sentence_end and p.level in ("county", "zone")
            ]
            before = [p for p in local if p.start < f.start]
            location = before[-1].name if before else local[0].name if local else main
            mentions.append(
                Mention(
                    EntityKind.PROJECT,
                    article.span(f.start, f.end),
                    f.text,
                    location=location,
                    aliases=aliases,
                )
            )
        return mentions


@dataclass(frozen=True)
class Entity:
    """A recognized span of a plain text, for evaluation against NER sets."""

    start: int
    end: int
    label: str  # PER, TITLE, ORG, LOC
    text: str


def recognize(text: str, city: str | None = None, backend: Backend = Backend.RJIEBA) -> list[Entity]:
    """Persons, titles, organizations and places in one text, as the build would find them."""
    table = DivisionTable.load()
    home = table.city(city) if city else None
    extractor = _Extractor(Locale.for_city(table, home.key if home else ""), backend)
    article = Article(key="text", headline="", body=text)
    facts = extractor.extract(article, extractor.person_names([article]))
    labels = {EntityKind.PERSON: "PER", EntityKind.ORGANIZATION: "ORG", EntityKind.PLACE: "LOC"}
    found = {(m.span.start, m.span.end, labels[m.kind]) for m in facts.mentions if m.kind in labels}
    for ms in facts.memberships:
        at = ms.evidence.text.rfind(ms.title)
        if at >= 0 and ms.title in text:
            start = ms.evidence.start + at
            found.add((start, start + len(ms.title), "TITLE"))
    return [Entity(s, e, label, text[s:e]) for s, e, label in sorted(found)]


def _quality_or_slogan(text: str, start: int, end: int) -> bool:
    """中国特色社会主义, 数字中国, 平安某省: a place's name as a quality or in a campaign's name."""
    return text.startswith("特色", end) or bool(SLOGAN_BEFORE.search(text, max(0, start - 2), start))


@functools.lru_cache(maxsize=1 << 14)
def _common_word(name: str, backend: Backend) -> bool:
    """安全感, 居民: a word the dictionary knows as something other than a name. Cached by name, not
    per extractor: a cache on the method would keep every recent issue's extractor alive."""
    tokens = tokenize(name, backend)
    return len(tokens) == 1 and not tokens[0].tag.startswith("nr")
