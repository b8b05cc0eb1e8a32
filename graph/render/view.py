"""A pure, deterministic view model of a newsgraph RDF graph for the HTML network page."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from pypinyin import lazy_pinyin
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node as Term

from graph.rdf.terms import (
    NG_evidence,
    NG_title,
    OA_end,
    OA_exact,
    OA_hasSource,
    OA_start,
    ORG_member,
    ORG_Membership,
    ORG_organization,
    ORG_role,
    PROV_wasDerivedFrom,
    RDF_type,
    RDFS_label,
    SCHEMA_alternateName,
    SCHEMA_alternativeHeadline,
    SCHEMA_author,
    SCHEMA_contributor,
    SCHEMA_datePublished,
    SCHEMA_headline,
    SCHEMA_isPartOf,
    SCHEMA_location,
    SCHEMA_name,
    SCHEMA_startDate,
)
from graph.rdf.vocab import NG, ORG, SCHEMA

NODE_TYPES: tuple[str, ...] = ("person", "organization", "place", "project", "event", "article")
"""Node types, in legend order."""

TYPE_LABELS: dict[str, str] = {
    "person": "人物",
    "organization": "机构",
    "place": "地点",
    "project": "项目",
    "event": "事件",
    "article": "报道",
}

# Checked in this order so that, e.g., a node typed both Event and Place is shown as an event.
RDF_TYPES: tuple[tuple[str, tuple[URIRef, ...]], ...] = (
    (
        "event",
        (SCHEMA.Event, NG.Meeting, NG.Inspection, NG.Ceremony, NG.SchoolReopening, NG.Broadcast),
    ),
    ("article", (SCHEMA.NewsArticle, SCHEMA.Article, SCHEMA.ReportageNewsArticle)),
    ("person", (SCHEMA.Person,)),
    (
        "organization",
        (
            SCHEMA.Organization,
            SCHEMA.Newspaper,
            SCHEMA.GovernmentOrganization,
            SCHEMA.Corporation,
            SCHEMA.EducationalOrganization,
            SCHEMA.NGO,
        ),
    ),
    (
        "place",
        (SCHEMA.Place, SCHEMA.AdministrativeArea, SCHEMA.City, SCHEMA.Country, NG.AdministrativeDivision),
    ),
    ("project", (SCHEMA.Project,)),
)

_EVENT_KINDS: dict[Term, str] = {
    NG.Meeting: "会议",
    NG.Inspection: "调研",
    NG.Ceremony: "仪式",
    NG.SchoolReopening: "开学",
    NG.Broadcast: "收听收看",
}

# Participation properties: (predicate, Chinese label); the participant is the object.
_ROLES: tuple[tuple[URIRef, str], ...] = (
    (NG.chair, "主持"),
    (NG.speaker, "讲话"),
    (NG.leader, "率队"),
    (SCHEMA.organizer, "主办"),
    (SCHEMA.attendee, "出席"),
)
_ATTENDEE = "出席"

# Subject-to-object relations between entity nodes.
_LINKS: tuple[tuple[URIRef, str], ...] = (
    (SCHEMA.location, "位于"),
    (SCHEMA.containedInPlace, "位于"),
    (SCHEMA.parentOrganization, "隶属"),
    (ORG.subOrganizationOf, "隶属"),
    (SCHEMA.mentions, "报道"),
    (SCHEMA.author, "作者"),
    (SCHEMA.contributor, "通讯员"),
    (SCHEMA.isPartOf, "刊于"),
)

LINK_PREDICATES: frozenset[str] = frozenset(str(p) for p, _ in (*_ROLES, *_LINKS))
"""Predicates that link two nodes on the page, read by the whole-graph view and the store's reader
alike; a membership also links its person (org:member) and organization (org:organization)."""

# Panel fact keys are shown in this order.
_FACT_ORDER: tuple[str, ...] = (
    "类型",
    "日期",
    "地点",
    "上级",
    "隶属",
    "主办",
    "主持",
    "讲话",
    "率队",
    "出席",
    "作者",
    "通讯员",
    "报纸",
    "副标题",
    "别名",
)


@dataclass(frozen=True)
class Evidence:
    """A quote from an article body that states a fact."""

    quote: str
    article: str = ""
    headline: str = ""
    date: str = ""
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class TitleEntry:
    """A title an article states for a person, optionally at an organization."""

    person: str
    person_name: str
    title: str
    organization: str = ""
    organization_name: str = ""
    date: str = ""
    article: str = ""
    headline: str = ""
    quotes: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventRole:
    """A node's role (主持, 讲话, 率队, 主办, 出席) in one event."""

    event: str
    name: str
    date: str
    role: str


@dataclass(frozen=True)
class ArticleRef:
    """An article that mentions, was written by, or is the source of a node."""

    article: str
    headline: str
    date: str
    byline: str


@dataclass(frozen=True)
class Node:
    """One entity of the page; `id` is its IRI."""

    id: str
    label: str
    type: str
    pinyin: str
    initials: str
    degree: int
    facts: tuple[tuple[str, str], ...] = ()
    date: str = ""
    """YYYY-MM-DD of an event (start) or an article (publication); empty for other nodes."""
    titles: tuple[TitleEntry, ...] = ()
    events: tuple[EventRole, ...] = ()
    articles: tuple[ArticleRef, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Edge:
    """A labelled directed link; `notes` carries e.g. the titles behind a 任职 edge."""

    source: str
    target: str
    relation: str
    evidence: tuple[Evidence, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class View:
    """Nodes sorted by (type, label, id); edges sorted by (source, target, relation)."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def node(self, node_id: str) -> Node | None:
        """The node with IRI `node_id`, if any."""
        for node in self.nodes:
            if node.id == node_id:
                return node
        return None


_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def day(value: object) -> str:
    """The YYYY-MM-DD day a date or dateTime literal names, or "" when it names none."""
    match = _DAY_RE.match(str(value).strip()) if value is not None else None
    return match.group(0) if match else ""


def _text(value: object) -> str:
    return str(value) if value is not None else ""


def _pick(values: Iterable[object]) -> str:
    """The preferred literal: Chinese first, then shortest, then lexicographic, for determinism."""
    lits = [v for v in values if isinstance(v, Literal) and str(v).strip()]
    if not lits:
        return ""

    def rank(v: Literal) -> tuple[int, int, str]:
        lang = v.language or ""
        return (0 if lang.startswith("zh") else 2 if lang else 1, len(str(v).strip()), str(v).strip())

    return str(min(lits, key=rank)).strip()


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@lru_cache(maxsize=1 << 15)
def _char_pinyin(char: str) -> str:
    return lazy_pinyin(char)[0].strip().lower()


def name_pinyin(label: str) -> tuple[str, str]:
    """Space-separated toneless pinyin and the initials of `label`, lower-cased, for search.

    Character by character, cached: a search index needs every reading's first form, not pypinyin's
    phrase analysis, which costs a millisecond a label."""
    syllables = [s for s in map(_char_pinyin, label) if s]
    return " ".join(syllables), "".join(s[0] for s in syllables)


class _Builder:
    """Collects panel data and edges while walking the graph once per property."""

    def __init__(self, g: Graph, shown: set[str] | None = None) -> None:
        self.g = g
        self.shown = shown
        self.types: dict[Term, str] = {}
        self.labels: dict[Term, str] = {}
        self.article_info: dict[Term, ArticleRef] = {}
        self.edges: dict[tuple[str, str, str], tuple[set[Evidence], set[str]]] = {}
        self.facts: dict[Term, set[tuple[str, str]]] = defaultdict(set)
        self.titles: dict[Term, set[TitleEntry]] = defaultdict(set)
        self.events: dict[Term, set[EventRole]] = defaultdict(set)
        self.articles: dict[Term, set[ArticleRef]] = defaultdict(set)
        self.evidence: dict[Term, set[Evidence]] = defaultdict(set)
        self.dates: dict[Term, str] = {}
        self._evidence_cache: dict[object, frozenset[Evidence]] = {}

    # -- nodes -------------------------------------------------------------------------------------

    def classify(self) -> None:
        for kind, rdf_types in reversed(RDF_TYPES):
            # Reversed so that earlier (stronger) kinds overwrite later ones.
            for rdf_type in rdf_types:
                for s in self.g.subjects(RDF_type, rdf_type):
                    if isinstance(s, URIRef):
                        self.types[s] = kind
        for s, kind in self.types.items():
            self.labels[s] = self._label(s, kind)
        for s, kind in self.types.items():
            if kind == "article":
                self.article_info[s] = self._article_ref(s)

    def _label(self, s: Term, kind: str) -> str:
        g = self.g
        if kind == "article":
            preds = (SCHEMA_headline, SCHEMA_name, SCHEMA_alternativeHeadline, RDFS_label)
        else:
            preds = (SCHEMA_name, SCHEMA_alternateName, RDFS_label)
        for pred in preds:
            label = _pick(g.objects(s, pred))
            if label:
                return label
        return _local_name(str(s))

    def _names(self, nodes: Iterable[object]) -> list[str]:
        return sorted({self.labels.get(n) or self._label(n, "") for n in nodes if isinstance(n, URIRef)})

    def _article_ref(self, a: URIRef) -> ArticleRef:
        g = self.g
        authors = self._names(g.objects(a, SCHEMA_author))
        contributors = self._names(g.objects(a, SCHEMA_contributor))
        byline = "、".join(authors)
        if contributors:
            byline = (byline + "；" if byline else "") + "通讯员 " + "、".join(contributors)
        return ArticleRef(
            article=str(a),
            headline=self.labels.get(a, ""),
            date=_text(g.value(a, SCHEMA_datePublished)),
            byline=byline,
        )

    def _ref(self, article: object) -> ArticleRef | None:
        return self.article_info.get(article) if isinstance(article, URIRef) else None

    # -- evidence ----------------------------------------------------------------------------------

    def _evidence(self, fact: object) -> frozenset[Evidence]:
        cached = self._evidence_cache.get(fact)
        if cached is None:
            cached = self._evidence_cache[fact] = frozenset(self._read_evidence(fact))
        return cached

    def _read_evidence(self, fact: object) -> set[Evidence]:
        g = self.g
        found: set[Evidence] = set()
        derived = [a for a in g.objects(fact, PROV_wasDerivedFrom) if isinstance(a, URIRef)]
        for ev in g.objects(fact, NG_evidence):
            quote = _text(g.value(ev, OA_exact)).strip()
            if not quote:
                continue
            source = g.value(ev, OA_hasSource)
            if source is None and derived:
                source = min(derived)
            ref = self._ref(source)
            found.add(
                Evidence(
                    quote=quote,
                    article=_text(source),
                    headline=ref.headline if ref else "",
                    date=ref.date if ref else "",
                    start=_int(g.value(ev, OA_start)),
                    end=_int(g.value(ev, OA_end)),
                )
            )
        return found

    def _sources(self, fact: object) -> list[ArticleRef]:
        refs = (self._ref(a) for a in self.g.objects(fact, PROV_wasDerivedFrom))
        return sorted((r for r in refs if r is not None), key=lambda r: (r.date, r.headline, r.article))

    # -- edges -------------------------------------------------------------------------------------

    def add_edge(
        self,
        source: object,
        target: object,
        relation: str,
        evidence: Iterable[Evidence] = (),
        notes: Iterable[str] = (),
    ) -> bool:
        if source not in self.types or target not in self.types or source == target:
            return False
        key = (str(source), str(target), relation)
        if self.shown is not None and not (key[0] in self.shown and key[1] in self.shown):
            return True  # a link all the same, but not drawn
        evs, ns = self.edges.setdefault(key, (set(), set()))
        evs.update(evidence)
        ns.update(n for n in notes if n)
        return True

    def read_memberships(self) -> None:
        g = self.g
        for m in set(g.subjects(RDF_type, ORG_Membership)):
            person = g.value(m, ORG_member)
            if person is None or person not in self.types:
                continue
            org = g.value(m, ORG_organization)
            if org is not None and org not in self.types:
                org = None
            titles = sorted({str(t).strip() for t in g.objects(m, NG_title) if str(t).strip()})
            role = g.value(m, ORG_role)
            if not titles and role is not None:
                titles = [self._label(role, "") if isinstance(role, URIRef) else str(role)]
            evidence = self._evidence(m)
            quotes = tuple(sorted({e.quote for e in evidence}))
            sources = self._sources(m) or [None]
            for title in titles or [""]:
                for src in sources:
                    entry = TitleEntry(
                        person=str(person),
                        person_name=self.labels[person],
                        title=title,
                        organization=str(org) if org is not None else "",
                        organization_name=self.labels[org] if org is not None else "",
                        date=src.date if src else "",
                        article=src.article if src else "",
                        headline=src.headline if src else "",
                        quotes=quotes,
                    )
                    self.titles[person].add(entry)
                    if org is not None:
                        self.titles[org].add(entry)
            self.evidence[person].update(evidence)
            if org is not None:
                self.evidence[org].update(evidence)
                self.add_edge(person, org, "任职", evidence, titles)
            else:
                # No organization to point at: link the title to the article that states it.
                for src in self._sources(m):
                    self.add_edge(person, URIRef(src.article), "职务", evidence, titles)

    def read_events(self) -> None:
        g = self.g
        for event in sorted(s for s, kind in self.types.items() if kind == "event"):
            evidence = self._evidence(event)
            self.evidence[event].update(evidence)
            name = self.labels[event]
            date = _text(g.value(event, SCHEMA_startDate))
            if date:
                self.facts[event].add(("日期", date))
                self.dates[event] = day(date)
            for rdf_type in g.objects(event, RDF_type):
                if rdf_type in _EVENT_KINDS:
                    self.facts[event].add(("类型", _EVENT_KINDS[rdf_type]))
            for src in self._sources(event):
                self.articles[event].add(src)
            roles: dict[Term, set[str]] = defaultdict(set)
            for pred, role in _ROLES:
                for who in g.objects(event, pred):
                    if who in self.types:
                        roles[who].add(role)
            for who, held in roles.items():
                # schema:attendee is entailed by chair/speaker/leader; show only the specific role.
                if len(held) > 1:
                    held.discard(_ATTENDEE)
                for role in held:
                    self.add_edge(who, event, role, evidence)
                    self.events[who].add(EventRole(str(event), name, date, role))
                    self.facts[event].add((role, self.labels[who]))
                self.evidence[who].update(evidence)
            for place in g.objects(event, SCHEMA_location):
                if place in self.types:
                    self.add_edge(event, place, "位于", evidence)
                    self.facts[event].add(("地点", self.labels[place]))
                    self.events[place].add(EventRole(str(event), name, date, "举办地"))
                    self.evidence[place].update(evidence)

    def read_links(self) -> None:
        g = self.g
        for pred, relation in _LINKS:
            for s, o in g.subject_objects(pred):
                if pred == SCHEMA_location and self.types.get(s) == "event":
                    continue  # added by read_events(), with the event's evidence
                if not self.add_edge(s, o, relation):
                    continue
                s_kind = self.types[s]
                if relation in ("位于", "隶属"):
                    key = "隶属" if relation == "隶属" else "上级" if s_kind == "place" else "地点"
                    self.facts[s].add((key, self.labels[o]))
                elif s_kind == "article":
                    ref = self.article_info[s]
                    self.articles[o].add(ref)

    def read_articles(self) -> None:
        g = self.g
        for a, ref in self.article_info.items():
            if ref.date:
                self.facts[a].add(("日期", ref.date))
                self.dates[a] = day(ref.date)
            for pred, key in ((SCHEMA_author, "作者"), (SCHEMA_contributor, "通讯员")):
                for name in self._names(g.objects(a, pred)):
                    self.facts[a].add((key, name))
            for paper in g.objects(a, SCHEMA_isPartOf):
                if isinstance(paper, URIRef):
                    self.facts[a].add(("报纸", self.labels.get(paper) or self._label(paper, "")))
            sub = _pick(g.objects(a, SCHEMA_alternativeHeadline))
            if sub and sub != ref.headline:
                self.facts[a].add(("副标题", sub))
        # Every quote taken from an article belongs in that article's panel.
        for fact in set(g.subjects(NG_evidence)):
            for ev in self._evidence(fact):
                source = URIRef(ev.article) if ev.article else None
                if source in self.article_info:
                    self.evidence[source].add(ev)

    def read_aliases(self) -> None:
        for s, label in self.labels.items():
            for alias in sorted({str(v).strip() for v in self.g.objects(s, SCHEMA_alternateName)}):
                if alias and alias != label:
                    self.facts[s].add(("别名", alias))

    # -- result ------------------------------------------------------------------------------------

    def view(self) -> View:
        degree: dict[str, int] = defaultdict(int)
        edges: list[Edge] = []
        by_article: dict[tuple[Term, str], set] = defaultdict(set)
        for node, quotes in self.evidence.items():
            for e in quotes:
                by_article[(node, e.article)].add(e)
        for (source, target, relation), (evs, notes) in sorted(self.edges.items()):
            if relation == "报道":
                # The article's first quote about the entity it mentions is this edge's evidence;
                # the entity's panel lists them all.
                found = by_article.get((URIRef(target), source))
                if found:
                    evs = evs | {min(found, key=lambda e: (e.start, e.quote))}
            degree[source] += 1
            degree[target] += 1
            edges.append(Edge(source, target, relation, _sort_evidence(evs), tuple(sorted(notes))))
        rank = {kind: i for i, kind in enumerate(NODE_TYPES)}
        fact_rank = {key: i for i, key in enumerate(_FACT_ORDER)}
        nodes: list[Node] = []
        for s, kind in self.types.items():
            if self.shown is not None and str(s) not in self.shown:
                continue
            label = self.labels[s]
            # names are searched by pinyin; headlines by their Chinese text (pinyin of long text is slow)
            pinyin, initials = ("", "") if kind == "article" else name_pinyin(label)
            nodes.append(
                Node(
                    id=str(s),
                    label=label,
                    type=kind,
                    pinyin=pinyin,
                    initials=initials,
                    degree=degree[str(s)],
                    facts=tuple(sorted(self.facts[s], key=lambda f: (fact_rank.get(f[0], 99), f))),
                    date=self.dates.get(s, ""),
                    titles=tuple(
                        sorted(
                            self.titles[s],
                            key=lambda t: (
                                t.date,
                                t.title,
                                t.organization_name,
                                t.person_name,
                                t.headline,
                                t.article,
                                t.person,
                                t.organization,
                                t.quotes,
                            ),
                        )
                    ),
                    events=tuple(sorted(self.events[s], key=lambda e: (e.date, e.name, e.role, e.event))),
                    articles=tuple(
                        sorted(self.articles[s], key=lambda r: (r.date, r.headline, r.article, r.byline))
                    ),
                    evidence=_sort_evidence(self.evidence[s]),
                )
            )
        nodes.sort(key=lambda n: (rank[n.type], n.label, n.id))
        return View(nodes=tuple(nodes), edges=tuple(edges))


_EVIDENCE_ORDER = attrgetter("date", "headline", "article", "start", "end", "quote")


def _sort_evidence(evidence: Iterable[Evidence]) -> tuple[Evidence, ...]:
    unique = set(evidence)
    try:
        return tuple(sorted(unique, key=_EVIDENCE_ORDER))  # C-speed key; offsets are always there
    except TypeError:  # a quote without offsets
        return tuple(
            sorted(
                unique,
                key=lambda e: (
                    e.date,
                    e.headline,
                    e.article,
                    e.start if e.start is not None else -1,
                    e.end or 0,
                    e.quote,
                ),
            )
        )


def build_view(g: Graph, shown: set[str] | None = None) -> View:
    """Turn a newsgraph RDF graph into the nodes, edges and panel data of the network page; with
    `shown`, only those nodes and the edges between them (an archive's overview)."""
    builder = _Builder(g, shown)
    builder.classify()
    builder.read_memberships()
    builder.read_events()
    builder.read_links()
    builder.read_articles()
    builder.read_aliases()
    return builder.view()
