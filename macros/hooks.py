"""MkDocs hooks (registered under `hooks:` in mkdocs.yml).

on_config: the navigation of each language, built from the catalogue. Topics and paths
are listed in data; writing them again into two `nav:` blocks would let menus drift.
on_post_build: the catalogue as JSON for the explorer, progress and planner scripts.
"""

from __future__ import annotations

import sys
from pathlib import Path

# MkDocs loads a hook by file path; make the `macros` package importable from it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.catalog import cached_catalog  # noqa: E402
from macros.export import browser_data  # noqa: E402


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
        {ui("nav.explorer"): "explorer.md"},
        {ui("nav.planner"): "planner.md"},
        {ui("nav.about"): "about.md"},
        {ui("nav.contribute"): "contribute.md"},
    ]
    return config


def on_post_build(config):
    target = Path(config["site_dir"]) / "assets" / "catalog.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(browser_data(cached_catalog()), encoding="utf-8")
