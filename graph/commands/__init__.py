"""Subcommands of the `newsgraph` command line, grouped by the users they serve."""
