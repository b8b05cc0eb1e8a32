"""The OWL ontology, SHACL shapes and JSON-LD context, installed as the package data graph.ontology."""
