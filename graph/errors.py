"""The exception hierarchy; the CLI maps these to one-line messages and exit codes."""

from __future__ import annotations


class NewsgraphError(Exception):
    """Base of every error newsgraph raises on purpose."""


class SourceError(NewsgraphError):
    """An input file that cannot be read as text; the message names the file and the cause."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class QueryError(NewsgraphError):
    """A SPARQL query that cannot be parsed or run."""
