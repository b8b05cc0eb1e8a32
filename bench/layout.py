"""Layouts for the page's drawn network, measured on the same graph: time, and how well each shows the
communities (mean distance of a node to its own community's centre over the mean distance to the
nearest other centre: lower separates better).

The candidates: the page's own (communities as discs placed by a spring layout of the community graph,
each laid out inside its disc), networkx's ForceAtlas2 and Fruchterman-Reingold on the whole graph
(the latter needs scipy from 500 nodes), and the fa2-modified package when it is installed.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx
from rdflib import Graph

from graph.render import network as page_network
from graph.render.view import build_view

Layout = Callable[[nx.Graph, list[list[str]]], dict[str, tuple[float, float]]]


def ours(graph: nx.Graph, groups: list[list[str]]) -> dict[str, tuple[float, float]]:
    return page_network._layout(graph, groups)


def forceatlas2(graph: nx.Graph, groups: list[list[str]]) -> dict[str, tuple[float, float]]:
    pos = nx.forceatlas2_layout(graph, max_iter=150, weight="weight", seed=7)
    return {n: (float(p[0]), float(p[1])) for n, p in pos.items()}


def spring(graph: nx.Graph, groups: list[list[str]]) -> dict[str, tuple[float, float]]:
    pos = nx.spring_layout(graph, weight="weight", seed=7, iterations=80)
    return {n: (float(p[0]), float(p[1])) for n, p in pos.items()}


def fa2_modified(graph: nx.Graph, groups: list[list[str]]) -> dict[str, tuple[float, float]]:
    import random

    from fa2_modified import ForceAtlas2

    rnd = random.Random(7)
    start = {n: (rnd.random(), rnd.random()) for n in sorted(graph)}
    layout = ForceAtlas2(barnesHutOptimize=True, verbose=False)
    return layout.forceatlas2_networkx_layout(graph, pos=start, iterations=150, weight_attr="weight")


def separation(pos: dict[str, tuple[float, float]], groups: list[list[str]]) -> float:
    """Mean over nodes in communities of 2+: distance to own centre / distance to the nearest other."""
    groups = [g for g in groups if len(g) > 1 and all(n in pos for n in g)]
    if len(groups) < 2:
        return float("nan")
    centres = [(sum(pos[n][0] for n in g) / len(g), sum(pos[n][1] for n in g) / len(g)) for g in groups]
    ratios = []
    for i, g in enumerate(groups):
        for n in g:
            own = math.dist(pos[n], centres[i])
            other = min(math.dist(pos[n], c) for j, c in enumerate(centres) if j != i)
            ratios.append(own / other if other else 1.0)
    return sum(ratios) / len(ratios)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("ttl", type=Path, nargs="+", help="graphs built by newsgraph (graph.ttl)")
    args = parser.parse_args(argv)
    print("| graph | drawn nodes | links | layout | seconds | separation |")
    print("|---|---:|---:|---|---:|---:|")
    candidates: list[tuple[str, Layout]] = [
        ("communities (the page's)", ours),
        ("networkx ForceAtlas2", forceatlas2),
        ("networkx spring", spring),
        ("fa2-modified", fa2_modified),
    ]
    for path in args.ttl:
        g = Graph()
        g.parse(path)
        view = build_view(g)
        folder = page_network._Folder(view)
        folder.read(view)
        links = folder.links()
        entities = [n for n in view.nodes if n.type in page_network.ENTITY_TYPES]
        counted = {n.id: len(folder.touched[n.id]) + len(n.titles) for n in entities}
        drawn = {
            n.id for n in sorted(entities, key=lambda n: (-counted[n.id], n.id))[: page_network.MAX_DRAWN]
        }
        inside = [x for x in links if x.source in drawn and x.target in drawn]
        graph = page_network._association_graph(sorted(drawn), inside)
        groups = page_network._communities(graph)
        for name, layout in candidates:
            clock = time.perf_counter()
            try:
                pos = layout(graph, groups)
            except ImportError as missing:
                size = f"{len(graph):,} | {graph.number_of_edges():,}"
                print(f"| {path} | {size} | {name} | needs {missing.name} | |")
                continue
            took = time.perf_counter() - clock
            print(
                f"| {path} | {len(graph):,} | {graph.number_of_edges():,} | {name} | {took:.2f} "
                f"| {separation(pos, groups):.2f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
