"""Careers: a person's posts with the spans the articles attest, events, changes and conflicts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, Literal
from rdflib.namespace import RDF

from graph.errors import NewsgraphError
from graph.rdf.query import library_query
from graph.rdf.vocab import SCHEMA


class PersonNotFound(NewsgraphError):
    """No person of that name in the graph."""


@dataclass(frozen=True)
class Post:
    title: str
    organization: str | None
    first: str  # earliest attesting publication date ("" when undated)
    last: str
    attestations: tuple[tuple[str, str, str], ...]  # (date, headline, quote)


@dataclass(frozen=True)
class Participation:
    date: str
    role: str
    event: str


@dataclass
class Career:
    """One person's timeline as the graph states it; every date is an attestation, not a term."""

    name: str
    person: str
    posts: list[Post] = field(default_factory=list)
    events: list[Participation] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def _query(name: str) -> str:
    return library_query(name).text


def careers(graph: Graph, name: str) -> list[Career]:
    """The careers of every person called `name` (namesakes in different cities are different people)."""
    bound = {"name": Literal(name, lang="zh")}
    posts: dict[str, dict[str, list[tuple[str, str, str]]]] = defaultdict(dict)
    titles: dict[str, set[str]] = defaultdict(set)
    orgs: dict[str, str | None] = {}
    for row in graph.query(_query("career-posts"), initBindings=bound):
        person, membership, title, org, date, headline, quote = (None if v is None else str(v) for v in row)
        posts[person].setdefault(membership, []).append((date or "", headline, quote))
        titles[membership].add(title)
        orgs[membership] = org
    events: dict[str, set[Participation]] = defaultdict(set)
    for person, _, event, date, role in graph.query(_query("career-events"), initBindings=bound):
        events[str(person)].add(Participation(str(date or ""), str(role), str(event)))
    named = {
        str(p)
        for p in graph.subjects(SCHEMA.name, Literal(name, lang="zh"))
        if (p, RDF.type, SCHEMA.Person) in graph
    }
    people = sorted(named | set(posts) | set(events))
    if not people:
        raise PersonNotFound(f"no person named {name} in the graph")
    result = []
    for person in people:
        career = Career(name, person)
        for membership, rows in sorted(
            posts[person].items(), key=lambda kv: (min(r[0] for r in kv[1]), kv[0])
        ):
            dates = [r[0] for r in rows if r[0]]
            title = " / ".join(sorted(titles[membership], key=lambda t: (len(t), t)))
            first, last = min(dates, default=""), max(dates, default="")
            career.posts.append(Post(title, orgs[membership], first, last, tuple(sorted(set(rows)))))
        career.events = sorted(events[person], key=lambda p: (p.date, p.event, p.role))
        career.changes, career.conflicts = _changes_and_conflicts(career.posts)
        result.append(career)
    return result


def _changes_and_conflicts(posts: list[Post]) -> tuple[list[str], list[str]]:
    """A post last attested before another at the same body is first attested is a change; two posts at
    the same body stated on the same date are a conflict (市委书记 and 市委副书记 on one day)."""
    changes, conflicts = [], []
    by_org: dict[str | None, list[Post]] = defaultdict(list)
    for post in posts:
        by_org[post.organization].append(post)
    for org, held in sorted(by_org.items(), key=lambda kv: kv[0] or ""):
        if org is None:
            continue
        for earlier in held:
            for later in held:
                if (
                    earlier.title != later.title
                    and earlier.last
                    and later.first
                    and earlier.last < later.first
                ):
                    changes.append(
                        f"{earlier.title} until {earlier.last}, {later.title} from {later.first} ({org})"
                    )
        for i, one in enumerate(held):
            for other in held[i + 1 :]:
                shared = {d for d, _, _ in one.attestations} & {d for d, _, _ in other.attestations} - {""}
                for day in sorted(shared):
                    conflicts.append(f"{day}: {one.title} and {other.title} at {org}")
    return sorted(set(changes)), sorted(set(conflicts))


def format_career(career: Career) -> str:
    """The timeline as plain text for a terminal."""
    lines = [
        f"{career.name}  <{career.person}>",
        "Posts (dates are the first and last articles that state them):",
    ]
    for post in career.posts:
        at = f" @ {post.organization}" if post.organization else ""
        span = f"{post.first} … {post.last}" if post.first else "undated"
        lines.append(f"  {post.title}{at}   attested {span}   ({len(post.attestations)} statement(s))")
    if career.events:
        lines.append("Events:")
        lines += [f"  {p.date or '(undated)'}  {p.role:<8}  {p.event}" for p in career.events]
    if career.changes:
        lines.append("Changes:")
        lines += [f"  {c}" for c in career.changes]
    if career.conflicts:
        lines.append("Conflicting statements:")
        lines += [f"  {c}" for c in career.conflicts]
    return "\n".join(lines)
