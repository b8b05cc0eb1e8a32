"""The network page in a real headless Chromium: offline, complete, searchable, filterable and inert."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph, Literal, Namespace
from rdflib.namespace import PROV, RDF

from graph.api import BuildResult
from graph.rdf.vocab import NG, OA, ORG, SCHEMA
from graph.render.browser import CHROMIUM, LAUNCH_ARGS
from graph.render.page import render_page

ROOT = Path(__file__).resolve().parents[1]
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
    kinds = (SCHEMA.Person, SCHEMA.Organization, SCHEMA.Place)
    counted = {s for t in kinds for s in result.triples.subjects(RDF.type, t)}
    return len(counted | _containers(result))


def test_seed_page_draws_every_person_organization_and_place(
    tab: Tab, seed_page: Path, seed_build: tuple[BuildResult, Path]
) -> None:
    page = tab.open(seed_page)
    expected = _entity_count(seed_build[0])
    assert expected > 50
    assert page.evaluate("newsgraph.data.entities.length") == expected
    assert page.evaluate("newsgraph.visibleCount()") == expected
    assert page.evaluate("newsgraph.network.body.nodeIndices.length") == expected
    assert page.inner_text("#ng-status").startswith(f"显示 {expected} 个节点")
    # the communities' legend names each by its members
    assert page.eval_on_selector_all("#ng-communities li", "ls => ls.length") >= 3
    assert tab.errors == [] and tab.dialogs == []


def test_search_selects_the_node_and_the_panel_marks_the_evidence(tab: Tab, seed_page: Path) -> None:
    page = tab.open(seed_page)
    tab.search("曹慧泉")
    node = page.evaluate("newsgraph.idOf('曹慧泉')")
    assert node and page.evaluate("newsgraph.network.getSelectedNodes()") == [node]
    assert page.inner_text("#ng-panel h2") == "曹慧泉"
    panel = page.inner_text("#ng-panel")
    assert "市委书记曹慧泉" in panel and "原文证据" in panel and "时间线" in panel
    # the timeline lists posts and events with their dates, newest first
    whens = page.eval_on_selector_all(".ng-timeline-list .ng-when", "ws => ws.map(w => w.textContent)")
    assert len(whens) >= 4 and whens == sorted(whens, reverse=True) and whens[-1].startswith("2022-12")
    marks = page.eval_on_selector_all("#ng-panel blockquote mark", "ms => ms.map(m => m.textContent)")
    assert "曹慧泉" in marks and "市委书记" in marks
    # pinyin and initials find the same person
    for query in ("caohuiquan", "chq"):
        page.fill("#ng-search", query)
        assert "曹慧泉（人物）" in page.inner_text("#ng-results")
    assert tab.errors == []


def test_selection_dims_the_rest_and_widens_by_one_hop(tab: Tab, seed_page: Path) -> None:
    page = tab.open(seed_page)
    total = page.evaluate("newsgraph.visibleCount()")
    node = page.evaluate("newsgraph.idOf('曹慧泉')")
    page.evaluate("id => newsgraph.select(id)", node)
    one_hop = set(page.evaluate("newsgraph.egoMembers()"))
    assert node in one_hop and 3 < len(one_hop) < total
    colours = page.evaluate("newsgraph.nodes.get().map(n => [n.id, n.color.background])")
    dimmed = {i for i, colour in colours if colour == "#e4e4e4"}
    assert dimmed and not (dimmed & one_hop) and len(dimmed) + len(one_hop) >= total
    assert page.is_visible("#ng-ego")
    page.click("#ng-widen")
    two_hops = set(page.evaluate("newsgraph.egoMembers()"))
    assert two_hops > one_hop
    page.click("#ng-clear")
    assert page.evaluate("newsgraph.egoMembers()") == []
    assert not any(
        n == "#e4e4e4" for _, n in page.evaluate("newsgraph.nodes.get().map(n => [n.id, n.color.background])")
    )
    assert tab.errors == []


def test_events_come_back_for_a_selection_with_dated_labels(tab: Tab, seed_page: Path) -> None:
    page = tab.open(seed_page)
    page.check('input.ng-type[value="event"]')
    # no selection and no window: the thousands of an archive's events stay folded
    assert page.evaluate("newsgraph.nodes.get().filter(n => n.shape === 'diamond').length") == 0
    assert "请选择" in page.inner_text("#ng-status")
    tab.search("曹慧泉")
    labels = page.evaluate("newsgraph.nodes.get().filter(n => n.shape === 'diamond').map(n => n.title)")
    assert len(labels) >= 3
    assert all(re.match(r"\d{2}-\d{2} ", label) for label in labels), labels
    assert "12-05 书记专题会议 · 曹慧泉" in labels
    assert tab.errors == []


def test_timeline_dates_and_type_boxes_filter_the_graph(tab: Tab, seed_page: Path) -> None:
    page = tab.open(seed_page)
    total = page.evaluate("newsgraph.visibleCount()")
    days = page.eval_on_selector_all("#ng-bars button", "bs => bs.map(b => b.dataset.since)")
    assert days == sorted(days) and len(days) >= 2
    page.click(f'#ng-bars button[data-since="{days[0]}"]')
    one_day = page.evaluate("newsgraph.visibleCount()")
    assert 0 < one_day < total
    assert page.input_value("#ng-since") == page.input_value("#ng-until") == days[0]
    # a window small enough brings its events back as nodes
    page.check('input.ng-type[value="event"]')
    events = page.evaluate("newsgraph.nodes.get().filter(n => n.shape === 'diamond').length")
    assert events > 0
    page.click(f'#ng-bars button[data-since="{days[0]}"]')  # again: back to all dates
    assert page.evaluate("newsgraph.visibleCount()") == total
    places = page.evaluate("newsgraph.nodes.get().filter(n => n.shape === 'triangle').length")
    assert places > 0
    page.uncheck('input.ng-type[value="place"]')
    assert page.evaluate("newsgraph.visibleCount()") == total - places
    tab.search("曹慧泉")
    assert page.evaluate("newsgraph.network.getSelectedNodes()") == [
        page.evaluate("newsgraph.idOf('曹慧泉')")
    ]
    page.click("#ng-reset")
    page.click("#ng-clear")
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


def test_clicking_a_link_shows_what_it_folds(tab: Tab, tmp_path: Path) -> None:
    path = tmp_path / "edge.html"
    path.write_text(render_page(_xss_graph()), encoding="utf-8")
    page = tab.open(path)
    person = page.evaluate(f"newsgraph.idOf({XSS_PERSON!r})")
    org = page.evaluate(f"newsgraph.idOf({XSS_ORG!r})")
    # Click the middle of the straight link on the canvas, as a reader would.
    point = page.evaluate(
        """([a, b]) => {
          const net = newsgraph.network, at = net.getPositions([a, b]);
          const dom = net.canvasToDOM({x: (at[a].x + at[b].x) / 2, y: (at[a].y + at[b].y) / 2});
          const box = document.getElementById('ng-network').getBoundingClientRect();
          return [box.left + dom.x, box.top + dom.y];
        }""",
        [person, org],
    )
    page.mouse.click(*point)
    panel = page.inner_text("#ng-panel")
    assert "任职" in panel and "市委书记" in panel, panel
    assert f"市委书记{XSS_PERSON}{XSS_HEADLINE}" in panel
    assert XSS_HEADLINE in panel  # the article behind the link, listed
    assert tab.dialogs == [] and tab.errors == []


# -- pages of synthetic archives: 60 issues (built in memory) and 365 (through the store) -------------

DRAWN_CAP = 1500
LABEL_OVERLAP = 0.02


def _corpus_module() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=[60, 365])
def archive_page(request: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from graph.api import build

    root = tmp_path_factory.mktemp(f"archive-{request.param}")
    _corpus_module().generate(request.param, root / "in")
    build([root / "in"], root / "out", cache=False)
    return root / "out" / "graph.html"


def _label_overlap(page: Any) -> tuple[int, int]:
    """Drawn labels that overlap another, from vis-network's own label boxes."""
    return tuple(
        page.evaluate(
            """() => {
              const net = newsgraph.network, boxes = [];
              newsgraph.nodes.get().forEach((n) => {
                if (!n.label) { return; }
                const s = net.body.nodes[n.id].labelModule.size;
                boxes.push([s.left, s.top, s.left + s.width, s.top + s.height]);
              });
              const hit = boxes.filter((a, i) => boxes.some((b, j) => j !== i &&
                a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]));
              return [hit.length, boxes.length];
            }"""
        )
    )


def test_an_archive_page_draws_a_bounded_readable_network(tab: Tab, archive_page: Path) -> None:
    page = tab.open(archive_page)
    entities = page.evaluate("newsgraph.data.entities.length")
    drawn = page.evaluate("newsgraph.visibleCount()")
    assert entities > drawn and 0 < drawn <= DRAWN_CAP
    assert page.evaluate("newsgraph.network.body.nodeIndices.length") == drawn
    overlapping, labels = _label_overlap(page)
    assert labels >= 10 and overlapping <= LABEL_OVERLAP * labels, (overlapping, labels)
    assert page.eval_on_selector_all("#ng-communities li", "ls => ls.length") >= 5
    assert tab.errors == []


def test_search_reaches_a_person_who_is_not_drawn(tab: Tab, archive_page: Path) -> None:
    page = tab.open(archive_page)
    hidden = page.evaluate(
        "newsgraph.data.entities.filter(e => e.type === 'person' && e.x === null && "
        "newsgraph.data.entities.filter(f => f.label === e.label).length === 1)[0].label"
    )
    node = page.evaluate("label => newsgraph.idOf(label)", hidden)
    assert page.evaluate("id => newsgraph.nodes.get(id)", node) is None
    tab.search(hidden)
    assert page.inner_text("#ng-panel h2") == hidden
    assert page.evaluate("id => newsgraph.nodes.get(id) !== null", node)
    assert page.evaluate("newsgraph.network.getSelectedNodes()") == [node]
    members = page.evaluate("newsgraph.egoMembers()")
    assert node in members
    page.wait_for_function("id => newsgraph.labelled().includes(id)", arg=node, timeout=5000)
    assert page.evaluate("id => newsgraph.nodes.get(id).label", node) == hidden
    assert page.evaluate("newsgraph.visibleCount()") <= DRAWN_CAP
    page.check('input.ng-type[value="event"]')
    labels = page.evaluate("newsgraph.nodes.get().filter(n => n.shape === 'diamond').map(n => n.title)")
    assert all(re.match(r"(\d{4}-)?\d{2}-\d{2} ", label) for label in labels), labels[:5]
    assert page.evaluate("newsgraph.visibleCount()") <= DRAWN_CAP
    assert tab.errors == []
