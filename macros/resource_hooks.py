"""MkDocs hooks for the resource pages (issue 12); the work is in macros/resource_pages.py."""

from __future__ import annotations

import sys
from pathlib import Path

# MkDocs loads a hook by file path; make the `macros` package importable from it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.resource_pages import on_files, on_post_build, on_post_page  # noqa: E402,F401
