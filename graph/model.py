"""The data model every stage passes along: source files, articles, spans, entities and facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum


class EntityKind(str, Enum):
    PERSON = "person"
    ORGANIZATION = "organization"
    PLACE = "place"
    PROJECT = "project"
    NEWSPAPER = "newspaper"


class Role(str, Enum):
    CHAIR = "chair"
    SPEAKER = "speaker"
    ATTENDEE = "attendee"
    LEADER = "leader"


@dataclass(frozen=True)
class SourceFile:
    """One decoded input file; `text` is normalized (full-width ASCII folded) with lengths unchanged."""

    path: str
    text: str
    encoding: str
    name_date: dt.date | None = None


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of one article's body."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Article:
    key: str
    headline: str
    body: str
    subheadline: str | None = None
    date: dt.date | None = None
    date_rule: str | None = None
    dateline: dt.date | None = None  # the day a dateline reports from (本报北京3月5日电), for 今天 and 昨日
    dateline_day: tuple[int, int] | None = None  # its month and day, when the year is not known
    dateline_place: str | None = None  # where the dateline reports from, as written
    newspaper: str | None = None
    city: str | None = None
    authors: tuple[str, ...] = ()
    contributors: tuple[str, ...] = ()
    photographers: tuple[str, ...] = ()  # credited for the pictures (记者 甲 摄)
    editors: tuple[str, ...] = ()  # 编辑, 审核 named in a web page's metadata
    source_path: str = ""
    simplified: str | None = None  # the body in simplified characters, when it is written in traditional

    @property
    def text(self) -> str:
        """What the recognizers read: the simplified view if there is one; offsets are the body's."""
        return self.simplified or self.body

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.body[start:end])


@dataclass(frozen=True)
class Mention:
    """A named thing at a place in an article's body; `name` is its canonical form in this article."""

    kind: EntityKind
    span: Span
    name: str
    parent: str | None = None  # containing place, or superior organization, by canonical name
    location: str | None = None  # for projects: the place they are in
    aliases: tuple[str, ...] = ()
    admin_code: str | None = None
    level: str | None = None
    in_headline: bool = False  # the span is in the headline, not the body
    in_byline: bool = False  # the span is in the byline's dateline (北京 of 本报北京3月5日电), not the body


@dataclass(frozen=True)
class Place:
    """A place known to the build: a division from the table, or a venue, zone or natural feature."""

    name: str
    level: str | None = None
    code: str | None = None
    parent: str | None = None  # the containing place's name
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Membership:
    """A title an article states for a person, e.g. 市委副书记."""

    person: str
    title: str
    evidence: Span
    organization: str | None = None  # official name
    organization_surface: str | None = None  # as written in the title (市委)
    position: str | None = None  # the post at that body (书记 of 区委书记 and of 雨湖区委书记)


@dataclass(frozen=True)
class Participation:
    person: str
    role: Role


@dataclass(frozen=True)
class Event:
    name: str
    evidence: Span
    date: dt.date | None = None
    part_of_day: str | None = None
    place: str | None = None
    month_day: tuple[int, int] | None = None  # the day the text states when its year is unknown
    organizer: str | None = None
    participants: tuple[Participation, ...] = ()
    kind: str = "event"


@dataclass(frozen=True)
class ArticleFacts:
    """Everything extracted from one article."""

    article: Article
    mentions: tuple[Mention, ...] = ()
    memberships: tuple[Membership, ...] = ()
    events: tuple[Event, ...] = ()


@dataclass
class Extraction:
    """The output of the NLP pipeline for one build."""

    articles: list[ArticleFacts] = field(default_factory=list)
    places: dict[str, Place] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    cached: int = 0  # files whose extraction came from the cache
