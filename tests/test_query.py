"""Running queries: parameters as RDF terms, output formats, syntax errors, and `newsgraph query`."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from graph.cli import main
from graph.errors import QueryError
from graph.rdf.query import (
    Format,
    bind,
    bound_query,
    library,
    parse_header,
    parse_params,
    render,
    resolve,
    run,
    to_term,
    width,
)
from graph.rdf.store import Engine, Kind, Result, from_oxigraph, write_oxigraph

ID = "https://w3id.org/newsgraph/id/"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
CHAIRED = "SELECT ?name ?meeting ?date WHERE { ?e ng:chair ?p ; schema:name ?meeting ; schema:startDate ?date . ?p schema:name ?name }"  # noqa: E501


@pytest.fixture(scope="module")
def ttl(seed_build) -> Path:
    return seed_build[1] / "graph.ttl"


def sample() -> Result:
    rows = [
        (Literal("曹慧泉", lang="zh"), URIRef(ID + "person-cao"), Literal(2)),
        (Literal('Ann, "A"\tB'), None, Literal(12345)),
    ]
    return Result(Kind.SELECT, ["name", "iri", "n"], rows)


# -- parameters ---------------------------------------------------------------------------------------


def test_values_become_literals_iris_or_declared_types() -> None:
    assert to_term("曹慧泉") == Literal("曹慧泉")
    assert to_term("id:person-x") == URIRef(ID + "person-x")
    assert to_term("<https://example.org/a>") == URIRef("https://example.org/a")
    assert to_term("nope:x") == Literal("nope:x")  # not a known prefix
    assert to_term('"曹慧泉"@zh') == Literal("曹慧泉", lang="zh")
    assert to_term("曹慧泉", "@zh") == Literal("曹慧泉", lang="zh")
    assert to_term("2022-12-05", "date") == Literal("2022-12-05", datatype=URIRef(XSD_NS + "date"))
    assert to_term("7", "integer") == Literal("7", datatype=URIRef(XSD_NS + "integer"))
    with pytest.raises(QueryError, match="not a date"):
        to_term("12月5日", "date")
    with pytest.raises(QueryError, match="not a valid IRI"):
        to_term("<https://e.org/a b>")
    with pytest.raises(QueryError, match="not an IRI"):
        to_term("曹慧泉", "iri")


def test_params_parse_and_are_checked_against_the_query() -> None:
    assert parse_params(["name=曹慧泉", "?q=a=b"]) == {"name": "曹慧泉", "q": "a=b"}
    with pytest.raises(QueryError, match="NAME=VALUE"):
        parse_params(["曹慧泉"])
    chaired = resolve("chaired-meetings")
    assert bind(chaired, {"name": "曹慧泉"}) == {"name": Literal("曹慧泉", lang="zh")}
    with pytest.raises(QueryError, match="no parameter 'nmae'"):
        bind(chaired, {"nmae": "曹慧泉"})
    with pytest.raises(QueryError, match="no variable"):
        bind(resolve(CHAIRED), {"nmae": "x"})


def test_header_declares_question_params_and_examples() -> None:
    question, params, examples = parse_header(
        "# Question: Who?\n# Param: day date 2022-12-05 the day\n# Example: newsgraph query x\nSELECT * {}"
    )
    assert question == "Who?" and examples == ["newsgraph query x"]
    assert (params["day"].type, params["day"].example, params["day"].description) == (
        "date",
        "2022-12-05",
        "the day",
    )
    with pytest.raises(QueryError, match="unknown parameter type"):
        parse_header("# Param: day when 2022")


def test_parameters_are_required_unless_marked_optional() -> None:
    text = "# Param: who @zh 张三 a name\n# Param: day? date 2022-12-05 the day\nSELECT * { ?s ?p ?who }"
    _, params, _ = parse_header(text)
    assert (params["who"].optional, params["day"].optional) == (False, True)
    with pytest.raises(QueryError, match=r"^parameter 'who' has no value: give a name, e\.g\. who=张三$"):
        bound_query(text, {"day": "2022-12-05"})
    # an optional parameter left empty stays unbound; a given one becomes a typed term in VALUES
    unbound_day = bound_query(text, {"who": "张三", "day": ""})
    assert unbound_day.endswith('{ VALUES (?who) { ("张三"@zh) }  ?s ?p ?who }')
    assert '"2022-12-05"^^<http://www.w3.org/2001/XMLSchema#date>' in bound_query(
        text, {"who": "张三", "day": "2022-12-05"}
    )
    # every optional parameter of the library is one its query can leave unbound
    for query in library().values():
        for param in query.params.values():
            if param.optional:
                assert "leave it out" in param.description or "BOUND(?" + param.name in query.text


def test_a_quote_in_a_value_cannot_change_the_query(ttl: Path) -> None:
    hostile = '曹慧泉" } UNION { ?p ?x ?y } #'
    for engine in Engine:
        result = run(CHAIRED, graphs=[ttl], params={"name": hostile}, engine=engine)
        assert result.rows == []


@pytest.mark.parametrize("engine", list(Engine))
def test_parameters_bind_on_both_engines(ttl: Path, engine: Engine) -> None:
    result = run(CHAIRED, graphs=[ttl], params={"name": '"曹慧泉"@zh'}, engine=engine)
    assert [(str(m), str(d)) for _, m, d in result.rows] == [("书记专题会议", "2022-12-05")]


# -- errors -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", list(Engine))
def test_syntax_errors_are_one_line_with_a_position(ttl: Path, engine: Engine) -> None:
    with pytest.raises(QueryError) as err:
        run("SELECT ?x WHERE {\n  ?x ?p .\n}", graphs=[ttl], engine=engine)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("SPARQL syntax error at line ")
    assert ", column " in message


def test_unknown_library_name() -> None:
    with pytest.raises(QueryError, match="no library query named 'chaired'"):
        resolve("chaired")


# -- formats ------------------------------------------------------------------------------------------


def test_width_counts_wide_characters_twice() -> None:
    assert width("曹慧泉") == 6
    assert width("ab") == 2
    assert width("ＡＢ") == 4  # fullwidth
    assert width("é") == 1  # e + combining accent


def test_table_aligns_cjk_columns() -> None:
    lines = render(sample(), Format.TABLE).splitlines()
    assert lines[0].split() == ["name", "iri", "n"]
    header, rule, first, second, footer = lines
    assert footer == "(2 rows)"
    # the second column starts at the same terminal column on every line
    starts = {width(line[: line.index(token)]) for line, token in ((header, "iri"), (first, "id:person-cao"))}
    assert len(starts) == 1
    # the last column is numeric and right-aligned, so every line ends at the same terminal column
    assert width(header) == width(rule) == width(first) == width(second)
    assert first.endswith("    2") and second.endswith("12345")  # numbers are right-aligned


def test_table_clips_long_cells() -> None:
    result = Result(Kind.SELECT, ["body"], [(Literal("长" * 100),)])
    line = render(result, Format.TABLE).splitlines()[2]
    assert line.endswith("…") and width(line) <= 60


def test_csv_parses_back() -> None:
    rows = list(csv.reader(io.StringIO(render(sample(), Format.CSV))))
    assert rows == [["name", "iri", "n"], ["曹慧泉", ID + "person-cao", "2"], ['Ann, "A"\tB', "", "12345"]]


@pytest.mark.parametrize("fmt", [Format.TSV, Format.JSON])
def test_tsv_and_json_parse_back_to_the_same_terms(fmt: Format) -> None:
    kind = {Format.TSV: ox.QueryResultsFormat.TSV, Format.JSON: ox.QueryResultsFormat.JSON}[fmt]
    parsed = ox.parse_query_results(render(sample(), fmt).encode("utf-8"), kind)
    assert [v.value for v in parsed.variables] == ["name", "iri", "n"]
    rows = [tuple(None if t is None else from_oxigraph(t) for t in row) for row in parsed]
    assert rows == sample().rows


def test_json_is_w3c_results_json() -> None:
    data = json.loads(render(sample(), Format.JSON))
    assert data["head"]["vars"] == ["name", "iri", "n"]
    first = data["results"]["bindings"][0]
    assert first["name"] == {"type": "literal", "value": "曹慧泉", "xml:lang": "zh"}
    assert first["iri"] == {"type": "uri", "value": ID + "person-cao"}
    assert "iri" not in data["results"]["bindings"][1]
    assert json.loads(render(Result(Kind.ASK, boolean=True), Format.JSON)) == {"head": {}, "boolean": True}


def test_graph_results_print_as_turtle_or_jsonld(ttl: Path) -> None:
    result = run("DESCRIBE id:person-cao-hui-quan-a48073", graphs=[ttl])
    turtle = render(result)
    assert "曹慧泉" in turtle and len(Graph().parse(data=turtle, format="turtle")) == len(result.graph)
    assert len(Graph().parse(data=render(result, Format.JSONLD), format="json-ld")) == len(result.graph)
    with pytest.raises(QueryError, match="turtle or jsonld"):
        render(result, Format.CSV)
    with pytest.raises(QueryError, match="table, csv, tsv or json"):
        render(sample(), Format.TURTLE)


# -- command line -------------------------------------------------------------------------------------


def test_cli_library_query_with_param(ttl: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["query", "chaired-meetings", "--graph", str(ttl), "--param", "name=曹慧泉"])
    out = capsys.readouterr().out
    assert code == 0
    assert "书记专题会议" in out and "2022-12-05" in out and out.rstrip().endswith("(1 row)")


def test_cli_file_and_format(ttl: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text(CHAIRED, encoding="utf-8")
    assert main(["query", "-f", str(rq), "--graph", str(ttl), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {(r["name"], r["meeting"]) for r in rows} == {
        ("曹慧泉", "书记专题会议"),
        ("胡长春", "学习贯彻党的二十大精神宣讲报告会"),
    }


def test_cli_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--list"]) == 0
    out = capsys.readouterr().out
    assert "chaired-meetings" in out and "Which meetings did a person chair" in out
    assert len(out.splitlines()) >= 12


def test_cli_oxigraph_store(seed_build, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_oxigraph(seed_build[0].triples, tmp_path / "store")
    assert main(["query", "ASK { ?e ng:chair ?p }", "--graph", f"oxigraph:{tmp_path / 'store'}"]) == 0
    assert capsys.readouterr().out == "true\n"


def test_cli_errors_are_one_line_without_traceback(ttl: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "graph", "query", "SELECT ?x WHERE { ?x ?p }", "--graph", str(ttl)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("newsgraph: SPARQL syntax error at line 1, column")
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr


# -- the README section --------------------------------------------------------------------------------

DOC = Path(__file__).resolve().parents[1] / "docs" / "researchers-query.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_doc_commands_run(ttl: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    write_oxigraph(Graph().parse(ttl), store)
    commands = [line for block in _blocks("sh") for line in block.splitlines() if line.strip()]
    assert len(commands) >= 15
    for command in commands:
        argv = shlex.split(command.replace("oxigraph:exports/store", f"oxigraph:{store}"))
        assert argv[:2] == ["newsgraph", "query"]
        if "--graph" not in argv:
            argv += ["--graph", str(ttl)]
        assert main(argv[1:]) == 0, command
        assert capsys.readouterr().out.strip(), command


def test_doc_python_runs(ttl: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for block in _blocks("python"):
        code = block.replace("exports/graph.ttl", str(ttl)).replace("exports/store", str(tmp_path / "store"))
        exec(compile(code, str(DOC), "exec"), {})
    assert "书记专题会议" in capsys.readouterr().out
