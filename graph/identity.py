"""Who is who across articles and issues: one person per name and home city, with user corrections."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import tomllib

from graph.errors import NewsgraphError
from graph.model import Article, ArticleFacts, Extraction

CORRECTIONS_FILE = "entities.toml"
# Posts one person holds at one body at a time: the head of a party committee, a government or a bureau.
HEAD_POST = re.compile(r"(?<!副)(?:书记|市长|区长|县长|镇长|乡长|局长|主任|主席|院长|校长|董事长)$")


class CorrectionsError(NewsgraphError):
    """An entities.toml that cannot be read."""


@dataclass(frozen=True)
class HeadPost:
    """A membership that heads a body, as far as telling namesakes apart needs it."""

    person: str
    city: str | None
    organization: str
    date: str | None


def head_posts(facts: ArticleFacts) -> Iterator[HeadPost]:
    a = facts.article
    date = a.date.isoformat() if a.date else None
    for ms in facts.memberships:
        if ms.organization and HEAD_POST.search(ms.title):
            yield HeadPost(ms.person, a.city, ms.organization, date)


class HeadPosts:
    """The days on which each name headed each body: what telling namesakes apart needs from a whole
    archive, kept once per name, city, body and day rather than once per statement."""

    def __init__(self, posts: Iterable[HeadPost] = ()) -> None:
        self._days: dict[str, dict[str | None, dict[str, set[str | None]]]] = {}
        self._interned: dict[str, str] = {}
        self.add(posts)

    def add(self, posts: Iterable[HeadPost]) -> None:
        for post in posts:
            date = self._interned.setdefault(post.date, post.date) if post.date else None
            by_org = self._days.setdefault(post.person, {}).setdefault(post.city, {})
            by_org.setdefault(post.organization, set()).add(date)

    def organizations(self, person: str) -> set[str]:
        """The bodies any article says `person` headed."""
        return {org for by_org in self._days.get(person, {}).values() for org in by_org}

    def clashing(self) -> dict[str, frozenset[str]]:
        """The bodies whose heads are told apart, by name: on the same day, the heads of two bodies of
        one kind (区委书记 of 雨湖区 and of 岳塘区) are two people."""
        clashing: dict[str, set[str]] = {}
        for name, by_city in self._days.items():
            for by_org in by_city.values():
                dated = {org: days - {None} for org, days in by_org.items() if days - {None}}
                orgs = sorted(dated)
                # one person may head a party committee and a congress at once; not two districts' committees
                if any(
                    dated[x] & dated[y] and _body_kind(x) == _body_kind(y)
                    for i, x in enumerate(orgs)
                    for y in orgs[i + 1 :]
                ):
                    clashing.setdefault(name, set()).update(orgs)
        return {name: frozenset(orgs) for name, orgs in clashing.items()}


@dataclass(frozen=True)
class PersonKey:
    """What mints a person's IRI: the name used and what keeps namesakes apart."""

    name: str
    scope: str  # the home city, "" for every city, or a user's distinction


@dataclass
class Corrections:
    """A user's corrections, applied at build (seeds/entities.toml)."""

    same: list[tuple[tuple[str, ...], str | None]] = field(default_factory=list)
    different: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    preferred: dict[str, str] = field(default_factory=dict)


def load_corrections(path: Path | None) -> Corrections:
    """Read entities.toml; a missing file is no corrections, a malformed one is an error."""
    if path is None or not path.exists():
        return Corrections()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        corrections = Corrections()
        for entry in data.get("same", []):
            names = tuple(str(n) for n in entry["names"])
            if len(names) < 2:
                raise ValueError("a [[same]] entry needs at least two names")
            corrections.same.append((names, entry.get("city")))
        for entry in data.get("different", []):
            corrections.different.append((str(entry["name"]), tuple(str(w) for w in entry["where"])))
        corrections.preferred = {str(k): str(v) for k, v in data.get("preferred", {}).items()}
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as err:
        raise CorrectionsError(f"{path}: {err}") from err
    return corrections


def find_corrections(inputs: list[Path]) -> Path | None:
    """The entities.toml in the first input directory that has one."""
    for item in inputs:
        candidate = item / CORRECTIONS_FILE if item.is_dir() else item.parent / CORRECTIONS_FILE
        if candidate.exists():
            return candidate
    return None


class PersonResolver:
    """Maps a name as written in an article to the person it denotes, and says why mentions merge."""

    def __init__(self, corrections: Corrections | None = None) -> None:
        self.corrections = corrections or Corrections()
        self._same = {name: (names[0], city) for names, city in self.corrections.same for name in names}
        self.article_counts: dict[PersonKey, int] = {}
        self._last_article: dict[PersonKey, str] = {}  # an article's mentions are resolved together
        self.reasons: dict[PersonKey, str] = {}
        self.clashing: dict[str, frozenset[str]] = {}  # name -> the bodies whose heads are told apart
        self._apart: tuple[str, dict[str, str]] = ("", {})  # an article's key, and name -> body

    def prepare(self, extraction: Extraction) -> None:
        """Find namesakes whose posts exclude each other (see HeadPosts.clashing)."""
        posts = HeadPosts(post for facts in extraction.articles for post in head_posts(facts))
        self.clashing = posts.clashing()

    def enter(self, facts: ArticleFacts) -> None:
        """Before an article's names resolve: which of them head a body that tells namesakes apart."""
        self._apart = (
            facts.article.key,
            {
                post.person: post.organization
                for post in head_posts(facts)
                if post.organization in self.clashing.get(post.person, ())
            },
        )

    def resolve(self, name: str, article: Article) -> PersonKey:
        written = name
        name = self.corrections.preferred.get(name, name)
        reason = f"same name in articles whose home city is {article.city}" if article.city else "same name"
        scope = article.city or ""
        if name in self._same:
            name, city = self._same[name]
            scope = city or ""
            reason = "entities.toml lists these names as one person"
        key_of_entered, apart_in_article = self._apart
        apart = apart_in_article.get(written) if key_of_entered == article.key else None
        if apart:
            scope = f"{scope}|{apart}"
            reason = (
                f"same name in one city, but the head of {apart} on a day when a namesake headed another body"
            )
        for other, where in self.corrections.different:
            if other == name and any(_matches(w, article) for w in where):
                scope = f"{scope}|{'+'.join(where)}"
                reason = "entities.toml keeps this person apart from a namesake"
        key = PersonKey(name, scope)
        if self._last_article.get(key) != article.key:
            self._last_article[key] = article.key
            self.article_counts[key] = self.article_counts.get(key, 0) + 1
        self.reasons[key] = reason
        return key

    def merge_reason(self, key: PersonKey) -> str | None:
        """Why the mentions of more than one article are this one person; None if only one article."""
        count = self.article_counts.get(key, 0)
        return f"{self.reasons[key]} ({count} articles)" if count >= 2 else None


def _body_kind(organization: str) -> str:
    """中共雨湖区委员会 and 中共岳塘区委员会 are bodies of one kind: 委员会 of some place."""
    name = organization.removeprefix("中共")
    cut = re.search(r"[省市区县州镇乡]", name)
    return name[cut.end() :] if cut else name


def _matches(where: str, article: Article) -> bool:
    return where in (article.city, article.source_path, article.newspaper) or article.key.startswith(where)
