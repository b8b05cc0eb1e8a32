"""The NLP pipeline: one source file in, its articles with their mentions and facts out."""

from __future__ import annotations

import dataclasses
import datetime as dt
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
)
from graph.nlp.dates import find_dates, infer_publication_date, year_for
from graph.nlp.divisions import Division, DivisionTable
from graph.nlp.events import PersonAt, find_events
from graph.nlp.headlines import HeadlineFinder
from graph.nlp.layout import RawArticle, split_articles
from graph.nlp.organizations import OrganizationFinder
from graph.nlp.persons import PersonFinder
from graph.nlp.places import PlaceFinder
from graph.nlp.projects import ProjectFinder
from graph.nlp.reading import IssueReading
from graph.nlp.resolve import Locale, city_from_newspaper, home_from_path
from graph.nlp.script import Restorer, to_simplified
from graph.nlp.segment import Backend
from graph.sources import date_from_metadata


@dataclass(frozen=True)
class Options:
    """What the command line may fix instead of the text: date, newspaper, home city."""

    date: dt.date | None = None
    newspaper: str | None = None
    city: str | None = None
    backend: Backend = Backend.RJIEBA


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
    extractor = IssueExtractor(locale, options.backend)
    if city is not None:
        extractor.places.register_division(city)
    known = extractor.persons.names(articles)
    facts = [extractor.extract(article, known) for article in articles]
    if original is not None:
        facts = [_with_original_names(f) for f in facts]
    return SourceResult(facts, _skip_unnamed_townships(extractor.places.places, facts))


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


class IssueExtractor:
    """The finders of each entity kind over one issue's shared reading; collects the places it resolves."""

    def __init__(self, locale: Locale, backend: Backend) -> None:
        self.reading = IssueReading(locale, backend)
        self.organizations = OrganizationFinder(self.reading)
        self.persons = PersonFinder(self.reading, self.organizations)
        self.places = PlaceFinder(self.reading)
        self.projects = ProjectFinder(self.reading)
        self.headlines = HeadlineFinder(self.reading, self.organizations, self.places)

    def extract(self, article: Article, known: set[str]) -> ArticleFacts:
        body = article.text
        persons = self.persons.mentions(body, known)
        mentions: list[Mention] = [Mention(EntityKind.PERSON, article.span(s, e), n) for s, e, n in persons]
        person_spans = [(s, e) for s, e, _ in persons]
        places = self.places.find(body, person_spans)
        counties = Counter(p.name for p in places if p.level == "county")
        # 县委 and 区委 in an article about one county are that county's
        self.reading.county = counties.most_common(1)[0][0] if counties else None
        memberships = self.persons.memberships(body, persons, article)
        orgs = self.organizations.find(body, memberships, person_spans)
        mentions += [
            Mention(
                EntityKind.ORGANIZATION,
                article.span(o.start, o.end),
                o.name,
                o.parent,
                location=self.reading.locale.jurisdiction(body[o.start : o.end]),
                aliases=o.aliases,
            )
            for o in orgs
        ]
        mentions += self.headlines.mentions(article.headline, known, mentions)
        mentions += [
            Mention(EntityKind.PLACE, article.span(p.start, p.end), p.name, level=p.level) for p in places
        ]
        mentions += self.places.dateline_mentions(article, mentions)
        mentions += self.projects.mentions(article, places)
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
    extractor = IssueExtractor(Locale.for_city(table, home.key if home else ""), backend)
    article = Article(key="text", headline="", body=text)
    facts = extractor.extract(article, extractor.persons.names([article]))
    labels = {EntityKind.PERSON: "PER", EntityKind.ORGANIZATION: "ORG", EntityKind.PLACE: "LOC"}
    found = {(m.span.start, m.span.end, labels[m.kind]) for m in facts.mentions if m.kind in labels}
    for ms in facts.memberships:
        at = ms.evidence.text.rfind(ms.title)
        if at >= 0 and ms.title in text:
            start = ms.evidence.start + at
            found.add((start, start + len(ms.title), "TITLE"))
    return [Entity(s, e, label, text[s:e]) for s, e, label in sorted(found)]
