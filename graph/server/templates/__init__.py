"""The query page's template, script and style, as package data."""
