"""Render a View as one self-contained, offline HTML page: the reporters' network of people,
organizations and places (graph/render/network.py), drawn by the vis-network that ships in pyvis.

The page's HTML, CSS and script are files in graph/render/templates, put together with Jinja2."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

import jinja2

from graph.render.network import (
    DRAWN_CAP,
    ENTITY_TYPES,
    MAX_DRAWN,
    OTHER_COLOUR,
    Network,
    fold,
    node_size,
)
from graph.render.view import NODE_TYPES, TYPE_LABELS, Edge, Node, View

TYPE_STYLE: dict[str, tuple[str, str]] = {
    "person": ("#e15759", "dot"),
    "organization": ("#4e79a7", "square"),
    "place": ("#59a14f", "triangle"),
    "project": ("#f28e2b", "hexagon"),
    "event": ("#b07aa1", "diamond"),
    "article": ("#9c755f", "star"),
}
"""Legend colour and vis-network shape per node type; entities are coloured by community on the page."""

LINK_KINDS: dict[str, str] = {
    "同场": "同场活动 {n} 次",
    "同报道": "同篇报道 {n} 篇",
    "采写": "采写报道 {n} 篇",
    "任职": "任职",
    "隶属": "隶属",
    "位于": "位于",
}
"""How the panel names each reason for a link; {n} is its count."""

NAME_KEYS: tuple[str, ...] = ("别名", "主持", "讲话", "率队", "主办", "出席", "作者", "通讯员")
"""Panel facts whose values are names, marked where a quote states them."""

PAGE_LIMITS: dict[str, int] = {
    "drawn": DRAWN_CAP,
    "items": 300,  # events and articles drawn for a time window or a selection
    "ego": 400,  # nodes in a selection's neighbourhood
    "egoNeighbours": 40,  # strongest links followed from each node of a selection
    "label": 16,  # characters of a drawn label
    "labelPx": 8,  # smallest label drawn, in screen pixels
    "communities": 12,
}

_FONT = "'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC',sans-serif"
_FONT_SIZE = 14
_VIS_DIR = "lib/vis-9.1.2"
_TEMPLATES = "graph.render.templates"

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
    js = _script_safe(js)
    css = re.sub(r"</(style)", r"\\3c/\1", css, flags=re.IGNORECASE)
    return js, css


def _offline(page: str) -> str:
    """Drop any tag that would fetch a script, stylesheet or frame from the network."""
    page = _REMOTE_SCRIPT_RE.sub("", page)
    return _REMOTE_TAG_RE.sub("", page)


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


def _timeline(network: Network) -> dict[str, object]:
    """Events per day (or per month), every day of the span included, as [label, since, until, count]."""
    counts = Counter(i.date for i in network.items if i.node.type == "event" and i.date)
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


def _options() -> dict[str, object]:
    """vis-network options: positions come from the page's data, so physics stays off."""
    return {
        "autoResize": True,
        "nodes": {"font": {"face": _FONT, "size": _FONT_SIZE}, "borderWidth": 1},
        "edges": {"smooth": False, "selectionWidth": 1.5},
        "interaction": {"hover": True, "hideEdgesOnDrag": True, "tooltipDelay": 300},
        "physics": {"enabled": False},
    }


def _page_data(network: Network) -> dict[str, Any]:
    """The page's JSON: entities, items, links, communities and panels, with short ids."""
    short: dict[str, str] = {}
    for entity in network.entities:
        short[entity.node.id] = f"n{len(short)}"
    for item in network.items:
        short[item.node.id] = f"n{len(short)}"
    panels = {}
    for node in (*(e.node for e in network.entities), *(i.node for i in network.items)):
        panel = _panel(node)
        panel["iri"] = node.id
        for title in panel["titles"]:
            for key in ("personId", "orgId", "articleId"):
                title[key] = short.get(title[key], "")
        for entry in (*panel["events"], *panel["articles"]):
            entry["id"] = short.get(entry["id"], "")
        panels[short[node.id]] = panel
    entities = [
        {
            "id": short[e.node.id],
            "label": e.node.label,
            "type": e.node.type,
            "py": e.node.pinyin.replace(" ", ""),
            "ini": e.node.initials,
            "m": e.mentions,
            "c": e.community,
            "size": node_size(e.mentions),
            "x": e.x,
            "y": e.y,
            "days": list(e.days),
        }
        for e in network.entities
    ]
    items = [
        {
            "id": short[i.node.id],
            "type": i.node.type,
            "label": i.label,
            "date": i.date,
            "size": 7 if i.node.type == "article" else 9,
            "entities": [short[e] for e in i.entities],
        }
        for i in network.items
    ]
    links = [
        {
            "a": short[link.source],
            "b": short[link.target],
            "w": link.weight,
            "kinds": [list(k) for k in link.kinds],
            "notes": list(link.notes),
            "items": [short[i] for i in link.items if i in short],
            "evidence": [{"quote": e.quote, "headline": e.headline, "date": e.date} for e in link.evidence],
        }
        for link in network.links
    ]
    communities = [
        {"index": c.index, "colour": c.colour, "name": c.name, "size": c.size, "centre": short[c.centre]}
        for c in network.communities
    ]
    return {
        "entities": entities,
        "items": items,
        "links": links,
        "communities": communities,
        "panels": panels,
        "timeline": _timeline(network),
        "options": _options(),
        "limits": PAGE_LIMITS,
        "shapes": {kind: shape for kind, (_, shape) in TYPE_STYLE.items()},
        "typeColours": {kind: colour for kind, (colour, _) in TYPE_STYLE.items()},
        "otherColour": OTHER_COLOUR,
        "linkKinds": LINK_KINDS,
        "nameKeys": list(NAME_KEYS),
        "select": "",
    }


@lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_asset),
        autoescape=True,
        keep_trailing_newline=True,
    )


def _script_safe(js: str) -> str:
    """Script text that cannot end its <script> element early."""
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def _asset(name: str) -> str:
    return resources.files(_TEMPLATES).joinpath(name).read_text(encoding="utf-8")


def render_html(
    view: View,
    title: str = "newsgraph",
    select: str = "",
    network: Network | None = None,
    max_drawn: int = MAX_DRAWN,
) -> str:
    """The complete offline HTML page (UTF-8) for `view`; data is embedded as escaped JSON.

    `select` is the IRI of a node the page opens on (selected, its neighbourhood shown)."""
    network = network or fold(view, max_drawn=max_drawn)
    payload = _page_data(network)
    payload["select"] = next(
        (e["id"] for e in payload["entities"] if payload["panels"][e["id"]]["iri"] == select), ""
    )
    if not payload["select"]:
        payload["select"] = next(
            (i["id"] for i in payload["items"] if payload["panels"][i["id"]]["iri"] == select), ""
        )
    counts = Counter(e.node.type for e in network.entities) + Counter(i.node.type for i in network.items)
    legend = [
        {
            "type": kind,
            "label": TYPE_LABELS[kind],
            "shape": TYPE_STYLE[kind][1],
            "colour": "#777777" if kind in ENTITY_TYPES else TYPE_STYLE[kind][0],
            "count": counts.get(kind, 0),
            "on": kind in ENTITY_TYPES,
        }
        for kind in NODE_TYPES
    ]
    js, css = _vis_assets()
    page = (
        _templates()
        .get_template("page.html")
        .render(
            title=title,
            legend=legend,
            css=_asset("page.css"),
            data=_json_for_script(payload),
            script=_script_safe(_asset("page.js")),
            vis_css="/*@VIS_CSS@*/",
            vis_js="/*@VIS_JS@*/",
        )
    )
    page = _offline(page)
    # Inserted last so the offline filter never touches vendor code.
    return page.replace("/*@VIS_CSS@*/", css, 1).replace("/*@VIS_JS@*/", js, 1)
