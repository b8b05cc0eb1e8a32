"""Tests for the network view model and the offline HTML page."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF

from graph.rdf.vocab import NG, OA, ORG, SCHEMA
from graph.render.html import render_html
from graph.render.network import MAX_DRAWN
from graph.render.view import NODE_TYPES, TYPE_LABELS, View, build_view

ID = Namespace("https://w3id.org/newsgraph/id/")

XSS_PERSON = "<script>alert(1)</script>"
XSS_HEADLINE = "<img src=x onerror=alert(1)>"
XSS_ORG = "javascript:alert(1)"


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _evidence(g: Graph, article: URIRef, exact: str, start: int) -> BNode:
    ev = BNode()
    g.add((ev, RDF.type, NG.Evidence))
    g.add((ev, OA.hasSource, article))
    g.add((ev, OA.exact, Literal(exact)))
    g.add((ev, OA.start, Literal(start)))
    g.add((ev, OA.end, Literal(start + len(exact))))
    return ev


def small_graph(
    person2: str = "王五", headline: str = "曹慧泉主持召开书记专题会议", org: str = "中共株洲市委"
) -> Graph:
    """2 persons, 1 organization, 1 membership with evidence, 1 event (chair + attendee), 1 article."""
    g = Graph()
    article, cao, wang = ID["article-1"], ID["person-cao"], ID["person-wang"]
    shiwei, event, membership = ID["org-shiwei"], ID["event-1"], ID["membership-1"]
    body = "12月5日下午,市委书记曹慧泉主持召开书记专题会议,王五出席。"
    g.add((article, RDF.type, SCHEMA.NewsArticle))
    g.add((article, SCHEMA.headline, _zh(headline)))
    g.add((article, SCHEMA.datePublished, Literal(dt.date(2022, 12, 7))))
    g.add((article, SCHEMA.articleBody, _zh(body)))
    g.add((article, SCHEMA.author, wang))
    for entity in (cao, shiwei, event):
        g.add((article, SCHEMA.mentions, entity))
    g.add((cao, RDF.type, SCHEMA.Person))
    g.add((cao, SCHEMA.name, _zh("曹慧泉")))
    g.add((wang, RDF.type, SCHEMA.Person))
    g.add((wang, SCHEMA.name, _zh(person2)))
    g.add((shiwei, RDF.type, SCHEMA.Organization))
    g.add((shiwei, SCHEMA.name, _zh(org)))
    g.add((membership, RDF.type, ORG.Membership))
    g.add((membership, ORG.member, cao))
    g.add((membership, ORG.organization, shiwei))
    g.add((membership, NG.title, _zh("市委书记")))
    g.add((membership, PROV.wasDerivedFrom, article))
    g.add((membership, NG.evidence, _evidence(g, article, "市委书记曹慧泉", 8)))
    g.add((event, RDF.type, SCHEMA.Event))
    g.add((event, SCHEMA.name, _zh("书记专题会议")))
    g.add((event, SCHEMA.startDate, Literal(dt.date(2022, 12, 5))))
    g.add((event, NG.chair, cao))
    g.add((event, SCHEMA.attendee, cao))
    g.add((event, SCHEMA.attendee, wang))
    g.add((event, PROV.wasDerivedFrom, article))
    g.add((event, NG.evidence, _evidence(g, article, "市委书记曹慧泉主持召开书记专题会议", 8)))
    return g


def _entity_count(g: Graph) -> int:
    kinds = (
        SCHEMA.Person,
        SCHEMA.Organization,
        SCHEMA.Place,
        SCHEMA.Project,
        SCHEMA.Event,
        SCHEMA.NewsArticle,
    )
    return len({s for kind in kinds for s in g.subjects(RDF.type, kind)})


def _payload(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="ng-data">(.*?)</script>', page, re.DOTALL)
    assert match is not None
    return json.loads(match.group(1))


def test_view_nodes_and_edges() -> None:
    g = small_graph()
    view = build_view(g)
    assert len(view.nodes) == _entity_count(g) == 5
    relations = {e.relation for e in view.edges}
    assert {"主持", "任职", "出席", "报道", "作者"} <= relations
    by_label = {n.label: n for n in view.nodes}
    cao = by_label["曹慧泉"]
    assert cao.type == "person"
    assert cao.pinyin == "cao hui quan" and cao.initials == "chq"
    assert cao.degree == sum(cao.id in (e.source, e.target) for e in view.edges)
    # The chair is also schema:attendee; only the specific role is drawn.
    assert [e.role for e in cao.events] == ["主持"]
    assert [e.role for e in by_label["王五"].events] == ["出席"]
    (title,) = cao.titles
    assert (title.title, title.organization_name, title.date) == ("市委书记", "中共株洲市委", "2022-12-07")
    assert title.headline == "曹慧泉主持召开书记专题会议" and title.quotes == ("市委书记曹慧泉",)
    (membership,) = [e for e in view.edges if e.relation == "任职"]
    assert (membership.source, membership.target) == (cao.id, by_label["中共株洲市委"].id)
    assert [ev.quote for ev in membership.evidence] == ["市委书记曹慧泉"]
    assert membership.notes == ("市委书记",)
    (chair,) = [e for e in view.edges if e.relation == "主持"]
    assert chair.evidence[0].quote == "市委书记曹慧泉主持召开书记专题会议"
    article = by_label["曹慧泉主持召开书记专题会议"]
    assert ("作者", "王五") in article.facts and ("日期", "2022-12-07") in article.facts
    assert by_label["王五"].articles[0].byline == "王五"


def test_membership_without_organization_links_to_article() -> None:
    g = small_graph()
    g.remove((ID["membership-1"], ORG.organization, None))
    view = build_view(g)
    relations = {e.relation for e in view.edges}
    assert "任职" not in relations and "职务" in relations
    assert view.node(str(ID["person-cao"])).titles[0].title == "市委书记"  # type: ignore[union-attr]


def test_view_is_deterministic() -> None:
    assert build_view(small_graph()) == build_view(small_graph())
    view = build_view(small_graph())
    assert list(view.edges) == sorted(view.edges, key=lambda e: (e.source, e.target, e.relation))


def test_html_is_offline_with_legend() -> None:
    page = render_html(build_view(small_graph()), title="株洲日报")
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert 'src="http' not in page and 'href="http' not in page
    assert "cdn" not in page
    assert "new vis.Network" in page and "vis-network" in page  # the library is inlined
    assert 'id="ng-legend"' in page
    for kind in NODE_TYPES:
        assert TYPE_LABELS[kind] in page
    assert 'id="ng-search"' in page and 'id="ng-panel"' in page
    data = _payload(page)
    # persons and organizations are nodes; the event and the article are items folded into links
    assert sorted(e["label"] for e in data["entities"]) == ["中共株洲市委", "曹慧泉", "王五"]
    assert sorted(i["type"] for i in data["items"]) == ["article", "event"]
    label = {e["id"]: e["label"] for e in data["entities"]}
    kinds = {frozenset((label[x["a"]], label[x["b"]])): dict(x["kinds"]) for x in data["links"]}
    assert kinds[frozenset(("曹慧泉", "中共株洲市委"))] == {"任职": 1, "同报道": 1}
    assert kinds[frozenset(("曹慧泉", "王五"))] == {"同场": 1, "采写": 1}
    assert data["options"]["physics"]["enabled"] is False
    assert all(e["x"] is not None for e in data["entities"])  # all three are drawn, laid out
    sizes = {e["label"]: e["size"] for e in data["entities"]}
    assert sizes["曹慧泉"] > sizes["中共株洲市委"]
    event = next(i for i in data["items"] if i["type"] == "event")
    assert event["label"] == "12-05 书记专题会议 · 曹慧泉"


def test_html_escapes_data() -> None:
    g = small_graph(person2=XSS_PERSON, headline=XSS_HEADLINE, org=XSS_ORG)
    page = render_html(build_view(g), title="<b>t</b>")
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "</script>alert" not in page
    assert "<b>t</b>" not in page
    # javascript: only ever appears as JSON data, never as an attribute value.
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*javascript:""", page, re.IGNORECASE)
    assert "innerHTML" not in page.split('id="ng-data"')[1]
    data = _payload(page)
    labels = {p["label"] for p in data["panels"].values()}
    assert {XSS_PERSON, XSS_HEADLINE, XSS_ORG} <= labels


def test_json_escapes_line_separators() -> None:
    page = render_html(build_view(small_graph(person2="甲\u2028乙\u2029丙&")), title="t")
    data_text = page.split('id="ng-data">')[1].split("</script>")[0]
    assert "\u2028" not in data_text and "\u2029" not in data_text and "&" not in data_text
    assert "甲\u2028乙\u2029丙&" in {p["label"] for p in _payload(page)["panels"].values()}


def test_render_is_deterministic() -> None:
    assert render_html(build_view(small_graph())) == render_html(build_view(small_graph()))


def _big_graph(n_people: int) -> Graph:
    g = Graph()
    orgs = [ID[f"org-{i}"] for i in range(20)]
    for i, org in enumerate(orgs):
        g.add((org, RDF.type, SCHEMA.Organization))
        g.add((org, SCHEMA.name, _zh(f"机构{i}")))
    for i in range(n_people):
        person = ID[f"person-{i}"]
        g.add((person, RDF.type, SCHEMA.Person))
        g.add((person, SCHEMA.name, _zh(f"人物{i}")))
        if i % 7:  # leave some people unconnected
            m = ID[f"membership-{i}"]
            g.add((m, RDF.type, ORG.Membership))
            g.add((m, ORG.member, person))
            g.add((m, ORG.organization, orgs[i % len(orgs)]))
            g.add((m, NG.title, _zh("主任")))
    return g


def test_a_large_graph_draws_its_most_mentioned_and_keeps_the_rest_searchable() -> None:
    view = build_view(_big_graph(1980))
    data = _payload(render_html(view))
    assert len(data["entities"]) == 2000 == len(view.nodes)
    drawn = [e for e in data["entities"] if e["x"] is not None]
    assert len(drawn) == MAX_DRAWN
    # the organizations hold every post, so all 20 are drawn
    assert sum(e["type"] == "organization" for e in drawn) == 20
    assert len({(e["x"], e["y"]) for e in drawn}) > 0.9 * len(drawn)
    assert all(data["panels"][e["id"]]["label"] == e["label"] for e in data["entities"])


def test_empty_graph_renders() -> None:
    view = build_view(Graph())
    assert view == View(nodes=(), edges=())
    assert "<!DOCTYPE html>" in render_html(view)


def test_nodes_carry_their_day() -> None:
    view = build_view(small_graph())
    dates = {n.label: n.date for n in view.nodes}
    assert dates["书记专题会议"] == "2022-12-05" and dates["曹慧泉主持召开书记专题会议"] == "2022-12-07"
    assert dates["曹慧泉"] == ""


def test_timeline_counts_events_per_day_and_per_month() -> None:
    page = render_html(build_view(small_graph()))
    assert _payload(page)["timeline"] == {
        "unit": "day",
        "bins": [["2022-12-05", "2022-12-05", "2022-12-05", 1]],
    }
    g = small_graph()
    later = ID["event-2"]
    g.add((later, RDF.type, SCHEMA.Event))
    g.add((later, SCHEMA.name, _zh("座谈会")))
    g.add((later, SCHEMA.startDate, Literal(dt.date(2024, 2, 1))))
    bins = _payload(render_html(build_view(g)))["timeline"]
    assert bins["unit"] == "month" and len(bins["bins"]) == 15
    assert bins["bins"][0] == ["2022-12", "2022-12-01", "2022-12-31", 1]
    assert bins["bins"][-1] == ["2024-02", "2024-02-01", "2024-02-29", 1]
    assert sum(b[3] for b in bins["bins"]) == 2


def test_page_never_uses_pyvis_file_writers_or_cdn(monkeypatch: pytest.MonkeyPatch) -> None:
    from pyvis.network import Network

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pyvis must not write or template the page")

    for name in ("write_html", "generate_html", "save_graph", "show"):
        monkeypatch.setattr(Network, name, refuse)
    page = render_html(build_view(small_graph()))
    # pyvis's in_line template links bootstrap from jsdelivr
    assert "bootstrap.min" not in page and "jsdelivr" not in page and "cdn" not in page
    assert page.encode("utf-8").decode("utf-8") == page


_SOURCE_BEFORE_URL = r"""(?:src|href|action)\s*=\s*["']?\s*$|url\(\s*["']?\s*$|@import\s*["']?\s*$"""


def test_seed_page_has_no_remote_script_or_style_source(seed_build) -> None:  # type: ignore[no-untyped-def]
    page = (seed_build[1] / "graph.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in page
    # Like `grep -E 'https?://' graph.html`: URLs appear only inside vendor comments, licences and the
    # SVG namespace, never as a source.
    for match in re.finditer(r"https?://", page):
        before = page[max(0, match.start() - 40) : match.start()]
        assert not re.search(_SOURCE_BEFORE_URL, before), page[match.start() - 40 : match.end() + 40]
    assert not re.search(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=", page, re.IGNORECASE)


def test_focus_keeps_the_ego_network() -> None:
    from graph.render.page import PageOptions, filter_view

    view = build_view(small_graph())
    one = filter_view(view, PageOptions(focus="曹慧泉", hops=1))
    labels = {n.label for n in one.nodes}
    assert labels == {"曹慧泉", "中共株洲市委", "书记专题会议", "曹慧泉主持召开书记专题会议"}
    assert all(
        e.source in {n.id for n in one.nodes} and e.target in {n.id for n in one.nodes} for e in one.edges
    )
    cao = next(n for n in one.nodes if n.label == "曹慧泉")
    assert cao.degree == sum(cao.id in (e.source, e.target) for e in one.edges)
    two = filter_view(view, PageOptions(focus="caohuiquan"))  # pinyin, default 2 hops
    assert "王五" in {n.label for n in two.nodes}
    assert {n.label for n in filter_view(view, PageOptions(focus="慧泉", hops=0)).nodes} == {"曹慧泉"}


def test_types_and_dates_filter_the_view() -> None:
    from graph.errors import NewsgraphError
    from graph.render.page import PageOptions, filter_view

    view = build_view(small_graph())
    people = filter_view(view, PageOptions(types=("person",)))
    assert {n.type for n in people.nodes} == {"person"} and len(people.nodes) == 2
    on_day = filter_view(view, PageOptions(since="2022-12-05", until="2022-12-05"))
    # the day's event and what it touches; the article of 12-07 is out of range
    assert {n.label for n in on_day.nodes} == {"书记专题会议", "曹慧泉", "王五"}
    assert filter_view(view, PageOptions(since="2023-01-01")).nodes == ()
    for bad in (
        {"types": ("people",)},
        {"since": "yesterday"},
        {"since": "2022-12-06", "until": "2022-12-05"},
        {"hops": -1},
    ):
        with pytest.raises(NewsgraphError):
            PageOptions(**bad)  # type: ignore[arg-type]
    with pytest.raises(NewsgraphError, match="no node named"):
        filter_view(view, PageOptions(focus="张三"))


def test_render_page_with_options_is_deterministic_and_opens_on_the_focus() -> None:
    from graph.render.page import PageOptions, render_page

    options = PageOptions(focus="曹慧泉", hops=1)
    page = render_page(small_graph(), "t", options)
    assert page == render_page(small_graph(), "t", options)
    data = _payload(page)
    assert data["panels"][data["select"]]["label"] == "曹慧泉"
    assert _payload(render_page(small_graph()))["select"] == ""


def test_cli_render_writes_the_page(tmp_path, seed_build) -> None:  # type: ignore[no-untyped-def]
    from graph.cli import main

    ttl = seed_build[1] / "graph.ttl"
    out = tmp_path / "page.html"
    assert main(["render", str(ttl), "-o", str(out), "-q"]) == 0
    data = _payload(out.read_text(encoding="utf-8"))
    # every counted entity, and the divisions that only contain named places (drawn for the hierarchy)
    triples = seed_build[0].triples
    containers = set(triples.subjects(RDF.type, SCHEMA.AdministrativeArea)) - set(
        triples.subjects(RDF.type, SCHEMA.Place)
    )
    entity_types = ("persons", "organizations", "places")
    counted = sum(n for kind, n in seed_build[0].counts.items() if kind in entity_types)
    assert len(data["entities"]) == counted + len(containers)
    assert out.read_bytes() == (seed_build[1] / "graph.html").read_bytes()  # same code as build
    focused = tmp_path / "cao.html"
    args = ["render", str(ttl), "-o", str(focused), "--focus", "曹慧泉", "--hops", "1", "-q"]
    assert main([*args, "--types", "person,organization,event,article", "--since", "2022-12-01"]) == 0
    small = _payload(focused.read_text(encoding="utf-8"))
    assert 1 < len(small["entities"]) < len(data["entities"])
    assert main(["render", str(ttl), "-o", str(focused), "--focus", "不存在的人", "-q"]) == 1


def test_a_view_of_chosen_nodes_equals_that_part_of_the_whole_view(seed_build) -> None:  # type: ignore[no-untyped-def]
    from graph.render.page import subview

    result, _ = seed_build
    whole = build_view(result.graph)
    people = sorted(n.id for n in whole.nodes if n.type == "person")[:12]
    shown = {*people, *(e.target for e in whole.edges if e.source in people)}
    part = subview(whole, shown)
    assert len(part.edges) > len(people) and any(n.degree for n in part.nodes)
    assert build_view(result.graph, shown=shown) == part


# -- the reporters' network: folding, communities, layout, labels -------------------------------------


def _meeting_graph(groups: list[list[str]], bridge: tuple[str, str] | None = None) -> Graph:
    """One event per group, attended by its persons, on successive days; `bridge` meet once more."""
    g = Graph()
    meetings = [*groups, list(bridge)] if bridge else groups
    for i, people in enumerate(meetings):
        event = ID[f"event-{i}"]
        g.add((event, RDF.type, SCHEMA.Event))
        g.add((event, SCHEMA.name, _zh("座谈会")))
        g.add((event, SCHEMA.startDate, Literal(dt.date(2022, 12, 1 + i))))
        for name in people:
            person = ID[f"person-{name}"]
            g.add((person, RDF.type, SCHEMA.Person))
            g.add((person, SCHEMA.name, _zh(name)))
            g.add((event, SCHEMA.attendee, person))
    return g


def test_fold_makes_shared_events_and_articles_into_weighted_links() -> None:
    from graph.render.network import CROWDED_ARTICLE, fold

    g = _meeting_graph([["甲一", "乙二", "丙三"], ["甲一", "乙二"]])
    crowd = ID["article-crowd"]
    g.add((crowd, RDF.type, SCHEMA.NewsArticle))
    g.add((crowd, SCHEMA.headline, _zh("名单")))
    for i in range(CROWDED_ARTICLE + 1):
        person = ID[f"person-crowd-{i}"]
        g.add((person, RDF.type, SCHEMA.Person))
        g.add((person, SCHEMA.name, _zh(f"名单{i}")))
        g.add((crowd, SCHEMA.mentions, person))
    network = fold(build_view(g))
    label = {e.node.id: e.node.label for e in network.entities}
    links = {frozenset((label[x.source], label[x.target])): dict(x.kinds) for x in network.links}
    assert links[frozenset(("甲一", "乙二"))] == {"同场": 2}
    assert links[frozenset(("甲一", "丙三"))] == {"同场": 1}
    # a list of 13 names ties none of them to another
    assert not any(name.startswith("名单") for pair in links for name in pair)
    assert {i.node.type for i in network.items} == {"event", "article"}


def test_communities_are_named_by_their_members_and_laid_out_apart() -> None:
    from graph.render.network import fold

    left, right = ["左一", "左二", "左三", "左四"], ["右一", "右二", "右三", "右四"]
    g = _meeting_graph([left, left[:2], right, right[:2]], bridge=("左一", "右一"))
    first, again = fold(build_view(g)), fold(build_view(g))
    assert first == again  # the same graph gives the same communities and positions
    names = {c.name.split("、")[0][0] for c in first.communities}
    assert names == {"左", "右"} and all(c.size == 4 for c in first.communities)
    side = {e.node.label: e for e in first.entities}
    assert len({side[n].community for n in left}) == 1 != side["右一"].community

    def centre(group: list[str]) -> tuple[float, float]:
        xs = [side[n].x for n in group]
        ys = [side[n].y for n in group]
        return sum(xs) / 4, sum(ys) / 4  # type: ignore[arg-type]

    (lx, ly), (rx, ry) = centre(left), centre(right)
    spread = max(abs(side[n].x - lx) + abs(side[n].y - ly) for n in left)  # type: ignore[operator]
    assert abs(lx - rx) + abs(ly - ry) > spread


def test_event_labels_say_when_what_and_who() -> None:
    from graph.render.network import event_label, item_day

    view = build_view(small_graph())
    event = next(n for n in view.nodes if n.type == "event")
    assert event_label(event) == "12-05 书记专题会议 · 曹慧泉"
    assert event_label(event, with_year=True) == "2022-12-05 书记专题会议 · 曹慧泉"
    g = small_graph()
    g.remove((ID["event-1"], SCHEMA.startDate, None))
    undated = next(n for n in build_view(g).nodes if n.type == "event")
    # no day in the text: the day of the article that reports it
    assert item_day(undated) == "2022-12-07" and event_label(undated).startswith("12-07 ")
