"""One issue's texts as the recognizers read them: tokens, word boundaries, the spans titles protect,
the trained tagger's view, and the organizations and projects the patterns find; each computed once
per text and shared by the finders of every entity kind."""

from __future__ import annotations

import functools
import re

from graph.nlp import recognize as rec
from graph.nlp.lexicons import NOT_NAME_ENDINGS, POSITIONS, all_surnames, alternation
from graph.nlp.resolve import Locale
from graph.nlp.segment import Backend, Token, tokenize
from graph.nlp.tagger import ModelView

# Characters of the standard transcription of foreign names (普里马科夫, 维克托)
TRANSCRIPTION = frozenset(
    "阿埃艾安昂奥巴拜班邦保贝本比彼宾波伯博布查达戴丹道德登迪蒂丁顿多厄恩法范菲费芬丰弗福夫盖甘冈戈格根古哈海汉豪"
    "赫亨胡华霍基吉加贾杰捷金卡凯坎康科克肯库夸奎拉莱兰朗劳勒雷里利连列林琳卢鲁伦罗洛马迈麦曼梅蒙米明莫姆穆纳奈"
    "南内尼涅宁纽努诺帕佩彭皮珀普奇齐恰乔切萨塞桑瑟森沙尚舍什施斯松苏索塔泰坦汤特滕提图托瓦万威韦维温沃乌西希谢辛"
    "休雅亚扬耶伊因英尤约扎泽詹兹佐"
)

POSITION_SUFFIX = re.compile(f"(?:{alternation([p for p in POSITIONS if len(p) >= 2])})$")

NAME_AND_PLACE_TAGS = frozenset({"nr", "nrfg", "ns", "nt", "nz", "nrt", "j"})

# 福州路, 人民大道: a place's name that begins a road's
ROAD_AFTER = re.compile(r"(?:路|街|大道|大街|巷|胡同|道(?![路]))")

# 数字中国, 美丽某省, 平安某市: a campaign's name, which holds a place's without speaking of it
SLOGAN_BEFORE = re.compile(r"(?:数字|美丽|健康|平安|法治|智慧|幸福|书香|清廉|生态|创新|诚信|文明)$")

# a word the segmenter tags so may still be a name (兴安, 江涛); any other word may not, unless the tagger
# calls it one: 陆续, 一同, 单位 after a title
NAME_LIKE_TAGS = ("nr", "ns", "nz", "nt", "x", "eng", "j")


class IssueReading:
    """The shared reading of one issue's texts, bound to its locale and segmenter."""

    def __init__(self, locale: Locale, backend: Backend) -> None:
        self.locale = locale
        self.backend = backend
        self.leads = locale.prefixes
        self.county: str | None = None
        """The county an article is about, while its organizations are named (县委 is that county's)."""
        self.views: dict[str, ModelView] = {}
        self._token_cache: dict[str, list[Token]] = {}
        self._protected_cache: dict[str, frozenset[int]] = {}
        self._bounds_cache: dict[str, frozenset[int]] = {}
        self._all_token_cache: dict[str, list[Token]] = {}
        self._token_starts: dict[str, dict[int, Token]] = {}
        self._orgs_cache: dict[str, list[rec.Found]] = {}
        self._project_cache: dict[str, list[tuple[rec.Found, tuple[str, ...]]]] = {}

    def tokens(self, text: str) -> list[Token]:
        """Name and place tokens of a text, segmented once per issue."""
        tokens = self._token_cache.get(text)
        if tokens is None:
            tokens = self._token_cache[text] = [
                t for t in self.all_tokens(text) if t.tag in NAME_AND_PLACE_TAGS
            ]
        return tokens

    def all_tokens(self, text: str) -> list[Token]:
        """Every token of a text with its tag, segmented once per issue."""
        tokens = self._all_token_cache.get(text)
        if tokens is None:
            tokens = self._all_token_cache[text] = tokenize(text, self.backend)
        return tokens

    def boundaries(self, text: str) -> frozenset[int]:
        """Where the segmenter puts word boundaries in a text."""
        found = self._bounds_cache.get(text)
        if found is None:
            found = self._bounds_cache[text] = frozenset(
                b for t in self.all_tokens(text) for b in (t.start, t.end)
            )
        return found

    def protected(self, text: str) -> frozenset[int]:
        """Positions inside name-like tokens, where a function character (华为's 为) is part of a name."""
        found = self._protected_cache.get(text)
        if found is None:
            found = self._protected_cache[text] = frozenset(
                i for t in self.tokens(text) if len(t.word) >= 2 for i in range(t.start, t.end)
            )
        return found

    @staticmethod
    def stands_alone(text: str, start: int, end: int, bounds: frozenset[int]) -> bool:
        """A place name the text uses as a word: not inside another (黄河北路 holds no 河北, 新兴城市 no
        兴城), and not the first part of a road's name (福州路)."""
        if ROAD_AFTER.match(text, end) and end - start <= 3:
            return False
        if quality_or_slogan(text, start, end):
            return False
        if start in bounds and end in bounds:
            return True
        # a full name with its level (株洲市, 荷塘区) stands even where the segmenter reads on
        return start in bounds and end - start >= 3 and text[end - 1] in "省市县区州旗盟镇乡"

    def model_view(self, text: str) -> ModelView:
        view = self.views.get(text)
        if view is None:
            hints = [t.start for t in self.tokens(text) if t.tag in ("nr", "nrfg", "nrt")]
            view = self.views[text] = ModelView.of(text, self.is_model_person, hints)
        return view

    def read_with_model(self, texts: list[str], guesses: dict[str, list[int]] | None = None) -> None:
        """Run the tagger over every text not read yet, in one pass."""
        todo = list(dict.fromkeys(t for t in texts if t not in self.views))
        hints = [
            [t.start for t in self.tokens(text) if t.tag in ("nr", "nrfg", "nrt")]
            + (guesses or {}).get(text, [])
            for text in todo
        ]
        for text, view in zip(todo, ModelView.of_many(todo, self.is_model_person, hints), strict=True):
            self.views[text] = view

    def is_model_person(self, name: str) -> bool:
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

    def common_word_at(self, text: str, start: int, name: str) -> bool:
        """Whether the segmenter reads two-character `name` at `start` as one common word, not a name or
        a place (a longer run it tags so is a guess of its own, not a dictionary word)."""
        if len(name) != 2:
            return False
        starts = self._token_starts.get(text)
        if starts is None:
            starts = self._token_starts[text] = {t.start: t for t in self.all_tokens(text)}
        token = starts.get(start)
        return token is not None and token.word == name and not token.tag.startswith(NAME_LIKE_TAGS)

    def orgs_in(self, text: str) -> list[rec.Found]:
        found = self._orgs_cache.get(text)
        if found is None:
            found = self._orgs_cache[text] = rec.find_orgs(
                text, self.locale, self.leads, self.protected(text), self.all_tokens(text)
            )
        return found

    def find_projects(self, text: str) -> list[tuple[rec.Found, tuple[str, ...]]]:
        found = self._project_cache.get(text)
        if found is None:
            found = self._project_cache[text] = rec.find_projects(text, self.all_tokens(text))
        return found


def quality_or_slogan(text: str, start: int, end: int) -> bool:
    """中国特色社会主义, 数字中国, 平安某省: a place's name as a quality or in a campaign's name."""
    return text.startswith("特色", end) or bool(SLOGAN_BEFORE.search(text, max(0, start - 2), start))


@functools.lru_cache(maxsize=1 << 14)
def common_word(name: str, backend: Backend) -> bool:
    """安全感, 居民: a word the dictionary knows as something other than a name. Cached by name, not
    per extractor: a cache on the method would keep every recent issue's extractor alive."""
    tokens = tokenize(name, backend)
    return len(tokens) == 1 and not tokens[0].tag.startswith("nr")
