"""The reporters' network: people, organizations and places as nodes, events and articles folded into
weighted links, communities, a deterministic force layout, and readable event labels.

A View holds every node of the graph; this module decides what the page draws. Persons,
organizations and places are the drawn entities. Events, articles and projects are *items*: they
become links (two people at the same meeting, two names in the same article) and panel lists, and
the page draws them as nodes only for a selection or a short time window.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from graph.render.view import EventRole, Evidence, Node, View, day

ENTITY_TYPES: tuple[str, ...] = ("person", "organization", "place")
ITEM_TYPES: tuple[str, ...] = ("event", "article", "project")

MAX_DRAWN = 800
"""Entities drawn by default: the most mentioned. 800 lay out in about 2.5 s and draw in under a
second; the page adds at most `DRAWN_CAP` for selections and time windows."""

DRAWN_CAP = 1500
"""Nodes the page draws at once, whatever the reader asks for."""

LINKS_PER_ENTITY = 12
"""Each entity keeps its strongest links (every post, part-of and location link stays)."""

CROWDED_ARTICLE = 12
"""An article naming more entities than this (a digest, a list of attendees) links none of them to
each other by co-mention: it would tie everyone to everyone."""

ITEMS_PER_LINK = 8
"""Events and articles listed for one link: the newest."""

COMMUNITY_COLOURS: tuple[str, ...] = (
    "#e15759",
    "#4e79a7",
    "#59a14f",
    "#f28e2b",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#2f6f8f",
    "#8cd17d",
    "#d37295",
)
"""Colours of the largest communities; the others are grey."""

OTHER_COLOUR = "#b8b8b8"
_ROOM = 90.0  # px of layout per drawn node
_SEED = 7


def _evidence_order(e: Evidence) -> tuple[str, str, str, str, int, int]:
    return (e.date, e.quote, e.headline, e.article, e.start if e.start is not None else -1, e.end or 0)


# Links an entity has in the graph itself; their weight counts as this many shared events.
_DIRECT = {"任职": 3.0, "隶属": 3.0, "位于": 2.0}
# How a participant took part in an event, in the View's relation names.
_PARTICIPATION = frozenset({"主持", "讲话", "率队", "主办", "出席"})
_BYLINE = frozenset({"作者", "通讯员"})


@dataclass(frozen=True)
class Entity:
    """A person, organization or place; `x`, `y` are set for the entities drawn by default."""

    node: Node
    mentions: int
    community: int = -1
    x: float | None = None
    y: float | None = None
    days: tuple[str, ...] = ()
    """Days on which the entity holds a post, takes part in an event or is in the news."""


@dataclass(frozen=True)
class Link:
    """Two entities and why they are linked: `kinds` counts each reason, `items` are the newest
    events and articles behind it."""

    source: str
    target: str
    weight: float
    kinds: tuple[tuple[str, int], ...]
    notes: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    evidence: tuple = ()


@dataclass(frozen=True)
class Item:
    """An event, article or project and the entities it links."""

    node: Node
    label: str
    entities: tuple[str, ...]
    date: str = ""
    """YYYY-MM-DD, or "" when neither the item nor its article is dated."""


@dataclass(frozen=True)
class Community:
    """A community of drawn entities, named by its most central members."""

    index: int
    colour: str
    name: str
    size: int
    centre: str
    """The member with the strongest links."""


@dataclass(frozen=True)
class Network:
    """What the page shows: entities (sorted by id), links, items and communities."""

    entities: tuple[Entity, ...]
    links: tuple[Link, ...]
    items: tuple[Item, ...]
    communities: tuple[Community, ...]

    @property
    def drawn(self) -> tuple[Entity, ...]:
        return tuple(e for e in self.entities if e.x is not None)


def item_day(node: Node) -> str:
    """The day of an event or article; an event whose text states none takes the day of the first
    article that reports it."""
    if node.date or node.type != "event":
        return node.date
    return next((day(ref.date) for ref in node.articles if day(ref.date)), "")


def event_label(node: Node, with_year: bool = False) -> str:
    """`12-06 常委会会议 · 市委`: the day, what the event is, and who held it or where."""
    facts = dict(node.facts)  # the first value of each key is enough for a label
    who = facts.get("主办") or facts.get("地点") or facts.get("主持") or ""
    on = item_day(node)
    when = on if with_year else on[5:]
    parts = [when] if when else []
    parts.append(node.label)
    label = " ".join(parts)
    if who and who not in node.label:
        label += f" · {who}"
    return label


@dataclass
class _Pairs:
    kinds: Counter = field(default_factory=Counter)
    notes: set[str] = field(default_factory=set)
    items: dict[str, str] = field(default_factory=dict)  # item id -> date, for the newest
    evidence: set = field(default_factory=set)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


class _Folder:
    def __init__(self, view: View) -> None:
        self.kind = {n.id: n.type for n in view.nodes}
        self.nodes = {n.id: n for n in view.nodes}
        self.pairs: dict[tuple[str, str], _Pairs] = defaultdict(_Pairs)
        self.touched: dict[str, set[str]] = defaultdict(set)  # entity -> items it takes part in
        self.item_entities: dict[str, set[str]] = defaultdict(set)

    def is_entity(self, node_id: str) -> bool:
        return self.kind.get(node_id) in ENTITY_TYPES

    def read(self, view: View) -> None:
        participants: dict[str, set[str]] = defaultdict(set)
        mentioned: dict[str, set[str]] = defaultdict(set)
        bylines: dict[str, set[str]] = defaultdict(set)
        for edge in view.edges:
            source, target = edge.source, edge.target
            if self.is_entity(source) and self.is_entity(target):
                if edge.relation in _DIRECT:
                    info = self.pairs[_pair(source, target)]
                    info.kinds[edge.relation] += 1
                    info.notes.update(edge.notes)
                    info.evidence.update(edge.evidence)
                continue
            item, entity = (target, source) if self.is_entity(source) else (source, target)
            if not self.is_entity(entity) or self.kind.get(item) not in ITEM_TYPES:
                continue
            self.item_entities[item].add(entity)
            self.touched[entity].add(item)
            if edge.relation in _PARTICIPATION:
                participants[item].add(entity)
            elif edge.relation == "报道":
                mentioned[item].add(entity)
            elif edge.relation in _BYLINE:
                bylines[item].add(entity)
        # an entity's panel may list events the view does not hold (an archive's overview)
        for node in view.nodes:
            if node.type in ENTITY_TYPES:
                for role in node.events:
                    self.touched[node.id].add(role.event)
        self._co_occur(participants, "同场")
        self._co_occur({a: e for a, e in mentioned.items() if len(e) <= CROWDED_ARTICLE}, "同报道")
        for article, writers in bylines.items():
            date = self.nodes[article].date
            for writer in writers:
                for subject in mentioned.get(article, ()):
                    if subject != writer:
                        info = self.pairs[_pair(writer, subject)]
                        info.kinds["采写"] += 1
                        info.items[article] = date

    def listed_events(self) -> list[Node]:
        """Events that entities' panels list but the view does not hold (an archive's overview keeps
        each entity's newest), as nodes of their own."""
        roles: dict[str, list[tuple[str, EventRole]]] = defaultdict(list)
        for node in self.nodes.values():
            if node.type in ENTITY_TYPES:
                for role in node.events:
                    if role.event not in self.nodes:
                        roles[role.event].append((node.id, role))
        events = []
        for event, held in sorted(roles.items()):
            first = min((role for _, role in held), key=lambda r: (r.date, r.name, r.role))
            facts = {("日期", first.date)} if first.date else set()
            facts.update((role.role, self.nodes[who].label) for who, role in held)
            for who, _ in held:
                self.item_entities[event].add(who)
            events.append(
                Node(
                    id=event,
                    label=first.name,
                    type="event",
                    pinyin="",
                    initials="",
                    degree=len(held),
                    facts=tuple(sorted(facts)),
                    date=first.date[:10],
                )
            )
        return events

    def days(self, node: Node) -> tuple[str, ...]:
        found = {item_day(self.nodes[i]) for i in self.touched[node.id] if i in self.nodes}
        found.update(role.date[:10] for role in node.events)
        found.update(t.date[:10] for t in node.titles)
        return tuple(sorted(d for d in found if d))

    def _co_occur(self, groups: dict[str, set[str]], kind: str) -> None:
        for item, members in groups.items():
            ordered = sorted(members)
            date = self.nodes[item].date if item in self.nodes else ""
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    info = self.pairs[(a, b)]
                    info.kinds[kind] += 1
                    info.items[item] = date

    def add_pairs(self, pairs: Iterable[tuple[str, str, int]]) -> None:
        """Co-attendance counted elsewhere (an archive's store) for entities whose events are not here."""
        for a, b, count in pairs:
            if self.is_entity(a) and self.is_entity(b) and a != b:
                info = self.pairs[_pair(a, b)]
                info.kinds["同场"] = max(info.kinds["同场"], count)

    def add_co_mentions(self, groups: dict[str, set[str]]) -> None:
        """Articles the view does not hold, with the entities each names."""
        named = {a: {e for e in es if self.is_entity(e)} for a, es in groups.items() if a not in self.nodes}
        self._co_occur({a: es for a, es in named.items() if len(es) <= CROWDED_ARTICLE}, "同报道")

    def links(self) -> list[Link]:
        weight = {
            key: sum(_DIRECT.get(k, 1.0) * n for k, n in info.kinds.items())
            for key, info in self.pairs.items()
        }
        best: dict[str, list[tuple[float, str, tuple[str, str]]]] = defaultdict(list)
        for key, w in weight.items():
            direct = any(k in _DIRECT for k in self.pairs[key].kinds)
            for end, other in ((key[0], key[1]), (key[1], key[0])):
                best[end].append((math.inf if direct else -w, other, key))
        kept: set[tuple[str, str]] = set()
        for ranked in best.values():
            ranked.sort()
            kept.update(key for rank, _, key in ranked[:LINKS_PER_ENTITY] if rank < 0)
            kept.update(key for rank, _, key in ranked if rank == math.inf)
        links = []
        for key in sorted(kept):
            info = self.pairs[key]
            newest = sorted(info.items.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
            links.append(
                Link(
                    source=key[0],
                    target=key[1],
                    weight=round(weight[key], 2),
                    kinds=tuple(sorted(info.kinds.items())),
                    notes=tuple(sorted(info.notes)),
                    items=tuple(item for item, _ in newest[:ITEMS_PER_LINK]),
                    evidence=tuple(sorted(info.evidence, key=_evidence_order))[-3:],
                )
            )
        return links


def _association_graph(nodes: list[str], links: list[Link]) -> nx.Graph:
    """Links weighted by association strength, w(a, b) / sqrt(s(a) s(b)): a city's party committee
    shares something with everyone, and raw counts would make one community of the whole page."""
    strength: Counter[str] = Counter()
    for link in links:
        strength[link.source] += link.weight
        strength[link.target] += link.weight
    weights = {
        (link.source, link.target): link.weight / math.sqrt(strength[link.source] * strength[link.target])
        for link in links
    }
    mean = sum(weights.values()) / len(weights) if weights else 1.0
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_weighted_edges_from((a, b, round(w / mean, 6)) for (a, b), w in sorted(weights.items()))
    return graph


def _communities(graph: nx.Graph) -> list[list[str]]:
    """Louvain communities, largest first; deterministic for a seed and a sorted graph."""
    found = nx.community.louvain_communities(graph, weight="weight", seed=_SEED)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


def _spring(graph: nx.Graph, scale: float) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold, seeded; networkx needs scipy from 500 nodes, ForceAtlas2 takes over there."""
    if len(graph) == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    if len(graph) < 500:
        raw = nx.spring_layout(graph, weight="weight", seed=_SEED, iterations=80, scale=scale)
    else:
        raw = nx.rescale_layout_dict(nx.forceatlas2_layout(graph, weight="weight", seed=_SEED), scale=scale)
    return {n: (float(p[0]), float(p[1])) for n, p in raw.items()}


def _ordered(graph: nx.Graph, members: list[str]) -> nx.Graph:
    """The subgraph of `members` with nodes and links in sorted order: a networkx subgraph view
    iterates a set of nodes, in an order that changes from run to run."""
    sub = nx.Graph()
    sub.add_nodes_from(sorted(members))
    kept = set(members)
    sub.add_weighted_edges_from(
        sorted(
            (a, b, w) if a < b else (b, a, w)
            for a, b, w in graph.edges(members, data="weight")
            if a in kept and b in kept
        )
    )
    return sub


def _separate(centres: list[list[float]], radii: list[float], rounds: int = 200) -> None:
    """Push overlapping discs apart, in place, deterministically."""
    for _ in range(rounds):
        moved = False
        for i in range(len(centres)):
            for j in range(i + 1, len(centres)):
                dx = centres[j][0] - centres[i][0]
                dy = centres[j][1] - centres[i][1]
                gap = radii[i] + radii[j] + _ROOM / 2
                dist = math.hypot(dx, dy)
                if dist >= gap:
                    continue
                if dist < 1e-6:
                    dx, dy, dist = 1.0, 0.0, 1.0
                push = (gap - dist) / 2
                centres[i][0] -= dx / dist * push
                centres[i][1] -= dy / dist * push
                centres[j][0] += dx / dist * push
                centres[j][1] += dy / dist * push
                moved = True
        if not moved:
            return


def _layout(graph: nx.Graph, groups: list[list[str]]) -> dict[str, tuple[float, float]]:
    """Communities as discs placed by how strongly they link, each laid out inside its own disc; the
    entities with no link wait in rows below, where they neither push the others apart nor hide."""
    linked = [sorted(g) for g in groups if len(g) > 1 or graph.degree(g[0]) > 0]
    group_of = {n: i for i, g in enumerate(linked) for n in g}
    between = nx.Graph()
    between.add_nodes_from(range(len(linked)))
    for a, b, w in sorted(graph.edges(data="weight")):
        ga, gb = group_of.get(a), group_of.get(b)
        if ga is not None and gb is not None and ga != gb:
            old = between.get_edge_data(ga, gb, {"weight": 0.0})["weight"]
            between.add_edge(ga, gb, weight=old + w)
    radii = [_ROOM / 2 * math.sqrt(len(g)) for g in linked]
    spread = sum(radii) or 1.0
    centres = (
        [list(_spring(between, spread).get(i, (0.0, 0.0))) for i in range(len(linked))] if linked else []
    )
    for _ in range(30):  # gravity: a loosely linked community comes in to the others' edge
        for c in centres:
            c[0] *= 0.85
            c[1] *= 0.85
        _separate(centres, radii, rounds=20)
    placed: dict[str, tuple[float, float]] = {}
    for members, (cx, cy), radius in zip(linked, centres, radii, strict=True):
        local = _spring(_ordered(graph, members), radius)
        placed.update({n: (cx + x, cy + y) for n, (x, y) in local.items()})
    alone = sorted(n for n in graph if n not in placed)
    if alone:
        left = min((x for x, _ in placed.values()), default=0.0)
        right = max((x for x, _ in placed.values()), default=0.0)
        top = max((y for _, y in placed.values()), default=0.0) + _ROOM
        per_row = max(int((right - left) / _ROOM) + 1, int(math.sqrt(len(alone))), 1)
        for i, n in enumerate(alone):
            row, col = divmod(i, per_row)
            placed[n] = (left + col * _ROOM, top + row * _ROOM * 0.6)
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in placed.items()}


def node_size(mentions: int) -> float:
    """Radius in px on the page: grows with the square root of the mentions."""
    return round(min(6.0 + 3.0 * math.sqrt(mentions), 40.0), 1)


def fold(
    view: View,
    max_drawn: int = MAX_DRAWN,
    co_attendance: Iterable[tuple[str, str, int]] = (),
    co_mentions: dict[str, set[str]] | None = None,
    mentions: dict[str, int] | None = None,
) -> Network:
    """The page's network of `view`: the `max_drawn` most mentioned entities drawn with a layout and
    communities, every other entity kept for search and selection.

    `co_attendance` (pairs and their count of events), `co_mentions` (article to the entities it
    names) and `mentions` (per entity) carry what an archive's store knows beyond the view."""
    folder = _Folder(view)
    folder.read(view)
    folder.add_pairs(co_attendance)
    if co_mentions:
        folder.add_co_mentions(co_mentions)
    links = folder.links()
    entity_nodes = [n for n in view.nodes if n.type in ENTITY_TYPES]
    counted = {
        n.id: (mentions or {}).get(n.id) or len(folder.touched[n.id]) + len(n.titles) for n in entity_nodes
    }
    ranked = sorted(entity_nodes, key=lambda n: (-counted[n.id], n.id))
    drawn = {n.id for n in ranked[:max_drawn]}
    inside = [link for link in links if link.source in drawn and link.target in drawn]
    graph = _association_graph(sorted(drawn), inside)
    groups = _communities(graph) if graph else []
    positions = _layout(graph, groups)
    community_of: dict[str, int] = {}
    communities: list[Community] = []
    strength = dict(graph.degree(weight="weight"))
    for index, members in enumerate(groups):
        for member in members:
            community_of[member] = index
        if len(members) < 2:
            continue
        central = sorted(members, key=lambda m: (-strength[m], -counted[m], m))[:3]
        colour = COMMUNITY_COLOURS[index] if index < len(COMMUNITY_COLOURS) else OTHER_COLOUR
        names = "、".join(folder.nodes[m].label for m in central)
        communities.append(
            Community(index=index, colour=colour, name=names, size=len(members), centre=central[0])
        )
    entities = tuple(
        Entity(
            node=n,
            mentions=counted[n.id],
            community=community_of.get(n.id, -1),
            x=positions[n.id][0] if n.id in positions else None,
            y=positions[n.id][1] if n.id in positions else None,
            days=folder.days(n),
        )
        for n in sorted(entity_nodes, key=lambda n: n.id)
    )
    item_nodes = [n for n in view.nodes if n.type in ITEM_TYPES] + folder.listed_events()
    days = sorted(item_day(n) for n in item_nodes if n.type == "event" and item_day(n))
    # a month and day name one day only when the events fit in a year
    with_year = bool(days) and (dt.date.fromisoformat(days[-1]) - dt.date.fromisoformat(days[0])).days > 330
    items = tuple(
        Item(
            node=n,
            label=event_label(n, with_year=with_year) if n.type == "event" else n.label,
            entities=tuple(sorted(folder.item_entities[n.id])),
            date=item_day(n),
        )
        for n in sorted(item_nodes, key=lambda n: n.id)
    )
    return Network(entities=entities, links=tuple(links), items=items, communities=tuple(communities))
