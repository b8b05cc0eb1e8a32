"""Tests for the administrative-division table built from jionlp's location data."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import NewsgraphError
from graph.nlp import divisions
from graph.nlp.divisions import Division, DivisionTable, stem


@pytest.fixture(scope="module")
def table() -> DivisionTable:
    return DivisionTable.load()


@pytest.fixture(scope="module")
def zhuzhou(table: DivisionTable) -> Division:
    city = table.city("株洲市")
    assert city is not None
    return city


def test_load_is_cached(table: DivisionTable) -> None:
    assert DivisionTable.load() is table


def test_prefecture_under_province(table: DivisionTable, zhuzhou: Division) -> None:
    assert zhuzhou.level == "prefecture"
    assert zhuzhou.code == "430200"
    assert zhuzhou.key == "430200"
    assert zhuzhou.short == "株洲"
    province = table.parent(zhuzhou)
    assert province is not None
    assert (province.name, province.level, province.parent) == ("湖南省", "province", None)


def test_county_within_city(table: DivisionTable, zhuzhou: Division) -> None:
    hits = table.find("天元区", within=zhuzhou)
    assert [d.code for d in hits] == ["430211"]
    assert [a.name for a in table.ancestors(hits[0])] == ["株洲市", "湖南省"]


def test_township_stem_within_city(table: DivisionTable, zhuzhou: Division) -> None:
    hits = table.find("宋家桥", within=zhuzhou)
    townships = [d for d in hits if d.level == "township"]
    assert townships
    township = townships[0]
    assert township.code is None
    assert township.key == f"{township.parent}/{township.name}"
    assert "荷塘区" in [a.name for a in table.ancestors(township)]
    assert table.get(township.key) is township


def test_find_without_within_skips_townships(table: DivisionTable, zhuzhou: Division) -> None:
    township = next(d for d in table.find("宋家桥", within=zhuzhou) if d.level == "township")
    assert table.find(township.name) == []
    assert table.find("宋家桥") == []
    levels = {d.level for name in ("株洲", "天元区", "城区", "朝阳区") for d in table.find(name)}
    assert levels <= {"province", "prefecture", "county"}


def test_find_is_sorted_by_key(table: DivisionTable) -> None:
    hits = table.find("朝阳区")
    assert len(hits) >= 2
    assert [d.key for d in hits] == sorted(d.key for d in hits)


def test_renamed_county(table: DivisionTable, zhuzhou: Division) -> None:
    current = table.renamed("株洲县")
    assert current is not None
    assert current.name == "渌口区"
    assert table.parent(current) == zhuzhou
    assert table.renamed("株洲县", within=zhuzhou) == current
    other = table.city("北京")
    assert other is not None
    assert table.renamed("株洲县", within=other) is None


def test_city(table: DivisionTable, zhuzhou: Division) -> None:
    assert table.city("株洲") == zhuzhou
    beijing = table.city("北京")
    assert beijing is not None
    assert beijing.name == "北京市"
    assert beijing.code == "110000"
    assert table.city("上海市") is not None
    assert table.city("不存在的地方") is None


def test_municipality_districts_hang_off_municipality(table: DivisionTable) -> None:
    beijing = table.city("北京")
    assert beijing is not None
    districts = table.find("海淀区", within=beijing)
    assert [table.parent(d) for d in districts] == [beijing]


def test_names_within(table: DivisionTable, zhuzhou: Division) -> None:
    names = table.names_within(zhuzhou)
    assert "天元区" in names
    assert "宋家桥" in names
    assert "株洲市" not in names
    assert all(table.is_within(d, zhuzhou) for divs in names.values() for d in divs)


def test_national_names(table: DivisionTable) -> None:
    names = table.national_names()
    assert [d.code for d in names["株洲"]] == ["430200"]
    assert "株洲市" in names
    assert "天元区" in names
    # County short forms are too ambiguous for a national gazetteer.
    assert "天元" not in names
    assert all(d.level in {"province", "prefecture", "county"} for divs in names.values() for d in divs)


def test_stem() -> None:
    assert stem("宋家桥街道") == "宋家桥"
    assert stem("某某社区") == "某某"
    assert stem("东镇") is None
    assert stem("天元区") is None


def _world_data() -> tuple[Path, bytes]:
    path = divisions._data_dir() / "world_location.txt"
    return path, path.read_bytes()


def test_jionlp_data_is_the_data_newsgraph_was_made_with(caplog: pytest.LogCaptureFixture) -> None:
    path, data = _world_data()
    assert divisions.checked_text(path, "world_location.txt", data) == data.decode("utf-8")
    assert not caplog.records


def test_changed_jionlp_data_in_the_same_layout_is_read_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    path, data = _world_data()
    changed = data + "新大洲:\n".encode()
    assert divisions.checked_text(path, "world_location.txt", changed).endswith("新大洲:\n")
    assert "differs from the jionlp" in caplog.text


def test_jionlp_data_in_another_layout_is_a_one_line_error() -> None:
    path, _ = _world_data()
    with pytest.raises(NewsgraphError) as raised:
        divisions.checked_text(path, "china_location.txt", b'{"provinces": []}')
    message = str(raised.value)
    assert "\n" not in message and str(path) in message and "layout" in message
