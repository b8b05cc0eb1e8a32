"""Persons: the names an issue holds, their mentions in each article, and the titles stated beside them."""

from __future__ import annotations

import re
from collections import Counter

from graph.model import (
    Article,
    Membership,
)
from graph.nlp import recognize as rec
from graph.nlp.lexicons import NOT_NAME_ENDINGS, all_surnames, surnames
from graph.nlp.organizations import OrganizationFinder
from graph.nlp.reading import POSITION_SUFFIX, IssueReading, common_word
from graph.nlp.segment import tokenize

CONJUNCTIONS = frozenset("和与及向从对为将把于以同")

# Function characters that never stand in a given name, though their neighbours look like one (沙村还)
NOT_IN_GIVEN_NAMES = frozenset(
    "还也都就又才在是的了着过所而且但并或若吗呢吧啊么这那哪其该每各某等被把让给向从对与及和"
)

# 罗霄山脉, 宋家桥街: a character that makes a name-like token part of a place or a body
PLACE_CONTINUATION = frozenset("脉山峰岭路街区县市镇乡村江河湖港湾岛桥园厂站院校馆楼府部局委办会队组社司省")

# 今年56岁的张三, 市民李四, 志愿者王五: an age or a walk of life introduces a citizen's name
PERSON_INTRO_RE = re.compile(
    r"(?:\d{1,3}|[一二三四五六七八九十]{1,3})岁的(?=[\u4e00-\u9fff]{2,3})|(?:市民|村民|居民|志愿者|老党员|党员|"
    r"老师|教师|医生|护士|民警|辅警|网格员|企业家|店主|退役军人|快递员|外卖员|环卫工人)"
    r"(?=[\u4e00-\u9fff]{3}(?:[，,。、）)]|说|表示|介绍|告诉))"
)

SENTENCE_START_RE = re.compile(r"(?:^|(?<=[。！？!?；;\n”\"：:]))[\u4e00-\u9fff]")

STRONG_SUFFIX_POSITIONS = ("总书记", "书记", "主席", "市长", "省长", "县长", "区长", "总理", "部长")


class PersonFinder:
    """Names and titles, read from an issue's shared reading; titles name organizations through
    `organizations`."""

    def __init__(self, reading: IssueReading, organizations: OrganizationFinder) -> None:
        self.reading = reading
        self.organizations = organizations

    def names(self, articles: list[Article]) -> set[str]:
        """Names recognized anywhere in the issue, so that every later mention is found.

        The trained tagger proposes names where it has read the text; a rule's guess that rests on the
        segmenter alone (a name-like token, a sentence start) stands only where the tagger did not read,
        or agrees. Names a title, a byline or an introduction (市民, 56岁的) vouches for always stand."""
        sure: Counter[str] = Counter()
        unsure: Counter[str] = Counter()
        candidates = {a.text: self._candidates(a.text) for a in articles}
        # the tagger reads where a rule guesses a name from the segmenter alone, so that it can decide
        self.reading.read_with_model(
            [a.text for a in articles],
            {
                text: [c[0] for c in found if not c[3] or self.reading.common_word_at(text, c[0], c[1])]
                for text, found in candidates.items()
            },
        )
        for article in articles:
            for name in article.authors + article.contributors + article.photographers + article.editors:
                sure[name] += 1
            view = self.reading.model_view(article.text)
            for name in view.persons:
                sure[name] += 1
            for name in rec.dotted_names(article.text, view.labelled("PER")):
                sure[name] += 1
            for name in rec.names_listed_before_title(article.text):
                sure[name] += 1
            for start, name, certain, anchored in candidates[article.text]:
                if (
                    view.read(start, start + len(name))
                    and not view.person_at(start)
                    and (not anchored or self.reading.common_word_at(article.text, start, name))
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
            if got is None or rec.title_before(text, m.end(), self.reading.leads) is None:
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
                *(p for p, _ in self.reading.find_projects(text)),
                *self.reading.orgs_in(text),
            ]
            for i in range(f.start, f.end)
        }
        for tok in self.reading.tokens(text):
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

    def _plausible(self, name: str, place_names: bool = False) -> bool:
        family = all_surnames() if place_names else surnames()
        if not (name[0] in family or name[:2] in family) or name[-1] in NOT_NAME_ENDINGS:
            return False
        given = name[2:] if name[:2] in family else name[1:]
        if any(c in NOT_IN_GIVEN_NAMES for c in given) and not (
            place_names and len(given) == 2 and len(tokenize(given, self.reading.backend)) == 1
        ):
            return False  # 在, 向 end a name; a title before 向东 or 和平, words of their own, vouches for it
        # a title before the name and a verb after it outweigh the dictionary (兴安 the place, 摆立阳 unknown)
        if not place_names and common_word(name, self.reading.backend):
            return False
        if name in self.reading.locale.gazetteer and not place_names:
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

    def mentions(self, body: str, known: set[str]) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        taken = [False] * len(body)
        view = self.reading.views.get(body)
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

    def memberships(
        self, body: str, persons: list[tuple[int, int, str]], article: Article
    ) -> list[Membership]:
        result: dict[tuple[str, str], Membership] = {}

        def add(name: str, title: str, start: int, end: int) -> None:
            key = (name, title)
            if key not in result:
                surface = rec.title_organization(title)
                org = self.organizations.names(surface)[0] if surface else None
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
        previous_end = previous_bare_end = -1
        bare_run: list[tuple[int, str]] = []
        for s, e, name in persons:
            chain = rec.implied_titles(
                rec.title_chain(body, s, self.reading.leads, self.reading.protected(body))
            )
            if not chain and body[e : e + 1] in (":", "："):
                # 政协委员 甲：… , an interview's speaker label: the title stands apart from the name
                label = rec.speaker_label(body, s)
                if label is not None:
                    chain = rec.title_chain(body, label, self.reading.leads, self.reading.protected(body))
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
            listed = bool(bare_run) and body[previous_bare_end:s] == "、"
            bare_run = [*bare_run, (s, name)] if listed else [(s, name)]
            previous_bare_end = e
            for title, end in rec.predicate_titles(body, s, e):
                # 甲、乙、丙3名同志当选为…: the post is every listed name's
                for listed_start, listed in bare_run:
                    add(listed, title, listed_start, end)
        for start, end, title, names in rec.list_titles_after(body, persons):
            for name in names:
                add(name, title, start, end)
        return list(result.values())
