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
from macros.render import restore_deferred  # noqa: E402


def on_config(config):
    catalog = cached_catalog()
    lang = config["theme"]["language"]

    def ui(key: str) -> str:
        return catalog.ui[key](lang)

    # Absolute roots of both languages, for the hreflang links in every page's head.
    site_url = (config["site_url"] or "").rstrip("/") + "/"
    zh_root = site_url[: -len("en/")] if lang == "en" and site_url.endswith("/en/") else site_url
    config["extra"]["language_roots"] = {"zh": zh_root, "en": zh_root + "en/"}
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
            {ui("since.title"): "since.md"},
            {ui("nav.open_data"): "open-data.md"},
            {ui("nav.link_health"): "link-health.md"},
        ]},
        {ui("nav.contribute"): "contribute.md"},
    ]
    return config


def on_post_page(output, page, config):
    # After Material's search plugin has read the page (on_page_context): the cards are
    # indexed as records of their own (macros/search.py), and parsing thousands of them
    # again as page text grew the build with the catalogue.
    return restore_deferred(config["theme"]["language"], page.url, output)


# Two changes to Material 9.8.1's JavaScript bundle, each applied to exactly one known
# expression so that any other Material version fails the build instead of misbehaving:
# 1. Material's own language switching fetches sitemap.xml next to every
#    <link rel=alternate>; with page-to-page hreflang links that is two failing requests
#    per page, and this site's switcher needs none of it: narrow the selector to nothing.
# 2. The search index is fetched at page load; fetch it when the reader first opens or
#    focuses search instead. `F` is rxjs' Observable in the bundle. Since issue #11 that
#    file holds the Chinese vocabulary and the Pagefind settings (macros/search.py), and
#    its arrival is what makes the worker load Pagefind: nothing of search loads before.
# 3. A search result that is a resource card (a URL with #) and not under its page is
#    shown with its text, as a page result is (macros/search_worker.js sends cards alone).
MATERIAL_PATCHES = (
    ('M("link[rel=alternate]")', 'M("link[rel=alternate][data-md-lookup]")'),
    (
        'ze(new URL("search/search_index.json",Or.base))',
        'new F(o=>{let s,go=()=>{s||(s=ze(new URL("search/search_index.json",Or.base)).subscribe(o))},'
        'q=document.querySelector("[data-md-component=search-query]"),t=document.getElementById("__search");'
        'q&&q.addEventListener("focus",go);t&&t.addEventListener("change",go);return()=>s&&s.unsubscribe()})',
    ),
    ('oo(i,2|+(!n&&s===0))', 'oo(i,2|+(n<1&&s===0))'),
)


def _patch_material_bundle(site_dir: Path) -> None:
    bundles = list((site_dir / "assets" / "javascripts").glob("bundle.*.min.js"))
    if len(bundles) != 1:
        raise RuntimeError(f"expected one Material bundle in {site_dir}, found {len(bundles)}")
    code = bundles[0].read_text(encoding="utf-8")
    for original, replacement in MATERIAL_PATCHES:
        if code.count(original) != 1:
            raise RuntimeError(f"Material's bundle changed ({original!r} not found once): review macros/hooks.py")
        code = code.replace(original, replacement)
    bundles[0].write_text(code, encoding="utf-8")


def on_post_build(config):
    catalog = cached_catalog()
    site_dir = Path(config["site_dir"])
    lang = config["theme"]["language"]
    built = datetime.date.today().isoformat()
    _patch_material_bundle(site_dir)
    (site_dir / "assets").mkdir(parents=True, exist_ok=True)
    (site_dir / "assets" / "catalog.json").write_text(browser_data(catalog), encoding="utf-8")
    (site_dir / "feed.xml").write_text(rss_feed(catalog, lang, config["site_url"] or "/", built), encoding="utf-8")
    if lang == "zh":  # the open data lives once, at the site root
        (site_dir / "api").mkdir(exist_ok=True)
        for name, content in api_files(catalog, built).items():
            (site_dir / "api" / name).write_text(content, encoding="utf-8")
