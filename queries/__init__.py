"""The query library, one research question per NAME.rq, installed as the package data graph.queries."""
