"""Render a View as one self-contained, offline HTML page with a vis-network graph (via pyvis)."""

from __future__ import annotations

import calendar
import datetime as dt
import html
import json
import logging
import math
import re
from collections import Counter, deque
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

import networkx as nx
from pyvis.network import Network

from graph.render.view import NODE_TYPES, TYPE_LABELS, Edge, Node, View

log = logging.getLogger(__name__)

LAYOUT_THRESHOLD = 1500
"""Above this many nodes, positions are precomputed in Python and physics is disabled."""

TYPE_STYLE: dict[str, tuple[str, str]] = {
    "person": ("#e15759", "dot"),
    "organization": ("#4e79a7", "square"),
    "place": ("#59a14f", "triangle"),
    "project": ("#f28e2b", "hexagon"),
    "event": ("#b07aa1", "diamond"),
    "article": ("#9c755f", "star"),
}
"""Colour and vis-network shape per node type; only shapes whose size follows `size` are used."""

_FONT = "'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC',sans-serif"
_VIS_DIR = "lib/vis-9.1.2"
_LABEL_MAX = 18
_SKELETON = 400  # networkx needs scipy for spring layouts of 500+ nodes; stay below that
_SEED = 7

# Characters that could end a <script> element or break JavaScript string parsing.
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")
_REMOTE_SCRIPT_RE = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>\s*</script\s*>", re.IGNORECASE
)
_REMOTE_TAG_RE = re.compile(
    r"<(?:link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>", re.IGNORECASE
)


def _json_for_script(value: object) -> str:
    """JSON that is safe inside <script type="application/json">: no markup characters survive."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text)


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """The vis-network JS and CSS shipped inside the pyvis package, made safe to inline."""
    base = resources.files("pyvis").joinpath(_VIS_DIR)
    js = base.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = base.joinpath("vis-network.css").read_text(encoding="utf-8")
    # Neither file contains these today; guard so an upgrade cannot end the element early.
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE).replace("<!--", "<\\!--")
    css = re.sub(r"</(style)", r"\\3c/\1", css, flags=re.IGNORECASE)
    return js, css


def _offline(page: str) -> str:
    """Drop any tag that would fetch a script, stylesheet or frame from the network."""
    page = _REMOTE_SCRIPT_RE.sub("", page)
    return _REMOTE_TAG_RE.sub("", page)


def _node_size(degree: int) -> float:
    return round(min(10.0 + 4.0 * math.sqrt(degree), 50.0), 2)


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1] + "…"


def _vis_node(node: Node, pos: tuple[float, float] | None) -> dict[str, object]:
    colour, shape = TYPE_STYLE[node.type]
    item: dict[str, object] = {
        "id": node.id,
        "label": _short(node.label),
        "shape": shape,
        "size": _node_size(node.degree),
        "color": {
            "background": colour,
            "border": colour,
            "highlight": {"background": "#ffd54f", "border": colour},
            "hover": {"background": colour, "border": "#333333"},
        },
    }
    if pos is not None:
        item["x"], item["y"] = pos
    return item


T = TypeVar("T")

# A year of news gives hubs (市委) thousands of quotes; the page keeps the latest few of each list,
# and the graph itself keeps them all.
MAX_PANEL_ITEMS = 40
MAX_EDGE_QUOTES = 3


def _latest(items: Sequence[T], limit: int) -> list[T]:
    return list(items[-limit:]) if len(items) > limit else list(items)


def _evidence_json(edge_or_node: Node | Edge, limit: int = MAX_PANEL_ITEMS) -> list[dict[str, object]]:
    return [
        {"quote": e.quote, "headline": e.headline, "date": e.date}
        for e in _latest(edge_or_node.evidence, limit)
    ]


def _panel(node: Node) -> dict[str, object]:
    panel: dict[str, object] = {
        "label": node.label,
        "type": node.type,
        "typeLabel": TYPE_LABELS[node.type],
        "degree": node.degree,
        "py": node.pinyin.replace(" ", ""),
        "ini": node.initials,
        "facts": [list(f) for f in node.facts],
        "titles": [
            {
                "title": t.title,
                "person": t.person_name,
                "personId": t.person,
                "org": t.organization_name,
                "orgId": t.organization,
                "date": t.date,
                "headline": t.headline,
                "articleId": t.article,
                "quotes": list(t.quotes[:MAX_EDGE_QUOTES]),
            }
            for t in _latest(sorted(node.titles, key=lambda t: t.date or ""), MAX_PANEL_ITEMS)
        ],
        "events": [
            {"id": e.event, "name": e.name, "date": e.date, "role": e.role}
            for e in _latest(sorted(node.events, key=lambda e: e.date or ""), MAX_PANEL_ITEMS)
        ],
        "articles": [
            {"id": a.article, "headline": a.headline, "date": a.date, "byline": a.byline}
            for a in _latest(sorted(node.articles, key=lambda a: a.date or ""), MAX_PANEL_ITEMS)
        ],
        "evidence": _evidence_json(node),
    }
    if node.date:
        panel["date"] = node.date
    return panel


TIMELINE_MAX_DAYS = 400
"""Events spanning more days than this are counted per month: a bar per day would be too thin."""


def _timeline(view: View) -> dict[str, object]:
    """Events per day (or per month), every day of the span included, as [label, since, until, count]."""
    counts = Counter(n.date for n in view.nodes if n.type == "event" and n.date)
    if not counts:
        return {"unit": "day", "bins": []}
    first, last = dt.date.fromisoformat(min(counts)), dt.date.fromisoformat(max(counts))
    bins: list[list[object]] = []
    if (last - first).days < TIMELINE_MAX_DAYS:
        for i in range((last - first).days + 1):
            d = (first + dt.timedelta(days=i)).isoformat()
            bins.append([d, d, d, counts.get(d, 0)])
        return {"unit": "day", "bins": bins}
    months: Counter[str] = Counter()
    for d, c in counts.items():
        months[d[:7]] += c
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        key = f"{year:04d}-{month:02d}"
        end = calendar.monthrange(year, month)[1]
        bins.append([key, f"{key}-01", f"{key}-{end:02d}", months.get(key, 0)])
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return {"unit": "month", "bins": bins}


def _place_component(
    graph: nx.Graph, nodes: list[str], origin: tuple[float, float], size: float
) -> dict[str, tuple[float, float]]:
    sub = graph.subgraph(nodes)
    if len(nodes) == 1:
        return {nodes[0]: origin}
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(sub.nodes))
    ordered.add_edges_from(sorted(tuple(sorted(e)) for e in sub.edges))
    if len(nodes) < _SKELETON:
        layout = nx.spring_layout(ordered, seed=_SEED, scale=size, center=origin)
    else:
        layout = nx.circular_layout(ordered, scale=size, center=origin)
    return {k: (float(v[0]), float(v[1])) for k, v in layout.items()}


def _positions(view: View) -> dict[str, tuple[float, float]]:
    """Deterministic positions for big graphs: a spring layout of the best-connected nodes, the rest
    placed around their placed neighbours, and stray components on a grid below."""
    graph = nx.Graph()
    graph.add_nodes_from(n.id for n in sorted(view.nodes, key=lambda n: n.id))
    graph.add_edges_from((e.source, e.target) for e in view.edges)
    extent = 60.0 * math.sqrt(max(len(view.nodes), 1))
    by_rank = sorted(view.nodes, key=lambda n: (-n.degree, n.id))
    skeleton = [n.id for n in by_rank[:_SKELETON] if n.degree > 0]
    pos: dict[str, tuple[float, float]] = {}
    if skeleton:
        pos.update(_place_component(graph, skeleton, (0.0, 0.0), extent))
    children: dict[str, int] = {}
    golden = math.pi * (3.0 - math.sqrt(5.0))
    queue = deque(sorted(pos))
    while queue:
        anchor = queue.popleft()
        ax, ay = pos[anchor]
        for nb in sorted(graph.neighbors(anchor)):
            if nb in pos:
                continue
            k = children.get(anchor, 0)
            children[anchor] = k + 1
            radius = 40.0 + 12.0 * math.sqrt(k)
            pos[nb] = (ax + radius * math.cos(k * golden), ay + radius * math.sin(k * golden))
            queue.append(nb)
    rest = [sorted(c) for c in nx.connected_components(graph.subgraph([n for n in graph if n not in pos]))]
    rest.sort(key=lambda c: (-len(c), c[0]))
    x, y, row = -extent, extent * 1.3, 0.0
    for comp in rest:
        cell = 40.0 * math.sqrt(len(comp)) + 30.0
        if x + cell > extent:
            x, y, row = -extent, y + row, 0.0
        pos.update(_place_component(graph, comp, (x + cell / 2, y + cell / 2), cell / 2.5))
        x += cell
        row = max(row, cell)
    return {k: (round(v[0], 1), round(v[1], 1)) for k, v in pos.items()}


def _options(big: bool) -> dict[str, object]:
    physics: dict[str, object]
    if big:
        physics = {"enabled": False}
    else:
        physics = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "avoidOverlap": 0.2},
            "stabilization": {"enabled": True, "iterations": 400, "fit": True},
        }
    return {
        "autoResize": True,
        "nodes": {"font": {"face": _FONT, "size": 14}, "borderWidth": 1},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#a0a8b3", "highlight": "#d62728", "hover": "#555555"},
            "font": {"face": _FONT, "size": 10, "align": "middle", "color": "#555555"},
            "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.4},
        },
        "interaction": {"hover": True, "hideEdgesOnDrag": big, "tooltipDelay": 300},
        "physics": physics,
    }


def build_network(view: View, title: str = "newsgraph") -> Network:
    """A pyvis Network holding the view's nodes, edges and options (lists filled directly, O(n))."""
    big = len(view.nodes) > LAYOUT_THRESHOLD
    positions = _positions(view) if big else {}
    if big:
        log.info("precomputed layout for %d nodes; physics disabled", len(view.nodes))
    net = Network(height="100%", width="100%", directed=True, heading=title, cdn_resources="in_line")
    # add_node/add_edge scan the existing lists on every call; build the lists in one pass instead.
    net.nodes = [_vis_node(n, positions.get(n.id)) for n in view.nodes]
    net.node_ids = [n.id for n in view.nodes]
    net.edges = [
        {"id": f"e{i}", "from": e.source, "to": e.target, "label": e.relation}
        for i, e in enumerate(view.edges)
    ]
    net.options = _options(big)
    return net


def _legend(counts: Counter[str]) -> str:
    """The legend doubles as the type filter: one check-box per type (only our constants go in here)."""
    items = []
    for kind in NODE_TYPES:
        colour, shape = TYPE_STYLE[kind]
        items.append(
            f'<li data-type="{kind}"><label><input type="checkbox" class="ng-type" value="{kind}" checked>'
            f'<span class="ng-swatch ng-{shape}" style="background:{colour}"></span>'
            f"{TYPE_LABELS[kind]} <small>{kind} {counts.get(kind, 0)}</small></label></li>"
        )
    return '<ul id="ng-legend" aria-label="图例与类型筛选">' + "".join(items) + "</ul>"


def _shorten_ids(payload: dict[str, Any], short: dict[str, str]) -> None:
    """Replace node IRIs by short ids in the page data (a year of news repeats each IRI thousands of
    times); each panel keeps its IRI for display."""
    for node in payload["nodes"]:
        node["id"] = short[node["id"]]
    for edge in payload["edges"]:
        edge["from"], edge["to"] = short[edge["from"]], short[edge["to"]]
    for info in payload["edgeInfo"].values():
        info["from"], info["to"] = short[info["from"]], short[info["to"]]
    panels = {}
    for iri, panel in payload["panels"].items():
        panel["iri"] = iri
        for title in panel["titles"]:
            for key in ("personId", "orgId", "articleId"):
                if title.get(key):
                    title[key] = short.get(title[key], title[key])
        for item in (*panel["events"], *panel["articles"]):
            item["id"] = short.get(item["id"], item["id"])
        panels[short[iri]] = panel
    payload["panels"] = panels


def render_html(view: View, title: str = "newsgraph", select: str = "") -> str:
    """The complete offline HTML page (UTF-8) for `view`; data is embedded as escaped JSON.

    `select` is the IRI of a node the page opens on (selected, its panel shown)."""
    net = build_network(view, title)
    nodes, edges, _heading, _height, _width, _options_json = net.get_network_data()
    payload = {
        "nodes": nodes,
        "edges": edges,
        "options": net.options,
        "panels": {n.id: _panel(n) for n in view.nodes},
        "edgeInfo": {
            f"e{i}": {
                "relation": e.relation,
                "from": e.source,
                "to": e.target,
                "notes": list(e.notes),
                "evidence": _evidence_json(e, MAX_EDGE_QUOTES),
            }
            for i, e in enumerate(view.edges)
        },
        "timeline": _timeline(view),
    }
    short = {n.id: f"n{i}" for i, n in enumerate(view.nodes)}
    _shorten_ids(payload, short)
    payload["select"] = short.get(select, "")
    page = _PAGE.format(
        title=html.escape(title, quote=True),
        legend=_legend(Counter(n.type for n in view.nodes)),
        total=len(view.nodes),
        css=_CSS,
        data=_json_for_script(payload),
        script=_SCRIPT,
    )
    page = _offline(page)
    js, css = _vis_assets()
    # Inserted last so the offline filter never touches vendor code.
    return page.replace("/*@VIS_CSS@*/", css, 1).replace("/*@VIS_JS@*/", js, 1)


_CSS = """
html, body { margin: 0; height: 100%; font-family: system-ui, 'PingFang SC', 'Microsoft YaHei',
  'Noto Sans CJK SC', sans-serif; color: #222; }
body { display: flex; flex-direction: column; }
#ng-header { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 16px; padding: 8px 12px;
  border-bottom: 1px solid #ddd; background: #fafafa; }
#ng-header h1 { font-size: 18px; margin: 0; }
#ng-search-form { position: relative; display: flex; gap: 4px; }
#ng-search { width: 16em; padding: 4px 6px; }
#ng-results { position: absolute; top: 100%; left: 0; z-index: 10; margin: 2px 0 0; padding: 0;
  list-style: none; background: #fff; border: 1px solid #ccc; max-height: 60vh; overflow: auto;
  min-width: 16em; }
#ng-results:empty { display: none; }
#ng-results button { display: block; width: 100%; text-align: left; border: 0; background: none;
  padding: 4px 8px; cursor: pointer; }
#ng-results button:hover, #ng-results button:focus { background: #eef; }
#ng-legend { display: flex; flex-wrap: wrap; gap: 4px 12px; list-style: none; margin: 0; padding: 0;
  font-size: 13px; }
#ng-legend label { cursor: pointer; white-space: nowrap; }
#ng-legend input { margin: 0 3px 0 0; vertical-align: -2px; }
#ng-legend small { color: #888; }
.ng-swatch { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; }
.ng-dot { border-radius: 50%; }
.ng-triangle { clip-path: polygon(50% 0, 100% 100%, 0 100%); }
.ng-hexagon { clip-path: polygon(25% 0, 75% 0, 100% 50%, 75% 100%, 25% 100%, 0 50%); }
.ng-diamond { clip-path: polygon(50% 0, 100% 50%, 50% 100%, 0 50%); }
.ng-star { clip-path: polygon(50% 0, 61% 35%, 98% 35%, 68% 57%, 79% 91%, 50% 70%, 21% 91%, 32% 57%,
  2% 35%, 39% 35%); }
#ng-filters { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 10px; font-size: 13px; }
#ng-filters input[type=date] { font: inherit; padding: 1px 2px; }
#ng-timeline { display: flex; align-items: flex-end; gap: 6px; width: 100%; font-size: 12px; }
#ng-timeline[hidden] { display: none; }
#ng-bars { display: flex; align-items: flex-end; gap: 1px; height: 26px; flex: 0 1 auto; min-width: 0;
  overflow-x: auto; }
.ng-bar { flex: 0 1 12px; width: 12px; min-width: 2px; height: 100%; display: flex; align-items: flex-end;
  border: 0; padding: 0; margin: 0; background: none; }
button.ng-bar { cursor: pointer; }
.ng-fill { display: block; width: 100%; background: #b07aa1; }
span.ng-bar .ng-fill { background: #ddd; }
button.ng-bar:hover .ng-fill, button.ng-bar:focus .ng-fill { background: #7b4f73; }
.ng-bar.ng-on .ng-fill { background: #d62728; }
#ng-main { flex: 1; display: flex; min-height: 0; }
#ng-network { flex: 1; min-width: 0; height: 100%; }
#ng-panel { width: 360px; overflow: auto; border-left: 1px solid #ddd; padding: 8px 12px;
  font-size: 14px; background: #fff; }
#ng-panel h2 { font-size: 17px; margin: 4px 0; }
#ng-panel h3 { font-size: 14px; margin: 12px 0 4px; color: #555; }
#ng-panel ul { margin: 0; padding-left: 18px; }
#ng-panel li { margin: 3px 0; }
#ng-panel blockquote { margin: 3px 0 3px 4px; padding: 2px 8px; border-left: 3px solid #ccc; color: #333; }
#ng-panel dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 8px; margin: 4px 0; }
#ng-panel dt { color: #777; }
#ng-panel dd { margin: 0; }
#ng-panel mark { background: #ffe08a; color: inherit; padding: 0 1px; }
.ng-meta { color: #777; font-size: 12px; }
.ng-note { background: #fff4ce; padding: 4px 8px; margin: 4px 0; }
.ng-link { border: 0; background: none; padding: 0; color: #1a5fb4; cursor: pointer; text-align: left;
  font: inherit; }
.ng-link:hover { text-decoration: underline; }
"""

# Every string from the data reaches the DOM through textContent, text nodes or property assignment;
# nothing is parsed as HTML, so a headline holding markup stays text.
_SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("ng-data").textContent);
  var panels = data.panels;
  var ng = window.newsgraph = {firstDrawAt: null, stableAt: null};
  var visible = {};
  var adj = {};
  var ids = data.nodes.map(function (n) { visible[n.id] = true; adj[n.id] = []; return n.id; });
  data.edges.forEach(function (e) { adj[e.from].push(e.to); adj[e.to].push(e.from); });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var nodeView = new vis.DataView(nodes, {filter: function (n) { return visible[n.id] === true; }});
  var edgeView = new vis.DataView(edges, {filter: function (e) {
    return visible[e.from] === true && visible[e.to] === true;
  }});
  var network = new vis.Network(document.getElementById("ng-network"),
    {nodes: nodeView, edges: edgeView}, data.options);
  var panel = document.getElementById("ng-panel");
  ng.network = network;
  ng.nodes = nodes;
  ng.edges = edges;
  ng.visibleCount = function () { return nodeView.length; };
  ng.idOf = function (label) {
    for (var i = 0; i < ids.length; i++) { if (panels[ids[i]].label === label) { return ids[i]; } }
    return null;
  };

  function ready() {
    if (ng.stableAt !== null) { return; }
    ng.stableAt = performance.now();
    document.body.setAttribute("data-ready", "1");
    if (data.select) { focusNode(data.select); }
  }
  network.once("afterDrawing", function () {
    ng.firstDrawAt = performance.now();
    if (!data.options.physics.enabled) { ready(); }
  });
  if (data.options.physics.enabled) {
    // Freeze once laid out so the graph stops drifting while it is read, and keep the positions so
    // that nodes brought back by a filter return to where they were.
    network.once("stabilizationIterationsDone", function () {
      network.storePositions();
      network.setOptions({physics: {enabled: false}});
      network.once("afterDrawing", ready);
      network.redraw();
    });
  }
  network.on("dragEnd", function (params) {
    var pos = network.getPositions(params.nodes);
    nodes.update(params.nodes.map(function (id) { return {id: id, x: pos[id].x, y: pos[id].y}; }));
  });

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function clear(e) { while (e.firstChild) { e.removeChild(e.firstChild); } }
  function link(id, text) {
    if (!id || !panels[id]) { return el("span", text); }
    var b = el("button", text, "ng-link");
    b.type = "button";
    b.addEventListener("click", function () { focusNode(id); });
    return b;
  }
  function meta(parts) {
    return el("div", parts.filter(function (p) { return p; }).join(" · "), "ng-meta");
  }
  function list(title, items, render) {
    if (!items || !items.length) { return; }
    panel.appendChild(el("h3", title));
    var ul = el("ul");
    items.forEach(function (item) { var li = el("li"); render(li, item); ul.appendChild(li); });
    panel.appendChild(ul);
  }

  // Highlight the stated words (names, titles) inside a quote with <mark> elements built as DOM nodes.
  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  function marked(parent, text, terms) {
    var seen = {}, wanted = [];
    (terms || []).forEach(function (t) {
      if (t && t.length >= 2 && !seen[t] && text.indexOf(t) >= 0) { seen[t] = true; wanted.push(t); }
    });
    if (!wanted.length) { parent.textContent = text; return parent; }
    wanted.sort(function (a, b) { return b.length - a.length || (a < b ? -1 : a > b ? 1 : 0); });
    var re = new RegExp(wanted.map(escapeRe).join("|"), "g");
    var last = 0, m;
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) { parent.appendChild(document.createTextNode(text.slice(last, m.index))); }
      parent.appendChild(el("mark", m[0]));
      last = m.index + m[0].length;
    }
    if (last < text.length) { parent.appendChild(document.createTextNode(text.slice(last))); }
    return parent;
  }
  function quote(parent, text, terms) { parent.appendChild(marked(el("blockquote"), text, terms)); }
  function evidence(items, terms) {
    list("原文证据", items, function (li, ev) {
      quote(li, ev.quote, terms);
      li.appendChild(meta([ev.date, ev.headline]));
    });
  }
  var ROLE_KEYS = {"主持": 1, "讲话": 1, "率队": 1, "主办": 1, "出席": 1, "作者": 1, "通讯员": 1};
  function terms(p) {
    var t = [p.label];
    p.facts.forEach(function (f) {
      if (f[0] === "别名" || ROLE_KEYS[f[0]]) { t.push(f[1]); }
    });
    p.titles.forEach(function (x) { t.push(x.title, x.person, x.org); });
    return t;
  }

  function showNode(id) {
    var p = panels[id];
    if (!p) { return; }
    var words = terms(p);
    clear(panel);
    panel.appendChild(el("h2", p.label));
    panel.appendChild(meta([p.typeLabel, "关联 " + p.degree]));
    if (!visible[id]) {
      var note = el("div", "当前筛选隐藏了此节点。", "ng-note");
      var show = el("button", "显示全部并定位", "ng-link");
      show.type = "button";
      show.addEventListener("click", function () { resetFilters(); focusNode(id); });
      note.appendChild(show);
      panel.appendChild(note);
    }
    if (p.facts.length) {
      var dl = el("dl");
      p.facts.forEach(function (f) { dl.appendChild(el("dt", f[0])); dl.appendChild(el("dd", f[1])); });
      panel.appendChild(dl);
    }
    list("职务", p.titles, function (li, t) {
      li.appendChild(el("strong", t.title));
      if (p.type === "person" && t.org) {
        li.appendChild(el("span", " @ "));
        li.appendChild(link(t.orgId, t.org));
      }
      if (p.type !== "person") {
        li.appendChild(el("span", " — "));
        li.appendChild(link(t.personId, t.person));
      }
      li.appendChild(meta([t.date, t.headline]));
      t.quotes.forEach(function (q) { quote(li, q, [t.person, t.title, t.org]); });
    });
    list("活动", p.events, function (li, e) {
      li.appendChild(el("strong", e.role + " "));
      li.appendChild(link(e.id, e.name));
      li.appendChild(meta([e.date]));
    });
    list("相关报道", p.articles, function (li, a) {
      li.appendChild(link(a.id, a.headline));
      li.appendChild(meta([a.date, a.byline]));
    });
    evidence(p.evidence, words);
  }

  function showEdge(id) {
    var info = data.edgeInfo[id];
    if (!info) { return; }
    clear(panel);
    var from = panels[info.from], to = panels[info.to];
    var h = el("h2");
    h.appendChild(link(info.from, from ? from.label : info.from));
    h.appendChild(el("span", " → " + info.relation + " → "));
    h.appendChild(link(info.to, to ? to.label : info.to));
    panel.appendChild(h);
    if (info.notes.length) { panel.appendChild(el("div", info.notes.join("、"))); }
    var words = info.notes.slice();
    if (from) { words = words.concat(terms(from)); }
    if (to) { words = words.concat(terms(to)); }
    if (info.evidence.length) { evidence(info.evidence, words); }
    else { panel.appendChild(el("p", "无原文证据", "ng-meta")); }
  }

  function focusNode(id) {
    if (!panels[id]) { return; }
    showNode(id);
    if (!visible[id]) { network.unselectAll(); return; }
    network.selectNodes([id]);
    network.focus(id, {scale: 1.2, animation: {duration: 400, easingFunction: "easeInOutQuad"}});
  }
  ng.focusNode = focusNode;

  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
  });

  // -- filters: node types, date range, timeline ---------------------------------------------------
  var since = document.getElementById("ng-since");
  var until = document.getElementById("ng-until");
  var status = document.getElementById("ng-status");
  var typeBoxes = Array.prototype.slice.call(document.querySelectorAll("input.ng-type"));
  var dates = ids.map(function (id) { return panels[id].date || ""; }).filter(function (d) { return d; });
  dates.sort();
  if (dates.length) {
    since.min = until.min = dates[0];
    since.max = until.max = dates[dates.length - 1];
  } else {
    since.disabled = until.disabled = true;
  }

  function inRange(d, a, b) { return (!a || d >= a) && (!b || d <= b); }
  // A date range keeps the events and articles of those days and the undated nodes they touch.
  function applyFilters() {
    var on = {};
    typeBoxes.forEach(function (b) { on[b.value] = b.checked; });
    var a = since.value, b = until.value;
    var next = {};
    ids.forEach(function (id) {
      var p = panels[id];
      if (!a && !b) { if (on[p.type]) { next[id] = true; } return; }
      if (!p.date || !inRange(p.date, a, b)) { return; }
      if (on[p.type]) { next[id] = true; }
      adj[id].forEach(function (nb) {
        var q = panels[nb];
        if (!q.date && on[q.type]) { next[nb] = true; }
      });
    });
    visible = next;
    nodeView.refresh();
    edgeView.refresh();
    status.textContent = "显示 " + nodeView.length + " / " + ids.length + " 个节点";
    markTimeline(a, b);
  }
  function resetFilters() {
    since.value = "";
    until.value = "";
    typeBoxes.forEach(function (b) { b.checked = true; });
    applyFilters();
  }
  ng.applyFilters = applyFilters;
  ng.resetFilters = resetFilters;
  typeBoxes.forEach(function (b) { b.addEventListener("change", applyFilters); });
  since.addEventListener("change", applyFilters);
  until.addEventListener("change", applyFilters);
  document.getElementById("ng-reset").addEventListener("click", resetFilters);

  var timeline = document.getElementById("ng-timeline");
  var bins = data.timeline.bins;
  var bars = [];
  if (bins.length) {
    var most = bins.reduce(function (m, bin) { return Math.max(m, bin[3]); }, 1);
    var row = el("div");
    row.id = "ng-bars";
    bins.forEach(function (bin) {
      var label = bin[0] + "：" + bin[3] + " 个事件";
      var bar = el(bin[3] ? "button" : "span", null, "ng-bar");
      bar.title = label;
      bar.setAttribute("aria-label", label);
      var fill = el("span", null, "ng-fill");
      fill.style.height = (bin[3] ? 4 + Math.round(22 * bin[3] / most) : 1) + "px";
      bar.appendChild(fill);
      if (bin[3]) {
        bar.type = "button";
        bar.setAttribute("data-since", bin[1]);
        bar.addEventListener("click", function () {
          var again = since.value === bin[1] && until.value === bin[2];
          since.value = again ? "" : bin[1];
          until.value = again ? "" : bin[2];
          applyFilters();
        });
      }
      bars.push({el: bar, since: bin[1], until: bin[2]});
      row.appendChild(bar);
    });
    timeline.appendChild(el("span", "事件", "ng-meta"));
    timeline.appendChild(el("span", bins[0][0], "ng-meta"));
    timeline.appendChild(row);
    timeline.appendChild(el("span", bins[bins.length - 1][0], "ng-meta"));
  } else {
    timeline.hidden = true;
  }
  function markTimeline(a, b) {
    bars.forEach(function (x) {
      var on = Boolean(a || b) && (!a || x.since >= a) && (!b || x.until <= b);
      x.el.classList.toggle("ng-on", on);
    });
  }

  // -- search by Chinese, pinyin or initials -------------------------------------------------------
  var index = ids.map(function (id) {
    var p = panels[id];
    return {id: id, label: p.label, lower: p.label.toLowerCase(), py: p.py, ini: p.ini, degree: p.degree,
      typeLabel: p.typeLabel};
  });
  var input = document.getElementById("ng-search");
  var results = document.getElementById("ng-results");

  function search(text) {
    var q = text.trim().toLowerCase();
    var qp = q.replace(/[\s'’]/g, "");
    if (!q) { return []; }
    var found = [];
    index.forEach(function (n) {
      var score = -1;
      if (n.lower === q) { score = 0; }
      else if (qp && (n.py === qp || n.ini === qp)) { score = 1; }
      else if (n.lower.indexOf(q) === 0) { score = 2; }
      else if (n.lower.indexOf(q) > 0) { score = 3; }
      else if (qp && n.py.indexOf(qp) === 0) { score = 4; }
      else if (qp && n.ini.indexOf(qp) === 0) { score = 5; }
      else if (qp && n.py.indexOf(qp) > 0) { score = 6; }
      if (score >= 0) { found.push({n: n, score: score}); }
    });
    found.sort(function (a, b) {
      return a.score - b.score || b.n.degree - a.n.degree ||
        (a.n.label < b.n.label ? -1 : a.n.label > b.n.label ? 1 : 0);
    });
    return found.slice(0, 20).map(function (f) { return f.n; });
  }

  function showResults() {
    clear(results);
    search(input.value).forEach(function (n) {
      var li = el("li");
      var b = el("button", n.label + "（" + n.typeLabel + "）");
      b.type = "button";
      b.addEventListener("click", function () { clear(results); focusNode(n.id); });
      li.appendChild(b);
      results.appendChild(li);
    });
  }

  input.addEventListener("input", showResults);
  document.getElementById("ng-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var hits = search(input.value);
    clear(results);
    if (hits.length) { focusNode(hits[0].id); }
  });
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>/*@VIS_CSS@*/</style>
<style>{css}</style>
<script>/*@VIS_JS@*/</script>
</head>
<body>
<header id="ng-header">
<h1>{title}</h1>
<form id="ng-search-form" role="search" autocomplete="off">
<input id="ng-search" type="search" placeholder="搜索名称或拼音" aria-label="搜索名称或拼音">
<button type="submit">定位</button>
<ul id="ng-results"></ul>
</form>
{legend}
<div id="ng-filters" role="group" aria-label="日期筛选">
<label>从 <input type="date" id="ng-since"></label>
<label>到 <input type="date" id="ng-until"></label>
<button type="button" id="ng-reset">重置筛选</button>
<span id="ng-status" class="ng-meta" aria-live="polite">显示 {total} / {total} 个节点</span>
</div>
<div id="ng-timeline" aria-label="事件时间线：点击某天只看那天，再点一次恢复"></div>
</header>
<main id="ng-main">
<div id="ng-network"></div>
<aside id="ng-panel" aria-live="polite">
<p class="ng-meta">点击节点查看详情，点击连线查看原文证据。</p>
</aside>
</main>
<script type="application/json" id="ng-data">{data}</script>
<script>{script}</script>
</body>
</html>
"""
