"""Write CONTRIBUTING.md and CONTRIBUTING.zh.md from the site's contribute pages.

The pages (docs/en/contribute.md, docs/zh/contribute.md) are the single source. Each is
rendered as Jinja with the same macro table the site registers with mkdocs-macros
(macros/site/page_macros.py), so any macro a contribute page calls works the same in the
file as on the site; only the field table is its Markdown variant, for GitHub.
`--check` fails when the files in the repository differ from what would be written
(run `make contributing`).
"""

from __future__ import annotations

import re
import sys
from typing import Callable

from jinja2 import Environment, StrictUndefined

from macros.catalogue.load import PROJECT_DIR, load_catalog
from macros.languages import LANGUAGES, Language
from macros.site.page_macros import page_macros
from macros.site.render import Renderer
from macros.tools.templating import render

PAGE_URL = "contribute/"  # where the page is on the site: links from macros are the same
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", flags=re.S)


def contributing_macros(renderer: Renderer) -> dict[str, Callable]:
    """The site's page macros, with the field table as a Markdown table: GitHub shows the
    file without the site's table styles."""
    return {**page_macros(renderer), "field_table": lambda: renderer.field_table(markdown=True)}


def page_environment(renderer: Renderer) -> Environment:
    # As mkdocs-macros builds its environment (mkdocs.yml: on_undefined: strict), except
    # that the file keeps its final newline.
    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True)
    env.globals.update(contributing_macros(renderer))
    env.globals["lang"] = renderer.lang  # the variable the guide plugin registers
    return env


def render_contributing(language: Language, catalog) -> str:
    source = f"{language.docs_dir}/contribute.md"
    page = FRONT_MATTER.sub("", (PROJECT_DIR / source).read_text(encoding="utf-8"))
    renderer = Renderer(catalog, language.code)
    renderer.page_url = PAGE_URL
    text = page_environment(renderer).from_string(page).render()
    return render("contributing.md", source=source, page=renderer.restore_deferred(PAGE_URL, text))


def main(argv: list[str] | None = None) -> int:
    check = "--check" in (sys.argv[1:] if argv is None else argv)
    catalog = load_catalog()
    stale = []
    for language in LANGUAGES:
        text = render_contributing(language, catalog)
        path = PROJECT_DIR / language.contributing
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(language.contributing)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"Wrote {language.contributing}")
    if stale:
        print(f"{', '.join(stale)} out of date: run `make contributing`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
