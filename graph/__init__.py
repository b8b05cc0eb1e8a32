"""newsgraph: Chinese local newspapers to a provenance-backed knowledge graph."""

from __future__ import annotations

__version__ = "0.1.0"
