"""The macros that docs/ pages call ({{ topic_page('python') }}), in one table.

The `guide` plugin registers them with mkdocs-macros for the site; `make contributing`
renders the contribute pages through the same table (macros/tools/contributing.py).
"""

from __future__ import annotations

import datetime
from typing import Callable

from macros.site.render import Renderer

DESCRIPTION_LENGTH = 160


def short_description(text: str) -> str:
    return text if len(text) <= DESCRIPTION_LENGTH else text[: DESCRIPTION_LENGTH - 3].rstrip() + "…"


def page_macros(renderer: Renderer, describe: Callable[[str], None] = lambda text: None) -> dict[str, Callable]:
    """Macro name -> function. `describe` receives a page's description from data (the
    <meta name="description"> of topic and path pages)."""
    catalog, lang = renderer.catalog, renderer.lang

    def topic_page(topic_id: str) -> str:
        describe(catalog.topics[topic_id].intro(lang))
        return renderer.topic_page(topic_id)

    def path_page(path_id: str) -> str:
        describe(catalog.paths[path_id].summary(lang))
        return renderer.path_page(path_id)

    return {
        "topic_page": topic_page,
        "topic_list": renderer.topic_list,
        "path_page": path_page,
        "path_table": renderer.path_table,
        "path_cards": renderer.path_cards,
        "source_list": renderer.source_list,
        "stats": renderer.stats,
        "explorer": renderer.explorer,
        "planner": renderer.planner,
        "field_table": renderer.field_table,
        "link_health": lambda: renderer.link_health(datetime.date.today().isoformat()),
        "recent": renderer.recent,
        "since": renderer.since,
    }
