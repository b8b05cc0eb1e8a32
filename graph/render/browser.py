"""Headless Chromium for the page's tests and benchmarks: Debian's browser, without network chatter."""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking switches Chromium calls home at start, and this machine refuses it.
LAUNCH_ARGS = (
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
