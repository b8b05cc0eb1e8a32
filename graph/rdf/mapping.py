"""Map an Extraction to RDF in the contract's vocabulary: schema.org, W3C ORG, PROV and Web Annotation."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from graph.ids import digest, mint
from graph.model import ArticleFacts, EntityKind, Extraction, Place, Role, Span
from graph.rdf.triples import TripleIndex
from graph.rdf.vocab import ID_BASE, NG, OA, ORG, SCHEMA, bind_prefixes

EVENT_CLASSES = {
    "meeting": NG.Meeting,
    "inspection": NG.Inspection,
    "school": NG.SchoolReopening,
    "broadcast": NG.Broadcast,
    "ceremony": NG.Ceremony,
}
ROLE_PROPERTIES = {Role.CHAIR: NG.chair, Role.SPEAKER: NG.speaker, Role.LEADER: NG.leader}


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


class _Mapper:
    def __init__(self, base: str) -> None:
        self.base = base
        prefixes = Graph(bind_namespaces="none")
        bind_prefixes(prefixes, base)
        self.g = TripleIndex((p, str(ns)) for p, ns in prefixes.namespaces())
        self.places: dict[str, Place] = {}
        self.persons: dict[tuple[str, str | None], URIRef] = {}
        self.place_nodes: dict[str, URIRef] = {}

    def iri(self, kind: str, name: str, *extra: object) -> URIRef:
        return URIRef(mint(self.base, kind, name, *extra))

    # --- entities ---------------------------------------------------------------------------------------
    def person(self, name: str, city: str | None) -> URIRef:
        key = (name, city)
        node = self.persons.get(key)
        if node is None:
            node = self.persons[key] = self.iri("person", name, city or "")
            self.g.add((node, RDF.type, SCHEMA.Person))
            self.g.add((node, SCHEMA.name, zh(name)))
        return node

    def organization(self, name: str, aliases: tuple[str, ...] = ()) -> URIRef:
        node = self.iri("org", name)
        self.g.add((node, RDF.type, SCHEMA.Organization))
        self.g.add((node, SCHEMA.name, zh(name)))
        for alias in aliases:
            if alias != name:
                self.g.add((node, SCHEMA.alternateName, zh(alias)))
        return node

    def place(self, name: str) -> URIRef:
        if name in self.place_nodes:
            return self.place_nodes[name]
        info = self.places.get(name, Place(name))
        node = self.place_nodes[name] = self.iri("place", info.name, info.code or info.parent or "")
        self.g.add((node, RDF.type, SCHEMA.Place))
        self.g.add((node, SCHEMA.name, zh(info.name)))
        for alias in info.aliases:
            self.g.add((node, SCHEMA.alternateName, zh(alias)))
        if info.code or info.level in ("province", "prefecture", "county", "township", "community"):
            self.g.add((node, RDF.type, NG.AdministrativeDivision))
            self.g.add((node, RDF.type, SCHEMA.AdministrativeArea))
        if info.code:
            self.g.add((node, NG.adminCode, Literal(info.code)))
        if info.level:
            self.g.add((node, NG.adminLevel, Literal(info.level)))
        if info.parent and info.parent != info.name:
            self.g.add((node, SCHEMA.containedInPlace, self.place(info.parent)))
        return node

    def evidence(self, article: URIRef, key: str, span: Span) -> URIRef:
        node = URIRef(f"{self.base}evidence-{digest(key, span.start, span.end, length=10)}")
        self.g.add((node, RDF.type, NG.Evidence))
        self.g.add((node, RDF.type, OA.TextPositionSelector))
        self.g.add((node, RDF.type, OA.TextQuoteSelector))
        self.g.add((node, OA.hasSource, article))
        self.g.add((node, OA.exact, Literal(span.text)))
        self.g.add((node, OA.start, Literal(span.start)))
        self.g.add((node, OA.end, Literal(span.end)))
        return node

    # --- one article ------------------------------------------------------------------------------------
    def article(self, facts: ArticleFacts) -> None:
        a = facts.article
        g = self.g
        node = URIRef(f"{self.base}article-{a.key}")
        g.add((node, RDF.type, SCHEMA.NewsArticle))
        g.add((node, SCHEMA.headline, zh(a.headline)))
        if a.subheadline:
            g.add((node, SCHEMA.alternativeHeadline, zh(a.subheadline)))
        if a.date:
            g.add((node, SCHEMA.datePublished, Literal(a.date.isoformat(), datatype=XSD.date)))
            g.add((node, NG.dateRule, Literal(a.date_rule or "inferred")))
        g.add((node, SCHEMA.articleBody, zh(a.body)))
        if a.source_path:
            g.add((node, NG.sourceFile, Literal(a.source_path)))
        if a.newspaper:
            paper = self.iri("newspaper", a.newspaper)
            g.add((paper, RDF.type, SCHEMA.Newspaper))
            g.add((paper, RDF.type, SCHEMA.Organization))
            g.add((paper, SCHEMA.name, zh(a.newspaper)))
            if a.city:
                g.add((paper, NG.homeCity, self.place(a.city)))
            g.add((node, SCHEMA.isPartOf, paper))
            g.add((node, SCHEMA.publisher, paper))
        for name in a.authors:
            g.add((node, SCHEMA.author, self.person(name, a.city)))
        for name in a.contributors:
            g.add((node, SCHEMA.contributor, self.person(name, a.city)))

        for m in facts.mentions:
            entity = self.mention_node(m.kind, m.name, m.aliases, m.location, a.city)
            g.add((node, SCHEMA.mentions, entity))
            if m.kind is EntityKind.ORGANIZATION and m.parent:
                g.add((entity, ORG.subOrganizationOf, self.organization(m.parent)))
        for ms in facts.memberships:
            person = self.person(ms.person, a.city)
            fact = self.iri("membership", f"{ms.person}-{ms.title}", a.city or "")
            g.add((fact, RDF.type, ORG.Membership))
            g.add((fact, ORG.member, person))
            g.add((fact, NG.title, zh(ms.title)))
            if ms.organization:
                g.add((fact, ORG.organization, self.organization(ms.organization)))
            g.add((fact, PROV.wasDerivedFrom, node))
            g.add((fact, NG.evidence, self.evidence(node, a.key, ms.evidence)))
        for ev in facts.events:
            event = self.iri("event", ev.name, a.key, ev.evidence.start)
            g.add((event, RDF.type, SCHEMA.Event))
            if ev.kind in EVENT_CLASSES:
                g.add((event, RDF.type, EVENT_CLASSES[ev.kind]))
            g.add((event, SCHEMA.name, zh(ev.name)))
            if ev.date:
                g.add((event, SCHEMA.startDate, Literal(ev.date.isoformat(), datatype=XSD.date)))
            if ev.part_of_day:
                g.add((event, NG.partOfDay, zh(ev.part_of_day)))
            if ev.place:
                g.add((event, SCHEMA.location, self.place(ev.place)))
            if ev.organizer:
                g.add((event, SCHEMA.organizer, self.organization(ev.organizer)))
            for p in ev.participants:
                person = self.person(p.person, a.city)
                g.add((event, SCHEMA.attendee, person))
                if p.role in ROLE_PROPERTIES:
                    g.add((event, ROLE_PROPERTIES[p.role], person))
            g.add((event, PROV.wasDerivedFrom, node))
            g.add((event, NG.evidence, self.evidence(node, a.key, ev.evidence)))
            g.add((node, SCHEMA.mentions, event))

    def mention_node(
        self, kind: EntityKind, name: str, aliases: tuple[str, ...], location: str | None, city: str | None
    ) -> URIRef:
        if kind is EntityKind.PERSON:
            return self.person(name, city)
        if kind is EntityKind.ORGANIZATION:
            return self.organization(name, aliases)
        if kind is EntityKind.PLACE:
            return self.place(name)
        node = self.iri("project", name)
        self.g.add((node, RDF.type, SCHEMA.Project))
        self.g.add((node, SCHEMA.name, zh(name)))
        for alias in aliases:
            self.g.add((node, SCHEMA.alternateName, zh(alias)))
        if location:
            self.g.add((node, SCHEMA.location, self.place(location)))
        return node


def to_rdf(extraction: Extraction, base: str = ID_BASE) -> TripleIndex:
    """The RDF triples of one build."""
    mapper = _Mapper(base)
    mapper.places = dict(extraction.places)
    for facts in extraction.articles:
        mapper.article(facts)
    return mapper.g
