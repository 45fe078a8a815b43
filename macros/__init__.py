"""mkdocs-macros entry point: load the catalogue once, expose the render functions.

Each language is its own MkDocs build (mkdocs.yml for Chinese, mkdocs.en.yml for
English); the language of a build is `theme.language` in its config.
"""

from __future__ import annotations

import datetime

from .catalog import cached_catalog, load_catalog
from .render import Renderer

__all__ = ["define_env", "load_catalog"]


def define_env(env) -> None:
    catalog = cached_catalog()
    lang = env.conf["theme"]["language"]
    renderer = Renderer(catalog, lang)

    def current() -> Renderer:
        # Links inside macros are relative to the page being rendered.
        renderer.page_url = env.page.url if env.page else ""
        return renderer

    env.variables["lang"] = lang
    env.macro(lambda key: current().ui(key), "ui")
    env.macro(lambda topic_id: current().topic_page(topic_id), "topic_page")
    env.macro(lambda: current().topic_list(), "topic_list")
    env.macro(lambda path_id: current().path_page(path_id), "path_page")
    env.macro(lambda: current().path_table(), "path_table")
    env.macro(lambda: current().path_cards(), "path_cards")
    env.macro(lambda: current().source_list(), "source_list")
    env.macro(lambda: current().stats(), "stats")
    env.macro(lambda: current().explorer(), "explorer")
    env.macro(lambda: current().planner(), "planner")
    env.macro(lambda: current().field_table(), "field_table")
    env.macro(lambda: current().link_health(datetime.date.today().isoformat()), "link_health")
    env.macro(lambda: current().recent(), "recent")
    env.macro(lambda target: current().href(target), "href")
