"""rdflib and Oxigraph give the same answers; persistent stores are written whole and opened read-only."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal

from graph.errors import QueryError
from graph.rdf.query import bind, library
from graph.rdf.store import Engine, Kind, Store, inject_values, load_oxigraph, open_store, write_oxigraph

QUERIES = library()


def canonical(store: Store, text: str, bindings: dict) -> set[tuple[str, ...]]:
    """Rows as N-Triples-like strings; GROUP_CONCAT lists are sorted, since SPARQL leaves their order open."""
    rows = set()
    for row in store.query(text, bindings).rows:
        cells = []
        for term in row:
            cell = "" if term is None else term.n3()
            if " | " in cell:
                cell = " | ".join(sorted(cell.strip('"').split(" | ")))
            cells.append(cell)
        rows.add(tuple(cells))
    return rows


@pytest.fixture(scope="module")
def stores(seed_build, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Store]:
    result, out = seed_build
    directory = write_oxigraph(result.triples, tmp_path_factory.mktemp("ox") / "store")
    ttl = out / "graph.ttl"
    return {
        "rdflib": open_store([ttl], Engine.RDFLIB),
        "oxigraph": open_store([ttl], Engine.OXIGRAPH),
        "oxigraph:DIR": open_store([f"oxigraph:{directory}"]),
    }


@pytest.mark.parametrize("name", sorted(QUERIES))
@pytest.mark.parametrize("with_params", [True, False], ids=["example", "unbound"])
def test_library_queries_agree_across_stores(stores: dict[str, Store], name: str, with_params: bool) -> None:
    query = QUERIES[name]
    # "unbound" leaves the optional parameters out; a required one always needs its value
    params = {p.name: p.example for p in query.params.values() if with_params or not p.optional}
    answers = {label: canonical(store, query.text, bind(query, params)) for label, store in stores.items()}
    assert answers["rdflib"], name
    assert answers["rdflib"] == answers["oxigraph"] == answers["oxigraph:DIR"]


def test_unprojected_parameters_are_bound_on_both_stores(stores: dict[str, Store]) -> None:
    # ?n is not projected: pyoxigraph cannot substitute it, so the store binds it with VALUES
    text = "SELECT ?e WHERE { ?e ng:chair ?p . ?p schema:name ?n }"
    for store in stores.values():
        rows = store.query(text, {"n": Literal("胡长春", lang="zh")}).rows
        # the meeting 胡长春 chaired: 学习贯彻党的二十大精神宣讲报告会 (the IRI's slug; its hash follows)
        assert [str(e).rsplit("/", 1)[1][:-6] for (e,) in rows] == [
            "event-xue-xi-guan-che-dang-de-er-shi-da-jing-s-"
        ]


def test_store_size_and_graph_results(stores: dict[str, Store]) -> None:
    sizes = {label: len(store) for label, store in stores.items()}
    assert len(set(sizes.values())) == 1
    for store in stores.values():
        result = store.query("CONSTRUCT { ?p schema:name ?n } WHERE { ?p a schema:Person ; schema:name ?n }")
        assert result.kind is Kind.GRAPH and result.graph is not None and len(result.graph) >= 30
        assert store.query("ASK { ?e ng:chair ?p }").boolean is True


def test_write_oxigraph_replaces_a_store_whole(tmp_path: Path, seed_build) -> None:
    result, _ = seed_build
    target = tmp_path / "store"
    write_oxigraph([t for t in result.triples if str(t[1]).endswith("name")], target)
    names = len(open_store([f"oxigraph:{target}"]))
    write_oxigraph(result.triples, target)
    assert len(open_store([f"oxigraph:{target}"])) == len(result.triples) > names
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]  # no staging or old copies left


def test_load_oxigraph_from_turtle(tmp_path: Path, seed_build) -> None:
    result, out = seed_build
    directory = load_oxigraph(tmp_path / "from-ttl", [out / "graph.ttl"])
    assert len(open_store([f"oxigraph:{directory}"])) == len(result.triples)


def test_updates_are_refused(tmp_path: Path, seed_build) -> None:
    result, _ = seed_build
    directory = write_oxigraph(result.triples, tmp_path / "store")
    store = open_store([f"oxigraph:{directory}"])
    with pytest.raises(QueryError):
        store.query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")  # an update is not a query


@pytest.mark.parametrize(
    ("specs", "message"),
    [
        (["missing.ttl"], "no such file"),
        (["oxigraph:/nonexistent/dir"], "no such store directory"),
        ([], "no graph given"),
    ],
)
def test_bad_specs(specs: list[str], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        open_store(specs)


def test_unknown_extension_and_mixed_specs(tmp_path: Path, seed_build) -> None:
    _, out = seed_build
    odd = tmp_path / "graph.xyz"
    odd.write_text("", encoding="utf-8")
    with pytest.raises(QueryError, match="unknown RDF format"):
        open_store([odd])
    with pytest.raises(QueryError, match="cannot be combined"):
        open_store([out / "graph.ttl", f"oxigraph:{tmp_path}"])


def test_values_go_into_the_where_group_not_into_strings_or_templates() -> None:
    subs = {ox.Variable("n"): ox.Literal('a "quoted" }{ name')}
    text = 'CONSTRUCT { ?s ?p "{" } # { comment\nWHERE { ?s ?p ?n }'
    injected = inject_values(text, subs)
    assert injected.startswith('CONSTRUCT { ?s ?p "{" } # { comment\nWHERE { VALUES (?n) {')
    assert '"a \\"quoted\\" }{ name"' in injected
    assert ox.Store().query(injected, substitutions={}) is not None
