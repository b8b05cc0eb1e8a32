"""Page options (focus, hops, types, date range) and the filtering of a View they ask for."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict, deque
from dataclasses import dataclass, replace

from rdflib import Graph

from graph.errors import NewsgraphError
from graph.rdf.triples import TripleIndex
from graph.render.search import Named, find
from graph.render.view import NODE_TYPES, Node, View, build_view, day

log = logging.getLogger(__name__)

DEFAULT_HOPS = 2
"""Two hops from a person reach their events and, through them, everyone else who was there."""


@dataclass(frozen=True)
class PageOptions:
    """What part of the graph the page shows; the defaults show all of it."""

    focus: str = ""
    hops: int = DEFAULT_HOPS
    types: tuple[str, ...] = ()
    since: str = ""
    until: str = ""

    def __post_init__(self) -> None:
        unknown = sorted(set(self.types) - set(NODE_TYPES))
        if unknown:
            raise NewsgraphError(f"unknown node type(s) {', '.join(unknown)}; use {', '.join(NODE_TYPES)}")
        if self.hops < 0:
            raise NewsgraphError(f"--hops must be 0 or more, not {self.hops}")
        for name in ("since", "until"):
            value = getattr(self, name)
            if isinstance(value, dt.date):
                object.__setattr__(self, name, value.isoformat())
            elif value and not day(value):
                raise NewsgraphError(f"--{name} {value!r} is not a date (use YYYY-MM-DD)")
        if self.since and self.until and self.since > self.until:
            raise NewsgraphError(f"--since {self.since} is after --until {self.until}")

    @property
    def is_default(self) -> bool:
        return not (self.focus or self.types or self.since or self.until)


def _in_range(date: str, since: str, until: str) -> bool:
    """Undated items are kept: a range only speaks about what has a date."""
    d = day(date)
    return not d or ((not since or d >= since) and (not until or d <= until))


def _neighbours(view: View) -> dict[str, list[str]]:
    adj: dict[str, list[str]] = defaultdict(list)
    for e in view.edges:
        adj[e.source].append(e.target)
        adj[e.target].append(e.source)
    return adj


def find_nodes(view: View, name: str) -> list[Node]:
    """The nodes `name` finds, ranked as `graph.render.search.find` ranks them."""
    by_id = {n.id: n for n in view.nodes}
    candidates = (
        Named(
            n.id,
            n.label,
            tuple(v for k, v in n.facts if k == "别名"),
            n.type == "article",
            (n.pinyin, n.initials),
        )
        for n in view.nodes
    )
    return [by_id[c.key] for c in find(candidates, name)]


def subview(view: View, keep: set[str]) -> View:
    """The nodes in `keep`, the edges between them, and degrees counted again."""
    edges = tuple(e for e in view.edges if e.source in keep and e.target in keep)
    degree: dict[str, int] = defaultdict(int)
    for e in edges:
        degree[e.source] += 1
        degree[e.target] += 1
    nodes = tuple(replace(n, degree=degree[n.id]) for n in view.nodes if n.id in keep)
    return View(nodes=nodes, edges=edges)


def _trim_panels(node: Node, since: str, until: str) -> Node:
    """Panel lists of `node` restricted to the date range."""
    return replace(
        node,
        titles=tuple(t for t in node.titles if _in_range(t.date, since, until)),
        events=tuple(e for e in node.events if _in_range(e.date, since, until)),
        articles=tuple(a for a in node.articles if _in_range(a.date, since, until)),
        evidence=tuple(e for e in node.evidence if _in_range(e.date, since, until)),
    )


def filter_view(view: View, options: PageOptions) -> View:
    """Apply the date range, then the types, then the ego network of `focus` within `hops` links.

    A date range keeps the events and articles of those days and the undated nodes (people,
    organizations, places, projects) linked to them; the page's own date filter does the same."""
    if options.is_default:
        return view
    keep = {n.id for n in view.nodes}
    since, until = options.since, options.until
    if since or until:
        dated = {n.id for n in view.nodes if n.date and _in_range(n.date, since, until)}
        adj = _neighbours(view)
        undated = {n.id for n in view.nodes if not n.date}
        keep = dated | {nb for d in dated for nb in adj.get(d, ()) if nb in undated}
        view = View(
            nodes=tuple(_trim_panels(n, since, until) for n in view.nodes),
            edges=tuple(
                replace(e, evidence=tuple(ev for ev in e.evidence if _in_range(ev.date, since, until)))
                for e in view.edges
            ),
        )
    if options.types:
        wanted = set(options.types)
        keep = {n.id for n in view.nodes if n.id in keep and n.type in wanted}
    view = subview(view, keep)
    if options.focus:
        seeds = find_nodes(view, options.focus)
        if not seeds:
            raise NewsgraphError(f"no node named {options.focus!r} in the graph (after the other filters)")
        log.info("focus %r: %d node(s), %d hop(s)", options.focus, len(seeds), options.hops)
        adj = _neighbours(view)
        reached = {n.id: 0 for n in seeds}
        queue = deque(sorted(reached))
        while queue:
            current = queue.popleft()
            if reached[current] >= options.hops:
                continue
            for nb in sorted(adj.get(current, ())):
                if nb not in reached:
                    reached[nb] = reached[current] + 1
                    queue.append(nb)
        view = subview(view, set(reached))
    return view


def render_page(
    graph: Graph | TripleIndex, title: str = "newsgraph", options: PageOptions | None = None
) -> str:
    """The offline HTML page of `graph`, filtered by `options`; with a focus, the page opens on it."""
    from graph.render.html import render_html

    view = build_view(graph)
    options = options or PageOptions()
    select = ""
    if not options.is_default:
        view = filter_view(view, options)
        if options.focus:
            seeds = find_nodes(view, options.focus)
            select = max(seeds, key=lambda n: (n.degree, n.id)).id if seeds else ""
    return render_html(view, title=title, select=select)
