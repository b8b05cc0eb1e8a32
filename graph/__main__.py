"""`python -m graph` runs the newsgraph command line."""

from __future__ import annotations

import sys

from graph.cli import main

sys.exit(main())
