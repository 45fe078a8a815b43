"""MkDocs hook: the navigation of each language, built from the catalogue.

Topics and paths are listed in data; writing them again into two `nav:` blocks would
let the menus drift from the data. Registered under `hooks:` in mkdocs.yml.
"""

from __future__ import annotations

import sys
from pathlib import Path

# MkDocs loads a hook by file path; make the `macros` package importable from it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.catalog import cached_catalog  # noqa: E402


def on_config(config):
    catalog = cached_catalog()
    lang = config["theme"]["language"]

    def ui(key: str) -> str:
        return catalog.ui[key](lang)

    # Theme templates (404 page, switcher) read their strings from here.
    config["extra"]["ui"] = {key: text(lang) for key, text in catalog.ui.items()}
    config["nav"] = [
        {ui("nav.home"): "index.md"},
        {ui("nav.paths"): [{ui("nav.paths_compare"): "paths/index.md"}]
            + [{p.title(lang): f"paths/{p.id}.md"} for p in catalog.paths.values()]},
        {ui("nav.topics"): [{ui("nav.topics_all"): "topics/index.md"}]
            + [{t.title(lang): f"topics/{t.id}.md"} for t in catalog.topics.values()]},
        {ui("nav.about"): "about.md"},
        {ui("nav.contribute"): "contribute.md"},
    ]
    return config
