"""Every library query answers its research question on the seed build, with the rows the articles state."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.rdf.query import bind, library, run
from graph.rdf.store import Store, open_store

QUERIES = library()


@pytest.fixture(scope="module")
def store(seed_build) -> Store:
    _, out = seed_build
    return open_store([out / "graph.ttl"])


def ask(store: Store, query: str, /, **params: str) -> list[dict[str, str]]:
    """The rows of a library query as dicts of plain strings (unbound cells left out)."""
    result = run(query, params=params, store=store)
    return [
        {v: str(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]


def test_the_library_has_at_least_twelve_documented_questions() -> None:
    assert len(QUERIES) >= 12
    for query in QUERIES.values():
        assert query.question.endswith("?"), query.name
        assert query.examples and all(e.startswith(f"newsgraph query {query.name}") for e in query.examples)
        for param in query.params.values():
            assert param.example, (query.name, param.name)
            assert f"?{param.name}" in query.text


def test_every_library_query_is_tested_here() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    untested = [name for name in QUERIES if f'"{name}"' not in source]
    assert not untested


def test_every_example_binds(store: Store) -> None:
    for query in QUERIES.values():
        bindings = bind(query, {p.name: p.example for p in query.params.values()})
        assert store.query(query.text, bindings).rows, query.name


def test_posts_give_first_and_last_dates_and_sources(store: Store) -> None:
    rows = {r["title"]: r for r in ask(store, "posts", name="曹慧泉")}
    assert set(rows) == {"市委书记", "市委副书记"}
    secretary = rows["市委书记"]
    assert secretary["organization"].startswith("中共株洲市委")
    assert (secretary["first"], secretary["last"], secretary["articles"]) == ("2022-12-07", "2022-12-07", "2")
    assert "曹慧泉主持召开书记专题会议听取巡察工作 情况汇报" in secretary["sources"]
    assert rows["市委副书记"]["articles"] == "1"


def test_meetings_chaired(store: Store) -> None:
    rows = ask(store, "chaired-meetings", name="曹慧泉")
    assert [(r["meeting"], r["date"], r["partOfDay"]) for r in rows] == [
        ("书记专题会议", "2022-12-05", "下午")
    ]
    everyone = {(r["name"], r["meeting"]) for r in ask(store, "chaired-meetings")}
    assert ("胡长春", "学习贯彻党的二十大精神宣讲报告会") in everyone


def test_career_posts_give_every_attestation_with_its_quote(store: Store) -> None:
    rows = ask(store, "career-posts", name="曹慧泉")
    assert sorted(r["title"] for r in rows) == sorted(["市委书记", "市委书记", "市委副书记"])
    assert {r["date"] for r in rows} == {"2022-12-07"}
    assert all(r["title"] in r["quote"] and "曹慧泉" in r["quote"] for r in rows)
    assert {r["orgName"] for r in rows} == {"中共株洲市委员会"}


def test_career_events_give_the_role_taken(store: Store) -> None:
    rows = {(r["eventName"], r["role"]) for r in ask(store, "career-events", name="曹慧泉")}
    assert ("书记专题会议", "chair") in rows
    assert all(role == "attendee" for name, role in rows if name != "书记专题会议")


def test_co_attendance_counts_shared_events_once_per_pair(store: Store) -> None:
    pairs = {frozenset((r["person1"], r["person2"])): int(r["events"]) for r in ask(store, "co-attendance")}
    assert pairs[frozenset(("曹慧泉", "王庭恺"))] == 2  # the memorial broadcast and the 宣讲报告会
    assert pairs[frozenset(("杜中华", "王庭恺"))] == 1
    assert all(len(pair) == 2 for pair in pairs)
    assert not any("江泽民" in pair for pair in pairs)


def test_officials_by_organization_matches_short_names(store: Store) -> None:
    rows = ask(store, "officials-by-organization", org="市委")
    held = {(r["name"], r["title"]) for r in rows}
    assert {("曹慧泉", "市委书记"), ("王庭恺", "市委常委"), ("陈恢清", "市委副书记")} <= held
    assert len({r["organization"] for r in rows}) == 1
    assert ("陈恢清", "市长") not in held  # that post is in the government, not the party committee


def test_events_in_a_place_include_its_sub_places(store: Store) -> None:
    events = {(r["event"], r["location"]) for r in ask(store, "events-in-place", place="株洲市")}
    assert events == {
        ("省政府第一督查组赴株洲经开区督查", "株洲经开区"),
        ("石峰区初中昨有序复课", "石峰区"),
        ("天元区初中明日复课", "天元区"),
    }
    assert {r["event"] for r in ask(store, "events-in-place", place="北京")} == {"江泽民同志追悼大会"}


def test_projects_by_place(store: Store) -> None:
    projects = {r["project"] for r in ask(store, "projects-by-place", place="株洲市")}
    assert projects == {"魔美名作时尚产业园项目", "赛德雷特卫星工厂项目", "数据银行"}
    assert {r["project"] for r in ask(store, "projects-by-place", place="芦淞区")} == {
        "魔美名作时尚产业园项目"
    }


def test_reporter_beats(store: Store) -> None:
    beats = {r["person"]: r["articles"] for r in ask(store, "reporter-beats", reporter="叶昆红")}
    assert beats == dict.fromkeys(["张媛媛", "曹慧泉", "王庭恺", "胡长春", "黄芳"], "1")


def test_conflicting_titles_pair_articles_that_disagree(store: Store) -> None:
    rows = ask(store, "conflicting-titles")
    conflicts = {(r["name"], r["title1"], r["title2"]) for r in rows}
    assert ("曹慧泉", "市委书记", "市委副书记") in conflicts
    # 市委常委、副市长 are stated together in one article: held at once, not a conflict
    assert not any(name == "王庭恺" for name, _, _ in conflicts)
    cao = [r for r in rows if r["name"] == "曹慧泉"]
    assert {r["headline2"] for r in cao} == {
        "省委宣讲团成员黄芳来株宣讲党的二十大精神 让党的精神走进妇女群众心里"
    }


def test_timeline_orders_titles_and_events_by_date(store: Store) -> None:
    rows = ask(store, "timeline", name="曹慧泉")
    entries = [(r["date"], r["kind"], r["what"]) for r in rows]
    assert ("2022-12-05", "chair", "书记专题会议") in entries
    assert ("2022-12-06", "attendee", "江泽民同志追悼大会") in entries
    assert ("2022-12-07", "title", "市委副书记") in entries
    assert [d for d, _, _ in entries] == sorted(d for d, _, _ in entries)
    assert not any(kind == "attendee" and what == "书记专题会议" for _, kind, what in entries)


def test_articles_mentioning_two_entities(store: Store) -> None:
    both = {r["headline"] for r in ask(store, "co-mentions", a="曹慧泉", b="王庭恺")}
    assert both == {
        "市领导集中收看江泽民同志追悼大会 沉痛悼念江泽民同志",
        "省委宣讲团成员黄芳来株宣讲党的二十大精神 让党的精神走进妇女群众心里",
    }
    mixed = {r["headline"] for r in ask(store, "co-mentions", a="株洲经开区", b="王庭恺")}
    assert "省政府第一督查组赴株洲经开区督查" in mixed


def test_organization_hierarchy(store: Store) -> None:
    under = {r["organization"] for r in ask(store, "org-hierarchy", org="市委")}
    assert under == {"中共株洲市委宣传部", "中共株洲市委政法委员会"}
    assert {r["organization"] for r in ask(store, "org-hierarchy", org="省政府")} == {
        "湖南省政府2022年重点工作综合督查组第一督查组"
    }


def test_most_connected_officials(store: Store) -> None:
    rows = ask(store, "most-connected")
    assert (rows[0]["name"], rows[0]["partners"], rows[0]["events"]) == ("王庭恺", "14", "3")
    partners = [int(r["partners"]) for r in rows]
    assert partners == sorted(partners, reverse=True)
    assert "江泽民" not in {r["name"] for r in rows}  # mentioned, but no post and no event


def test_title_evidence_quotes_the_text(store: Store) -> None:
    rows = ask(store, "title-evidence", name="王庭恺")
    quotes = {(r["title"], r["exact"], r["start"], r["end"]) for r in rows}
    assert ("市委常委", "市委常委、副市长、株洲经开区党工委第一书记王庭恺", "67", "91") in quotes
    assert all(int(r["end"]) - int(r["start"]) == len(r["exact"]) for r in rows)


def test_post_holders_on_a_date(store: Store) -> None:
    rows = ask(store, "post-holders", post="市委书记", date="2022-12-07")
    assert [(r["name"], r["attested"]) for r in rows] == [("曹慧泉", "true")]
    assert ask(store, "post-holders", post="市委书记", date="2022-12-01") == []
    vice_mayors = {r["name"] for r in ask(store, "post-holders", post="副市长", date="2022-12-07")}
    assert vice_mayors == {"王庭恺"}
