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
    def describe(text: str) -> None:
        # The page's <meta name="description">, from data, unless its front matter has one.
        if env.page is not None and not env.page.meta.get("description"):
            env.page.meta["description"] = text if len(text) <= 160 else text[:157].rstrip() + "…"

    def topic_page(topic_id: str) -> str:
        describe(catalog.topics[topic_id].intro(lang))
        return current().topic_page(topic_id)

    def path_page(path_id: str) -> str:
        describe(catalog.paths[path_id].summary(lang))
        return current().path_page(path_id)

    env.macro(topic_page, "topic_page")
    env.macro(lambda: current().topic_list(), "topic_list")
    env.macro(path_page, "path_page")
    env.macro(lambda: current().path_table(), "path_table")
    env.macro(lambda: current().path_cards(), "path_cards")
    env.macro(lambda: current().source_list(), "source_list")
    env.macro(lambda: current().stats(), "stats")
    env.macro(lambda: current().explorer(), "explorer")
    env.macro(lambda: current().planner(), "planner")
    env.macro(lambda: current().field_table(), "field_table")
    env.macro(lambda: current().link_health(datetime.date.today().isoformat()), "link_health")
    env.macro(lambda: current().recent(), "recent")
    env.macro(lambda: current().since(), "since")
    env.macro(lambda target: current().href(target), "href")
