"""Load the ontology files (the repository's ontology/, installed as graph.ontology): OWL ontology,
SHACL shapes, JSON-LD context."""

from __future__ import annotations

import functools
import json
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from rdflib import Graph

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

ONTOLOGY_FILE = "newsgraph.ttl"
SHAPES_FILE = "shapes.ttl"
CONTEXT_FILE = "context.jsonld"


def ontology_resource(name: str) -> Traversable:
    """The shipped ontology file ``name``, found through the package so that it works from a wheel too."""
    return files("graph.ontology").joinpath(name)


@functools.lru_cache(maxsize=4)
def _parsed(name: str) -> Graph:
    graph = Graph()
    graph.parse(data=ontology_resource(name).read_text(encoding="utf-8"), format="turtle")
    return graph


def load_turtle(name: str) -> Graph:
    """A fresh copy of the shipped Turtle file ``name`` (parsed once per process)."""
    copy = Graph()
    for prefix, namespace in _parsed(name).namespaces():
        copy.bind(prefix, namespace)
    copy += _parsed(name)
    return copy


def jsonld_context() -> dict[str, Any]:
    """The ``@context`` object of ontology/context.jsonld."""
    document = json.loads(ontology_resource(CONTEXT_FILE).read_text(encoding="utf-8"))
    return dict(document["@context"])
