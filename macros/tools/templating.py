"""The Jinja templates of the make programs (templates/ next to this file): the weekly
link-health issue, the page of addresses LinkChecker reads, the dev server's reload
script and the top of CONTRIBUTING*.md.

HTML templates autoescape; the Markdown one escapes data text with the `md` filter, the
same escaping as the site's Markdown headings (macros/site/render.py).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from macros.site.render import md_escape

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "xml"], default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)
