"""The network page in a real headless Chromium: offline, complete, searchable, filterable and inert."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph, Literal, Namespace
from rdflib.namespace import PROV, RDF

from graph.api import COUNTED_TYPES, BuildResult
from graph.rdf.vocab import NG, OA, ORG, SCHEMA
from graph.render.browser import CHROMIUM, LAUNCH_ARGS
from graph.render.page import render_page

READY = "window.newsgraph && window.newsgraph.stableAt !== null"
ID = Namespace("https://w3id.org/newsgraph/id/")

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright's Python package is not installed")
if shutil.which(CHROMIUM) is None:
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


class Tab:
    """A page whose non-file requests are blocked and recorded, with its console errors and dialogs."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.route(lambda url: not url.startswith("file:"), self._block)
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda err: self.errors.append(str(err)))
        page.on("dialog", self._dialog)

    def _block(self, route: Any) -> None:
        self.blocked.append(route.request.url)
        route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path) -> Any:
        self.page.goto(path.as_uri(), wait_until="load")
        self.page.wait_for_function(READY, timeout=30_000)
        return self.page

    def search(self, text: str) -> None:
        self.page.fill("#ng-search", text)
        self.page.press("#ng-search", "Enter")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=list(LAUNCH_ARGS))
        yield launched
        launched.close()


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    t = Tab(context.new_page())
    yield t
    context.close()
    assert t.blocked == [], f"the page tried to reach the network: {t.blocked}"


@pytest.fixture(scope="module")
def seed_page(seed_build: tuple[BuildResult, Path]) -> Path:
    return seed_build[1] / "graph.html"


def _containers(result: BuildResult) -> set[object]:
    """Divisions drawn for the hierarchy though no article names them (the province of a named city)."""
    areas = set(result.triples.subjects(RDF.type, SCHEMA.AdministrativeArea))
    return areas - set(result.triples.subjects(RDF.type, SCHEMA.Place))


def _entity_count(result: BuildResult) -> int:
    counted = {s for t in COUNTED_TYPES.values() for s in result.triples.subjects(RDF.type, t)}
    return len(counted | _containers(result))


def test_seed_page_loads_offline_with_every_entity(
    tab: Tab, seed_page: Path, seed_build: tuple[BuildResult, Path]
) -> None:
    page = tab.open(seed_page)
    expected = _entity_count(seed_build[0])
    assert expected == sum(seed_build[0].counts.values()) + len(_containers(seed_build[0])) > 0
    assert page.evaluate("newsgraph.nodes.length") == expected
    assert page.evaluate("newsgraph.visibleCount()") == expected
    assert page.evaluate("newsgraph.network.body.nodeIndices.length") == expected
    assert page.inner_text("#ng-status") == f"显示 {expected} / {expected} 个节点"
    assert tab.errors == [] and tab.dialogs == []


def test_search_selects_the_node_and_the_panel_marks_the_evidence(tab: Tab, seed_page: Path) -> None:
    page = tab.open(seed_page)
    tab.search("曹慧泉")
    node = page.evaluate("newsgraph.idOf('曹慧泉')")
    assert node and page.evaluate("newsgraph.network.getSelectedNodes()") == [node]
    assert page.inner_text("#ng-panel h2") == "曹慧泉"
    panel = page.inner_text("#ng-panel")
    assert "市委书记曹慧泉" in panel and "原文证据" in panel and "活动" in panel
    marks = page.eval_on_selector_all("#ng-panel blockquote mark", "ms => ms.map(m => m.textContent)")
    assert "曹慧泉" in marks and "市委书记" in marks
    # pinyin and initials find the same person
    for query in ("caohuiquan", "chq"):
        page.fill("#ng-search", query)
        assert "曹慧泉（人物）" in page.inner_text("#ng-results")
    assert tab.errors == []


def test_timeline_dates_and_type_boxes_filter_the_graph(tab: Tab, seed_page: Path) -> None:
    page = tab.open(seed_page)
    total = page.evaluate("newsgraph.nodes.length")
    days = page.eval_on_selector_all("#ng-bars button", "bs => bs.map(b => b.dataset.since)")
    assert days == sorted(days) and len(days) >= 2
    page.click(f'#ng-bars button[data-since="{days[0]}"]')
    one_day = page.evaluate("newsgraph.visibleCount()")
    assert 0 < one_day < total
    assert page.input_value("#ng-since") == page.input_value("#ng-until") == days[0]
    page.click(f'#ng-bars button[data-since="{days[0]}"]')  # again: back to all dates
    assert page.evaluate("newsgraph.visibleCount()") == total
    articles = page.evaluate("newsgraph.nodes.get().filter(n => n.shape === 'star').length")
    assert articles > 0
    page.uncheck('input.ng-type[value="article"]')
    assert page.evaluate("newsgraph.visibleCount()") == total - articles
    tab.search("曹慧泉")  # a visible node is still found while a type is hidden
    assert page.evaluate("newsgraph.network.getSelectedNodes()") == [
        page.evaluate("newsgraph.idOf('曹慧泉')")
    ]
    page.click("#ng-reset")
    assert page.evaluate("newsgraph.visibleCount()") == total
    assert tab.errors == []


XSS_PERSON = '<script>alert("person")</script>'
XSS_HEADLINE = "<img src=x onerror=\"alert('headline')\">"
XSS_ORG = "javascript:alert('org')"


def _xss_graph() -> Graph:
    g = Graph()
    article, person, org, event, membership = (
        ID["article-x"],
        ID["person-x"],
        ID["org-x"],
        ID["event-x"],
        ID["membership-x"],
    )
    g.add((article, RDF.type, SCHEMA.NewsArticle))
    g.add((article, SCHEMA.headline, Literal(XSS_HEADLINE, lang="zh")))
    g.add((article, SCHEMA.datePublished, Literal(dt.date(2022, 12, 7))))
    g.add((person, RDF.type, SCHEMA.Person))
    g.add((person, SCHEMA.name, Literal(XSS_PERSON, lang="zh")))
    g.add((org, RDF.type, SCHEMA.Organization))
    g.add((org, SCHEMA.name, Literal(XSS_ORG, lang="zh")))
    g.add((event, RDF.type, SCHEMA.Event))
    g.add((event, SCHEMA.name, Literal("专题会议<b>", lang="zh")))
    g.add((event, SCHEMA.startDate, Literal(dt.date(2022, 12, 5))))
    g.add((event, NG.chair, person))
    for entity in (person, org, event):
        g.add((article, SCHEMA.mentions, entity))
    g.add((membership, RDF.type, ORG.Membership))
    g.add((membership, ORG.member, person))
    g.add((membership, ORG.organization, org))
    g.add((membership, NG.title, Literal("市委书记", lang="zh")))
    g.add((membership, PROV.wasDerivedFrom, article))
    ev = BNode()
    g.add((ev, OA.hasSource, article))
    g.add((ev, OA.exact, Literal(f"市委书记{XSS_PERSON}{XSS_HEADLINE}")))
    g.add((membership, NG.evidence, ev))
    g.add((event, PROV.wasDerivedFrom, article))
    g.add((event, NG.evidence, ev))
    return g


def test_markup_from_articles_stays_text_in_the_browser(tab: Tab, tmp_path: Path) -> None:
    path = tmp_path / "xss.html"
    path.write_text(render_page(_xss_graph(), title='<img src=x onerror="alert(1)">'), encoding="utf-8")
    page = tab.open(path)
    for label in (XSS_PERSON, XSS_HEADLINE, XSS_ORG):
        node = page.evaluate("label => newsgraph.idOf(label)", label)
        assert node, label
        page.evaluate("id => newsgraph.focusNode(id)", node)
        assert page.inner_text("#ng-panel h2") == label
        assert label in page.inner_text("#ng-panel")
    page.evaluate("id => newsgraph.focusNode(id)", page.evaluate(f"newsgraph.idOf({XSS_PERSON!r})"))
    quote = page.inner_text("#ng-panel blockquote")
    assert quote == f"市委书记{XSS_PERSON}{XSS_HEADLINE}"
    first_marks = "b => Array.from(b.querySelectorAll('mark')).map(m => m.textContent)"
    assert page.eval_on_selector("#ng-panel blockquote", first_marks) == [
        "市委书记",
        XSS_PERSON,
    ]
    page.fill("#ng-search", "<script")
    assert XSS_PERSON in page.inner_text("#ng-results")
    # Links in the panel are buttons; none carries a javascript: URL.
    page.click("#ng-panel .ng-link >> nth=0")
    assert page.title() == '<img src=x onerror="alert(1)">'
    assert page.evaluate("document.querySelectorAll('img, #ng-panel script, #ng-panel b').length") == 0
    assert page.evaluate("document.querySelectorAll('a[href^=\"javascript\"]').length") == 0
    assert tab.dialogs == [] and tab.errors == []


def test_clicking_an_edge_shows_its_evidence(tab: Tab, tmp_path: Path) -> None:
    path = tmp_path / "edge.html"
    path.write_text(render_page(_xss_graph()), encoding="utf-8")
    page = tab.open(path)
    person = page.evaluate(f"newsgraph.idOf({XSS_PERSON!r})")
    event = page.evaluate("newsgraph.idOf('专题会议<b>')")
    edge = page.evaluate(
        "([a, b]) => newsgraph.edges.get().find(e => e.from === a && e.to === b).id", [person, event]
    )
    # Click the middle of the (curved) edge on the canvas, as a reader would.
    point = page.evaluate(
        """id => {
          const net = newsgraph.network, mid = net.body.edges[id].edgeType.getPoint(0.5);
          const dom = net.canvasToDOM(mid);
          const box = document.getElementById('ng-network').getBoundingClientRect();
          return [box.left + dom.x, box.top + dom.y];
        }""",
        edge,
    )
    page.mouse.click(*point)
    heading = page.inner_text("#ng-panel h2")
    assert "主持" in heading, (heading, edge)
    assert f"市委书记{XSS_PERSON}{XSS_HEADLINE}" in page.inner_text("#ng-panel")
    assert tab.dialogs == [] and tab.errors == []
