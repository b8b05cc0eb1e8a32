"""Across issues and years: one person, one place, one career (fixture archive of two cities)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from graph.api import BuildResult, build
from graph.careers import careers
from graph.identity import Corrections, HeadPost, HeadPosts, PersonResolver, load_corrections
from graph.model import Article
from graph.rdf.vocab import NG, ORG, SCHEMA

ARCHIVE = Path(__file__).parent / "fixtures" / "archive"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    result: BuildResult = build([ARCHIVE], tmp_path_factory.mktemp("archive"), workers=1)
    assert result.files_built == 5 and not result.problems
    return result.graph


def persons_named(graph: Graph, name: str) -> set[URIRef]:
    return {
        s for s in graph.subjects(SCHEMA.name, Literal(name, lang="zh")) if (s, None, SCHEMA.Person) in graph
    }


def test_namesakes_of_two_cities_stay_apart(archive: Graph) -> None:
    assert len(persons_named(archive, "王建华")) == 2


def test_mentions_in_one_city_merge_and_say_why(archive: Graph) -> None:
    (xiangtan,) = [p for p in persons_named(archive, "王建华") if "副市长" in _titles(archive, p)]
    reason = str(archive.value(xiangtan, NG.mergedBecause))
    assert "湘潭市" in reason and "2 articles" in reason


def test_heads_of_two_bodies_on_one_day_are_two_people(archive: Graph) -> None:
    chens = persons_named(archive, "陈建国")
    assert len(chens) == 2
    assert {frozenset(_titles(archive, p)) for p in chens} == {
        frozenset({"区委书记"}),
        frozenset({"岳塘区委书记"}),
    }


def test_head_posts_clash_only_for_one_kind_of_body_on_one_day() -> None:
    def post(org: str, date: str | None, city: str = "湘潭市") -> HeadPost:
        return HeadPost("陈建国", city, org, date)

    yuhu, yuetang, congress = "中共雨湖区委员会", "中共岳塘区委员会", "雨湖区人民代表大会常务委员会"
    assert HeadPosts([post(yuhu, "2023-07-03"), post(yuetang, "2023-07-04")]).clashing() == {}
    assert HeadPosts([post(yuhu, "2023-07-03"), post(congress, "2023-07-03")]).clashing() == {}
    assert HeadPosts([post(yuhu, None), post(yuetang, None)]).clashing() == {}
    assert HeadPosts([post(yuhu, "2023-07-03"), post(yuetang, "2023-07-03", "株洲市")]).clashing() == {}
    table = HeadPosts([post(yuhu, "2023-07-03"), post(yuetang, "2023-07-04")])
    table.add([post(yuetang, "2023-07-03"), post(congress, "2023-07-03")])
    assert table.clashing() == {"陈建国": frozenset({yuhu, yuetang, congress})}
    assert table.organizations("陈建国") == {yuhu, yuetang, congress}
    assert table.organizations("罗文") == set()


def test_one_post_however_it_is_written(archive: Graph) -> None:
    (mayor,) = [c for c in careers(archive, "刘志军") if c.posts]
    assert not mayor.conflicts


def test_corrections_file_keeps_a_namesake_apart(archive: Graph) -> None:
    liu = persons_named(archive, "刘志军")
    assert len(liu) == 2
    assert sum(1 for p in liu if _titles(archive, p)) == 1  # the retired worker holds no post


def test_a_promotion_is_one_career_with_attested_spans(archive: Graph) -> None:
    (mayor,) = [c for c in careers(archive, "刘志军") if c.posts]
    spans = {p.title: (p.first, p.last) for p in mayor.posts}
    assert spans["副市长"] == ("2023-03-01", "2023-03-01")
    assert spans["市长"] == ("2023-06-01", "2023-06-01")
    assert "副市长 until 2023-03-01, 市长 from 2023-06-01 (湘潭市人民政府)" in mayor.changes


def test_one_membership_per_post_with_every_attestation(archive: Graph) -> None:
    (xiangtan,) = [p for p in persons_named(archive, "王建华") if "副市长" in _titles(archive, p)]
    (membership,) = [
        m
        for m in archive.subjects(ORG.member, xiangtan)
        if Literal("副市长", lang="zh") in archive.objects(m, NG.title)
    ]
    assert len(set(archive.objects(membership, NG.evidence))) == 2
    assert str(archive.value(membership, NG.firstAttested)) == "2023-03-01"
    assert str(archive.value(membership, NG.lastAttested)) == "2023-06-01"
    interval = archive.value(membership, ORG.memberDuring)
    assert interval is not None and "attested" in str(interval)


def test_renamed_district_resolves_to_its_current_division(archive: Graph) -> None:
    (place,) = archive.subjects(SCHEMA.alternateName, Literal("宁乡县", lang="zh"))
    assert str(archive.value(place, SCHEMA.name)) == "宁乡市"
    assert str(archive.value(place, NG.adminCode)) == "430182"


def test_places_carry_codes_levels_and_their_province(archive: Graph) -> None:
    (yuhu,) = archive.subjects(SCHEMA.name, Literal("雨湖区", lang="zh"))
    assert str(archive.value(yuhu, NG.adminCode)) == "430302"
    assert str(archive.value(yuhu, NG.adminLevel)) == "county"
    ancestors = {
        str(archive.value(a, SCHEMA.name)) for a in archive.transitive_objects(yuhu, SCHEMA.containedInPlace)
    }
    assert {"湘潭市", "湖南省"} <= ancestors


def test_bodies_have_official_names_and_jurisdictions(archive: Graph) -> None:
    (party,) = archive.subjects(SCHEMA.name, Literal("中共湘潭市委员会", lang="zh"))
    assert Literal("市委", lang="zh") in set(archive.objects(party, SCHEMA.alternateName))
    jurisdiction = archive.value(party, NG.jurisdiction)
    assert str(archive.value(jurisdiction, SCHEMA.name)) == "湘潭市"


def test_seed_places_have_their_codes(seed_build: tuple[BuildResult, Path]) -> None:
    graph = seed_build[0].graph
    expected = {
        "湖南省": "430000",
        "株洲市": "430200",
        "荷塘区": "430202",
        "芦淞区": "430203",
        "石峰区": "430204",
        "天元区": "430211",
        "醴陵市": "430281",
    }
    for name, code in expected.items():
        (place,) = graph.subjects(SCHEMA.name, Literal(name, lang="zh"))
        assert str(graph.value(place, NG.adminCode)) == code, name


def test_preferred_names_and_same_as(tmp_path: Path) -> None:
    toml = tmp_path / "entities.toml"
    toml.write_text(
        '[preferred]\n"小明" = "王小明"\n\n[[same]]\nnames = ["刘洋", "刘阳"]\n', encoding="utf-8"
    )
    resolver = PersonResolver(load_corrections(toml))
    article = Article(key="k", headline="h", body="b", city="湘潭市")
    assert resolver.resolve("小明", article).name == "王小明"
    assert resolver.resolve("刘阳", article) == resolver.resolve("刘洋", article)


def test_malformed_corrections_are_one_line_errors(tmp_path: Path) -> None:
    from graph.identity import CorrectionsError

    toml = tmp_path / "entities.toml"
    toml.write_text('[[same]]\nnames = ["一个"]\n', encoding="utf-8")
    with pytest.raises(CorrectionsError, match=r"entities\.toml"):
        load_corrections(toml)
    assert load_corrections(tmp_path / "missing.toml") == Corrections()


def _titles(graph: Graph, person: URIRef) -> set[str]:
    return {str(t) for m in graph.subjects(ORG.member, person) for t in graph.objects(m, NG.title)}
