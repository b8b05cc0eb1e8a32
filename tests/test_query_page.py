"""The researchers' query page: parameters bound as RDF terms (the page, the CLI and the endpoint agree on
every library query), the `/describe` view, the vendored YASGUI files, and the page in Chromium."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
from conftest import ROOT, call, live_server

from graph.rdf.query import library, run, to_json
from graph.render.browser import CHROMIUM, LAUNCH_ARGS
from graph.server import QueryEngine, SparqlApp, allowed_hosts_for

STATIC = ROOT / "graph" / "server" / "static"
CO_MENTIONS = {"a": "曹慧泉", "b": "王庭恺"}
LIBRARY = library()
EXAMPLES = {name: {p.name: p.example for p in q.params.values()} for name, q in LIBRARY.items()}


@pytest.fixture(scope="module")
def app(graph_ttl: Path) -> Iterator[SparqlApp]:
    with QueryEngine([graph_ttl], timeout=10, max_results=10_000) as engine:
        yield SparqlApp(engine, allowed_hosts=allowed_hosts_for("127.0.0.1"))


def cli_rows(name: str, graph: Path, params: dict[str, str]) -> dict:
    """What `newsgraph query NAME --param ... --format json` prints, parsed."""
    return json.loads(to_json(run(name, graphs=[graph], params=params)))


def rows(results: dict) -> list[str]:
    """Solutions as comparable strings, in the order given."""
    return [json.dumps(b, sort_keys=True, ensure_ascii=False) for b in results["results"]["bindings"]]


def endpoint(app: SparqlApp, query: str, params: dict[str, str], **extra: str) -> Any:
    form = {"query": query, **{"$" + name: value for name, value in params.items()}, **extra}
    return call(app, "POST", body=urlencode(form).encode(), content_type="application/x-www-form-urlencoded")


# --- Parameters at the endpoint, as the CLI binds them --------------------------------------------------


def test_every_library_query_declares_an_example_for_each_parameter() -> None:
    assert len(LIBRARY) >= 14
    for name, query in LIBRARY.items():
        for param in query.params.values():
            assert param.example, f"{name}: parameter {param.name} has no example"


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_endpoint_gives_the_cli_s_rows_for_every_library_query(name: str, app: SparqlApp, graph_ttl: Path):
    expected = cli_rows(name, graph_ttl, EXAMPLES[name])
    reply = endpoint(app, LIBRARY[name].text, EXAMPLES[name])
    assert reply.code == 200, reply.text
    answer = json.loads(reply.body)
    assert answer["head"]["vars"] == expected["head"]["vars"]
    assert rows(answer) == rows(expected)


def test_co_mentions_with_its_example_gives_two_articles_not_all_nine(app: SparqlApp, graph_ttl: Path):
    bound = json.loads(endpoint(app, LIBRARY["co-mentions"].text, CO_MENTIONS).body)
    assert len(bound["results"]["bindings"]) == 2
    everything = cli_rows("co-attendance", graph_ttl, {})  # a query without parameters still runs as is
    assert everything["results"]["bindings"]


@pytest.mark.parametrize(
    ("params", "named"),
    [({}, "a"), ({"a": "曹慧泉"}, "b"), ({"a": "  ", "b": "王庭恺"}, "a")],
)
def test_a_required_parameter_left_empty_is_an_error_naming_it(app: SparqlApp, params: dict, named: str):
    reply = endpoint(app, LIBRARY["co-mentions"].text, params)
    assert reply.code == 400
    assert reply.text.startswith(f"parameter '{named}' has no value: give the")
    with pytest.raises(Exception, match=f"parameter '{named}' has no value"):
        run("co-mentions", graphs=[], params=params)


def test_optional_parameters_may_be_left_empty(app: SparqlApp, graph_ttl: Path) -> None:
    everyone = endpoint(app, LIBRARY["posts"].text, {"name": ""})
    assert everyone.code == 200
    assert rows(json.loads(everyone.body)) == rows(cli_rows("posts", graph_ttl, {}))
    one = json.loads(endpoint(app, LIBRARY["posts"].text, EXAMPLES["posts"]).body)
    assert 0 < len(one["results"]["bindings"]) < len(json.loads(everyone.body)["results"]["bindings"])


def test_parameters_are_terms_not_text(app: SparqlApp) -> None:
    # A value that would break out of a quoted string stays one literal, so nothing matches.
    hostile = {"a": '曹慧泉"@zh } UNION { ?x ?p ?o', "b": "王庭恺"}
    reply = endpoint(app, LIBRARY["co-mentions"].text, hostile)
    assert reply.code == 200 and json.loads(reply.body)["results"]["bindings"] == []
    # Typed by the header: a date parameter refuses a non-date, an unknown name is refused.
    bad_date = endpoint(app, LIBRARY["post-holders"].text, {"date": "yesterday"})
    assert bad_date.code == 400 and "not a date" in bad_date.text
    unknown = endpoint(app, LIBRARY["co-mentions"].text, {**CO_MENTIONS, "c": "x"})
    assert unknown.code == 400 and "no parameter 'c'" in unknown.text


def test_a_query_without_a_header_binds_a_variable_it_uses(app: SparqlApp) -> None:
    # As with `--param`, a value is a plain string unless written as a tagged literal.
    query = "SELECT ?person WHERE { ?person schema:name ?name }"
    assert json.loads(endpoint(app, query, {"name": "曹慧泉"}).body)["results"]["bindings"] == []
    reply = endpoint(app, query, {"name": '"曹慧泉"@zh'})
    assert len(json.loads(reply.body)["results"]["bindings"]) == 1
    assert endpoint(app, query, {"nobody": "x"}).code == 400


def test_format_argument_chooses_the_download_type(app: SparqlApp) -> None:
    reply = endpoint(app, LIBRARY["co-mentions"].text, CO_MENTIONS, format="csv")
    assert reply.type == "text/csv"
    table = list(csv.reader(io.StringIO(reply.text)))
    assert table[0] == ["date", "headline", "article"] and len(table) == 3
    assert endpoint(app, "ASK {}", {}, format="json").type == "application/sparql-results+json"
    assert endpoint(app, "DESCRIBE id:x", {}, format="turtle").type == "text/turtle"
    assert endpoint(app, "ASK {}", {}, format="pdf").code == 400


def test_cli_refuses_a_required_parameter_left_out(graph_ttl: Path) -> None:
    command = [sys.executable, "-m", "graph", "query", "co-mentions", "--graph", str(graph_ttl)]
    done = subprocess.run(
        [*command, "--param", "a=曹慧泉"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode != 0
    assert (
        done.stderr.strip()
        .splitlines()[-1]
        .endswith("parameter 'b' has no value: give the second entity's name or short name, e.g. b=王庭恺")
    )


# --- /describe -------------------------------------------------------------------------------------------


def article_iri(app: SparqlApp) -> str:
    reply = endpoint(app, LIBRARY["co-mentions"].text, CO_MENTIONS)
    return json.loads(reply.body)["results"]["bindings"][0]["article"]["value"]


def test_describe_shows_a_resource_with_links_and_language_tags(app: SparqlApp) -> None:
    iri = article_iri(app)
    reply = call(app, path="/describe", params={"iri": iri}, accept="text/html")
    assert reply.code == 200 and reply.type == "text/html"
    page = reply.text
    assert "schema:headline" in page and "<sup>@zh</sup>" in page and "<sup>^^xsd:date</sup>" in page
    assert 'href="describe?iri=https%3A%2F%2Fschema.org%2FNewsArticle"' in page
    assert "script-src 'self'" in reply.headers["content-security-policy"]
    turtle = call(app, path="/describe", params={"iri": iri, "format": "turtle"})
    assert turtle.type == "text/turtle" and "schema:headline" in turtle.text
    person = call(app, path="/describe", params={"iri": iri.replace("article-2022", "nothing-2022")})
    assert person.code == 200 and "says nothing" in person.text


def test_describe_lists_what_points_at_a_resource(app: SparqlApp) -> None:
    reply = endpoint(app, "SELECT ?p WHERE { ?p schema:name '曹慧泉'@zh }", {})
    person = json.loads(reply.body)["results"]["bindings"][0]["p"]["value"]
    page = call(app, path="/describe", params={"iri": person}).text
    assert "Referred to by" in page and "schema:mentions" in page


def test_describe_refuses_what_is_not_an_iri_and_escapes_literals(app: SparqlApp, tmp_path: Path) -> None:
    assert call(app, path="/describe", params={"iri": "not an iri"}).code == 400
    graph = tmp_path / "evil.ttl"
    graph.write_text('<urn:x> <urn:says> "<script>window.pwned=1</script>" .\n', encoding="utf-8")
    with QueryEngine([str(graph)], timeout=5) as engine:
        page = call(SparqlApp(engine), path="/describe", params={"iri": "urn:x"}).text
    assert "<script>window" not in page and "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page


# --- The vendored YASGUI ----------------------------------------------------------------------------------


def _updater() -> Any:
    spec = importlib.util.spec_from_file_location("update_yasgui", ROOT / "scripts" / "update_yasgui.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vendored_yasgui_matches_its_record_and_the_lock_file() -> None:
    record = json.loads((STATIC / "yasgui.json").read_text(encoding="utf-8"))
    manifest = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/@zazuko/yasgui"]
    assert manifest["dependencies"]["@zazuko/yasgui"] == record["version"] == pinned["version"]
    assert record["license"] == pinned["license"] == "MIT"
    assert record["integrity"] == pinned["integrity"]
    for name, digest in record["files"].items():
        assert hashlib.sha256((STATIC / name).read_bytes()).hexdigest() == digest, name
    assert record["bundled"] == {
        k: v for k, v in _updater().bundled(lock, record["package"]).items() if k != record["package"]
    }


@pytest.mark.skipif(not (ROOT / "node_modules" / "@zazuko" / "yasgui").is_dir(), reason="npm ci has not run")
def test_vendored_yasgui_is_the_npm_build() -> None:
    updater = _updater()
    for name, built in updater.FILES.items():
        original = (ROOT / "node_modules" / "@zazuko" / "yasgui" / built).read_bytes()
        assert updater.vendored_bytes(original) == (STATIC / name).read_bytes(), name


# --- The page in Chromium ---------------------------------------------------------------------------------

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def live(graph_ttl: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(graph_ttl, tmp_path_factory.mktemp("page")) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=list(LAUNCH_ARGS))
        yield launched
        launched.close()


class QueryPage:
    """One browser tab on the query page, recording every request that is not to the server."""

    def __init__(self, page: Any, base: str) -> None:
        self.page, self.base, self.outside, self.errors = page, base, [], []
        page.on("request", lambda r: None if r.url.startswith(base + "/") else self.outside.append(r.url))
        page.on("pageerror", lambda err: self.errors.append(str(err)))

    def open(self, address: str = "/") -> QueryPage:
        self.page.goto(self.base + address, timeout=20_000)
        self.page.wait_for_selector(".CodeMirror", timeout=20_000)
        return self

    def fields(self) -> dict[str, str]:
        inputs = self.page.query_selector_all("#params input")
        return {i.get_attribute("name"): i.input_value() for i in inputs}

    def run(self) -> dict:
        """Run the editor's query; the endpoint's JSON answer to the page's own request."""
        with self.page.expect_response(lambda r: r.url == self.base + "/sparql", timeout=20_000) as answer:
            self.page.click(".yasqe_queryButton")
        return answer.value.json()


@pytest.fixture
def tab(browser: Any, live: str) -> Iterator[QueryPage]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = QueryPage(context.new_page(), live)
    yield page
    context.close()
    assert page.outside == [], f"the page reached beyond the server: {page.outside}"
    assert page.errors == []


def test_page_loads_everything_from_the_server(tab: QueryPage) -> None:
    tab.open()
    assert tab.page.locator(".yasqe .CodeMirror").count() == 1
    assert tab.page.locator("#picker option").count() == len(LIBRARY) + 1
    # Completion comes from the graph's own vocabulary and prefixes, never from prefix.cc or LOV.
    for text, typed, hint in [
        ("SELECT * WHERE {\n  ?s schema:na", "m", "schema:name"),
        ("SELECT * WHERE {\n  ?s a schema:Pe", "r", "schema:Person"),
        ("PREFIX n", "g", "ng: <https://w3id.org/newsgraph/ontology#>"),
    ]:
        tab.page.evaluate("text => document.querySelector('.CodeMirror').CodeMirror.setValue(text)", text)
        tab.page.click(".CodeMirror-code")
        tab.page.keyboard.press("Control+End")
        tab.page.keyboard.type(typed)
        tab.page.keyboard.press("Control+Space")
        tab.page.locator(".CodeMirror-hints").wait_for(timeout=5_000)
        assert hint in tab.page.locator(".CodeMirror-hints").all_inner_texts()[0].splitlines()
        tab.page.keyboard.press("Escape")


def test_co_mentions_example_gives_the_cli_s_two_rows(tab: QueryPage, graph_ttl: Path) -> None:
    tab.open().page.select_option("#picker", "co-mentions.rq")
    assert tab.fields() == CO_MENTIONS
    answer = tab.run()
    expected = cli_rows("co-mentions", graph_ttl, CO_MENTIONS)
    assert rows(answer) == rows(expected) and len(rows(answer)) == 2
    table = tab.page.locator(".yasr table.dataTable tbody tr")
    table.first.wait_for(timeout=10_000)
    assert table.count() == 2
    # Chinese text and language tags are shown as such; IRIs open their description.
    cells = tab.page.inner_text(".yasr table.dataTable tbody")
    assert "沉痛悼念" in cells and "@zh" in cells
    articles = tab.page.locator(".yasr table.dataTable tbody a.iri", has_text="id:article-")
    link = articles.first.get_attribute("href")
    iri = expected["results"]["bindings"][0]["article"]["value"]
    assert link == "describe?iri=" + quote(iri, safe="")
    described = tab.page.request.get(tab.base + "/" + link, headers={"Accept": "text/html"})
    assert described.ok and "schema:headline" in described.text()


def test_every_library_query_runs_on_the_page_as_in_the_cli(tab: QueryPage, graph_ttl: Path) -> None:
    tab.open()
    for name, query in LIBRARY.items():
        tab.page.select_option("#picker", f"{name}.rq")
        assert tab.fields() == EXAMPLES[name], name
        assert rows(tab.run()) == rows(cli_rows(name, graph_ttl, EXAMPLES[name])), name
        assert query.text == tab.page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")


def test_an_empty_parameter_gives_a_message_and_sends_nothing(tab: QueryPage) -> None:
    tab.open().page.select_option("#picker", "co-mentions.rq")
    tab.page.fill("#params input[name=b]", "")
    sent: list[str] = []
    tab.page.on("request", lambda r: sent.append(r.url) if r.url.endswith("/sparql") else None)
    tab.page.click(".yasqe_queryButton")
    message = tab.page.locator("#message")
    message.wait_for(state="visible", timeout=5_000)
    assert message.inner_text() == (
        "parameter 'b' has no value: give the second entity's name or short name, e.g. b=王庭恺"
    )
    assert tab.page.get_attribute("#params input[name=b]", "aria-invalid") == "true"
    assert sent == []


def test_a_syntax_error_is_marked_on_its_line(tab: QueryPage) -> None:
    tab.open()
    tab.page.evaluate(
        "document.querySelector('.CodeMirror').CodeMirror.setValue("
        "'SELECT ?name WHERE {\\n  ?p schema:name ?name .\\n  ?p schema:name ?name ?oops ?more .\\n}')"
    )
    marker = tab.page.locator(".CodeMirror-gutter-wrapper .parseErrorIcon")
    marker.wait_for(timeout=5_000)
    assert marker.count() == 1
    line = marker.locator("xpath=ancestor::div[contains(@class,'CodeMirror-gutter-wrapper')]/..")
    assert "?oops" in line.inner_text()
    # Known prefixes are not errors: the same query without the bad line is valid.
    tab.page.evaluate(
        "document.querySelector('.CodeMirror').CodeMirror"
        ".setValue('SELECT ?name WHERE { ?p schema:name ?name }')"
    )
    tab.page.wait_for_timeout(300)
    assert tab.page.locator(".parseErrorIcon").count() == 0


def test_csv_download_has_the_rows(tab: QueryPage) -> None:
    tab.open().page.select_option("#picker", "co-mentions.rq")
    tab.run()
    tab.page.locator("#downloads").wait_for(state="visible", timeout=5_000)
    with tab.page.expect_download(timeout=10_000) as download:
        tab.page.click("#csv")
    table = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert table[0] == ["date", "headline", "article"]
    assert len(table) == 3 and "沉痛悼念" in table[1][1]


def test_a_link_reproduces_the_query_and_its_parameters(tab: QueryPage, browser: Any) -> None:
    tab.open().page.select_option("#picker", "co-mentions.rq")
    tab.page.fill("#params input[name=a]", "王庭恺")
    tab.page.fill("#params input[name=b]", "曹慧泉")
    first = tab.run()
    state = parse_qs(urlsplit(tab.page.url).query)
    assert state["$a"] == ["王庭恺"] and state["$b"] == ["曹慧泉"] and "co-mentions" not in state
    assert tab.page.get_attribute("#share", "href") == "?" + urlsplit(tab.page.url).query
    other = QueryPage(browser.new_page(), tab.base)
    with other.page.expect_response(lambda r: r.url == tab.base + "/sparql", timeout=20_000) as answer:
        other.open("/?" + urlsplit(tab.page.url).query)
    assert other.fields() == {"a": "王庭恺", "b": "曹慧泉"}
    assert rows(answer.value.json()) == rows(first)
    assert other.page.input_value("#picker") == "co-mentions.rq"
    other.page.close()
    assert other.outside == [] and other.errors == []


def test_a_result_with_markup_shows_as_text(tab: QueryPage) -> None:
    markup = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
    tab.open().page.evaluate(
        "text => document.querySelector('.CodeMirror').CodeMirror.setValue(text)",
        "SELECT ?x WHERE { BIND(" + json.dumps(markup) + " AS ?x) }",
    )
    tab.run()
    tab.page.locator(".yasr table.dataTable tbody td").nth(1).wait_for(timeout=10_000)
    assert markup in tab.page.inner_text(".yasr table.dataTable tbody")
    assert tab.page.evaluate("window.pwned") is None
    assert tab.page.locator(".yasr tbody script, .yasr tbody img").count() == 0
