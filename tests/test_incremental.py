"""Adding an issue to a streamed archive in place gives the store a full build would give."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import incremental
from graph.api import build
from graph.archive import ArchiveState
from graph.cli import main
from graph.errors import NewsgraphError
from graph.incremental import add_issues

ARCHIVE = Path(__file__).parent / "fixtures" / "archive"
LAST = Path("xiangtan/2023/09/2023-09-01.txt")


@pytest.fixture()
def held_back(tmp_path: Path) -> tuple[Path, Path]:
    """The fixture archive built without its last issue, and that issue."""
    source = tmp_path / "archive"
    shutil.copytree(ARCHIVE, source)
    issue = tmp_path / LAST.name
    (source / LAST).rename(issue)
    build([source], tmp_path / "out", stream=True, workers=1)
    return source, issue


def test_adding_an_issue_equals_building_with_it(tmp_path: Path, held_back: tuple[Path, Path]) -> None:
    source, issue = held_back
    before = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    result = add_issues([issue], tmp_path / "out" / "store", tmp_path / "out")
    assert result.added == [str(issue)] and result.inserted > 0 and result.deleted > 0
    shutil.copy(issue, source / LAST)
    build([source], tmp_path / "full", stream=True, workers=1)
    after = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert after != before
    assert after == (tmp_path / "full" / "graph.ttl").read_text(encoding="utf-8")


def test_an_issue_already_added_is_left_alone_and_a_changed_one_refused(
    tmp_path: Path, held_back: tuple[Path, Path]
) -> None:
    source, _ = held_back
    store = tmp_path / "out" / "store"
    again = add_issues([source / "xiangtan/2023/06/2023-06-01.txt"], store)
    assert again.unchanged and not again.added and again.inserted == 0
    changed = tmp_path / "2023-06-01.txt"
    changed.write_text("本报讯 6月1日，市委书记张三主持召开会议。\n", encoding="utf-8")
    with pytest.raises(NewsgraphError, match="changed since the archive was built"):
        add_issues([changed], store)


@pytest.mark.parametrize("killed", ["before the store update", "before the state commit"])
def test_an_add_killed_midway_lands_once_when_run_again(
    tmp_path: Path, held_back: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, killed: str
) -> None:
    source, issue = held_back
    store = tmp_path / "out" / "store"

    def kill(*args: object) -> None:
        raise KeyboardInterrupt

    if killed == "before the store update":
        monkeypatch.setattr(incremental, "_apply", kill)
    else:
        monkeypatch.setattr(ArchiveState, "commit", classmethod(kill))
    with pytest.raises(KeyboardInterrupt):
        add_issues([issue], store)
    monkeypatch.undo()
    again = add_issues([issue], store)
    landed = killed == "before the state commit"
    assert (again.added, again.unchanged) == (([], [str(issue)]) if landed else ([str(issue)], []))
    assert not (store / ArchiveState.PENDING).exists()
    shutil.copy(issue, source / LAST)
    build([source], tmp_path / "full", stream=True, workers=1)
    assert quads(store) == quads(tmp_path / "full" / "store")


def quads(store: Path) -> set[str]:
    return {str(q) for q in ox.Store.read_only(str(store))}


def test_cli_add_reports_and_a_store_without_state_is_one_line(
    tmp_path: Path, held_back: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, issue = held_back
    assert main(["add", str(issue), "--store", f"oxigraph:{tmp_path / 'out' / 'store'}"]) == 0
    err = capsys.readouterr().err
    assert "added 1 issue(s)" in err and "predate the store" in err
    assert main(["add", str(issue), "--store", f"oxigraph:{tmp_path / 'nowhere'}"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no archive state" in err[0]


MEETING = """全市安全生产工作会议召开

湘潭日报(全媒体记者/罗文) {day}日上午,全市安全生产工作会议召开。市委副书记、市长刘志军出席会议并讲话,
市委常委、副市长王建华主持会议。副市长{third}出席会议。
"""


def test_added_meetings_update_the_co_attendance_counts(tmp_path: Path) -> None:
    """Counts of events and partners, and pairs, change with every meeting an added issue reports."""
    source = tmp_path / "archive"
    for day, third in ((3, "陈明"), (4, "李华"), (5, "陈明")):
        issue = source / f"2023-07-0{day}.txt"
        issue.parent.mkdir(parents=True, exist_ok=True)
        issue.write_text(MEETING.format(day=day, third=third), encoding="utf-8")
    held = tmp_path / "2023-07-05.txt"
    (source / held.name).rename(held)
    build([source], tmp_path / "out", stream=True, workers=1)
    result = add_issues([held], tmp_path / "out" / "store", tmp_path / "out")
    assert result.deleted > 0
    held.rename(source / held.name)
    build([source], tmp_path / "full", stream=True, workers=1)
    after = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "ng:eventCount 3" in after
    assert after == (tmp_path / "full" / "graph.ttl").read_text(encoding="utf-8")


def test_an_issue_that_splits_namesakes_already_built_asks_for_a_build(tmp_path: Path) -> None:
    source = tmp_path / "archive"
    source.mkdir()
    text = "区委常委会会议召开\n\n湘潭日报(全媒体记者/罗文) 7月3日,{district}区委书记陈建国主持召开会议。\n"
    (source / "2023-07-03.txt").write_text(text.format(district="雨湖"), encoding="utf-8")
    build([source], tmp_path / "out", stream=True, workers=1)
    other = tmp_path / "new" / "20230703.txt"
    other.parent.mkdir()
    other.write_text(text.format(district="岳塘"), encoding="utf-8")
    with pytest.raises(NewsgraphError, match="splits namesakes in issues already built"):
        add_issues([other], tmp_path / "out" / "store")
