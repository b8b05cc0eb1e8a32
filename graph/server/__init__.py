"""`newsgraph serve`: a read-only SPARQL endpoint and query page over a built graph.

`checks` decides what a query may do, `engine` answers queries in worker processes, `http` is the
protocol and the launcher on Werkzeug, and `page` is the query page.
"""

from graph.server.checks import refusal
from graph.server.engine import GRAPH_TYPES, RESULT_TYPES, QueryEngine, QueryRequest, ServerError
from graph.server.http import ServeOptions, SparqlApp, allowed_hosts_for, make_server, negotiate, serve

__all__ = [
    "GRAPH_TYPES",
    "RESULT_TYPES",
    "QueryEngine",
    "QueryRequest",
    "ServeOptions",
    "ServerError",
    "SparqlApp",
    "allowed_hosts_for",
    "make_server",
    "negotiate",
    "refusal",
    "serve",
]
