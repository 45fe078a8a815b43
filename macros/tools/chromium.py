"""Debian's chromium as the tests and benchmarks launch it.

The flags keep it from reaching for Google's services at start-up: this machine has no
network beyond the package registries, and those attempts fail or stall.
"""

import os

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")  # GitHub's runners: google-chrome
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
