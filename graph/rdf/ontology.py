"""Load the ontology files (the repository's ontology/, installed as graph.ontology): OWL ontology,
SHACL shapes, JSON-LD context."""

from __future__ import annotations

import functools
import json
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SH

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


@functools.cache
def vocabulary() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The IRIs of every class and property the graph uses, sorted: those the OWL ontology declares and
    those the SHACL shapes constrain (the editor completes them)."""
    owl, shapes = _parsed(ONTOLOGY_FILE), _parsed(SHAPES_FILE)
    classes = {str(s) for s in owl.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
    classes |= {str(o) for o in shapes.objects(None, SH.targetClass) if isinstance(o, URIRef)}
    classes |= {str(o) for o in shapes.objects(None, SH["class"]) if isinstance(o, URIRef)}
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
    properties = {str(s) for kind in kinds for s in owl.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    properties |= {str(o) for o in shapes.objects(None, SH.path) if isinstance(o, URIRef)}
    properties.add(str(RDF.type))
    return tuple(sorted(classes)), tuple(sorted(properties))
