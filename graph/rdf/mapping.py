"""Map an Extraction to RDF in the contract's vocabulary: schema.org, W3C ORG, PROV and Web Annotation."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections import Counter
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef

from graph.identity import Corrections, HeadPosts, PersonKey, PersonResolver
from graph.ids import digest, mint
from graph.model import Article, ArticleFacts, EntityKind, Extraction, Place, Role, Span
from graph.rdf.terms import (
    NG_adminCode,
    NG_AdministrativeDivision,
    NG_adminLevel,
    NG_Broadcast,
    NG_Ceremony,
    NG_chair,
    NG_CoAttendance,
    NG_dateRule,
    NG_eventCount,
    NG_Evidence,
    NG_evidence,
    NG_firstAttested,
    NG_firstPerson,
    NG_homeCity,
    NG_Inspection,
    NG_jurisdiction,
    NG_lastAttested,
    NG_leader,
    NG_Meeting,
    NG_mergedBecause,
    NG_partnerCount,
    NG_partOfDay,
    NG_photographer,
    NG_SchoolReopening,
    NG_secondPerson,
    NG_sourceFile,
    NG_speaker,
    NG_title,
    OA_end,
    OA_exact,
    OA_hasSource,
    OA_start,
    OA_TextPositionSelector,
    OA_TextQuoteSelector,
    ORG_member,
    ORG_memberDuring,
    ORG_Membership,
    ORG_organization,
    ORG_subOrganizationOf,
    PROV_wasDerivedFrom,
    RDF_type,
    RDFS_label,
    SCHEMA_AdministrativeArea,
    SCHEMA_alternateName,
    SCHEMA_alternativeHeadline,
    SCHEMA_articleBody,
    SCHEMA_attendee,
    SCHEMA_author,
    SCHEMA_containedInPlace,
    SCHEMA_contributor,
    SCHEMA_datePublished,
    SCHEMA_editor,
    SCHEMA_Event,
    SCHEMA_headline,
    SCHEMA_isPartOf,
    SCHEMA_location,
    SCHEMA_mentions,
    SCHEMA_name,
    SCHEMA_NewsArticle,
    SCHEMA_Newspaper,
    SCHEMA_Organization,
    SCHEMA_organizer,
    SCHEMA_Person,
    SCHEMA_Place,
    SCHEMA_Project,
    SCHEMA_publisher,
    SCHEMA_startDate,
    TIME_hasBeginning,
    TIME_hasEnd,
    TIME_Instant,
    TIME_Interval,
    TIME_inXSDDate,
    XSD_date,
    XSD_gMonthDay,
)
from graph.rdf.triples import Triple, TripleIndex
from graph.rdf.vocab import ID_BASE, bind_prefixes

EVENT_CLASSES = {
    "meeting": NG_Meeting,
    "inspection": NG_Inspection,
    "school": NG_SchoolReopening,
    "broadcast": NG_Broadcast,
    "ceremony": NG_Ceremony,
}
IRI_CACHE_SIZE = 1 << 15
ROLE_PROPERTIES = {Role.CHAIR: NG_chair, Role.SPEAKER: NG_speaker, Role.LEADER: NG_leader}


def zh(text: str) -> Literal:
    # names and titles recur in every issue; an archive's bodies and headlines would fill the cache
    return _short_zh(text) if len(text) <= 32 else Literal(text, lang="zh")


@functools.lru_cache(maxsize=1 << 14)
def _short_zh(text: str) -> Literal:
    return Literal(text, lang="zh")


class Network:
    """Who took part in events with whom, counted while mapping and written as derived statistics
    (ng:eventCount, ng:partnerCount, ng:CoAttendance), so that network questions need not scan every
    event. With `tracking`, the counts an issue changes keep their values from before it."""

    def __init__(self) -> None:
        self.events: dict[URIRef, int] = {}
        self.partners: dict[URIRef, set[URIRef]] = {}
        self.pairs: dict[tuple[URIRef, URIRef], int] = {}
        self.tracking = False
        self.people_before: dict[URIRef, tuple[int, int] | None] = {}
        self.pairs_before: dict[tuple[URIRef, URIRef], int | None] = {}

    def event(self, people: set[URIRef]) -> None:
        for person in people:
            if self.tracking and person not in self.people_before:
                known = person in self.events
                self.people_before[person] = (
                    (self.events[person], len(self.partners[person])) if known else None
                )
            self.events[person] = self.events.get(person, 0) + 1
            self.partners.setdefault(person, set()).update(people - {person})
        for pair in itertools.combinations(sorted(people), 2):
            if self.tracking and pair not in self.pairs_before:
                self.pairs_before[pair] = self.pairs.get(pair)
            self.pairs[pair] = self.pairs.get(pair, 0) + 1

    def person_triples(self, person: URIRef, counts: tuple[int, int]) -> list[tuple[URIRef, URIRef, Literal]]:
        return [(person, NG_eventCount, Literal(counts[0])), (person, NG_partnerCount, Literal(counts[1]))]

    def counts(self, person: URIRef) -> tuple[int, int]:
        return self.events[person], len(self.partners[person])

    @staticmethod
    def pair_node(base: str, pair: tuple[URIRef, URIRef]) -> URIRef:
        return URIRef(f"{base}coattendance-{digest(*pair, length=12)}")


class _Mapper:
    def __init__(self, base: str, corrections: Corrections | None = None) -> None:
        self.base = base
        prefixes = Graph(bind_namespaces="none")
        bind_prefixes(prefixes, base)
        self.g = TripleIndex((p, str(ns)) for p, ns in prefixes.namespaces())
        self.places: dict[str, Place] = {}
        self._iris: dict[tuple[object, ...], URIRef] = {}
        self.persons: dict[PersonKey, URIRef] = {}
        self.resolver = PersonResolver(corrections)
        self.attested: dict[URIRef, tuple[dt.date, dt.date]] = {}  # first and last day a post is stated
        self.place_nodes: dict[str, URIRef] = {}
        self.mentioned_places: set[URIRef] = set()
        self.network = Network()
        # articles that mention each entity and events it attended: an archive's overview shows the most
        self.mentioned: Counter[str] = Counter()

    def iri(self, kind: str, name: str, *extra: object) -> URIRef:
        key = (kind, name, *extra)
        node = self._iris.get(key)
        if node is None:
            if len(self._iris) > IRI_CACHE_SIZE:
                self._iris.clear()  # an archive's event and membership keys would otherwise pile up
            node = self._iris[key] = URIRef(mint(self.base, kind, name, *extra))
        return node

    # --- entities ---------------------------------------------------------------------------------------
    def person(self, name: str, article: Article) -> URIRef:
        key = self.resolver.resolve(name, article)
        node = self.persons.get(key)
        if node is None:
            node = self.persons[key] = self.person_node(key)
            self.g.add((node, RDF_type, SCHEMA_Person))
            self.g.add((node, SCHEMA_name, zh(key.name)))
        if name != key.name:
            self.g.add((node, SCHEMA_alternateName, zh(name)))
        return node

    def organization(self, name: str, aliases: tuple[str, ...] = ()) -> URIRef:
        node = self.iri("org", name)
        self.g.add((node, RDF_type, SCHEMA_Organization))
        self.g.add((node, SCHEMA_name, zh(name)))
        for alias in aliases:
            if alias != name:
                self.g.add((node, SCHEMA_alternateName, zh(alias)))
        return node

    def place(self, name: str, mentioned: bool = False) -> URIRef:
        """A place's node. Only a place the text names (or where an event happens) is a schema:Place;
        one that only contains those (the province of a named county) or that a body governs is an
        administrative area the graph knows, for the hierarchy, but that no article speaks of."""
        node = self.place_nodes.get(name)
        if node is None:
            node = self._new_place(name)
        if mentioned and node not in self.mentioned_places:
            self.mentioned_places.add(node)
            self.g.add((node, RDF_type, SCHEMA_Place))
        return node

    def _new_place(self, name: str) -> URIRef:
        info = self.places.get(name, Place(name))
        node = self.place_nodes[name] = self.iri("place", info.name, info.code or info.parent or "")
        self.g.add((node, SCHEMA_name, zh(info.name)))
        for alias in info.aliases:
            self.g.add((node, SCHEMA_alternateName, zh(alias)))
        if info.code or info.level in ("province", "prefecture", "county", "township", "community"):
            self.g.add((node, RDF_type, NG_AdministrativeDivision))
            self.g.add((node, RDF_type, SCHEMA_AdministrativeArea))
        else:
            # a container the text may never name (a foreign city's country): an area, for the hierarchy
            self.g.add((node, RDF_type, SCHEMA_AdministrativeArea))
        if info.code:
            self.g.add((node, NG_adminCode, Literal(info.code)))
        if info.level:
            self.g.add((node, NG_adminLevel, Literal(info.level)))
        if info.parent and info.parent != info.name:
            self.g.add((node, SCHEMA_containedInPlace, self.place(info.parent)))
        return node

    def evidence(self, article: URIRef, key: str, span: Span) -> URIRef:
        node = URIRef(f"{self.base}evidence-{digest(key, span.start, span.end, length=10)}")
        self.g.add((node, RDF_type, NG_Evidence))
        self.g.add((node, RDF_type, OA_TextPositionSelector))
        self.g.add((node, RDF_type, OA_TextQuoteSelector))
        self.g.add((node, OA_hasSource, article))
        self.g.add((node, OA_exact, Literal(span.text)))
        self.g.add((node, OA_start, Literal(span.start)))
        self.g.add((node, OA_end, Literal(span.end)))
        return node

    # --- one article ------------------------------------------------------------------------------------
    def article(self, facts: ArticleFacts) -> None:
        a = facts.article
        g = self.g
        self.resolver.enter(facts)
        node = self.article_node(a)
        g.add((node, RDF_type, SCHEMA_NewsArticle))
        if a.headline:
            g.add((node, SCHEMA_headline, zh(a.headline)))
        if a.subheadline:
            g.add((node, SCHEMA_alternativeHeadline, zh(a.subheadline)))
        if a.date:
            g.add((node, SCHEMA_datePublished, Literal(a.date.isoformat(), datatype=XSD_date)))
            g.add((node, NG_dateRule, Literal(a.date_rule or "inferred")))
        g.add((node, SCHEMA_articleBody, zh(a.body)))
        if a.source_path:
            g.add((node, NG_sourceFile, Literal(a.source_path)))
        if a.newspaper:
            paper = self.iri("newspaper", a.newspaper)
            g.add((paper, RDF_type, SCHEMA_Newspaper))
            g.add((paper, RDF_type, SCHEMA_Organization))
            g.add((paper, SCHEMA_name, zh(a.newspaper)))
            if a.city:
                g.add((paper, NG_homeCity, self.place(a.city)))
            g.add((node, SCHEMA_isPartOf, paper))
            g.add((node, SCHEMA_publisher, paper))
        for name in a.authors:
            g.add((node, SCHEMA_author, self.person(name, a)))
        for name in a.contributors:
            g.add((node, SCHEMA_contributor, self.person(name, a)))
        for name in a.photographers:
            g.add((node, NG_photographer, self.person(name, a)))
        for name in a.editors:
            g.add((node, SCHEMA_editor, self.person(name, a)))

        for m in facts.mentions:
            entity = self.mention_node(m.kind, m.name, m.aliases, m.location, a)
            self._link(node, SCHEMA_mentions, entity)
            if m.kind is EntityKind.ORGANIZATION and m.parent:
                g.add((entity, ORG_subOrganizationOf, self.organization(m.parent)))
        for ms in facts.memberships:
            person = self.person(ms.person, a)
            # one membership per person and post across the build; each article attests it again
            post = (
                f"{ms.organization}|{ms.position}"
                if ms.organization and ms.position
                else same_post(ms.title, a.city)
            )
            fact = self.iri("membership", f"{ms.person}-{post}", str(person))
            g.add((fact, RDF_type, ORG_Membership))
            g.add((fact, ORG_member, person))
            g.add((fact, NG_title, zh(ms.title)))
            if ms.organization:
                g.add((fact, ORG_organization, self.organization(ms.organization)))
            g.add((fact, PROV_wasDerivedFrom, node))
            g.add((fact, NG_evidence, self.evidence(node, a.key, ms.evidence)))
            if a.date:
                span = self.attested.get(fact)
                self.attested[fact] = (
                    (a.date, a.date) if span is None else (min(span[0], a.date), max(span[1], a.date))
                )
        for ev in facts.events:
            event = URIRef(mint(self.base, "event", ev.name, a.key, ev.evidence.start))  # never recurs
            g.add((event, RDF_type, SCHEMA_Event))
            if ev.kind in EVENT_CLASSES:
                g.add((event, RDF_type, EVENT_CLASSES[ev.kind]))
            g.add((event, SCHEMA_name, zh(ev.name)))
            if ev.date:
                g.add((event, SCHEMA_startDate, Literal(ev.date.isoformat(), datatype=XSD_date)))
            elif ev.month_day:
                # the year is not stated: keep what the text says, a day of a month
                month, day = ev.month_day
                g.add((event, SCHEMA_startDate, Literal(f"--{month:02d}-{day:02d}", datatype=XSD_gMonthDay)))
            if ev.part_of_day:
                g.add((event, NG_partOfDay, zh(ev.part_of_day)))
            if ev.place:
                g.add((event, SCHEMA_location, self.place(ev.place, mentioned=True)))
            if ev.organizer:
                g.add((event, SCHEMA_organizer, self.organization(ev.organizer)))
            people = set()
            for p in ev.participants:
                person = self.person(p.person, a)
                people.add(person)
                self._link(event, SCHEMA_attendee, person)
                if p.role in ROLE_PROPERTIES:
                    g.add((event, ROLE_PROPERTIES[p.role], person))
            self.network.event(people)
            g.add((event, PROV_wasDerivedFrom, node))
            g.add((event, NG_evidence, self.evidence(node, a.key, ev.evidence)))
            g.add((node, SCHEMA_mentions, event))

    def article_node(self, article: Article) -> URIRef:
        return URIRef(f"{self.base}article-{article.key}")

    def _link(self, subject: URIRef, predicate: URIRef, entity: URIRef) -> None:
        if (subject, predicate, entity) not in self.g:
            self.g.add((subject, predicate, entity))
            self.mentioned[str(entity)] += 1

    def mention_node(
        self, kind: EntityKind, name: str, aliases: tuple[str, ...], location: str | None, article: Article
    ) -> URIRef:
        if kind is EntityKind.PERSON:
            return self.person(name, article)
        if kind is EntityKind.ORGANIZATION:
            node = self.organization(name, aliases)
            if location:
                self.g.add((node, NG_jurisdiction, self.place(location)))
            return node
        if kind is EntityKind.PLACE:
            return self.place(name, mentioned=True)
        node = self.iri("project", name)
        self.g.add((node, RDF_type, SCHEMA_Project))
        self.g.add((node, SCHEMA_name, zh(name)))
        for alias in aliases:
            self.g.add((node, SCHEMA_alternateName, zh(alias)))
        if location:
            self.g.add((node, SCHEMA_location, self.place(location, mentioned=True)))
        return node

    def take(self) -> TripleIndex:
        """The triples mapped since the last take: a build that streams to a store flushes each issue."""
        done, self.g = self.g, TripleIndex(self.g.namespaces)
        return done

    def finish(self) -> None:
        """What only the whole build knows: attested spans of posts, and why mentions merged."""
        for fact, span in self.attested.items():
            self.add_attested(fact, span)
        for key, node in self.persons.items():
            self.add_merge_reason(key, node)
        for person in self.network.events:
            self.add_person_counts(person)
        for pair in self.network.pairs:
            self.add_pair(pair)

    # Derived facts: each is stated by one function, which the whole build adds and `add` uses again to
    # delete the statement an issue replaces.
    def add_person_counts(self, person: URIRef) -> None:
        self._add(self.network.person_triples(person, self.network.counts(person)))

    def add_pair(self, pair: tuple[URIRef, URIRef]) -> None:
        self._add(self.pair_triples(pair, self.network.pairs[pair]))

    def pair_triples(self, pair: tuple[URIRef, URIRef], count: int) -> list[Triple]:
        """Two people who took part in `count` events together."""
        node = Network.pair_node(self.base, pair)
        return [
            (node, RDF_type, NG_CoAttendance),
            (node, NG_firstPerson, pair[0]),
            (node, NG_secondPerson, pair[1]),
            (node, NG_eventCount, Literal(count)),
        ]

    def add_attested(self, fact: URIRef, span: tuple[dt.date, dt.date]) -> None:
        self._add(self.attested_triples(fact, span))
        self._add(self.interval_triples(span))

    def attested_triples(self, fact: URIRef, span: tuple[dt.date, dt.date]) -> list[Triple]:
        """The span the articles attest, not a term of office: nothing says when the post began or ended."""
        first, last = span
        return [
            (fact, NG_firstAttested, Literal(first.isoformat(), datatype=XSD_date)),
            (fact, NG_lastAttested, Literal(last.isoformat(), datatype=XSD_date)),
            (fact, ORG_memberDuring, self.interval(span)),
        ]

    def interval_triples(self, span: tuple[dt.date, dt.date]) -> list[Triple]:
        """An attested span as an OWL-Time interval between two days, shared by the posts it fits."""
        first, last = span
        interval = self.interval(span)
        label = f"attested {first.isoformat()} to {last.isoformat()}"
        triples: list[Triple] = [
            (interval, RDF_type, TIME_Interval),
            (interval, RDFS_label, Literal(label, lang="en")),
        ]
        for edge, day in ((TIME_hasBeginning, first), (TIME_hasEnd, last)):
            instant = self.instant(day)
            triples += [
                (interval, edge, instant),
                (instant, RDF_type, TIME_Instant),
                (instant, TIME_inXSDDate, Literal(day.isoformat(), datatype=XSD_date)),
            ]
        return triples

    def interval(self, span: tuple[dt.date, dt.date]) -> URIRef:
        return URIRef(f"{self.base}attested-{span[0].isoformat()}-{span[1].isoformat()}")

    def instant(self, day: dt.date) -> URIRef:
        return URIRef(f"{self.base}day-{day.isoformat()}")

    def add_merge_reason(self, key: PersonKey, node: URIRef | None = None) -> None:
        self._add(self.merge_reason_triples(key, self.resolver.merge_reason(key), node))

    def merge_reason_triples(
        self, key: PersonKey, reason: str | None, node: URIRef | None = None
    ) -> list[Triple]:
        """Why the mentions of one person were merged, when they were."""
        if not reason:
            return []
        return [(node or self.person_node(key), NG_mergedBecause, Literal(reason, lang="en"))]

    def _add(self, triples: Iterable[Triple]) -> None:
        for triple in triples:
            self.g.add(triple)

    def person_node(self, key: PersonKey) -> URIRef:
        return self.iri("person", key.name, key.scope)


def same_post(title: str, city: str | None) -> str:
    """A title without its home city's name: 株洲市委书记 and 市委书记 are the same post."""
    if city:
        for prefix in (city, city[:-1]):
            if (
                len(prefix) >= 2
                and title.startswith(prefix)
                and title[len(prefix) :].startswith(("市", "委"))
            ):
                rest = title[len(prefix) :]
                return rest if rest.startswith("市") else "市" + rest
    return title


class StreamMapper(_Mapper):
    """Maps a build issue by issue, for archives too large to hold: `take()` after each issue, then
    `finish()` and a last `take()` for what only the whole build knows."""

    def __init__(
        self,
        heads: HeadPosts,
        places: dict[str, Place],
        base: str = ID_BASE,
        corrections: Corrections | None = None,
    ) -> None:
        super().__init__(base, corrections)
        self.resolver.clashing = heads.clashing()
        self.places = places

    def __getstate__(self) -> dict[str, object]:
        """Saved without triples or caches: what identity and attested spans need to go on."""
        state = self.__dict__.copy()
        state.update(g=TripleIndex(self.g.namespaces), _iris={}, persons={}, place_nodes={})
        return state

    def issue(self, articles: Iterable[ArticleFacts]) -> TripleIndex:
        for facts in articles:
            self.article(facts)
        return self.take()


def to_rdf(
    extraction: Extraction, base: str = ID_BASE, corrections: Corrections | None = None
) -> TripleIndex:
    """The RDF triples of one build."""
    mapper = _Mapper(base, corrections)
    mapper.resolver.prepare(extraction)
    mapper.places = dict(extraction.places)
    for facts in extraction.articles:
        mapper.article(facts)
    mapper.finish()
    return mapper.g
