"""Write CONTRIBUTING.md and CONTRIBUTING.zh.md from the site's contribute pages.

The pages (docs/en/contribute.md, docs/zh/contribute.md) are the single source; the
field table inside them is generated from the schema. `--check` fails when the files
in the repository differ from what would be written (run `make contributing`).
"""

from __future__ import annotations

import re
import sys

from macros.catalogue.load import PROJECT_DIR, load_catalog
from macros.site.render import Renderer

TARGETS = {"en": "CONTRIBUTING.md", "zh": "CONTRIBUTING.zh.md"}
HEADER = "<!-- Generated from docs/{lang}/contribute.md by `make contributing`; edit that page instead. -->\n\n"


def render_contributing(lang: str, catalog) -> str:
    page = (PROJECT_DIR / "docs" / lang / "contribute.md").read_text(encoding="utf-8")
    page = re.sub(r"\A---\n.*?\n---\n", "", page, flags=re.S)  # the page's front matter
    table = Renderer(catalog, lang).field_table(markdown=True)
    return HEADER.format(lang=lang) + page.replace("{{ field_table() }}", table.strip())


def main(argv: list[str] | None = None) -> int:
    check = "--check" in (sys.argv[1:] if argv is None else argv)
    catalog = load_catalog()
    stale = []
    for lang, name in TARGETS.items():
        text = render_contributing(lang, catalog)
        path = PROJECT_DIR / name
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"Wrote {name}")
    if stale:
        print(f"{', '.join(stale)} out of date: run `make contributing`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
