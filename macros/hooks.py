"""MkDocs hooks (registered under `hooks:` in mkdocs.yml).

on_config: the navigation of each language, built from the catalogue. Topics and paths
are listed in data; writing them again into two `nav:` blocks would let menus drift.
on_post_build: the catalogue as JSON for the explorer, progress and planner scripts.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

# MkDocs loads a hook by file path; make the `macros` package importable from it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.catalog import cached_catalog  # noqa: E402
from macros.export import api_files, browser_data, rss_feed  # noqa: E402


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
        {ui("nav.about"): [
            {ui("nav.about"): "about.md"},
            {ui("nav.recent"): "recent.md"},
            {ui("nav.open_data"): "open-data.md"},
            {ui("nav.link_health"): "link-health.md"},
        ]},
        {ui("nav.contribute"): "contribute.md"},
    ]
    return config


def on_post_build(config):
    catalog = cached_catalog()
    site_dir = Path(config["site_dir"])
    lang = config["theme"]["language"]
    built = datetime.date.today().isoformat()
    (site_dir / "assets").mkdir(parents=True, exist_ok=True)
    (site_dir / "assets" / "catalog.json").write_text(browser_data(catalog), encoding="utf-8")
    (site_dir / "feed.xml").write_text(rss_feed(catalog, lang, config["site_url"] or "/", built), encoding="utf-8")
    if lang == "zh":  # the open data lives once, at the site root
        (site_dir / "api").mkdir(exist_ok=True)
        for name, content in api_files(catalog, built).items():
            (site_dir / "api" / name).write_text(content, encoding="utf-8")
